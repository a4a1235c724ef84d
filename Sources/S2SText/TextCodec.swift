// TextCodec: one side's whole text pipeline, line ↔ ids. This is what training and
// translation call: tokenize → pieces → units (BPE subwords, characters or whole pieces) → ids, and back.
//
// Encoding caches each distinct piece's subwords and ids, so after warm-up a line costs one
// tokenizer pass plus dictionary lookups. A codec holds a Tokenizer (an ICU iterator and
// buffers) and its cache: not thread-safe, make one per thread (they are cheap).

/// Encodes and decodes one side (source or target) of the translation.
public final class TextCodec {
    public let tokenizer: Tokenizer
    public let vocabulary: Vocabulary
    public let subwords: Subwords
    /// Each distinct piece's subwords and ids, as a range of the two arenas below (flat arrays, so
    /// a cache hit retains no per-entry array).
    private var cache: [String: Range<Int32>] = [:]
    private var arenaIDs: [Int32] = []
    private var arenaSubwords: [String] = []
    private var piecesBuffer: [String] = []

    /// Throws what `Tokenizer.init` throws (bad language tag, ICU failure).
    public init(options: TokenizerOptions, vocabulary: Vocabulary, subwords: Subwords) throws {
        self.tokenizer = try Tokenizer(options)
        self.vocabulary = vocabulary
        self.subwords = subwords
    }

    /// BPE subwords with merges, whole pieces without.
    public convenience init(options: TokenizerOptions, vocabulary: Vocabulary, bpe: BPE?) throws {
        try self.init(options: options, vocabulary: vocabulary, subwords: bpe.map { .bpe($0) } ?? .words)
    }

    /// Encodes one line. Shape: `ids` [n] and `pieces` [n], position by position (pieces are the
    /// BPE subwords the ids stand for); no BOS/EOS. Empty or whitespace-only lines give [].
    /// Unknown subwords become `Vocabulary.unk` (with BPE, only characters never seen in training).
    public func encode(_ line: String) -> (ids: [Int32], pieces: [String]) {
        piecesBuffer.removeAll(keepingCapacity: true)
        tokenizer.appendPieces(of: line, to: &piecesBuffer)
        if case .characters = subwords {
            // The line as the tokenizer normalises it, character by character.
            let units = Subwords.characters(ofLine: tokenizer.detokenize(pieces: piecesBuffer))
            return (units.map { vocabulary.id($0) }, units)
        }
        return encode(pieces: piecesBuffer)
    }

    /// Encodes pieces that are already tokenized (e.g. `Tokenizer.pieces(_:)` output).
    public func encode<S: Sequence<String>>(pieces: S) -> (ids: [Int32], pieces: [String]) {
        var ids: [Int32] = []
        var subwords: [String] = []
        ids.reserveCapacity(pieces.underestimatedCount * 2)
        subwords.reserveCapacity(pieces.underestimatedCount * 2)
        for piece in pieces {
            let cached = lookup(piece)
            let range = Int(cached.lowerBound)..<Int(cached.upperBound)
            ids.append(contentsOf: arenaIDs[range])
            subwords.append(contentsOf: arenaSubwords[range])
        }
        return (ids, subwords)
    }

    /// Decodes ids to text: drops <pad>, <s> and </s>, writes <unk> as `unknown` (dropped when
    /// nil), joins BPE subwords, then detokenizes the pieces. Total: any ids give some text.
    public func decode<S: Sequence<Int32>>(_ ids: S, unknown: String? = nil) -> String {
        var subwords: [String] = []
        subwords.reserveCapacity(ids.underestimatedCount)
        for id in ids {
            switch id {
            case Vocabulary.pad, Vocabulary.bos, Vocabulary.eos: continue
            case Vocabulary.unk:
                if let unknown { subwords.append(unknown) }
            default:
                // Ids outside the vocabulary count as unknown.
                if id < 0 || Int(id) >= vocabulary.count {
                    if let unknown { subwords.append(unknown) }
                } else {
                    subwords.append(vocabulary.tokens[Int(id)])
                }
            }
        }
        return render(units: subwords)
    }

    /// Text from units (subwords, characters or pieces), as `decode` makes it.
    public func render(units: [String]) -> String {
        switch subwords {
        case .characters: return units.map { $0 == Subwords.space ? " " : $0 }.joined()
        case .bpe: return tokenizer.detokenize(pieces: BPE.join(units))
        case .words: return tokenizer.detokenize(pieces: units)
        }
    }

    private func lookup(_ piece: String) -> Range<Int32> {
        if let range = cache[piece] { return range }
        let vocabulary = self.vocabulary
        let subwords = self.subwords.segment(piece, isKnown: { vocabulary.contains($0) })
        // A bounded cache: model output or huge corpora cannot grow it without limit.
        if arenaIDs.count + subwords.count >= 1 << 22 {
            cache.removeAll(keepingCapacity: true)
            arenaIDs.removeAll(keepingCapacity: true)
            arenaSubwords.removeAll(keepingCapacity: true)
        }
        let start = Int32(arenaIDs.count)
        for subword in subwords {
            arenaIDs.append(vocabulary.id(subword))
            arenaSubwords.append(subword)
        }
        let range = start..<Int32(arenaIDs.count)
        cache[piece] = range
        return range
    }
}
