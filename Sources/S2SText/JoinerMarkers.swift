// The model-facing form of a line: token strings with whitespace folded into joiner markers
// "￭" (U+FFED), in the manner of OpenNMT's joiner_annotate, and the detokenizer that turns a
// model's pieces back into text.
//
// The rule. Between two adjacent tokens with NO whitespace between them exactly one marker is
// placed, and none where there is whitespace (any whitespace run counts as one space):
//   1. the right token is punctuation/symbol  → it gets a leading marker:   "français" "￭."
//   2. else the left token is punctuation     → it gets a trailing marker:  "(￭" "mot"
//   3. else (word–word) the left is an elision prefix (l', qu'; French) or the right is a
//      contraction suffix (n't, 's; English) → no marker: "l'" "homme", "do" "n't"
//   4. else (word–word)                        → leading marker on the right: "我" "￭爱"
// A punctuation token can carry both: "Qu'est-ce" → "Qu'" "est" "￭-￭" "ce".
//
// Decoding inverts this: no space before a piece with a leading marker, after a piece with a
// trailing marker, after an elision prefix, or before a contraction suffix; one space
// elsewhere. So `detokenize(pieces: pieces(s)) == normalize(s)` whenever s has no leading or
// trailing whitespace and its whitespace runs are single spaces. The one exception is text that
// itself contains U+FFED: `pieces` replaces it with "■" (U+25A0), as OpenNMT does.

/// The joiner marker "￭" (U+FFED).
public let joinerMarker = "\u{FFED}"
private let joinerBytes: (UInt8, UInt8, UInt8) = (0xEF, 0xBF, 0xAD)
private let substituteBytes: [UInt8] = Array("\u{25A0}".utf8)

extension Tokenizer {
    /// The model-facing pieces of `text`: tokens with joiner markers, no whitespace.
    /// Shape: one piece per token, in order; empty for an empty or whitespace-only line.
    public func pieces(_ text: String) -> [String] {
        var out: [String] = []
        appendPieces(of: text, to: &out)
        return out
    }

    /// Appends the pieces of `text` to `out` (lets callers reuse one array).
    public func appendPieces(of text: String, to out: inout [String]) {
        // Take the byte buffer out of self (leaving it uniquely referenced, so appending does not
        // copy) while the closure below runs; it goes back afterwards for the next line.
        var buffer = scratch
        scratch = []
        withSpans(of: text) { bytes, spans in
            let n = spans.count
            out.reserveCapacity(out.count + n)
            var leadNext = false  // whether token i gets a leading marker (decided when looking at pair i-1, i)
            for i in 0..<n {
                let span = spans[i]
                let lead = leadNext
                var trail = false
                leadNext = false
                if i + 1 < n, spans[i + 1].start == span.end {
                    let right = spans[i + 1]
                    if right.kind == .punctuation {
                        leadNext = true
                    } else if span.kind == .punctuation {
                        trail = true
                    } else if span.glue == .elision || right.glue == .contraction {
                        // glued by the language rule, no marker
                    } else {
                        leadNext = true
                    }
                }
                if !lead && !trail && !Self.containsJoiner(bytes, span.start, span.end) {
                    out.append(Self.string(bytes, span.start, span.end))
                    continue
                }
                buffer.removeAll(keepingCapacity: true)
                if lead { buffer.append(joinerBytes.0); buffer.append(joinerBytes.1); buffer.append(joinerBytes.2) }
                var j = span.start
                while j < span.end {
                    if Self.isJoiner(bytes, j, span.end) {
                        buffer.append(contentsOf: substituteBytes)
                        j += 3
                    } else {
                        buffer.append(bytes[j])
                        j += 1
                    }
                }
                if trail { buffer.append(joinerBytes.0); buffer.append(joinerBytes.1); buffer.append(joinerBytes.2) }
                out.append(String(decoding: buffer, as: UTF8.self))
            }
        }
        scratch = buffer
    }

    /// Turns pieces (as a model produces them) back into text. Inverts `pieces(_:)` (see the
    /// rule at the top of this file) and is total: empty pieces are skipped, a bare "￭" joins its
    /// neighbours, markers inside a piece are dropped, and any sequence gives some text.
    public func detokenize<S: Sequence<String>>(pieces: S) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        var glueNext = true  // nothing before the first piece, so no space
        for var piece in pieces {
            piece.withUTF8 { bytes in
                guard !bytes.isEmpty else { return }
                var start = 0, end = bytes.count
                let lead = Self.isJoiner(bytes, 0, end)
                if lead { start = 3 }
                let trail = end - start >= 3 && Self.isJoiner(bytes, end - 3, end)
                if trail { end -= 3 }
                guard end > start else {
                    // A piece made only of markers: join the neighbours, write nothing.
                    glueNext = true
                    return
                }
                let core = UnsafeBufferPointer(rebasing: bytes[start..<end])
                let glueToPrevious = lead || rules.gluesToPrevious(core)
                if !out.isEmpty && !glueNext && !glueToPrevious { out.append(0x20) }
                var j = start
                while j < end {
                    if Self.isJoiner(bytes, j, end) { j += 3; continue }  // stray marker inside a piece
                    out.append(bytes[j])
                    j += 1
                }
                glueNext = trail || rules.gluesToNext(core)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isJoiner(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Bool {
        i + 3 <= end && bytes[i] == joinerBytes.0 && bytes[i + 1] == joinerBytes.1 && bytes[i + 2] == joinerBytes.2
    }

    static func containsJoiner(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end {
            if bytes[i] == 0xEF, isJoiner(bytes, i, end) { return true }
            i += 1
        }
        return false
    }
}
