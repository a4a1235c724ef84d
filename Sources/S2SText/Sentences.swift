// Paragraphs into sentences, with ICU's sentence break rules (UBRK_SENTENCE). A translation model
// trained on single sentences translates a paragraph badly: it tends to render one sentence and drop
// the rest. So a line is cut into sentences, each is translated on its own, and the translations are
// joined back with the line's own spacing.
import CICUShim

public enum Sentences {
    /// One sentence of a line: its text without surrounding whitespace, and the whitespace around it,
    /// so that `leading + text + trailing` over all sentences gives the line back.
    public struct Sentence: Equatable, Sendable {
        public var leading: String
        public var text: String
        public var trailing: String
        public init(leading: String, text: String, trailing: String) {
            self.leading = leading
            self.text = text
            self.trailing = trailing
        }
    }

    /// The sentences of `line` under `language`'s rules ("en", "fr", …). A line of whitespace only gives
    /// one sentence with empty text.
    public static func split(_ line: String, language: String) -> [Sentence] {
        let pieces = icuSegments(line) { text, length, ends, capacity in
            language.withCString { s2s_sentence_ends(text, length, $0, ends, capacity) }
        }
        var out: [Sentence] = []
        var pending = ""  // whitespace-only pieces join the next sentence
        for piece in pieces {
            let start = piece.firstIndex { !$0.isWhitespace }
            guard let start else { pending += piece; continue }
            let end = piece.lastIndex { !$0.isWhitespace }!
            out.append(Sentence(leading: pending + String(piece[..<start]), text: String(piece[start...end]),
                                trailing: String(piece[piece.index(after: end)...])))
            pending = ""
        }
        if out.isEmpty { return [Sentence(leading: pending, text: "", trailing: "")] }
        out[out.count - 1].trailing += pending
        return out
    }
}
