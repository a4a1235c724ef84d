// Running the built `s2s` binary from tests: find it, run it, capture what it prints.
//
// Usage, from any test in this target:
//     let result = try S2SCommand.run(["score", fixturePath("eval/french.hyp"), fixturePath("eval/french.ref")])
//     XCTAssertEqual(result.status, 0, result.stderr)
//     XCTAssertTrue(result.stdout.hasPrefix("BLEU = "))
//     let piped = try S2SCommand.run(["score", "-", ref], stdin: "one line\n")
// `swift test` builds `s2s` because this target depends on it, into the same directory as the test
// bundle (<scratch-path>/<triple>/debug), so that is where we look; any --scratch-path works.
// Set S2S_BINARY=/path/to/s2s to test another build.
import Foundation
import XCTest

/// What one run of `s2s` did.
struct CommandResult {
    /// Everything written to standard output / standard error, decoded as UTF-8.
    let stdout: String
    let stderr: String
    /// The exit status (or the signal number, if it was killed).
    let status: Int32

    /// Standard output split into lines, without the final empty line after a trailing newline.
    var stdoutLines: [String] {
        var lines = stdout.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

enum S2SCommand {
    /// The `s2s` executable that `swift test` built next to this test bundle.
    static func binaryURL() throws -> URL {
        if let override = ProcessInfo.processInfo.environment["S2S_BINARY"] {
            return URL(fileURLWithPath: override)
        }
        // The test bundle (a directory on macOS, an executable on Linux) sits in the build directory.
        var candidates: [URL] = Bundle.allBundles
            .filter { $0.bundlePath.hasSuffix(".xctest") }
            .map { $0.bundleURL.deletingLastPathComponent() }
        candidates.append(Bundle.main.bundleURL)
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for directory in candidates {
            let binary = directory.appendingPathComponent("s2s")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        throw CommandError(message: "no s2s binary next to the test bundle (looked in "
            + candidates.map(\.path).joined(separator: ", ") + "); run `swift build` or set S2S_BINARY")
    }

    /// Runs `s2s arguments…`, feeding `stdin` (or nothing) to its standard input, and waits for it.
    /// `environment` sets (or, with nil, removes) variables on top of this process's environment.
    /// Throws if it cannot start or runs longer than `timeout` seconds (then it is killed).
    static func run(
        _ arguments: [String], stdin: String? = nil, workingDirectory: String? = nil,
        environment: [String: String?] = [:], timeout: TimeInterval = 120
    ) throws -> CommandResult {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("s2s-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        // Files, not pipes: a pipe that fills up would block the child while we wait for it.
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }

        let process = Process()
        process.executableURL = try binaryURL()
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let inURL = scratch.appendingPathComponent("stdin")
            try Data(stdin.utf8).write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        if !environment.isEmpty {
            var env = ProcessInfo.processInfo.environment
            for (key, value) in environment { env[key] = value }
            process.environment = env
        }
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }

        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            process.waitUntilExit()
            throw CommandError(message: "s2s \(arguments.joined(separator: " ")) ran longer than \(timeout) s")
        }
        return CommandResult(
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
            status: process.terminationStatus)
    }
}

extension S2SCommand {
    /// Runs `command` with /bin/sh, standard output and error together.
    static func shell(_ command: String) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        return CommandResult(stdout: text, stderr: text, status: process.terminationStatus)
    }
}

struct CommandError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Absolute path of `relative` inside Tests/Fixtures, found from this source file's location.
func fixturePath(_ relative: String, filePath: StaticString = #filePath) -> String {
    URL(fileURLWithPath: "\(filePath)")
        .deletingLastPathComponent()  // CLITests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")
        .appendingPathComponent(relative).path
}
