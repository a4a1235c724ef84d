// Corpus BLEU with sacreBLEU 2.x's defaults: `sacrebleu.corpus_bleu(hypotheses, [references])`.
//
// Defaults that sacreBLEU fixes and we follow: 13a tokenization after Python's rstrip(), case kept,
// n-grams up to order 4, "exp" smoothing, no effective order, and with several references the
// clip is the maximum count over references and the reference length is the one closest to the
// hypothesis length (the shorter one on a tie).

/// Corpus-level BLEU, identical to sacreBLEU 2.x's `corpus_bleu` with default arguments.
public enum BLEU {
    /// Highest n-gram order (sacreBLEU's MAX_NGRAM_ORDER).
    public static let maxOrder = 4

    /// Scores line-aligned hypotheses against one reference per segment.
    public static func corpusScore(hypotheses: [String], references: [String]) throws(EvalError) -> BLEUScore {
        try corpusStatistics(hypotheses: hypotheses, referenceStreams: [references]).score
    }

    /// Scores hypotheses against one or more reference streams: `referenceStreams[r][i]` is the r-th
    /// reference of segment i (sacreBLEU's `refs` argument).
    public static func corpusScore(hypotheses: [String], referenceStreams: [[String]]) throws(EvalError) -> BLEUScore {
        try corpusStatistics(hypotheses: hypotheses, referenceStreams: referenceStreams).score
    }

    /// The summed statistics behind `corpusScore`.
    public static func corpusStatistics(
        hypotheses: [String], referenceStreams: [[String]]
    ) throws(EvalError) -> BLEUStatistics {
        try checkAlignment(hypotheses: hypotheses, referenceStreams: referenceStreams)
        var scorer = BLEUSegmentScorer()
        var total = BLEUStatistics(maxOrder: maxOrder)
        for i in hypotheses.indices {
            scorer.add(hypothesis: hypotheses[i], referenceStreams: referenceStreams, segment: i, to: &total)
        }
        return total
    }
}

/// Throws unless there is at least one reference stream and each has one entry per hypothesis.
func checkAlignment(hypotheses: [String], referenceStreams: [[String]]) throws(EvalError) {
    guard !referenceStreams.isEmpty else { throw .noReferences }
    for (r, stream) in referenceStreams.enumerated() where stream.count != hypotheses.count {
        throw .referenceCountMismatch(stream: r, segments: stream.count, hypotheses: hypotheses.count)
    }
}

/// Per-segment BLEU work with buffers reused across segments.
private struct BLEUSegmentScorer {
    private var encoder = TokenIDEncoder()
    private let matcher = NgramMatcher()
    private var hypothesisIDs: [UInt32] = []
    private var referenceIDs: [UInt32] = []
    private var referenceEnds: [Int] = []
    private var matches: [Int] = Array(repeating: 0, count: BLEU.maxOrder)

    mutating func add(hypothesis: String, referenceStreams: [[String]], segment: Int, to total: inout BLEUStatistics) {
        referenceIDs.removeAll(keepingCapacity: true)
        referenceEnds.removeAll(keepingCapacity: true)
        for stream in referenceStreams {
            encoder.encode(stream[segment], appendingTo: &referenceIDs)
            referenceEnds.append(referenceIDs.count)
        }
        hypothesisIDs.removeAll(keepingCapacity: true)
        encoder.encode(hypothesis, appendingTo: &hypothesisIDs)

        matcher.countMatches(
            hypothesis: hypothesisIDs, references: referenceIDs, referenceEnds: referenceEnds,
            maxOrder: BLEU.maxOrder, matches: &matches)

        let hypLength = hypothesisIDs.count
        total.hypothesisLength += hypLength
        total.referenceLength += closestReferenceLength(to: hypLength)
        for n in 1...BLEU.maxOrder {
            total.matches[n - 1] += matches[n - 1]
            total.totals[n - 1] += max(0, hypLength - n + 1)
        }
    }

    /// The reference length nearest `hypLength`; on a tie, the shorter reference.
    private func closestReferenceLength(to hypLength: Int) -> Int {
        var best = -1, bestDiff = -1
        var start = 0
        for end in referenceEnds {
            let length = end - start
            let diff = abs(hypLength - length)
            if bestDiff == -1 || diff < bestDiff || (diff == bestDiff && length < best) {
                best = length
                bestDiff = diff
            }
            start = end
        }
        return best
    }
}

/// A line → 13a tokens (after Python's rstrip(), as sacreBLEU's BLEU does) → token ids.
private struct TokenIDEncoder {
    private let tokenizer = Tokenizer13aWorkspace()
    private var interner = TokenInterner()

    mutating func encode(_ line: String, appendingTo ids: inout [UInt32]) {
        tokenizer.tokenize(line, stripTrailingWhitespace: true)
        let scalars = tokenizer.tokenScalars.bufferPointer
        var start = 0
        for end in tokenizer.tokenEnds.bufferPointer {
            ids.append(interner.intern(scalars, start..<end))
            start = end
        }
    }
}
