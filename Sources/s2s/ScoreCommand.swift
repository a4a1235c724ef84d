// `s2s score`: BLEU and chrF of translations against references, with sacreBLEU's numbers.
import ArgumentParser
import Foundation
import S2SEval

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score translations against references with BLEU and chrF (same numbers as sacreBLEU).",
        discussion: """
            Both files are plain UTF-8 text with one segment per line, line i of HYP translating the \
            same sentence as line i of each REF. Give detokenized text, as you would to sacreBLEU: \
            BLEU tokenizes it itself (the "13a" tokenizer).

            BLEU (0-100) pools, over the whole file, how many of the translation's word n-grams \
            (1 to 4 words) also occur in the reference, and multiplies by a brevity penalty when the \
            translation is shorter than the reference. chrF2 (0-100) does the same with character \
            n-grams (1 to 6 characters, spaces ignored) and weighs recall twice as much as precision; \
            it gives partial credit for a wrong word ending or accent. Higher is better for both.

            Text output, one line per metric:
              BLEU = 33.21 62.0/39.1/27.5/19.6 (BP = 1.000 ratio = 1.012 hyp_len = ...)
              chrF2 = 55.12
            After the BLEU score come the 1- to 4-gram precisions in percent; BP is the brevity \
            penalty (1.000 unless the translation is shorter), ratio = hyp_len / ref_len, the \
            total lengths of translation and references in tokens.

            The numbers are those of sacreBLEU 2.x with its defaults (sacrebleu.corpus_bleu and \
            corpus_chrf; BLEU signature nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp, chrF signature \
            nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no), so they can be compared with published \
            sacreBLEU scores computed on the same references.

            Examples:
              s2s score out.fr test.fr
              s2s score out.fr test.fr test2.fr --json     # two references per segment
              my-system < test.en | s2s score - test.fr    # hypotheses from a pipe
            """
    )

    @Argument(help: ArgumentHelp("The translations to score, one segment per line; - reads standard input.", valueName: "hyp"))
    var hypothesisPath: String

    @Argument(help: ArgumentHelp(
        "Reference translations, line-aligned with <hyp>. Several files give several references per segment; - reads standard input.",
        valueName: "ref"))
    var referencePaths: [String] = []

    @Flag(help: "Print one JSON object with keys bleu, chrf and details instead of the two text lines.")
    var json = false

    func validate() throws {
        if referencePaths.isEmpty {
            throw ValidationError("Missing reference file: usage is s2s score <hyp> <ref> [<ref> ...]")
        }
        if ([hypothesisPath] + referencePaths).filter({ $0 == "-" }).count > 1 {
            throw ValidationError("only one file can be - (standard input)")
        }
    }

    func run() throws {
        let input = try AlignedSegments.read(hypothesisPath: hypothesisPath, referencePaths: referencePaths)
        let bleu = try BLEU.corpusScore(hypotheses: input.hypotheses, referenceStreams: input.referenceStreams)
        let chrf = try CHRF.corpusScore(hypotheses: input.hypotheses, referenceStreams: input.referenceStreams)
        if json {
            let report = ScoreReport(bleu: bleu, chrf: chrf, segments: input.hypotheses.count,
                                     references: referencePaths.count)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(bleu)
            print(chrf)
        }
    }
}

/// The `--json` output: the two scores on top, everything behind them under "details".
private struct ScoreReport: Encodable {
    let bleu: Double
    let chrf: Double
    let details: Details

    struct Details: Encodable {
        let segments: Int
        let references: Int
        let bleu: BLEUDetails
        let chrf: CHRFDetails
    }

    struct BLEUDetails: Encodable {
        let text: String
        let signature: String
        let precisions: [Double]
        let matches: [Int]
        let totals: [Int]
        let bp: Double
        let ratio: Double
        let hyp_len: Int
        let ref_len: Int
    }

    struct CHRFDetails: Encodable {
        let text: String
        let signature: String
        let char_order: Int
        let word_order: Int
        let beta: Int
        let hyp_ngrams: [Int]
        let ref_ngrams: [Int]
        let matches: [Int]
    }

    init(bleu: BLEUScore, chrf: CHRFScore, segments: Int, references: Int) {
        self.bleu = bleu.score
        self.chrf = chrf.score
        details = Details(
            segments: segments, references: references,
            bleu: BLEUDetails(
                text: bleu.description,
                signature: "nrefs:\(references)|case:mixed|eff:no|tok:13a|smooth:exp",
                precisions: bleu.precisions, matches: bleu.matches, totals: bleu.totals,
                bp: bleu.brevityPenalty, ratio: bleu.ratio,
                hyp_len: bleu.hypothesisLength, ref_len: bleu.referenceLength),
            chrf: CHRFDetails(
                text: chrf.description,
                signature: "nrefs:\(references)|case:mixed|eff:yes|nc:\(chrf.charOrder)|nw:0|space:no",
                char_order: chrf.charOrder, word_order: 0, beta: chrf.beta,
                hyp_ngrams: chrf.statistics.hypothesisCounts, ref_ngrams: chrf.statistics.referenceCounts,
                matches: chrf.statistics.matches))
    }
}
