// Fuzz target: the tokenizer and BPE on arbitrary text. The input's bytes are decoded as UTF-8 (ill-formed
// sequences become U+FFFD, as when s2s reads a file) and must satisfy:
//   detokenize(tokenize(s)) == NFC(s)      for English and French rules, with and without lowercasing
//   BPE.join(segment(pieces)) == pieces     subwords join back into the pieces they came from
import Foundation
import FuzzDriver
import S2SText

let tokenizers = ["en", "fr"].flatMap { language in
    [false, true].map { try! Tokenizer(language: language, lowercase: $0) }
}
// A few merges over common letters, so segmentation does real work on most inputs.
let bpe = BPE(merges: [BPE.Merge("e", "s"), BPE.Merge("t", "h"), BPE.Merge("th", "e</w>"), BPE.Merge("a", "n"),
                       BPE.Merge("es", "</w>"), BPE.Merge("i", "n"), BPE.Merge("in", "g</w>"), BPE.Merge("o", "u")])

func fuzzTokenizer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for tokenizer in tokenizers {
        let round = tokenizer.detokenize(tokenizer.tokenize(text))
        if round != tokenizer.normalize(text) {
            fatalError("round trip changed the text: \(Array(text.unicodeScalars.map(\.value)))")
        }
    }
    let pieces = tokenizers[0].pieces(text)
    let subwords = bpe.segment(pieces)
    if BPE.join(subwords) != pieces {
        fatalError("BPE pieces do not join back: \(pieces) → \(subwords)")
    }
    return 0
}

runFuzzer { data, size in fuzzTokenizer(data, size) }
