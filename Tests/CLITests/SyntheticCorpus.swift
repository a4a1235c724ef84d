// A made-up language pair that tiny models learn in seconds: source word sN is target word tN, and the
// target reverses the word order. Deterministic for a seed, so tests can compare runs.
import Foundation

/// `count` pairs of 2–7 words drawn from `words` word types.
func syntheticCorpus(count: Int, words: Int, seed: UInt64) -> (src: [String], tgt: [String]) {
    var src: [String] = [], tgt: [String] = []
    var x = seed
    func next() -> Int { x = x &* 6364136223846793005 &+ 1442695040888963407; return Int(x >> 33) }
    while src.count < count {
        let sentence = (0..<(2 + next() % 6)).map { _ in next() % words }
        src.append(sentence.map { "s\($0)" }.joined(separator: " ") + ".")
        tgt.append(sentence.reversed().map { "t\($0)" }.joined(separator: " ") + ".")
    }
    return (src, tgt)
}

/// Writes `lines` to `directory/name`, one per line.
func writeLines<S: Sequence<String>>(_ lines: S, to directory: URL, _ name: String) {
    try! (lines.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
}
