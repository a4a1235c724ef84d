// A vocabulary: token strings ↔ Int32 ids, with the four specials at fixed ids, and its
// file format ("token<TAB>count", one per line, specials first with count 0).
//
// Order: specials <pad>=0 <unk>=1 <s>=2 </s>=3, then tokens by count descending; equal counts
// are ordered by the token's UTF-8 bytes (Unicode code point order), so the same counts always
// give the same ids.

/// Token strings ↔ ids. Ids are Int32 (what the model's embedding lookup takes).
public struct Vocabulary: Equatable, Sendable {
    public static let pad: Int32 = 0
    public static let unk: Int32 = 1
    public static let bos: Int32 = 2
    public static let eos: Int32 = 3
    /// The specials, in id order.
    public static let specials = ["<pad>", "<unk>", "<s>", "</s>"]

    /// Token strings by id: tokens[0..<4] are the specials.
    public let tokens: [String]
    /// Training counts by id (0 for the specials).
    public let counts: [Int]
    private let ids: [String: Int32]

    /// Builds a vocabulary from token counts. Keeps tokens seen at least `minCount` times, at
    /// most `maxSize` entries in all (specials included; nil = no limit). Tokens equal to a
    /// special are ignored. Throws `.invalidOption` when maxSize < 4 or minCount < 1.
    public init(counts: [String: Int], minCount: Int = 1, maxSize: Int? = nil) throws {
        guard minCount >= 1 else {
            throw TextError(.invalidOption, "--min-count must be at least 1 (got \(minCount))")
        }
        if let maxSize, maxSize < Self.specials.count {
            throw TextError(.invalidOption, "--max-size must be at least \(Self.specials.count), room for the special tokens \(Self.specials.joined(separator: " ")) (got \(maxSize))")
        }
        let specials = Set(Self.specials)
        var kept = counts.filter { $0.value >= minCount && !specials.contains($0.key) && !$0.key.isEmpty }
            .map { (token: $0.key, count: $0.value) }
        kept.sort { a, b in
            a.count != b.count ? a.count > b.count : a.token.utf8.lexicographicallyPrecedes(b.token.utf8)
        }
        if let maxSize, kept.count > maxSize - Self.specials.count {
            kept.removeLast(kept.count - (maxSize - Self.specials.count))
        }
        try self.init(tokens: Self.specials + kept.map(\.token),
                      counts: Array(repeating: 0, count: Self.specials.count) + kept.map(\.count),
                      origin: "vocabulary")
    }

    /// A vocabulary with exactly these entries (the first four must be the specials).
    init(tokens: [String], counts: [Int], origin: String) throws {
        guard tokens.count >= Self.specials.count, Array(tokens[0..<Self.specials.count]) == Self.specials else {
            throw TextError(.badFormat, "\(origin): a vocabulary must start with \(Self.specials.joined(separator: " "))")
        }
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (i, token) in tokens.enumerated() {
            if ids.updateValue(Int32(i), forKey: token) != nil {
                throw TextError(.badFormat, "\(origin):\(i + 1): duplicate token '\(token)'")
            }
        }
        self.tokens = tokens
        self.counts = counts
        self.ids = ids
    }

    /// Number of entries, specials included (V).
    public var count: Int { tokens.count }

    /// The id of `token`, or `Vocabulary.unk`.
    @inline(__always)
    public func id(_ token: String) -> Int32 { ids[token] ?? Self.unk }

    /// Whether `token` has its own id.
    public func contains(_ token: String) -> Bool { ids[token] != nil }

    /// The token for `id`; out-of-range ids give "<unk>".
    public func token(_ id: Int32) -> String {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : Self.specials[Int(Self.unk)]
    }

    /// Shape: [n] tokens → [n] ids (no BOS/EOS added).
    public func encode(_ tokens: [String]) -> [Int32] { tokens.map { id($0) } }

    /// Shape: [n] ids → [n] tokens, specials included.
    public func decode<S: Sequence<Int32>>(_ ids: S) -> [String] { ids.map { token($0) } }

    public static func == (a: Vocabulary, b: Vocabulary) -> Bool { a.tokens == b.tokens && a.counts == b.counts }

    // MARK: - File format

    /// The file: "token<TAB>count" per line, specials first with count 0.
    public var fileContents: String {
        var text = ""
        text.reserveCapacity(tokens.count * 12)
        for (token, count) in zip(tokens, counts) {
            text += token
            text += "\t"
            text += String(count)
            text += "\n"
        }
        return text
    }

    /// Parses a vocabulary file's text; `origin` names it in errors ("src.vocab").
    public init(fileContents text: String, origin: String) throws {
        var parser = VocabularyParser(origin: origin)
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            try parser.add(line.hasSuffix("\r") ? line.dropLast() : line, number: number)
        }
        try self.init(tokens: parser.tokens, counts: parser.counts, origin: origin)
    }

    public init(contentsOfFile path: String) throws {
        var parser = VocabularyParser(origin: path)
        try forEachLine(ofFile: path) { line, number in try parser.add(Substring(line), number: number) }
        try self.init(tokens: parser.tokens, counts: parser.counts, origin: path)
    }

    /// Writes the vocabulary file atomically.
    public func write(toFile path: String) throws {
        try writeFileAtomically(fileContents, to: path)
    }
}

private struct VocabularyParser {
    let origin: String
    var tokens: [String] = []
    var counts: [Int] = []
    var trailingEmpty = false

    init(origin: String) { self.origin = origin }

    mutating func add(_ line: Substring, number: Int) throws {
        if line.isEmpty {
            trailingEmpty = true  // allowed only as the very end of the file
            return
        }
        if trailingEmpty {
            throw TextError(.badFormat, "\(origin):\(number - 1): empty line; every line must be 'token<TAB>count'")
        }
        guard let tab = line.firstIndex(of: "\t") else {
            throw TextError(.badFormat, "\(origin):\(number): expected 'token<TAB>count', found no tab")
        }
        let token = line[..<tab], countText = line[line.index(after: tab)...]
        guard !token.isEmpty else {
            throw TextError(.badFormat, "\(origin):\(number): empty token before the tab")
        }
        guard let count = Int(countText), count >= 0 else {
            throw TextError(.badFormat, "\(origin):\(number): count '\(countText)' is not a non-negative integer")
        }
        if tokens.count < Vocabulary.specials.count, token != Vocabulary.specials[tokens.count] {
            throw TextError(.badFormat, "\(origin):\(number): expected the special token \(Vocabulary.specials[tokens.count]) here; a vocabulary starts with \(Vocabulary.specials.joined(separator: " "))")
        }
        tokens.append(String(token))
        counts.append(count)
    }
}
