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
        // Most lines are one sentence with its full stop at the end: those need no break iterator, whose
        // set-up per line cost 5% of translation throughput on Tatoeba dev.
        if let whole = singleSentence(line) { return [whole] }
        return icuSplit(line, language: language)
    }

    /// The split by ICU's break iterator alone.
    static func icuSplit(_ line: String, language: String) -> [Sentence] {
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

    /// The line as one sentence when nothing in it could end a sentence before its end: no sentence
    /// terminal (Unicode's Sentence_Terminal: . ! ? 。…) except in the closing run ("?!", ".»", ".)"),
    /// and no line or paragraph separator. Nil when ICU must decide.
    static func singleSentence(_ line: String) -> Sentence? {
        let scalars = Array(line.unicodeScalars)
        guard let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else {
            return Sentence(leading: line, text: "", trailing: "")
        }
        var end = last  // back over the closing run: terminal marks, quotes and brackets
        while end >= 0, isTerminal(scalars[end]) || isClosing(scalars[end]) { end -= 1 }
        for k in 0...max(0, end) where k <= end {
            let s = scalars[k]
            if isTerminal(s) || "\r\n\u{85}\u{2028}\u{2029}".unicodeScalars.contains(s) { return nil }
        }
        let first = scalars.firstIndex { !$0.properties.isWhitespace }!
        func text(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[r])) }
        return Sentence(leading: text(0..<first), text: text(first..<(last + 1)), trailing: text((last + 1)..<scalars.count))
    }

    static func isTerminal(_ s: Unicode.Scalar) -> Bool { s.properties.isSentenceTerminal }

    static func isClosing(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .closePunctuation, .finalPunctuation, .initialPunctuation: return true
        default: return s == "\"" || s == "'"
        }
    }
}
