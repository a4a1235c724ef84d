// `s2s-serve`: the translation service's executable. `s2s serve` runs it (it lives beside `s2s`); it is a
// program of its own so that `s2s` does not link SwiftNIO, whose build would double `make demo`'s.
import ArgumentParser
import Foundation
import Logging
import S2SNet
import S2SServe

@main
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s2s serve",
        abstract: "Serve translations over HTTP: a JSON API, a web page, health and Prometheus metrics.",
        discussion: """
            Routes:
              POST /v1/translate  {"text": "I speak French"} or {"texts": [...]},
                                  optionally "beam", "nbest", "alignment"; answers
                                  {"translations": [{"text", "score", ...}], "time_ms"}
              GET  /              a web page: translate and see each sentence's attention
              GET  /health        200 once the model is loaded
              GET  /v1/model      the model's configuration, vocabularies, training summary
              GET  /metrics       Prometheus metrics: requests, sentences, errors, batches

            Sentences of concurrent requests are translated together: a batch closes at --max-batch \
            sentences, or once its oldest sentence has waited --max-wait milliseconds while another \
            batch is being decoded. One worker per core (--workers), each single-threaded.

            Example:
              s2s serve --model en-fr.s2s --port 8080
              curl -s localhost:8080/v1/translate -d '{"text": "I speak French"}'

            Limits: a body over --max-body-bytes or more than --max-texts texts gets 413, a text over \
            --max-characters 400, and a request that would queue more than --max-queued texts 503 \
            with Retry-After. Errors are JSON: {"error": {"code", "message"}}.

            One log line per request goes to standard error; the first line names the model and \
            OpenBLAS's kernel. SIGINT (Ctrl-C) or SIGTERM stops accepting connections, finishes the \
            requests in flight and exits 0.
            """
    )

    static func main() async {
        // Before anything else, as `s2s` does: OpenBLAS's kernel can only change by starting again.
        OpenBLASKernel.reloadIfForcedToWeakerKernel()
        do {
            var command = try parseAsRoot()
            // As in `s2s`: the test that keeps every documented example working stops after validation.
            if ProcessInfo.processInfo.environment["S2S_CHECK_ARGUMENTS"] == "1" { return }
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    @Option(help: ArgumentHelp("The model file written by `s2s train`.", valueName: "path"))
    var model: String

    @Option(help: "Address to listen on (0.0.0.0 for every interface).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port; the one chosen is printed).")
    var port = 8080

    @Option(help: "Decoding workers (default: one per core).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Most sentences translated together.")
    var maxBatch = BatchingOptions().maxBatch

    @Option(help: ArgumentHelp("Longest a sentence waits for others to join its batch (only while another batch is being decoded).", valueName: "ms"))
    var maxWait = BatchingOptions().maxWaitMilliseconds

    @Option(help: "Default beam width (a request may set its own with \"beam\").")
    var beam = 5

    @Option(help: ArgumentHelp("Arithmetic of the output layer: int8 (faster, about the same BLEU), float32, or auto: int8 where the CPU has VNNI instructions.", valueName: "auto|float32|int8"))
    var precision = OutputPrecision.auto

    @Flag(help: "Score every target piece, even when the model file has a lexical shortlist.")
    var noShortlist = false

    @Option(help: "Largest request body, in bytes (larger: 413).")
    var maxBodyBytes = ServeLimits().maxBodyBytes

    @Option(help: "Most texts in one request (more: 413).")
    var maxTexts = ServeLimits().maxTexts

    @Option(help: "Most characters in one text (more: 400).")
    var maxCharacters = ServeLimits().maxCharacters

    @Option(help: "Widest beam a request may ask for (wider: 400).")
    var maxBeam = ServeLimits().maxBeam

    @Option(help: "Most texts waiting to be translated; a request that would go over gets 503 and Retry-After (at least --max-texts).")
    var maxQueued = ServeLimits().maxQueuedTexts

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if workers < 1 { throw ValidationError("--workers must be at least 1") }
        if maxBatch < 1 { throw ValidationError("--max-batch must be at least 1") }
        if maxWait < 0 { throw ValidationError("--max-wait must not be negative") }
        if beam < 1 || beam > maxBeam { throw ValidationError("--beam must be between 1 and --max-beam (\(maxBeam))") }
        do { try precision.checkAvailable() } catch { throw ValidationError("\(error)") }
        if maxBodyBytes < 64 || maxTexts < 1 || maxCharacters < 1 {
            throw ValidationError("--max-body-bytes (≥ 64), --max-texts and --max-characters (≥ 1) must be positive")
        }
        if maxQueued < maxTexts { throw ValidationError("--max-queued must be at least --max-texts (\(maxTexts)), or some requests could never be served") }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
    }

    func run() async throws {
        var config = ServeConfiguration(modelPath: model)
        config.host = host
        config.port = port
        config.batching.workers = workers
        config.batching.maxBatch = maxBatch
        config.batching.maxWaitMilliseconds = maxWait
        config.search.beam = beam
        config.search.precision = precision
        config.search.shortlist = !noShortlist
        config.limits.maxBodyBytes = maxBodyBytes
        config.limits.maxTexts = maxTexts
        config.limits.maxCharacters = maxCharacters
        config.limits.maxBeam = maxBeam
        config.limits.maxQueuedTexts = maxQueued
        var logger = Logger(label: "s2s-serve")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let host = self.host, model = self.model
        // A model that does not load throws the error `s2s translate` gives, printed the same way by main.
        try await TranslationServer.run(config, logger: logger) { port in
            // Tests and scripts wait for this line (with --port 0 it is the only way to learn the port).
            FileHandle.standardOutput.write(Data("s2s-serve listening on http://\(host):\(port) (model \(model))\n".utf8))
        }
    }
}

extension OutputPrecision: ExpressibleByArgument {}
