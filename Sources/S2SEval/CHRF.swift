// Corpus chrF with sacreBLEU 2.x's defaults: `sacrebleu.corpus_chrf(hypotheses, [references])`.
//
// Defaults that sacreBLEU fixes and we follow: character n-grams of orders 1–6 over Unicode
// scalars (Python code points) after deleting every Python-whitespace scalar, no word n-grams,
// beta 2, case kept, no epsilon smoothing. With several references each segment keeps the
// statistics of the reference with the best sentence-level chrF (the first one on a tie).

/// Corpus-level chrF, identical to sacreBLEU 2.x's `corpus_chrf` with default arguments.
public enum CHRF {
    /// Character n-gram order (sacreBLEU's CHAR_ORDER).
    public static let charOrder = 6
    /// Recall weight (sacreBLEU's BETA).
    public static let beta = 2

    /// Scores line-aligned hypotheses against one reference per segment.
    public static func corpusScore(hypotheses: [String], references: [String]) throws(EvalError) -> CHRFScore {
        try corpusStatistics(hypotheses: hypotheses, referenceStreams: [references]).score
    }

    /// Scores hypotheses against one or more reference streams: `referenceStreams[r][i]` is the r-th
    /// reference of segment i.
    public static func corpusScore(hypotheses: [String], referenceStreams: [[String]]) throws(EvalError) -> CHRFScore {
        try corpusStatistics(hypotheses: hypotheses, referenceStreams: referenceStreams).score
    }

    /// The summed statistics behind `corpusScore`.
    public static func corpusStatistics(
        hypotheses: [String], referenceStreams: [[String]]
    ) throws(EvalError) -> CHRFStatistics {
        try checkAlignment(hypotheses: hypotheses, referenceStreams: referenceStreams)
        let scorer = CHRFSegmentScorer()
        var total = CHRFStatistics()
        for i in hypotheses.indices {
            total += scorer.statistics(hypothesis: hypotheses[i], referenceStreams: referenceStreams, segment: i)
        }
        return total
    }
}

/// Per-segment chrF work with buffers reused across segments.
private final class CHRFSegmentScorer {
    private let matcher = NgramMatcher()
    private var hypothesis = RawBuffer<UInt32>()
    private var reference = RawBuffer<UInt32>()
    private var referenceEnd: [Int] = [0]
    private var matches: [Int] = Array(repeating: 0, count: CHRF.charOrder)
    private var candidate = CHRFStatistics()

    deinit {
        hypothesis.deallocate()
        reference.deallocate()
    }

    func statistics(hypothesis line: String, referenceStreams: [[String]], segment: Int) -> CHRFStatistics {
        Self.loadWithoutWhitespace(line, into: &hypothesis)
        var best: CHRFStatistics?
        var bestScore = -1.0
        for stream in referenceStreams {
            Self.loadWithoutWhitespace(stream[segment], into: &reference)
            referenceEnd[0] = reference.count
            matcher.countMatches(
                hypothesis: hypothesis.bufferPointer, references: reference.bufferPointer,
                referenceEnds: referenceEnd, maxOrder: CHRF.charOrder, matches: &matches)
            for n in 1...CHRF.charOrder {
                let referenceNgrams = max(0, reference.count - n + 1)
                // sacreBLEU: "Don't count hits if no reference exists for that n-gram".
                candidate.hypothesisCounts[n - 1] = referenceNgrams > 0 ? max(0, hypothesis.count - n + 1) : 0
                candidate.referenceCounts[n - 1] = referenceNgrams
                candidate.matches[n - 1] = matches[n - 1]
            }
            if referenceStreams.count == 1 { return candidate }
            let score = candidate.fScore
            if score > bestScore {
                bestScore = score
                best = candidate
            }
        }
        return best ?? candidate
    }

    /// The scalars of `line` minus Python whitespace (sacreBLEU's `''.join(line.split())`).
    private static func loadWithoutWhitespace(_ line: String, into buffer: inout RawBuffer<UInt32>) {
        var local = buffer
        local.count = 0
        local.reserve(line.utf8.count)
        for scalar in line.unicodeScalars where !isPythonWhitespace(scalar.value) {
            local.append(scalar.value)
        }
        buffer = local
    }
}
