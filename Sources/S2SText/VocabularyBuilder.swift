// Building vocabularies from a parallel corpus: count the tokenizer's pieces on each side, optionally learn
// joint BPE merges over both sides, then keep the units seen at least `minCount` times. `s2s vocab` writes
// the result to a directory; `s2s train` builds it on the fly when no directory is given.

public struct VocabularySettings: Codable, Equatable, Sendable {
    public var sourceLanguage = "en"
    public var targetLanguage = "fr"
    public var lowercase = false
    public var minCount = 1
    public var maxSize: Int? = nil
    public var bpeMerges: Int? = nil   // nil: whole words (or characters)
    /// Character units (ICU grapheme clusters); excludes BPE.
    public var characters = false
    public init() {}
}

public enum VocabularyBuilder {
    /// Piece counts of each side, as the tokenizer makes them.
    public static func countPieces(
        sources: [String], targets: [String], source: Tokenizer, target: Tokenizer
    ) -> (source: [String: Int], target: [String: Int]) {
        var sourceCounts: [String: Int] = [:], targetCounts: [String: Int] = [:]
        var pieces: [String] = []
        for line in sources {
            pieces.removeAll(keepingCapacity: true)
            source.appendPieces(of: line, to: &pieces)
            for p in pieces { sourceCounts[p, default: 0] += 1 }
        }
        for line in targets {
            pieces.removeAll(keepingCapacity: true)
            target.appendPieces(of: line, to: &pieces)
            for p in pieces { targetCounts[p, default: 0] += 1 }
        }
        return (sourceCounts, targetCounts)
    }

    /// Counts of the units a vocabulary holds: BPE subwords or characters of each piece, or the pieces themselves.
    /// With characters, the space unit is counted once per piece (an upper bound: pieces joined without a
    /// space have none between them); the count only orders the vocabulary.
    public static func unitCounts(_ pieceCounts: [String: Int], _ subwords: Subwords) -> [String: Int] {
        if case .words = subwords { return pieceCounts }
        var counts: [String: Int] = [:]
        for (piece, count) in pieceCounts {
            for unit in subwords.segment(piece) { counts[unit, default: 0] += count }
            if case .characters = subwords { counts[Subwords.space, default: 0] += count }
        }
        return counts
    }

    /// Learns joint BPE (when asked) and builds both vocabularies.
    public static func build(
        pieceCounts: (source: [String: Int], target: [String: Int]), settings: VocabularySettings, bpe given: BPE? = nil
    ) throws -> VocabularySet {
        var bpe = given
        if bpe == nil, !settings.characters, let merges = settings.bpeMerges {
            var joint = pieceCounts.source
            for (piece, count) in pieceCounts.target { joint[piece, default: 0] += count }
            bpe = BPE.learn(pieceCounts: joint, merges: merges)
        }
        let subwords: Subwords = settings.characters ? .characters : bpe.map { .bpe($0) } ?? .words
        let source = try Vocabulary(counts: unitCounts(pieceCounts.source, subwords), minCount: settings.minCount, maxSize: settings.maxSize)
        let target = try Vocabulary(counts: unitCounts(pieceCounts.target, subwords), minCount: settings.minCount, maxSize: settings.maxSize)
        return VocabularySet(
            source: source, target: target, bpe: settings.characters ? nil : bpe,
            sourceOptions: TokenizerOptions(language: settings.sourceLanguage, lowercase: settings.lowercase),
            targetOptions: TokenizerOptions(language: settings.targetLanguage, lowercase: settings.lowercase),
            characters: settings.characters)
    }

    /// Reads, tokenizes and counts the corpus, then builds the vocabularies.
    public static func build(sources: [String], targets: [String], settings: VocabularySettings) throws -> VocabularySet {
        let s = try Tokenizer(TokenizerOptions(language: settings.sourceLanguage, lowercase: settings.lowercase))
        let t = try Tokenizer(TokenizerOptions(language: settings.targetLanguage, lowercase: settings.lowercase))
        return try build(pieceCounts: countPieces(sources: sources, targets: targets, source: s, target: t), settings: settings)
    }
}
