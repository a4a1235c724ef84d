// `s2s evaluate`: translate a test set with a model and score it against references (BLEU, chrF),
// reporting speed as well.
import ArgumentParser
import Foundation
import S2SDecode
import S2SEval

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Translate a test set and score it with BLEU and chrF (sacreBLEU's numbers).",
        usage: "s2s evaluate [<options>] <src> <ref>",
        discussion: """
            Translates every line of SRC with the model, detokenizes, and scores the result against \
            REF exactly as sacreBLEU's defaults do (BLEU: 13a tokenization, exponential smoothing; \
            chrF: character 6-grams, beta 2). Also reports sentences per second and the total time.

            Examples:
              s2s evaluate --model model.s2s test.en test.fr
              s2s evaluate --model model.s2s test.en test.fr --beam 1 --json
              s2s evaluate test.en test.fr --output test.hyp.fr     # keep the translations
              s2s evaluate --model model.s2s --model en-fr.s2s test.en test.fr  # ensemble
            To score translations you already have, use `s2s score HYP REF`.
            """
    )

    @OptionGroup var decoding: DecodingOptions
    @OptionGroup var threading: ThreadOptions

    @Argument(help: ArgumentHelp("Source sentences, one per line; - reads standard input.", valueName: "src"))
    var sourcePath: String

    @Argument(help: ArgumentHelp("Reference translations, line-aligned with <src>; - reads standard input.", valueName: "ref"))
    var referencePath: String

    @Option(help: ArgumentHelp("Also write the translations to this file; - writes them to standard output (and the scores to standard error).", valueName: "path"))
    var output: String?

    func validate() throws {
        if sourcePath == "-" && referencePath == "-" { throw ValidationError("only one of <src> and <ref> can be - (standard input)") }
    }

    @Flag(help: "Print one JSON object instead of text lines.")
    var json = false

    func run() throws {
        threading.apply()
        let clock = ContinuousClock()
        let loadStart = clock.now
        let translator = try Translator(modelPaths: decoding.modelPaths())
        let loadTime = clock.now - loadStart
        let sources = try TextLines.read(path: sourcePath)
        let references = try TextLines.read(path: referencePath)
        if sources.count != references.count {
            throw ValidationError("\(referencePath) has \(references.count) lines but \(sourcePath) has \(sources.count); they must be line-aligned")
        }
        // Translate batch by batch so each batch's latency is known (one sentence each with --batch-size 1).
        let options = decoding.translationOptions
        var hypotheses: [String] = []
        var latencies: [Double] = []
        let start = clock.now
        var i = 0
        while i < sources.count {
            let chunk = Array(sources[i..<min(sources.count, i + translator.batchSize(for: options) * (decoding.batchSize == 1 ? 1 : 8))])
            let t0 = clock.now
            hypotheses += translator.translate(chunk, options: options).map(\.text)
            latencies.append((clock.now - t0).seconds)
            i += chunk.count
        }
        let elapsed = (clock.now - start).seconds
        latencies.sort()
        if let output {
            let sink = try OutputSink(path: output)
            try sink.write(hypotheses.map { $0 + "\n" }.joined())
            try sink.finish()
        }
        // With the translations on standard output, the report goes to standard error.
        func print(_ line: CustomStringConvertible) {
            if output == "-" { FileHandle.standardError.write(Data((line.description + "\n").utf8)) } else { Swift.print(line) }
        }
        let bleu = try BLEU.corpusScore(hypotheses: hypotheses, references: references)
        let chrf = try CHRF.corpusScore(hypotheses: hypotheses, references: references)
        let rate = Double(sources.count) / max(elapsed, 1e-9)
        if json {
            let report: [String: Any] = [
                "bleu": (bleu.score * 100).rounded() / 100, "chrf": (chrf.score * 100).rounded() / 100,
                "bleu_detail": bleu.description, "sentences": sources.count, "seconds": elapsed,
                "sentences_per_second": rate, "beam": decoding.beam, "batch_size": translator.batchSize(for: options),
                "model_load_seconds": loadTime.seconds, "models": translator.members.count,
                "batch_latency_ms_median": latencies.isEmpty ? 0 : latencies[latencies.count / 2] * 1000,
                "batch_latency_ms_p90": latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, latencies.count * 9 / 10)] * 1000,
            ]
            let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(bleu)
            print(chrf)
            let models = translator.members.count
            print(String(format: "%d sentences in %.2f s (%.1f sentences/s, beam %d, batches of %d%@); %@ loaded in %.3f s",
                         sources.count, elapsed, rate, decoding.beam, translator.batchSize(for: options),
                         models > 1 ? ", an ensemble of \(models) models" : "", models > 1 ? "models" : "model", loadTime.seconds))
            if decoding.batchSize == 1, !latencies.isEmpty {
                print(String(format: "latency per sentence: median %.1f ms, p90 %.1f ms",
                             latencies[latencies.count / 2] * 1000, latencies[min(latencies.count - 1, latencies.count * 9 / 10)] * 1000))
            }
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
