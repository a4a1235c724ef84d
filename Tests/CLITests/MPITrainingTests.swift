// Training over several processes with `mpirun`, end to end through the built binary: two processes give
// the parameters one process gives; a run resumes with another process count; the ranks stop together on
// a signal or at the time budget and save; a dead rank ends the job, and a hung one ends it with a clear
// message instead of blocking it forever; ranks that read different data refuse to train; and one run
// crosses a real network stack, between two network namespaces joined by a veth pair. Skipped, with a
// message, when Open MPI's mpirun is not installed.
//
// Open MPI refuses to start as root and to start more ranks than cores unless told; the tests run as root
// in CI and on 2-core machines, hence --allow-run-as-root and --oversubscribe on every mpirun.
import Foundation
import S2SNet
import XCTest

final class MPITrainingTests: XCTestCase {
    static let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-mpi-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        let (src, tgt) = syntheticCorpus(count: 240, words: 30, seed: 777)  // batches of 16
        writeLines(src, to: d, "a.en"); writeLines(tgt, to: d, "a.fr")
        writeLines(src.reversed(), to: d, "b.en"); writeLines(tgt.reversed(), to: d, "b.fr")
        return d
    }()

    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Small enough to take a second per run in a debug build; dropout on, so the ranks' random numbers matter.
    static func train(_ model: String, steps: Int, seed: Int = 1, data: String = "a") -> [String] {
        ["train", path("\(data).en"), path("\(data).fr"), "--dev-src", path("a.en"), "--dev-tgt", path("a.fr"),
         "--embed", "16", "--hidden", "24", "--attention", "16", "--bpe", "0", "--min-count", "1", "--batch-size", "16",
         "--dropout", "0.2", "--lr", "0.01", "--seed", "\(seed)", "--steps", "\(steps)", "--valid-every", "1000",
         "--model", path(model)]
    }

    static let mpirun: String? = ["/usr/bin/mpirun", "/usr/local/bin/mpirun"].first { FileManager.default.isExecutableFile(atPath: $0) }

    override func setUpWithError() throws {
        try XCTSkipIf(Self.mpirun == nil, "mpirun is not installed: Scripts/install-deps.sh installs Open MPI (openmpi-bin, libopenmpi-dev)")
    }

    /// `mpirun [mpiArguments] -np N s2s arguments…` (or an MPMD list of rank groups); waits, with a deadline.
    @discardableResult
    func mpirun(_ groups: [(ranks: Int, arguments: [String])], mpiArguments: [String] = [], prefix: [String] = [],
                timeout: TimeInterval = 180, file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        let process = try startMPI(groups, mpiArguments: mpiArguments, prefix: prefix)
        return try wait(process, timeout: timeout)
    }

    var outputs: [ObjectIdentifier: URL] = [:]

    func startMPI(_ groups: [(ranks: Int, arguments: [String])], mpiArguments: [String] = [], prefix: [String] = []) throws -> Process {
        let s2s = try S2SCommand.binaryURL().path
        var arguments = prefix + [Self.mpirun!, "--allow-run-as-root", "--oversubscribe"] + mpiArguments
        for (k, group) in groups.enumerated() {
            if k > 0 { arguments.append(":") }
            arguments += ["-np", "\(group.ranks)", s2s] + group.arguments
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Self.dir.appendingPathComponent("mpirun-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        outputs[ObjectIdentifier(process)] = out
        return process
    }

    func wait(_ process: Process, timeout: TimeInterval) throws -> CommandResult {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(-process.processIdentifier, SIGKILL)
            process.terminate()
            throw CommandError(message: "mpirun ran longer than \(timeout) s")
        }
        let text = (try? String(contentsOf: outputs[ObjectIdentifier(process)]!, encoding: .utf8)) ?? ""
        return CommandResult(stdout: text, stderr: text, status: process.terminationStatus)
    }

    /// ‖a − b‖ / ‖b‖ over the model parameters of two checkpoints (optimizer moments aside).
    func relativeDifference(_ a: String, _ b: String) throws -> Double {
        let (ma, _) = try ModelFile.load(Self.path(a)), (mb, _) = try ModelFile.load(Self.path(b))
        XCTAssertEqual(ma.params.count, mb.params.count)
        var num = 0.0, den = 0.0
        for i in 0..<min(ma.params.count, mb.params.count) {
            let x = Double(ma.params.values[i]), y = Double(mb.params.values[i])
            num += (x - y) * (x - y)
            den += y * y
        }
        return (num / max(den, 1e-30)).squareRoot()
    }

    /// The same measure over two checkpoints' smoothed parameters (what validation and the saved model use).
    func smoothedDifference(_ a: String, _ b: String) throws -> Double {
        func smoothed(_ name: String) throws -> [Float] {
            let (m, _) = try ModelFile.load(Self.path(name))
            var config = AdamConfig()
            config.smoothing = 1e-3
            let adam = Adam(parameterCount: m.params.count, config: config)
            try ModelFile.loadOptimizer(Self.path(name), model: m, into: adam)
            return Array(UnsafeBufferPointer(start: adam.smoothed!, count: m.params.count))
        }
        let x = try smoothed(a), y = try smoothed(b)
        var num = 0.0, den = 0.0
        for (p, q) in zip(x, y) { num += Double(p - q) * Double(p - q); den += Double(q) * Double(q) }
        return (num / max(den, 1e-30)).squareRoot()
    }

    func testTwoProcessesLearnWhatOneProcessLearnsAndResumeWithAnotherCount() throws {
        let one = try S2SCommand.run(Self.train("one.s2s", steps: 20) + ["--threads", "2"], timeout: 180)
        XCTAssertEqual(one.status, 0, one.stderr)
        let two = try mpirun([(2, Self.train("two.s2s", steps: 20) + ["--threads", "1"])])
        XCTAssertEqual(two.status, 0, two.stdout)
        XCTAssertTrue(two.stdout.contains("2 processes × 1 thread"), two.stdout)
        XCTAssertTrue(two.stdout.contains("after 20 steps"), two.stdout)
        XCTAssertEqual(two.stdout.components(separatedBy: "stopped:").count - 1, 1, "only rank 0 reports: \(two.stdout)")
        XCTAssertLessThanOrEqual(try relativeDifference("two.s2s.ckpt", "one.s2s.ckpt"), 1e-5)

        // 10 steps on 2 processes, checkpointing at every step (each one gathers the optimizer's shards),
        // then 10 more on 1 process: the same 20 steps.
        let first = try mpirun([(2, Self.train("mixed.s2s", steps: 10) + ["--threads", "1", "--checkpoint-minutes", "0.00001"])])
        XCTAssertEqual(first.status, 0, first.stdout)
        let rest = try S2SCommand.run(Self.train("mixed.s2s", steps: 20) + ["--resume", "--threads", "2"], timeout: 180)
        XCTAssertEqual(rest.status, 0, rest.stderr)
        XCTAssertTrue(rest.stderr.contains("resuming from"), rest.stderr)
        XCTAssertLessThanOrEqual(try relativeDifference("mixed.s2s.ckpt", "one.s2s.ckpt"), 1e-5)

        // Rank 1 resumes from a stale copy of the checkpoint (step 5, not 10) and has more threads than
        // rank 0: rank 0's state and the fewest workers win, and the run is still the same 20 steps.
        let stale = try S2SCommand.run(Self.train("stale.s2s", steps: 5) + ["--threads", "2"], timeout: 180)
        XCTAssertEqual(stale.status, 0, stale.stderr)
        for suffix in ["", ".ckpt"] {
            try? FileManager.default.removeItem(atPath: Self.path("copy.s2s" + suffix))
        }
        _ = try S2SCommand.run(Self.train("copy.s2s", steps: 10) + ["--threads", "2"], timeout: 180)
        let skewed = try mpirun([(1, Self.train("copy.s2s", steps: 20) + ["--resume", "--threads", "1"]),
                                 (1, Self.train("stale.s2s", steps: 20) + ["--resume", "--threads", "2"])])
        XCTAssertEqual(skewed.status, 0, skewed.stdout)
        XCTAssertLessThanOrEqual(try relativeDifference("copy.s2s.ckpt", "one.s2s.ckpt"), 1e-5)
        // The smoothed copy too: rank 1's stale one (of step 5) must not leak into the shards.
        XCTAssertLessThanOrEqual(try smoothedDifference("copy.s2s.ckpt", "one.s2s.ckpt"), 1e-5)
        XCTAssertLessThanOrEqual(try smoothedDifference("two.s2s.ckpt", "one.s2s.ckpt"), 1e-5)
        XCTAssertGreaterThan(try smoothedDifference("stale.s2s.ckpt", "one.s2s.ckpt"), 1e-3)

        // The measure can tell models apart: another seed gives other parameters.
        let other = try S2SCommand.run(Self.train("seed2.s2s", steps: 20, seed: 2) + ["--threads", "2"], timeout: 180)
        XCTAssertEqual(other.status, 0, other.stderr)
        XCTAssertGreaterThan(try relativeDifference("seed2.s2s.ckpt", "one.s2s.ckpt"), 1e-2)
    }

    /// The pids of the ranks mpirun started (its children on this host).
    func ranks(of mpirun: Process) -> [pid_t] {
        let pid = mpirun.processIdentifier
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            // /usr/bin/env execs mpirun, so mpirun has env's pid; the ranks are its children.
            let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
            let pids = children.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if pids.count == 2 { return pids }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return []
    }

    /// Waits until rank 0 has begun training (its log exists) and a little more.
    func waitForTraining(_ model: String) {
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: Self.path(model + ".log.jsonl")) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 1)
    }

    /// Two ranks training `model` without end, once under way; then `signal` to rank 1 (the last child).
    func runUntilSignalled(_ model: String, _ extra: [String] = [], signal: Int32) throws -> (mpirun: Process, ranks: [pid_t]) {
        let process = try startMPI([(2, Self.train(model, steps: 10_000_000) + ["--threads", "1"] + extra)])
        let pids = ranks(of: process)
        XCTAssertEqual(pids.count, 2)
        waitForTraining(model)
        kill(pids.last!, signal)
        return (process, pids)
    }

    func testASignalToOneRankStopsAllTogetherWithACheckpoint() throws {
        let (process, _) = try runUntilSignalled("sig.s2s", signal: SIGTERM)
        let result = try wait(process, timeout: 120)
        XCTAssertEqual(result.status, 130, result.stdout)
        XCTAssertTrue(result.stdout.contains("checkpoint saved to"), result.stdout)
        let (_, metadata) = try ModelFile.load(Self.path("sig.s2s.ckpt"))
        let state = try XCTUnwrap(metadata["s2s.training.state"])
        XCTAssertFalse(state.contains("\"step\":0,"), "the checkpoint holds trained steps: \(state)")
        let log = try String(contentsOfFile: Self.path("sig.s2s.log.jsonl"), encoding: .utf8)
        XCTAssertTrue(log.contains("\"reason\":\"interrupted\""), log)
    }

    func testAHungRankEndsTheJobWithAMessage() throws {
        // SIGSTOP: hung, not dead, so only the watchdog notices.
        let (process, pids) = try runUntilSignalled("hung.s2s", ["--mpi-timeout", "3"], signal: SIGSTOP)
        defer { for pid in pids { kill(pid, SIGKILL) } }
        let started = Date()
        let result = try wait(process, timeout: 60)
        XCTAssertNotEqual(result.status, 0, result.stdout)
        XCTAssertTrue(result.stdout.contains("waited 3 s in MPI_"), result.stdout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
    }

    func testADeadRankEndsTheJob() throws {
        let (process, pids) = try runUntilSignalled("dead.s2s", signal: SIGKILL)
        defer { kill(pids.first!, SIGKILL) }
        let started = Date()
        let result = try wait(process, timeout: 60)
        XCTAssertNotEqual(result.status, 0, result.stdout)
        XCTAssertTrue(result.stdout.contains("exited on signal 9"), result.stdout)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "the surviving rank was not left waiting")
    }

    func testTheTimeBudgetStopsAllRanksTogether() throws {
        let result = try mpirun([(2, Self.train("time.s2s", steps: 10_000_000) + ["--threads", "1", "--minutes", "0.05"])])
        XCTAssertEqual(result.status, 0, result.stdout)
        XCTAssertTrue(result.stdout.contains("stopped: time budget reached"), result.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: Self.path("time.s2s.ckpt")))
    }

    func testRanksThatReadDifferentDataRefuseToTrain() throws {
        let result = try mpirun([(1, Self.train("diff.s2s", steps: 5) + ["--threads", "1"]),
                                 (1, Self.train("diff.s2s", steps: 5, data: "b") + ["--threads", "1"])])
        XCTAssertNotEqual(result.status, 0, result.stdout)
        XCTAssertTrue(result.stdout.contains("read different data or built different vocabularies"), result.stdout)
    }

    /// Two "hosts": network namespaces joined by a veth pair, one rank in each, over TCP only. mpirun runs in
    /// the first and starts the second rank's daemon through an rsh agent that enters the other namespace,
    /// as ssh would enter another machine. Needs root and iproute2.
    func testTrainingAcrossTwoNetworkNamespaces() throws {
        try XCTSkipIf(getuid() != 0, "network namespaces need root")
        try XCTSkipIf(!FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") && !FileManager.default.isExecutableFile(atPath: "/sbin/ip"),
                      "iproute2's ip is not installed")
        let tag = String(getpid() % 10000), a = "s2s-a\(tag)", b = "s2s-b\(tag)"
        let subnet = "10.\(77 + getpid() % 100).0"
        func ip(_ args: String) throws {
            let r = try shell("ip " + args)
            if r.status != 0 { throw CommandError(message: "ip \(args): \(r.stdout)") }
        }
        defer { _ = try? shell("ip netns del \(a); ip netns del \(b)") }
        do {
            try ip("netns add \(a)")
            try ip("netns add \(b)")
            try ip("link add v\(a) type veth peer name v\(b)")
            try ip("link set v\(a) netns \(a)")
            try ip("link set v\(b) netns \(b)")
            try ip("-n \(a) addr add \(subnet).1/24 dev v\(a)")
            try ip("-n \(b) addr add \(subnet).2/24 dev v\(b)")
            for (ns, dev) in [(a, "v\(a)"), (b, "v\(b)")] {
                try ip("-n \(ns) link set \(dev) up")
                try ip("-n \(ns) link set lo up")
            }
        } catch {
            throw XCTSkip("cannot make network namespaces here: \(error)")
        }
        let agent = Self.path("netns-agent")
        try """
            #!/bin/sh
            # rsh agent for mpirun: "HOST COMMAND…" runs COMMAND in that host's network namespace.
            host="$1"; shift
            case "$host" in
              \(subnet).1) ns=\(a) ;;
              \(subnet).2) ns=\(b) ;;
              *) echo "netns-agent: unknown host $host" >&2; exit 1 ;;
            esac
            exec ip netns exec "$ns" sh -c "$*"

            """.write(toFile: agent, atomically: true, encoding: .utf8)
        chmod(agent, 0o755)
        let before = try receivedBytes(namespace: b, device: "v\(b)")
        let result = try mpirun([(2, Self.train("veth.s2s", steps: 20) + ["--threads", "1"])],
                                mpiArguments: ["--host", "\(subnet).1,\(subnet).2", "--mca", "plm_rsh_agent", agent,
                                               "--mca", "btl", "tcp,self", "--mca", "btl_tcp_if_include", "\(subnet).0/24",
                                               "--mca", "oob_tcp_if_include", "\(subnet).0/24"],
                                prefix: ["ip", "netns", "exec", a])
        XCTAssertEqual(result.status, 0, result.stdout)
        let received = try receivedBytes(namespace: b, device: "v\(b)") - before
        // Each of the 20 steps brings half the gradient (reduce-scatter) and half the parameters (allgather)
        // across the link, a whole gradient's worth of bytes; ask for at least half of that.
        let (model, _) = try ModelFile.load(Self.path("veth.s2s.ckpt"))
        XCTAssertGreaterThan(received, 20 * model.params.count * 4 / 2, "bytes received over the veth pair")
        let one = try S2SCommand.run(Self.train("veth-one.s2s", steps: 20) + ["--threads", "2"], timeout: 180)
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertLessThanOrEqual(try relativeDifference("veth.s2s.ckpt", "veth-one.s2s.ckpt"), 1e-5)
    }

    func receivedBytes(namespace: String, device: String) throws -> Int {
        let r = try shell("ip -n \(namespace) -s -j link show dev \(device)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        let stats = json?.first?["stats64"] as? [String: Any], rx = stats?["rx"] as? [String: Any]
        return try XCTUnwrap(rx?["bytes"] as? Int, r.stdout)
    }

    func shell(_ command: String) throws -> CommandResult { try S2SCommand.shell(command) }
}
