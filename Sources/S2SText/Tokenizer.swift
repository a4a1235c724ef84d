// The tokenizer: NFC normalisation, optional lowercasing, ICU word break with the language's
// locale, then the language's elision/contraction splits (LanguageRules.swift).
//
// Two outputs:
// - the exact form, `tokenize(_:)`: tokens with the exact whitespace before each one plus the
//   trailing whitespace, so `detokenize(tokenize(s)) == normalize(s)` for every input;
// - the model-facing form, `pieces(_:)` (JoinerMarkers.swift): token strings with whitespace
//   folded into joiner markers "￭".
import CICUShim

/// How one side of a corpus is tokenized. Stored in vocab.json and model files.
public struct TokenizerOptions: Codable, Hashable, Sendable {
    /// BCP 47 language tag ("en", "fr", "fr-CA"). Picks ICU's word-break locale; "fr" also splits
    /// elisions and "en" contractions.
    public var language: String
    /// Lowercase every line (with the language's case rules) before tokenizing. Off by default.
    public var lowercase: Bool

    public init(language: String, lowercase: Bool = false) {
        self.language = language
        self.lowercase = lowercase
    }
}

/// One token of the exact form.
public struct Token: Equatable, Sendable {
    public enum Kind: UInt8, Sendable {
        /// Letters, numbers, kana, ideographs (and the parts of elisions/contractions).
        case word
        /// Everything else that is not whitespace: punctuation, symbols, emoji. One mark per token.
        case punctuation
    }

    public var text: String
    public var kind: Kind
    /// The exact whitespace between the previous token (or the line start) and this one; may be "".
    public var leadingWhitespace: String

    public init(text: String, kind: Kind, leadingWhitespace: String = "") {
        self.text = text
        self.kind = kind
        self.leadingWhitespace = leadingWhitespace
    }
}

/// A line in exact form: concatenating every token's leading whitespace and text, then the
/// trailing whitespace, gives the normalised line back.
public struct TokenizedLine: Equatable, Sendable {
    public var tokens: [Token]
    /// Whitespace after the last token (the whole line when it has no tokens).
    public var trailingWhitespace: String

    public init(tokens: [Token], trailingWhitespace: String = "") {
        self.tokens = tokens
        self.trailingWhitespace = trailingWhitespace
    }

    /// The token texts alone.
    public var texts: [String] { tokens.map(\.text) }
}

/// Splits text into tokens. Holds one ICU break iterator and reusable buffers, so it is cheap
/// per line but not thread-safe: use one Tokenizer per thread.
public final class Tokenizer {
    public let options: TokenizerOptions
    let rules: LanguageRules
    private let segmenter: OpaquePointer
    /// Reused between calls so a line costs no allocation beyond its output.
    var spans: [TokenSpan] = []
    var scratch: [UInt8] = []

    /// Throws `.invalidOption` for a malformed language tag and `.icu` when ICU cannot open a
    /// word-break iterator.
    public init(_ options: TokenizerOptions) throws {
        guard Self.isLanguageTag(options.language) else {
            throw TextError(.invalidOption, "'\(options.language)' is not a language tag; use a code such as en or fr")
        }
        var error: Int32 = 0
        guard let segmenter = s2s_segmenter_open(options.language, options.lowercase ? 1 : 0, &error) else {
            throw TextError(.icu, "ICU cannot open a word-break iterator for '\(options.language)': \(String(cString: s2s_icu_error_name(error)))")
        }
        self.options = options
        self.rules = LanguageRules(language: options.language)
        self.segmenter = segmenter
        spans.reserveCapacity(256)
        scratch.reserveCapacity(256)
    }

    public convenience init(language: String, lowercase: Bool = false) throws {
        try self.init(TokenizerOptions(language: language, lowercase: lowercase))
    }

    deinit { s2s_segmenter_close(segmenter) }

    /// The line as the tokenizer sees it: NFC, and lowercased when the options say so.
    public func normalize(_ text: String) -> String {
        var text = text
        return text.withUTF8 { input in
            guard input.count < Int(Int32.max) / 2,
                  s2s_segmenter_normalize(segmenter, input.baseAddress, Int32(input.count)) >= 0 else {
                return String(decoding: input, as: UTF8.self)
            }
            if s2s_segmenter_text_changed(segmenter) == 0 { return String(decoding: input, as: UTF8.self) }
            var length: Int32 = 0
            let base = s2s_segmenter_text(segmenter, &length)
            return String(decoding: UnsafeBufferPointer(start: base, count: Int(length)), as: UTF8.self)
        }
    }

    /// The exact form of `text`. `detokenize(tokenize(s)) == normalize(s)` for every s.
    public func tokenize(_ text: String) -> TokenizedLine {
        withSpans(of: text) { bytes, spans in
            var tokens: [Token] = []
            tokens.reserveCapacity(spans.count)
            var previousEnd = 0
            for span in spans {
                tokens.append(Token(
                    text: Self.string(bytes, span.start, span.end),
                    kind: span.kind,
                    leadingWhitespace: Self.string(bytes, previousEnd, span.start)))
                previousEnd = span.end
            }
            return TokenizedLine(tokens: tokens, trailingWhitespace: Self.string(bytes, previousEnd, bytes.count))
        }
    }

    /// Puts an exact-form line back together.
    public func detokenize(_ line: TokenizedLine) -> String {
        var out = ""
        for token in line.tokens {
            out += token.leadingWhitespace
            out += token.text
        }
        out += line.trailingWhitespace
        return out
    }

    /// Runs ICU and the language rules over `text`, then calls `body` with the processed text's
    /// UTF-8 bytes and its token spans (both valid only inside `body`).
    func withSpans<R>(of text: String, _ body: (UnsafeBufferPointer<UInt8>, [TokenSpan]) -> R) -> R {
        var text = text
        return text.withUTF8 { input in
            spans.removeAll(keepingCapacity: true)
            // ICU indexes with Int32; its UTF-16 copy of a line needs up to 2 units per byte.
            let runs = input.count < Int(Int32.max) / 2
                ? Int(s2s_segmenter_segment(segmenter, input.baseAddress, Int32(input.count))) : -1
            guard runs >= 0 else {
                // A line over 1 GiB, or no memory for ICU's buffers: no tokens rather than a crash.
                return body(UnsafeBufferPointer(start: nil, count: 0), spans)
            }
            var length: Int32 = 0
            let bytes = UnsafeBufferPointer(start: s2s_segmenter_text(segmenter, &length), count: Int(length))
            let starts = s2s_segmenter_run_starts(segmenter)!
            let kinds = s2s_segmenter_run_kinds(segmenter)
            for r in 0..<runs {
                let start = Int(starts[r]), end = Int(starts[r + 1])
                switch Int(kinds![r]) {
                case S2S_RUN_SPACE: continue
                case S2S_RUN_WORD: rules.splitWord(bytes, start, end, into: &spans)
                default: spans.append(TokenSpan(start: start, end: end, kind: .punctuation, glue: .none))
                }
            }
            return body(bytes, spans)
        }
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        guard end > start else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Letters first (2–8), then "-" or "_" separated alphanumeric subtags: en, fr-CA, en_US, zh-Hant.
    static func isLanguageTag(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "_", omittingEmptySubsequences: false) }
        guard let first = parts.first, (2...8).contains(first.count),
              first.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }) else { return false }
        return parts.dropFirst().allSatisfy { part in
            (1...8).contains(part.count) && part.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) }
        }
    }
}
