// `s2s serve`: runs the translation service, `s2s-serve`, a program of its own beside `s2s`. The HTTP stack
// (SwiftNIO, Hummingbird) takes minutes to build on a small machine, so `s2s` does not link it: `make
// demo` stays quick, and the server is built by `make serve`, or here on first use from the source tree
// this `s2s` was built from.
import ArgumentParser
import Foundation

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve translations over HTTP: a JSON API, a web page, health and Prometheus metrics.",
        usage: "s2s serve [--model <path>] [--host <host>] [--port <port>] [<server options> ...]",
        discussion: """
            Runs the server program s2s-serve (built by `make serve`, or now if it is missing) with \
            these arguments; without --model it serves the model `s2s translate` would use. \
            `s2s serve --help` lists every option of the server.

              s2s serve --model en-fr.s2s --port 8080
              curl -s localhost:8080/v1/translate -d '{"text": "I speak French"}'
              open http://localhost:8080/ for the web page
            """
    )

    @Argument(parsing: .captureForPassthrough, help: "Options for s2s-serve (see `s2s serve --help`).")
    var arguments: [String] = []

    func run() throws {
        var forwarded = arguments
        let asksForHelp = forwarded.contains { ["--help", "-h", "help"].contains($0) }
        if !asksForHelp && !forwarded.contains(where: { $0 == "--model" || $0.hasPrefix("--model=") }) {
            forwarded = ["--model", try ModelLocation.resolve(nil)] + forwarded
        }
        let server = try Self.serverBinary()
        let argv = ([server] + forwarded).map { strdup($0) } + [nil]
        // The server replaces this process, so signals (Ctrl-C, SIGTERM) and the exit status are its own.
        execv(server, argv)
        throw ServeError(description: "cannot run \(server): \(String(cString: strerror(errno)))")
    }

    /// s2s-serve beside this executable, else built from the source tree this `s2s` came from.
    static func serverBinary() throws -> String {
        let own = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let beside = own.appendingPathComponent("s2s-serve").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) else {
            throw ServeError(description: "the server program s2s-serve is not installed beside \(own.path)/s2s; build it with `make serve` in the s2s source tree, then `make install`")
        }
        FileHandle.standardError.write(Data("s2s serve: building the server program (first use; 2–5 minutes) …\n".utf8))
        let swift = Process()
        swift.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        swift.arguments = ["swift", "build", "-c", "release", "--product", "s2s-serve", "--package-path", root.path]
        swift.standardOutput = FileHandle.standardError
        try swift.run()
        swift.waitUntilExit()
        let built = root.appendingPathComponent(".build/release/s2s-serve").path
        guard swift.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: built) else {
            throw ServeError(description: "building s2s-serve failed (see above); try `make serve` in \(root.path)")
        }
        return built
    }
}

struct ServeError: Error, CustomStringConvertible {
    let description: String
}
