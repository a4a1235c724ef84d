// The "13a" tokenizer: sacreBLEU's default BLEU tokenizer (after WMT's mteval-v13a.pl).
//
// sacreBLEU 2.x (tokenizers/tokenizer_13a.py + tokenizer_re.py) does, in this order:
//   1. str.replace of "<skipped>" → "", "-\n" → "", "\n" → " ", then the four entities
//      "&quot;" → '"', "&amp;" → "&", "&lt;" → "<", "&gt;" → ">" (each a separate left-to-right pass,
//      so "&amp;lt;" becomes "<": order matters and is kept);
//   2. pads the line with one space on each side;
//   3. four regex substitutions, each a full pass over the previous result:
//      a. ([\{-\~\[-\` -\&\(-\+\:-\@\/])  → " \1 "   (ASCII punctuation/symbols, not ' , - .)
//      b. ([^0-9])([\.,])                 → "\1 \2 " (period/comma not preceded by a digit)
//      c. ([\.,])([^0-9])                 → " \1 \2" (period/comma not followed by a digit)
//      d. ([0-9])(-)                      → "\1 \2 " (dash after a digit)
//   4. ' '.join(line.split()) with Python's whitespace set.
// We replay each step as its own pass over a buffer of Unicode scalars (Python strings index code
// points, so scalars, not Characters, are the right unit). Patterns b–d are fixed two-scalar
// patterns, so re.sub's "leftmost, non-overlapping, resume after the match" scan is a plain
// two-scalar window that skips ahead by two on a hit. `[^0-9]` is any scalar but an ASCII digit,
// newline included, as in Python's `re`.

/// sacreBLEU's default BLEU tokenizer ("13a"). `tokenize(_:)` returns exactly what
/// `sacrebleu.tokenizers.tokenizer_13a.Tokenizer13a()(line)` returns.
public struct Tokenizer13a: Sendable {
    public init() {}

    /// The tokens of `line`, joined by single spaces.
    public func tokenize(_ line: String) -> String {
        tokens(line).joined(separator: " ")
    }

    /// The tokens of `line`, in order.
    public func tokens(_ line: String) -> [String] {
        let workspace = Tokenizer13aWorkspace()
        workspace.tokenize(line, stripTrailingWhitespace: false)
        let scalars = workspace.tokenScalars.bufferPointer
        var result: [String] = []
        var start = 0
        for end in workspace.tokenEnds.bufferPointer {
            var token = String.UnicodeScalarView()
            for i in start..<end { token.append(Unicode.Scalar(scalars[i])!) }
            result.append(String(token))
            start = end
        }
        return result
    }
}

/// Reusable buffers for tokenizing many lines with no allocation per line.
final class Tokenizer13aWorkspace {
    /// The line being rewritten, and the buffer each pass writes into (swapped after the pass).
    private var current = RawBuffer<UInt32>()
    private var next = RawBuffer<UInt32>()
    /// Output: the scalars of all tokens, back to back.
    private(set) var tokenScalars = RawBuffer<UInt32>()
    /// Output: token k is `tokenScalars[tokenEnds[k - 1] ..< tokenEnds[k]]` (the first starts at 0).
    private(set) var tokenEnds = RawBuffer<Int>()

    private static let space: UInt32 = 0x20
    private static let skipped = scalars("<skipped>")
    private static let dashNewline = scalars("-\n")
    private static let newline = scalars("\n")
    private static let entities: [(pattern: [UInt32], replacement: [UInt32])] = [
        (scalars("&quot;"), scalars("\"")),
        (scalars("&amp;"), scalars("&")),
        (scalars("&lt;"), scalars("<")),
        (scalars("&gt;"), scalars(">")),
    ]

    private static func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    init() {}

    deinit {
        current.deallocate()
        next.deallocate()
        tokenScalars.deallocate()
        tokenEnds.deallocate()
    }

    /// Tokenizes `line` into `tokenScalars` / `tokenEnds`.
    /// - Parameter stripTrailingWhitespace: apply Python's `rstrip()` first, as sacreBLEU's BLEU does
    ///   before calling the tokenizer (it matters for a trailing "-\n").
    func tokenize(_ line: String, stripTrailingWhitespace: Bool) {
        // Load the scalars (never more than the UTF-8 bytes), noting which rare rewrites can apply.
        var buffer = current
        buffer.count = 0
        buffer.reserve(line.utf8.count)
        var hasLessThan = false, hasNewline = false, hasAmpersand = false
        for scalar in line.unicodeScalars {
            let v = scalar.value
            hasLessThan = hasLessThan || v == 0x3C
            hasNewline = hasNewline || v == 0x0A
            hasAmpersand = hasAmpersand || v == 0x26
            buffer.append(v)
        }
        if stripTrailingWhitespace {
            while buffer.count > 0 && isPythonWhitespace(buffer[buffer.count - 1]) { buffer.count -= 1 }
        }
        current = buffer

        if hasLessThan { replaceAll(Self.skipped, with: []) }
        if hasNewline {
            replaceAll(Self.dashNewline, with: [])
            replaceAll(Self.newline, with: [Self.space])
        }
        if hasAmpersand {
            for (pattern, replacement) in Self.entities { replaceAll(pattern, with: replacement) }
        }

        isolatePunctuation()
        rewritePairs(.periodCommaAfterNonDigit)
        rewritePairs(.periodCommaBeforeNonDigit)
        rewritePairs(.dashAfterDigit)
        splitOnWhitespace()
    }

    /// Python's `str.replace(pattern, replacement)`: non-overlapping, left to right, one pass.
    /// Every pattern here is at least as long as its replacement, so the line never grows.
    private func replaceAll(_ pattern: [UInt32], with replacement: [UInt32]) {
        let input = current
        var output = next
        output.count = 0
        output.reserve(input.count)
        let n = input.count, m = pattern.count
        var i = 0
        while i < n {
            if i + m <= n && input[i] == pattern[0] {
                var j = 1
                while j < m && input[i + j] == pattern[j] { j += 1 }
                if j == m {
                    for r in replacement { output.append(r) }
                    i += m
                    continue
                }
            }
            output.append(input[i])
            i += 1
        }
        current = output
        next = input
    }

    /// Pass a, plus the space padding: every scalar of the class gets a space on each side.
    private func isolatePunctuation() {
        let input = current
        var output = next
        output.count = 0
        output.reserve(3 * input.count + 2)
        output.append(Self.space)
        for i in 0..<input.count {
            let s = input[i]
            if isIsolatedPunctuation(s) {
                output.append(Self.space)
                output.append(s)
                output.append(Self.space)
            } else {
                output.append(s)
            }
        }
        output.append(Self.space)
        current = output
        next = input
    }

    /// The three two-scalar substitutions of passes b–d.
    private enum PairRule {
        /// Pass b: `([^0-9])([\.,])` → `\1 \2 `.
        case periodCommaAfterNonDigit
        /// Pass c: `([\.,])([^0-9])` → ` \1 \2`.
        case periodCommaBeforeNonDigit
        /// Pass d: `([0-9])(-)` → `\1 \2 `.
        case dashAfterDigit
    }

    /// One `re.sub` pass of a two-scalar pattern: scan left to right; on a hit emit the
    /// replacement and resume after the pair, otherwise copy one scalar and move on by one.
    private func rewritePairs(_ rule: PairRule) {
        let input = current
        var output = next
        output.count = 0
        output.reserve(2 * input.count)
        let n = input.count
        var i = 0
        while i < n {
            let a = input[i]
            if i + 1 < n {
                let b = input[i + 1]
                let hit: Bool
                switch rule {
                case .periodCommaAfterNonDigit: hit = !isASCIIDigit(a) && isPeriodOrComma(b)
                case .periodCommaBeforeNonDigit: hit = isPeriodOrComma(a) && !isASCIIDigit(b)
                case .dashAfterDigit: hit = isASCIIDigit(a) && b == 0x2D
                }
                if hit {
                    if rule == .periodCommaBeforeNonDigit {
                        output.append(Self.space); output.append(a); output.append(Self.space); output.append(b)
                    } else {
                        output.append(a); output.append(Self.space); output.append(b); output.append(Self.space)
                    }
                    i += 2
                    continue
                }
            }
            output.append(a)
            i += 1
        }
        current = output
        next = input
    }

    /// `line.split()` with Python's whitespace set, into the output buffers.
    private func splitOnWhitespace() {
        let input = current
        var scalars = tokenScalars, ends = tokenEnds
        scalars.count = 0
        ends.count = 0
        scalars.reserve(input.count)
        ends.reserve(input.count / 2 + 1)
        var inToken = false
        for i in 0..<input.count {
            let s = input[i]
            if isPythonWhitespace(s) {
                if inToken { ends.append(scalars.count); inToken = false }
            } else {
                scalars.append(s)
                inToken = true
            }
        }
        if inToken { ends.append(scalars.count) }
        tokenScalars = scalars
        tokenEnds = ends
    }
}

/// The class of pass a: U+0020–U+0026, U+0028–U+002B, U+002F, U+003A–U+0040, U+005B–U+0060,
/// U+007B–U+007E, as bitmasks over U+0000–U+003F and U+0040–U+007F (constants rather than
/// computed globals, so the hot loop has no lazy-initialisation check; a test checks every ASCII
/// scalar against sacreBLEU).
private let punctuationLow: UInt64 = 0xFC00_8F7F_0000_0000
private let punctuationHigh: UInt64 = 0x7800_0001_F800_0001

@inline(__always)
private func isIsolatedPunctuation(_ s: UInt32) -> Bool {
    if s < 0x40 { return punctuationLow & (1 << UInt64(s)) != 0 }
    if s < 0x80 { return punctuationHigh & (1 << UInt64(s - 0x40)) != 0 }
    return false
}

@inline(__always)
private func isASCIIDigit(_ s: UInt32) -> Bool { s &- 0x30 < 10 }

@inline(__always)
private func isPeriodOrComma(_ s: UInt32) -> Bool { s == 0x2E || s == 0x2C }
