// What strangers' input and bad luck do to `s2s train`, through the built binary: a resumed run never
// changes its data silently; a full disk costs a warning or, at the end, an error, but never the last good
// checkpoint; kill -9 at any moment leaves a checkpoint to resume from, and SIGHUP saves one as Ctrl-C
// does; a hundred threads compute what one does.
import Foundation
import S2SNet
import XCTest

final class HardeningTests: XCTestCase {
    static let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-hardening-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        let (src, tgt) = syntheticCorpus(count: 200, words: 25, seed: 4242)
        writeLines(src[0..<150], to: d, "a.en"); writeLines(tgt[0..<150], to: d, "a.fr")
        writeLines(src[50..<200], to: d, "b.en"); writeLines(tgt[50..<200], to: d, "b.fr")
        writeLines(src[150..<200], to: d, "dev.en"); writeLines(tgt[150..<200], to: d, "dev.fr")
        return d
    }()

    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    static let tiny = ["--embed", "16", "--hidden", "24", "--attention", "16", "--bpe", "0", "--min-count", "1",
                       "--batch-size", "16", "--valid-every", "1000", "--threads", "1"]

    /// The new user: train on some files, then `s2s train --resume --model m.s2s` as Ctrl-C and
    /// --help suggest. It must go on with the same files, and refuse others unless --new-data says so.
    func testResumeKeepsItsDataOrSaysWhy() throws {
        let model = Self.path("r.s2s")
        let first = try S2SCommand.run(["train", Self.path("a.en"), Self.path("a.fr"), "--dev-src", Self.path("dev.en"),
                                        "--dev-tgt", Self.path("dev.fr"), "--steps", "5", "--model", model] + Self.tiny, timeout: 180)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("training on 150 pairs"), first.stderr)

        // No files: the recorded ones, with their dev set (not the bundled corpus).
        let plain = try S2SCommand.run(["train", "--resume", "--model", model, "--steps", "8", "--threads", "1"],
                                       workingDirectory: Self.dir.path, timeout: 180)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stderr.contains("training on 150 pairs"), plain.stderr)
        XCTAssertTrue(plain.stderr.contains("dev set 50 pairs"), plain.stderr)
        XCTAssertTrue(plain.stderr.contains("after 8 steps"), plain.stderr)

        // Other files: refused, naming the file and the way out.
        let other = try S2SCommand.run(["train", Self.path("b.en"), Self.path("b.fr"), "--resume", "--model", model,
                                        "--steps", "10", "--threads", "1"], timeout: 180)
        XCTAssertNotEqual(other.status, 0)
        XCTAssertTrue(other.stderr.contains("b.en"), other.stderr)
        XCTAssertTrue(other.stderr.contains("--new-data"), other.stderr)
        XCTAssertEqual(other.stderr.split(separator: "\n").count, 1, other.stderr)

        // The same files moved elsewhere are the same data.
        try? FileManager.default.removeItem(atPath: Self.path("copy.en"))
        try? FileManager.default.removeItem(atPath: Self.path("copy.fr"))
        try FileManager.default.copyItem(atPath: Self.path("a.en"), toPath: Self.path("copy.en"))
        try FileManager.default.copyItem(atPath: Self.path("a.fr"), toPath: Self.path("copy.fr"))
        let moved = try S2SCommand.run(["train", Self.path("copy.en"), Self.path("copy.fr"), "--resume", "--model", model,
                                        "--steps", "10", "--threads", "1"], timeout: 180)
        XCTAssertEqual(moved.status, 0, moved.stderr)

        // A recorded file that changed since: refused too.
        try ("s1 s2.\n" + (try String(contentsOfFile: Self.path("copy.en"), encoding: .utf8))).write(toFile: Self.path("copy.en"), atomically: true, encoding: .utf8)
        try ("t2 t1.\n" + (try String(contentsOfFile: Self.path("copy.fr"), encoding: .utf8))).write(toFile: Self.path("copy.fr"), atomically: true, encoding: .utf8)
        let changed = try S2SCommand.run(["train", "--resume", "--model", model, "--steps", "12", "--threads", "1"], timeout: 180)
        XCTAssertNotEqual(changed.status, 0)
        XCTAssertTrue(changed.stderr.contains("copy.en"), changed.stderr)

        // Wanted: --new-data trains on the other files, and says so.
        let wanted = try S2SCommand.run(["train", Self.path("b.en"), Self.path("b.fr"), "--resume", "--new-data", "--model", model,
                                         "--steps", "12", "--threads", "1"], timeout: 180)
        XCTAssertEqual(wanted.status, 0, wanted.stderr)
        XCTAssertTrue(wanted.stderr.contains("warning: --new-data"), wanted.stderr)
        XCTAssertTrue(wanted.stderr.contains("after 12 steps"), wanted.stderr)
    }

    /// More threads than the 64 slots the partial sums once had: the same training, to rounding.
    func testAHundredThreadsTrainLikeOne() throws {
        func train(_ threads: String, _ name: String) throws -> Seq2Seq {
            let r = try S2SCommand.run(["train", Self.path("a.en"), Self.path("a.fr"), "--dev-src", Self.path("dev.en"),
                                        "--dev-tgt", Self.path("dev.fr"), "--steps", "6", "--dropout", "0", "--batch-size", "128",
                                        "--embed", "16", "--hidden", "24", "--attention", "16", "--bpe", "0", "--min-count", "1",
                                        "--threads", threads, "--model", Self.path(name)], timeout: 300)
            XCTAssertEqual(r.status, 0, r.stderr)
            return try ModelFile.load(Self.path(name + ".ckpt")).model
        }
        let one = try train("1", "t1.s2s"), hundred = try train("100", "t100.s2s")
        var num = 0.0, den = 0.0
        for i in 0..<one.params.count {
            let d = Double(one.params.values[i] - hundred.params.values[i])
            num += d * d
            den += Double(one.params.values[i]) * Double(one.params.values[i])
        }
        XCTAssertLessThan((num / den).squareRoot(), 1e-4)
    }

    func trainArguments(_ model: String, steps: Int) -> [String] {
        ["train", Self.path("a.en"), Self.path("a.fr"), "--dev-src", Self.path("dev.en"), "--dev-tgt", Self.path("dev.fr"),
         "--steps", "\(steps)", "--model", model] + Self.tiny
    }

    /// A file system with room for the model and one checkpoint, but not for a second checkpoint beside
    /// the first (an atomic write needs both at once): every checkpoint after the first fails.
    func testAFullDiskWarnsThenFailsAtTheEndKeepingTheLastGoodCheckpoint() throws {
        try XCTSkipIf(getuid() != 0, "mounting a small tmpfs needs root")
        let probe = Self.path("sizes.s2s")
        XCTAssertEqual(try S2SCommand.run(trainArguments(probe, steps: 1), timeout: 180).status, 0)
        func size(_ p: String) throws -> Int { try FileManager.default.attributesOfItem(atPath: p)[.size] as! Int }
        let model = try size(probe), checkpoint = try size(probe + ".ckpt")
        let mountPoint = Self.path("small-disk")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let room = (model + checkpoint + checkpoint / 2 + 4095) / 4096 * 4096
        let mount = try S2SCommand.shell("mount -t tmpfs -o size=\(room) tmpfs \(mountPoint)")
        try XCTSkipIf(mount.status != 0, "cannot mount a tmpfs here: \(mount.stdout)")
        defer { _ = try? S2SCommand.shell("umount \(mountPoint)") }

        let target = mountPoint + "/m.s2s"
        let r = try S2SCommand.run(trainArguments(target, steps: 6) + ["--checkpoint-minutes", "0.000001"], timeout: 180)
        XCTAssertNotEqual(r.status, 0, "the final checkpoint could not be written: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("warning: at step 2, could not save"), r.stderr)
        XCTAssertTrue(r.stderr.contains("No space left on device"), r.stderr)
        let last = r.stderr.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(last.contains(target + ".ckpt") && last.contains("the checkpoint of step 1 is kept there"), last)
        // What is left: the model, the step-1 checkpoint (intact), the log; no temp files.
        let (_, metadata) = try ModelFile.load(target + ".ckpt")
        XCTAssertTrue(try XCTUnwrap(metadata["s2s.training.state"]).contains("\"step\":1,"))
        XCTAssertNoThrow(try ModelFile.load(target))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mountPoint).sorted(), ["m.s2s", "m.s2s.ckpt", "m.s2s.log.jsonl"])
    }

    /// kill -9 at several moments of a run that checkpoints at every step, so some land inside a write:
    /// each time, --resume finds a whole checkpoint and goes on from it, and clears the temp file left.
    func testKillNineAnywhereLeavesACheckpointToResumeFrom() throws {
        let model = Self.path("k.s2s")
        for (round, delay) in [0.4, 0.7, 1.0].enumerated() {
            let process = Process()
            process.executableURL = try S2SCommand.binaryURL()
            process.arguments = trainArguments(model, steps: 100_000 * (round + 1)) + ["--checkpoint-minutes", "0.000001"]
                + (round > 0 ? ["--resume"] : [])
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            let started = Date()
            try process.run()
            // Until this run has written a checkpoint of its own (an earlier round's is already there).
            func written() -> Bool {
                let date = (try? FileManager.default.attributesOfItem(atPath: model + ".ckpt"))?[.modificationDate] as? Date
                return date.map { $0 > started } ?? false
            }
            let deadline = Date().addingTimeInterval(60)
            while !written() && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            XCTAssertTrue(written(), "round \(round) wrote no checkpoint")
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            XCTAssertNoThrow(try ModelFile.load(model + ".ckpt"), "round \(round)")
        }
        let r = try S2SCommand.run(trainArguments(model, steps: 1) + ["--resume", "--steps", "1000000", "--epochs", "1"], timeout: 180)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("resuming from"), r.stderr)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: Self.dir.path).filter { $0.hasPrefix("k.s2s") && $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    /// A closed terminal or ssh session (SIGHUP) saves the checkpoint as Ctrl-C does.
    func testHangUpSavesTheCheckpointLikeCtrlC() throws {
        let model = Self.path("hup.s2s")
        let process = Process()
        process.executableURL = try S2SCommand.binaryURL()
        process.arguments = trainArguments(model, steps: 10_000_000)
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: model + ".log.jsonl") && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        Thread.sleep(forTimeInterval: 0.5)
        kill(process.processIdentifier, SIGHUP)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, "ended by s2s, not by the signal")
        XCTAssertEqual(process.terminationStatus, 130)
        let (_, metadata) = try ModelFile.load(model + ".ckpt")
        XCTAssertFalse(try XCTUnwrap(metadata["s2s.training.state"]).contains("\"step\":0,"))
    }
}
