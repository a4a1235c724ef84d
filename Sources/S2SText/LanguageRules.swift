// Token splitting that ICU's word break does not do: "@" out of words (all languages), French elisions
// (l'|homme, qu'|est) and English contractions in Penn Treebank style (do|n't, I|'m).
// The same tables decide, when pieces are turned back into text, which pieces glue to their
// neighbour without a joiner marker.
//
// Apostrophes: both ' (U+0027) and ’ (U+2019) are recognised, in any letter case, and are kept
// exactly as written (no normalisation), so every form of text round-trips unchanged.

/// The splitting and gluing rules for one language. Languages without rules split nothing.
struct LanguageRules: Sendable {
    /// French elision prefixes, longest first, written with ' standing for either apostrophe.
    /// "aujourd'hui", "quelqu'un" and "presqu'île" are words, not elisions, so they stay whole.
    static let elisions: [[UInt8]] = ["jusqu'", "lorsqu'", "puisqu'", "qu'", "l'", "d'", "j'", "n'", "s'", "c'", "m'", "t'"]
        .map { Array($0.utf8) }
    /// English contraction suffixes (Penn Treebank): n't, 'll, 're, 've, 's, 'm, 'd.
    static let contractions: [[UInt8]] = ["n't", "'ll", "'re", "'ve", "'s", "'m", "'d"].map { Array($0.utf8) }

    let splitsElisions: Bool
    let splitsContractions: Bool

    /// `language` is a BCP 47 tag or ICU locale ("fr", "fr-CA", "en_US"); its primary subtag picks the rules.
    init(language: String) {
        let primary = language.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        splitsElisions = primary == "fr"
        splitsContractions = primary == "en"
    }

    /// Splits the word run bytes[start..<end] into token spans appended to `spans`.
    /// Elision spans are marked `.elision` and contraction spans `.contraction`: they attach to
    /// their neighbour without whitespace by construction.
    func splitWord(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into spans: inout [TokenSpan]) {
        // ICU counts "@" as a letter ("a@b.com" is one word). It becomes its own punctuation
        // token in every language, so no token ends in "@@", BPE's continuation mark.
        var p = start
        for i in start..<end where bytes[i] == 0x40 {
            if i > p { splitLanguage(bytes, p, i, into: &spans) }
            spans.append(TokenSpan(start: i, end: i + 1, kind: .punctuation, glue: .none))
            p = i + 1
        }
        if p < end { splitLanguage(bytes, p, end, into: &spans) }
    }

    private func splitLanguage(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into spans: inout [TokenSpan]) {
        guard (splitsElisions || splitsContractions), Self.containsApostrophe(bytes, start, end) else {
            spans.append(TokenSpan(start: start, end: end, kind: .word, glue: .none))
            return
        }
        var p = start
        if splitsElisions {
            outer: while true {
                for pattern in Self.elisions {
                    if let n = Self.match(pattern, bytes, at: p, limit: end), p + n < end {
                        spans.append(TokenSpan(start: p, end: p + n, kind: .word, glue: .elision))
                        p += n
                        continue outer
                    }
                }
                break
            }
        }
        guard splitsContractions else {
            spans.append(TokenSpan(start: p, end: end, kind: .word, glue: .none))
            return
        }
        // Strip suffixes from the end; a suffix needs a non-empty stem before it.
        var e = end
        var suffixes: [TokenSpan] = []
        outer: while true {
            for pattern in Self.contractions {
                if let s = Self.matchSuffix(pattern, bytes, end: e, limit: p), s > p {
                    suffixes.append(TokenSpan(start: s, end: e, kind: .word, glue: .contraction))
                    e = s
                    continue outer
                }
            }
            break
        }
        if e > p {
            // A bare "n't" (e.g. already Penn-tokenised input "do n't") would glue to the word
            // before it when pieces become text again and lose its space, so it becomes n|'t.
            if let n = Self.match(Self.contractions[0], bytes, at: p, limit: e), p + n == e {
                spans.append(TokenSpan(start: p, end: p + 1, kind: .word, glue: .none))
                spans.append(TokenSpan(start: p + 1, end: e, kind: .word, glue: .none))
            } else {
                spans.append(TokenSpan(start: p, end: e, kind: .word, glue: .none))
            }
        }
        spans.append(contentsOf: suffixes.reversed())
    }

    /// True when `piece` (without joiner markers) is an elision prefix: no space follows it.
    func gluesToNext(_ piece: UnsafeBufferPointer<UInt8>) -> Bool {
        guard splitsElisions else { return false }
        for pattern in Self.elisions where Self.match(pattern, piece, at: 0, limit: piece.count) == piece.count {
            return true
        }
        return false
    }

    /// True when `piece` (without joiner markers) is a contraction suffix: no space precedes it.
    func gluesToPrevious(_ piece: UnsafeBufferPointer<UInt8>) -> Bool {
        guard splitsContractions else { return false }
        for pattern in Self.contractions where Self.match(pattern, piece, at: 0, limit: piece.count) == piece.count {
            return true
        }
        return false
    }

    // MARK: - Byte matching

    static func containsApostrophe(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end {
            let b = bytes[i]
            if b == 0x27 { return true }
            if b == 0xE2, i + 2 < end, bytes[i + 1] == 0x80, bytes[i + 2] == 0x99 { return true }
            i += 1
        }
        return false
    }

    /// Matches `pattern` (lowercase ASCII letters and ' for either apostrophe) case-insensitively
    /// at bytes[at...], not reading at or past `limit`. Returns the number of bytes matched.
    static func match(_ pattern: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, at: Int, limit: Int) -> Int? {
        var i = at
        for p in pattern {
            guard i < limit else { return nil }
            let b = bytes[i]
            if p == 0x27 {
                if b == 0x27 {
                    i += 1
                } else if b == 0xE2, i + 2 < limit, bytes[i + 1] == 0x80, bytes[i + 2] == 0x99 {
                    i += 3
                } else {
                    return nil
                }
            } else {
                // ASCII letters only: folding with 0x20 maps A–Z onto a–z and nothing else onto a–z.
                guard b | 0x20 == p, (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) else { return nil }
                i += 1
            }
        }
        return i - at
    }

    /// Where `pattern` starts if it ends exactly at `end` (not starting before `limit`).
    static func matchSuffix(_ pattern: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, end: Int, limit: Int) -> Int? {
        // The apostrophe is 1 byte (') or 3 bytes (’); every other pattern byte is one byte.
        let hasApostrophe = pattern.contains(0x27)
        for width in hasApostrophe ? [1, 3] : [0] {
            let start = end - (pattern.count + (width == 3 ? 2 : 0))
            if start >= limit, match(pattern, bytes, at: start, limit: end) == end - start { return start }
        }
        return nil
    }
}

/// A token found in the processed text: a byte range plus how it joins its neighbours.
struct TokenSpan: Sendable {
    enum Glue: UInt8, Sendable { case none, elision, contraction }
    var start: Int
    var end: Int
    var kind: Token.Kind
    var glue: Glue
}
