// Byte-pair encoding over pieces (Sennrich et al. 2016, subword-nmt conventions): the merge
// list, applying it to pieces, joining subwords back, and the merges file. Learning lives in
// BPELearner.swift.
//
// Conventions:
// - Units are Swift Characters (extended grapheme clusters), so an emoji ZWJ sequence or a
//   letter with its combining marks is never cut. The last unit of a word carries "</w>"
//   while merging, so word-final subwords differ from word-internal ones.
// - Joiner markers "￭" are not part of BPE: a piece's markers are removed, its core is
//   segmented, and the markers go back on the first/last subword ("￭Peking" → "￭Pek@@" "ing").
// - Every subword but a piece's last ends in "@@" (subword-nmt), so
//   `BPE.join(bpe.segment(pieces)) == pieces` exactly. Tokens never end in "@@" ("@" is always
//   its own punctuation token), so the marker is unambiguous.
// - One merge list is learned over both languages (joint BPE): English and French share most
//   of their alphabet, names and numbers, so shared merges split those the same way on both
//   sides, and one list is simpler to store. Each side still has its own vocabulary.

private let joinerScalar: Unicode.Scalar = "\u{FFED}"

/// A learned BPE merge list, applied to pieces.
public struct BPE: Equatable, Sendable {
    /// One merge: the adjacent symbols `left` `right` become `left + right`.
    public struct Merge: Hashable, Sendable {
        public var left: String
        public var right: String
        public init(_ left: String, _ right: String) {
            self.left = left
            self.right = right
        }
    }

    /// Suffix of every subword that is not the last of its piece.
    public static let continuation = "@@"
    /// Marks a word's last symbol during merging (and in the merges file).
    public static let endOfWord = "</w>"
    /// First line of a merges file.
    public static let fileHeader = "#s2s-bpe v1"

    /// The merges in the order they were learned (earlier = applied first).
    public let merges: [Merge]
    private let ranks: [Merge: Int]
    /// For each merged symbol, the earliest merge producing it (to split unknown subwords again).
    private let components: [String: Merge]

    /// Merges as learned; a repeated merge keeps its first rank.
    public init(merges: [Merge]) {
        self.merges = merges
        var ranks: [Merge: Int] = [:]
        var components: [String: Merge] = [:]
        ranks.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() where ranks[merge] == nil {
            ranks[merge] = rank
            let product = merge.left + merge.right
            if components[product] == nil { components[product] = merge }
        }
        self.ranks = ranks
        self.components = components
    }

    public static func == (a: BPE, b: BPE) -> Bool { a.merges == b.merges }

    // MARK: - Applying

    /// Splits one piece into subwords. `isKnown`, when given, is asked about each rendered
    /// subword; an unknown one is split back into the two symbols that formed it, repeatedly,
    /// down to single characters (subword-nmt's vocabulary filter). Deterministic.
    /// Shape: a non-empty piece gives 1...n subwords; "" gives [""].
    public func segment(_ piece: String, isKnown: ((String) -> Bool)? = nil) -> [String] {
        var out: [String] = []
        Self.withCore(of: piece, whole: { out.append(piece) }) { core, lead, trail in
            let spans = Self.spans(of: core)
            let symbols = spans.indices.flatMap { mergedSymbols(spans[$0], endsWord: $0 == spans.count - 1) }
            out.reserveCapacity(symbols.count)
            for (i, symbol) in symbols.enumerated() {
                let first = i == 0, last = i == symbols.count - 1
                if let isKnown {
                    expand(symbol, first: first, last: last, lead: lead, trail: trail, isKnown: isKnown, into: &out)
                } else {
                    out.append(Self.render(symbol, first: first, last: last, lead: lead, trail: trail))
                }
            }
        }
        return out
    }

    /// Merging costs more than linear time in a word's length, so a "word" of a million letters (a
    /// stranger's input) would take minutes. No real word comes near `longestMergedSpan` characters:
    /// longer cores are merged span by span, and merges never cross a span's end.
    static let longestMergedSpan = 64

    static func spans(of core: Substring) -> [Substring] {
        guard core.count > longestMergedSpan else { return [core] }
        var out: [Substring] = []
        var start = core.startIndex
        while start < core.endIndex {
            let end = core.index(start, offsetBy: longestMergedSpan, limitedBy: core.endIndex) ?? core.endIndex
            out.append(core[start..<end])
            start = end
        }
        return out
    }

    /// A piece's core without its joiner markers, and which markers it had; `whole` when it has no core.
    static func withCore(of piece: String, whole: () -> Void, _ body: (Substring, Bool, Bool) -> Void) {
        // Markers and "@@" are found by Unicode scalars, not Characters: a combining mark after
        // a marker would otherwise fuse with it into one Character.
        var core = Substring(piece).unicodeScalars
        let lead = core.count > 1 && core.first == joinerScalar
        if lead { core = core.dropFirst() }
        let trail = core.count > 1 && core.last == joinerScalar
        if trail { core = core.dropLast() }
        if core.isEmpty { whole() } else { body(Substring(core), lead, trail) }
    }

    /// Splits every piece; see `segment(_:isKnown:)`.
    public func segment(_ pieces: [String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(pieces.count * 2)
        for piece in pieces { out.append(contentsOf: segment(piece)) }
        return out
    }

    /// Joins subwords back into pieces: a subword ending in "@@" continues into the next one.
    /// Total on arbitrary input; a dangling "@@" at the end just ends the last piece.
    public static func join<S: Sequence<String>>(_ subwords: S) -> [String] {
        var out: [String] = []
        var pending = ""
        var open = false
        for subword in subwords {
            // Byte-level test ("@" is ASCII): never fooled by how Characters cluster.
            if subword.utf8.count >= 2, subword.utf8.suffix(2).elementsEqual("@@".utf8) {
                pending += String(decoding: subword.utf8.dropLast(2), as: UTF8.self)
                open = true
            } else {
                pending += subword
                out.append(pending)
                pending = ""
                open = false
            }
        }
        if open && !pending.isEmpty { out.append(pending) }
        return out
    }

    /// The core's symbols after applying merges in rank order; the last one ends in "</w>".
    func mergedSymbols(_ core: Substring, endsWord: Bool = true) -> [String] {
        var symbols = core.map { String($0) }
        if endsWord { symbols[symbols.count - 1] += Self.endOfWord }
        while symbols.count > 1 {
            var bestRank = Int.max, best: Merge? = nil
            for i in 0..<(symbols.count - 1) {
                let pair = Merge(symbols[i], symbols[i + 1])
                if let rank = ranks[pair], rank < bestRank {
                    bestRank = rank
                    best = pair
                }
            }
            guard let merge = best else { break }
            var merged: [String] = []
            merged.reserveCapacity(symbols.count - 1)
            var i = 0
            while i < symbols.count {
                if i + 1 < symbols.count, symbols[i] == merge.left, symbols[i + 1] == merge.right {
                    merged.append(merge.left + merge.right)
                    i += 2
                } else {
                    merged.append(symbols[i])
                    i += 1
                }
            }
            symbols = merged
        }
        return symbols
    }

    private func expand(_ symbol: String, first: Bool, last: Bool, lead: Bool, trail: Bool,
                        isKnown: (String) -> Bool, into out: inout [String]) {
        let rendered = Self.render(symbol, first: first, last: last, lead: lead, trail: trail)
        guard !isKnown(rendered), let parts = components[symbol] else {
            out.append(rendered)
            return
        }
        expand(parts.left, first: first, last: false, lead: lead, trail: trail, isKnown: isKnown, into: &out)
        expand(parts.right, first: false, last: last, lead: lead, trail: trail, isKnown: isKnown, into: &out)
    }

    private static func render(_ symbol: String, first: Bool, last: Bool, lead: Bool, trail: Bool) -> String {
        var s = symbol
        if last {
            if s.utf8.count > 4, s.utf8.suffix(4).elementsEqual(endOfWord.utf8) {
                s = String(decoding: s.utf8.dropLast(4), as: UTF8.self)
            }
            if trail { s += joinerMarker }
        } else {
            s += continuation
        }
        if first && lead { s = joinerMarker + s }
        return s
    }

    // MARK: - Merges file

    /// The merges file: "#s2s-bpe v1", then one "left right" pair per line.
    public var fileContents: String {
        var text = Self.fileHeader + "\n"
        for merge in merges { text += "\(merge.left) \(merge.right)\n" }
        return text
    }

    /// Parses a merges file's text; `origin` names it in errors ("bpe.merges").
    public init(fileContents text: String, origin: String) throws {
        var parser = MergesParser(origin: origin)
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            try parser.add(line.hasSuffix("\r") ? line.dropLast() : line, number: number)
        }
        self.init(merges: try parser.finish())
    }

    public init(contentsOfFile path: String) throws {
        var parser = MergesParser(origin: path)
        try forEachLine(ofFile: path) { line, number in try parser.add(Substring(line), number: number) }
        self.init(merges: try parser.finish())
    }

    /// Writes the merges file atomically.
    public func write(toFile path: String) throws {
        try writeFileAtomically(fileContents, to: path)
    }
}

private struct MergesParser {
    let origin: String
    var merges: [BPE.Merge] = []
    var sawHeader = false
    var lastLine = 0

    init(origin: String) { self.origin = origin }

    mutating func add(_ line: Substring, number: Int) throws {
        lastLine = number
        if !sawHeader {
            guard line == BPE.fileHeader else {
                throw TextError(.badFormat, "\(origin):\(number): expected the header '\(BPE.fileHeader)'; this is not an s2s merges file")
            }
            sawHeader = true
            return
        }
        if line.isEmpty { return }  // the newline at the end of the file
        let fields = line.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 2, !fields[0].isEmpty, !fields[1].isEmpty,
              !line.contains(where: { $0 == "\t" || $0.isNewline }) else {
            throw TextError(.badFormat, "\(origin):\(number): expected two symbols separated by one space, found '\(line)'")
        }
        merges.append(BPE.Merge(String(fields[0]), String(fields[1])))
    }

    func finish() throws -> [BPE.Merge] {
        guard sawHeader else {
            throw TextError(.badFormat, "\(origin):1: empty file; expected the header '\(BPE.fileHeader)'")
        }
        return merges
    }
}
