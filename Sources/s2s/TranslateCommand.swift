// `s2s translate`: translate a sentence given on the command line, or every line of standard input.
import ArgumentParser
import Foundation
import S2SDecode
import S2SPictures

struct Translate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translate",
        abstract: "Translate a sentence, or standard input line by line.",
        usage: "s2s translate [<options>] [<text> ...]",
        discussion: """
            With text, translates it and prints the translation:
              s2s translate "I speak French"            → Je parle français.
            Without text, reads standard input and writes one translation per line, in order; an empty \
            line gives an empty line, so the output stays line-aligned with the input:
              s2s translate < test.en > test.fr
            Lines are translated in batches for speed (one at a time when typing at a terminal).

            Search: --beam K keeps the K best partial translations at each step (K = 1 is greedy \
            search); --alpha sets the length normalisation (score = log-probability / length^alpha). \
            --attention prints, after each translation, how much each output word attended to each \
            input word; --attention-svg FILE draws the same as heat maps, one per line, in a picture:
              s2s translate --attention-svg attention.svg "I speak French"

            --nbest N prints the N best translations of each sentence in the Moses n-best format, one \
            per line, best first: "ID ||| translation ||| score", where ID is the sentence's 0-based \
            line number in the input and score its length-normalised log-probability:
              0 ||| Je parle français. ||| -0.1234

            --output FILE writes the translations to FILE (replaced at the end, so it is never left \
            half-written) instead of standard output; - is standard output. The model is --model, or \
            the first found of $S2S_MODEL, ./model.s2s and your default model (see `s2s models`). \
            Several --model options translate with their ensemble: each target piece is chosen by the \
            models' mean log-probability, which is often better than any one of them (see the README's \
            training recipe) and as slow as all of them together. The models must share vocabularies: \
            trained with the same --vocab, or models and checkpoints of one run:
              s2s translate --model model.s2s --model en-fr.s2s "I speak French"

            A line holding several sentences is cut into sentences (ICU's sentence rules for the \
            model's source language), each translated on its own, and their translations are joined \
            with the line's spacing: a paragraph in gives a paragraph out, still one line. --no-split \
            translates each line whole. A sentence longer than --max-length pieces is translated in \
            parts, with a warning on standard error; no line is refused.

            Words the model has never seen come through as subword pieces (with a BPE vocabulary); \
            an output <unk> is replaced by the source word it attends to most.
            """
    )

    @OptionGroup var decoding: DecodingOptions
    @OptionGroup var threading: ThreadOptions

    @Option(help: "Print the N best translations of each sentence, Moses-style \"ID ||| text ||| score\" lines with 0-based IDs (N ≤ --beam).")
    var nbest = 1

    @Option(help: ArgumentHelp("Write the translations to this file instead of standard output (- is standard output).", valueName: "path"))
    var output: String?

    @Flag(help: "Print the attention matrix (target words × source words, in percent) after each translation.")
    var attention = false

    @Option(help: ArgumentHelp("Also draw each sentence's attention as a heat map in this SVG file (open it in a browser; values show on hover).", valueName: "file"))
    var attentionSvg: String?

    @Argument(help: "Text to translate. Without it, standard input is translated line by line.")
    var text: [String] = []

    func validate() throws {
        if nbest < 1 { throw ValidationError("--nbest must be at least 1") }
        if nbest > decoding.beam { throw ValidationError("--nbest \(nbest) needs a beam at least as wide: add --beam \(nbest)") }
        if let svg = attentionSvg {
            if svg == "-" { throw ValidationError("--attention-svg needs a file: standard output carries the translations") }
            if svg == output { throw ValidationError("--attention-svg and --output must be different files") }
        }
    }

    func run() throws {
        threading.apply()
        let translator = try Translator(modelPaths: decoding.modelPaths())
        var options = decoding.translationOptions
        options.nbest = nbest
        options.attention = attention || attentionSvg != nil
        let sink = try OutputSink(path: output)
        let picture = try attentionSvg.map { try OutputSink(path: $0) }
        var drawn: [AttentionSVG.Sentence] = []
        func translate(_ lines: [String]) -> [Translation] {
            let results = translator.translate(lines, options: options)
            if picture != nil {
                for (line, t) in zip(lines, results) {
                    if let a = t.alignment { drawn.append(.init(source: line, translation: t.text, alignment: a)) }
                }
            }
            return results
        }
        func finish() throws {
            try sink.finish()
            if let picture {
                try picture.write(AttentionSVG.render(drawn))
                try picture.finish()
            }
        }
        if !text.isEmpty {
            try sink.write(render(translate([text.joined(separator: " ")]), firstLine: 0))
            return try finish()
        }
        let interactive = isatty(STDIN_FILENO) != 0
        var pending: [String] = []
        var lineNumber = 0
        func flush() throws {
            if pending.isEmpty { return }
            try sink.write(render(translate(pending), firstLine: lineNumber))
            lineNumber += pending.count
            pending.removeAll(keepingCapacity: true)
        }
        while var line = readLine(strippingNewline: true) {
            // A byte-order mark opens some files written on Windows; it is not text to translate.
            if lineNumber == 0 && pending.isEmpty && line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            if line.hasSuffix("\r") { line.removeLast() }  // readLine ends lines at CR LF too, but not a last line ending in CR
            pending.append(line)
            if interactive || pending.count >= translator.batchSize(for: options) * 4 { try flush() }
        }
        try flush()
        try finish()
    }

    /// The output text of a batch whose first sentence is input line `firstLine` (0-based).
    private func render(_ results: [Translation], firstLine: Int) -> String {
        var out = ""
        for (k, t) in results.enumerated() {
            if t.wasCut {
                let place = text.isEmpty ? "line \(firstLine + k + 1)" : "the text"
                FileHandle.standardError.write(Data("warning: \(place) holds a sentence longer than --max-length \(decoding.maxLength) pieces; it was translated in parts\n".utf8))
            }
            if nbest > 1 {
                for c in t.candidates { out += "\(firstLine + k) ||| \(c.text) ||| \(String(format: "%.4f", c.score))\n" }
            } else {
                out += t.text + "\n"
            }
            if attention, let a = t.alignment { out += render(a) }
        }
        return out
    }

    /// A text heat map: one row per output piece, one column per input piece, values in percent.
    private func render(_ a: Alignment) -> String {
        let width = max(4, (a.sourcePieces.map(\.count).max() ?? 4) + 1)
        let label = max(6, (a.targetPieces.map(\.count).max() ?? 6) + 1)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        var out = pad("", label) + a.sourcePieces.map { pad($0, width) }.joined() + "\n"
        for (piece, row) in zip(a.targetPieces, a.weights) {
            out += pad(piece, label) + row.map { pad(String(Int(($0 * 100).rounded())), width) }.joined() + "\n"
        }
        return out + "\n"
    }
}
