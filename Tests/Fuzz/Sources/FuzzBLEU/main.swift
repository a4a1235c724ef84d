// Fuzz target: sacreBLEU's 13a tokenizer and the BLEU and chrF counts. The input's lines alternate
// hypothesis, reference. "Whitespace" is Python's (str.split's, which sacreBLEU follows: it includes
// U+001C–U+001F, which Swift's does not). Invariants: 13a tokens hold no whitespace and their count is
// BLEU's length;
// matches never exceed totals, totals follow from the lengths; scores are finite and within [0, 100];
// a text scored against itself gets BLEU 100 whenever it has a 4-gram, and chrF 100 whenever it has a
// character.
import Foundation
import FuzzDriver
import S2SEval

let tokenizer = Tokenizer13a()

func fuzzBLEU(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let hypotheses = stride(from: 0, to: lines.count - 1, by: 2).map { lines[$0] }
    let references = stride(from: 1, to: lines.count, by: 2).map { lines[$0] }
    var length = 0
    for line in hypotheses {
        let tokens = tokenizer.tokens(line)
        precondition(!tokens.contains { $0.isEmpty || $0.unicodeScalars.contains { isPythonWhitespace($0.value) } }, "a 13a token with whitespace")
        length += tokens.count
    }
    guard let bleu = try? BLEU.corpusScore(hypotheses: hypotheses, references: references),
          let chrf = try? CHRF.corpusScore(hypotheses: hypotheses, references: references) else { return 0 }
    precondition(bleu.hypothesisLength == length, "BLEU's length is not the 13a token count")
    for n in 0..<bleu.totals.count {
        precondition(bleu.matches[n] >= 0 && bleu.matches[n] <= bleu.totals[n], "more matches than n-grams")
        precondition(bleu.totals[n] == hypotheses.reduce(0) { $0 + max(0, tokenizer.tokens($1).count - n) }, "totals")
    }
    for score in [bleu.score, chrf.score] {
        precondition(score.isFinite && score >= 0 && score <= 100 + 1e-9, "score out of range: \(score)")
    }
    let same = try! BLEU.corpusScore(hypotheses: references, references: references)
    if same.totals.count == 4 && same.totals[3] > 0 { precondition(abs(same.score - 100) < 1e-9, "BLEU of a text against itself: \(same.score)") }
    let selfChrf = try! CHRF.corpusScore(hypotheses: references, references: references)
    if references.contains(where: { $0.unicodeScalars.contains { !isPythonWhitespace($0.value) } }) {
        precondition(abs(selfChrf.score - 100) < 1e-9, "chrF of a text against itself: \(selfChrf.score)")
    }
    return 0
}

runFuzzer { data, size in fuzzBLEU(data, size) }
