// End to end through the built binary: train a tiny model on a tiny corpus, translate with it (argument,
// filter mode with empty lines, n-best), evaluate, resume, interrupt with SIGINT, and the errors users
// get for bad input. The corpus is a made-up language pair the tiny model can learn in seconds.
import Foundation
import XCTest

final class TrainTranslateTests: XCTestCase {
    /// A word-for-word "language": source word sN maps to target word tN, and the order is reversed.
    static func corpus() -> (src: [String], tgt: [String]) {
        var src: [String] = [], tgt: [String] = []
        var x: UInt64 = 12345
        func next() -> Int { x = x &* 6364136223846793005 &+ 1442695040888963407; return Int(x >> 33) }
        while src.count < 30 {
            let words = (0..<(2 + next() % 4)).map { _ in next() % 12 }
            let s = words.map { "s\($0)" }.joined(separator: " ") + "."
            if src.contains(s) { continue }
            src.append(s)
            tgt.append(words.reversed().map { "t\($0)" }.joined(separator: " ") + ".")
        }
        return (src, tgt)
    }

    static let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-cli-train-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        let (src, tgt) = corpus()
        try! (src.joined(separator: "\n") + "\n").write(to: d.appendingPathComponent("train.en"), atomically: true, encoding: .utf8)
        try! (tgt.joined(separator: "\n") + "\n").write(to: d.appendingPathComponent("train.fr"), atomically: true, encoding: .utf8)
        return d
    }()

    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    static let tinyModel = ["--embed", "16", "--hidden", "32", "--attention", "16", "--dropout", "0", "--lr", "0.01",
                            "--bpe", "0", "--min-count", "1", "--batch-size", "10", "--seed", "3", "--threads", "1"]

    /// Trains once for all tests in this class.
    static let trained: CommandResult = {
        try! S2SCommand.run(["train", path("train.en"), path("train.fr"), "--dev-src", path("train.en"),
                             "--dev-tgt", path("train.fr"), "--epochs", "120", "--valid-every", "120",
                             "--model", path("m.s2s")] + tinyModel, timeout: 600)
    }()

    func testTrainingWritesModelCheckpointAndLog() throws {
        let r = Self.trained
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("validation at step"), r.stderr)
        for f in ["m.s2s", "m.s2s.ckpt", "m.s2s.log.jsonl"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: Self.path(f)), "\(f) missing")
        }
        let log = try String(contentsOfFile: Self.path("m.s2s.log.jsonl"), encoding: .utf8)
        let rows = log.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertTrue(rows.contains { $0["type"] as? String == "validation" })
        let last = rows.last { $0["type"] as? String == "validation" }!
        XCTAssertGreaterThan(last["dev_bleu"] as! Double, 90, "the tiny model should learn its training set")
        // Memory phase by phase, in order, each peak at least the one before; the run's summary has both
        // throughputs, the wall-clock one (validations included) never above the steps-only one.
        let marks = rows.filter { $0["type"] as? String == "memory" }
        XCTAssertEqual(marks.map { $0["phase"] as! String }, [
            "reading and vocabularies", "encoding", "shortlist", "the first steps", "training to the first validation",
            "the first validation", "the whole run"].filter { phase in
                phase != "the first steps" || marks.contains { $0["phase"] as? String == phase } })
        let peaks = marks.map { $0["peak_rss_mb"] as! Double }
        XCTAssertEqual(peaks, peaks.sorted())
        XCTAssertGreaterThan(peaks.first ?? 0, 1)
        let summary = rows.last { $0["type"] as? String == "summary" }!
        let wall = summary["wall_pairs_per_s"] as! Double, steps = summary["pairs_per_s"] as! Double
        XCTAssertGreaterThan(wall, 0)
        XCTAssertLessThanOrEqual(wall, steps)
    }

    func testTranslateArgumentAndFilterModeKeepLineAlignment() throws {
        XCTAssertEqual(Self.trained.status, 0, Self.trained.stderr)
        let (src, tgt) = Self.corpus()
        let one = try S2SCommand.run(["translate", "--model", Self.path("m.s2s"), src[0]])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(one.stdoutLines, [tgt[0]])

        let input = [src[1], "", src[2], "", "", src[3]].joined(separator: "\n") + "\n"
        let piped = try S2SCommand.run(["translate", "--model", Self.path("m.s2s"), "--beam", "3"], stdin: input)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stdoutLines, [tgt[1], "", tgt[2], "", "", tgt[3]])

        let nbest = try S2SCommand.run(["translate", "--model", Self.path("m.s2s"), "--beam", "4", "--nbest", "3", src[4]])
        XCTAssertEqual(nbest.status, 0, nbest.stderr)
        XCTAssertEqual(nbest.stdoutLines.count, 3)
        XCTAssertTrue(nbest.stdoutLines[0].hasPrefix("0 ||| \(tgt[4]) ||| "), nbest.stdout)
        let scores = nbest.stdoutLines.map { Double($0.components(separatedBy: " ||| ")[2])! }
        XCTAssertEqual(scores, scores.sorted(by: >))
        // Moses n-best lists: sentence IDs are 0-based input line numbers, empty lines included.
        let lines = try S2SCommand.run(["translate", "--model", Self.path("m.s2s"), "--beam", "2", "--nbest", "2"],
                                       stdin: [src[0], "", src[1]].joined(separator: "\n") + "\n")
        XCTAssertEqual(lines.stdoutLines.map { $0.components(separatedBy: " ||| ")[0] }, ["0", "0", "1", "2", "2"], lines.stdout)
    }

    /// `s2s train` stores a shortlist; `s2s shortlist` relearns one with other sizes. On this word-for-word
    /// language one target word per source word (K = 1, no frequent words) is enough to translate the
    /// training set exactly as the full vocabulary does; `--no-shortlist` gives the same.
    func testShortlistIsStoredRelearnedAndUsed() throws {
        XCTAssertEqual(Self.trained.status, 0, Self.trained.stderr)
        XCTAssertTrue(Self.trained.stderr.contains("shortlist: 50 target pieces per source piece"), Self.trained.stderr)
        let header = { (path: String) in
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)).prefix(200_000), as: UTF8.self)
        }
        XCTAssertTrue(try header(Self.path("m.s2s")).contains("s2s-shortlist v1 50 "))
        let r = try S2SCommand.run(["shortlist", "--model", Self.path("m.s2s"), "--pieces", "1", "--frequent", "0",
                                    "--output", Self.path("k1.s2s"), Self.path("train.en"), Self.path("train.fr")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("1.0 target pieces per source piece seen (at most 1)"), r.stderr)
        XCTAssertTrue(try header(Self.path("k1.s2s")).contains("s2s-shortlist v1 1 0"))
        let (src, tgt) = Self.corpus()
        let input = src.joined(separator: "\n") + "\n"
        for extra in [[], ["--no-shortlist"]] {
            let out = try S2SCommand.run(["translate", "--model", Self.path("k1.s2s")] + extra, stdin: input)
            XCTAssertEqual(out.status, 0, out.stderr)
            XCTAssertEqual(out.stdoutLines, tgt, "\(extra)")
        }
        let missing = try S2SCommand.run(["shortlist", "--model", Self.path("m.s2s"), Self.path("nothing.en"), Self.path("train.fr")])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nothing.en"), missing.stderr)
    }

    func testEvaluateScoresTheTrainingSet() throws {
        XCTAssertEqual(Self.trained.status, 0, Self.trained.stderr)
        let r = try S2SCommand.run(["evaluate", "--model", Self.path("m.s2s"), Self.path("train.en"), Self.path("train.fr"), "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        XCTAssertGreaterThan(json["bleu"] as! Double, 90)
        XCTAssertGreaterThan(json["sentences_per_second"] as! Double, 0)
    }

    func testResumeContinuesFromTheCheckpoint() throws {
        XCTAssertEqual(Self.trained.status, 0, Self.trained.stderr)
        try FileManager.default.copyItem(atPath: Self.path("m.s2s.ckpt"), toPath: Self.path("r.s2s.ckpt"))
        let r = try S2SCommand.run(["train", Self.path("train.en"), Self.path("train.fr"), "--resume", "--epochs", "125",
                                    "--model", Self.path("r.s2s"), "--threads", "1"], timeout: 300)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("resuming from"), r.stderr)
        XCTAssertTrue(r.stderr.contains("after 375 steps"), "120 epochs × 3 batches, then 5 more epochs: \(r.stderr)")
    }

    func testInterruptWritesACheckpointAndExits130() throws {
        let process = Process()
        process.executableURL = try S2SCommand.binaryURL()
        process.arguments = ["train", Self.path("train.en"), Self.path("train.fr"), "--epochs", "100000",
                             "--model", Self.path("int.s2s")] + Self.tinyModel
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait until training is under way (the log exists), then interrupt.
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: Self.path("int.s2s.log.jsonl")) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.5)
        process.interrupt()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.path("int.s2s.ckpt")), "no checkpoint after SIGINT")
    }

    func testBadInputGivesOneLineErrors() throws {
        func fails(_ args: [String], mentioning: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let r = try S2SCommand.run(args)
            XCTAssertNotEqual(r.status, 0, "should fail: \(args)", file: file, line: line)
            XCTAssertTrue(r.stderr.contains(mentioning), "expected '\(mentioning)' in: \(r.stderr)", file: file, line: line)
        }
        try fails(["translate", "--model", Self.path("missing.s2s"), "hello"], mentioning: "missing.s2s")
        let corrupt = Self.path("corrupt.s2s")
        try Data((0..<300).map { UInt8($0 % 251) }).write(to: URL(fileURLWithPath: corrupt))
        try fails(["translate", "--model", corrupt, "hello"], mentioning: "corrupt.s2s")
        let short = Self.path("short.fr")
        try "t1.\n".write(toFile: short, atomically: true, encoding: .utf8)
        try fails(["train", Self.path("train.en"), short, "--model", Self.path("x.s2s")], mentioning: "short.fr")
        try fails(["train", Self.path("nope.en"), Self.path("nope.fr"), "--model", Self.path("y.s2s")], mentioning: "nope.en")
        try fails(["train", "--dev-src", "a.en"], mentioning: "--dev-tgt")
        try fails(["train", "--lr", "-1"], mentioning: "--lr")
        try fails(["translate", "--beam", "0", "x"], mentioning: "--beam")
        try fails(["train", Self.path("train.en"), Self.path("train.fr"), "--model", "/nonexistent-dir/m.s2s"], mentioning: "nonexistent-dir")
        // An existing model is not overwritten without --overwrite.
        let existing = Self.path("keep.s2s")
        try "precious".write(toFile: existing, atomically: true, encoding: .utf8)
        try fails(["train", Self.path("train.en"), Self.path("train.fr"), "--model", existing], mentioning: "already exists")
        XCTAssertEqual(try String(contentsOfFile: existing, encoding: .utf8), "precious")
    }
}
