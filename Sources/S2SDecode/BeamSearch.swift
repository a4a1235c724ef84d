// Batched beam search. All live hypotheses of all sentences form the rows of one decoder step, so each
// step is one set of GEMMs however many sentences there are. A sentence leaves the batch as soon as no
// live hypothesis can still beat its best finished one, and the rows shrink with it.
//
// Each step, a sentence's candidates are the top K tokens of each of its live rows. Those ending in </s>
// among its K best become finished hypotheses; the K best others live on. Scores: a finished hypothesis is
// ranked by (Σ log p) / length^α, length counting </s>. A live hypothesis can only lose log-probability,
// so its best possible final score is (Σ log p) / maxLen^α. A sentence is done when it has K finished
// hypotheses (as in Marian; with K = 1 this is exactly greedy search), or when no live hypothesis can beat
// its best finished one (once it has the n-best asked for), or at its length limit. With several models
// (an ensemble), log p is their mean (Ensemble.swift).
import Foundation
import S2SNet

public struct BeamOptions: Sendable, Equatable {
    public var beam: Int = 5
    public var alpha: Float = 0.6            // length normalisation exponent; 0 ranks by raw log-probability
    public var limit = LengthLimit()
    public var nbest: Int = 1
    public var keepAttention = false
    /// Threads this search's own loops may use; set to 1 when several searches run side by side.
    public var threads = Parallel.workers
    public init(beam: Int = 5, alpha: Float = 0.6, limit: LengthLimit = LengthLimit(), nbest: Int = 1, keepAttention: Bool = false) {
        self.beam = beam
        self.alpha = alpha
        self.limit = limit
        self.nbest = nbest
        self.keepAttention = keepAttention
    }
}

/// A hypothesis with its normalised score.
public struct ScoredHypothesis: Sendable, Equatable {
    public var hypothesis: Hypothesis
    public var score: Float
}

/// Beam search over a batch. Returns, per sentence, up to `nbest` distinct hypotheses, best first.
/// With `columns`, only those target pieces are scored (a shortlist; see OutputColumns).
/// `scratch` (made with options.threads) keeps buffers between calls.
public func beamSearch(
    model: Seq2Seq, sources: [[Int32]], options: BeamOptions, columns: OutputColumns? = nil,
    scratch: SearchScratch? = nil
) -> [[ScoredHypothesis]] {
    beamSearch(members: [SearchMember(model: model, columns: columns, scratch: scratch)], sources: sources, options: options)
}

/// Beam search with an ensemble: tokens are ranked by the members' mean log-probability (Ensemble.swift).
/// One member is the search above.
public func beamSearch(members: [SearchMember], sources: [[Int32]], options: BeamOptions) -> [[ScoredHypothesis]] {
    if sources.isEmpty { return [] }
    let K = max(1, options.beam)
    let steps = MemberSteps(members, sources: sources, threads: options.threads)
    let V = steps.width, S = steps.S
    let maxLen = sources.map { options.limit.maxTokens(sourceLength: $0.count) }
    func normalised(_ logProb: Float, length: Int) -> Float {
        options.alpha == 0 ? logProb : logProb / powf(Float(max(length, 1)), options.alpha)
    }

    struct Live { var sentence: Int; var tokens: [Int32]; var logProb: Float; var attention: [[Float]] }
    var finished = [[ScoredHypothesis]](repeating: [], count: sources.count)
    var live: [Live] = sources.indices.map { Live(sentence: $0, tokens: [], logProb: 0, attention: []) }
    var sentence = live.map { Int32($0.sentence) }
    var previous = [Int32](repeating: SpecialIds.bos, count: live.count)
    var step = 0
    // Per-row top-K scratch, reused.
    var topIds = [Int32](repeating: 0, count: K), topLps = [Float](repeating: 0, count: K)

    while !live.isEmpty {
        let R = live.count
        let (scores, logZ) = steps.step(sentence: sentence, previous: previous)
        step += 1
        // Candidates per sentence: the top K tokens of each of its rows (the global top K are among them).
        struct Candidate { var row: Int; var token: Int32; var logProb: Float }
        var candidates: [Int: [Candidate]] = [:]
        for row in 0..<R {
            // Ranked by score (a logit, or an ensemble's mean log-probability), normalised afterwards: the
            // order within a row is the same.
            // A shortlist can be narrower than the beam: only its min(K, V) best exist.
            topK(scores + row * V, V, min(K, V), &topIds, &topLps)
            for k in 0..<min(K, V) {
                candidates[live[row].sentence, default: []].append(
                    Candidate(row: row, token: steps.token(Int(topIds[k])), logProb: live[row].logProb + (topLps[k] - logZ[row])))
            }
        }
        var nextLive: [Live] = []
        var parents: [Int] = []
        for s in candidates.keys.sorted() {
            let cands = candidates[s]!.sorted { ($0.logProb, -$0.row, -$0.token) > ($1.logProb, -$1.row, -$1.token) }
            var keptLive: [(Live, Int)] = []
            for (rank, c) in cands.enumerated() {
                if rank >= K && keptLive.count == K { break }
                let parent = live[c.row]
                if c.token == SpecialIds.eos && rank >= K { continue }
                if c.token != SpecialIds.eos && keptLive.count == K { continue }
                var attention = parent.attention
                if options.keepAttention {
                    attention.append(Array(UnsafeBufferPointer(start: steps.alpha + c.row * S, count: S)))
                }
                if c.token == SpecialIds.eos {
                    let hyp = Hypothesis(tokens: parent.tokens, logProb: c.logProb, attention: attention)
                    finished[s].append(ScoredHypothesis(hypothesis: hyp, score: normalised(c.logProb, length: step)))
                } else {
                    keptLive.append((Live(sentence: s, tokens: parent.tokens + [c.token], logProb: c.logProb, attention: attention), c.row))
                }
            }
            if step >= maxLen[s] {
                // Out of length: live hypotheses are finished as they are.
                for (h, _) in keptLive {
                    finished[s].append(ScoredHypothesis(
                        hypothesis: Hypothesis(tokens: h.tokens, logProb: h.logProb, attention: h.attention),
                        score: normalised(h.logProb, length: step)))
                }
                continue
            }
            let best = finished[s].map(\.score).max() ?? -Float.infinity
            let bound = keptLive.map { normalised($0.0.logProb, length: maxLen[s] + 1) }.max() ?? -Float.infinity
            if keptLive.isEmpty || finished[s].count >= K || (best >= bound && finished[s].count >= options.nbest) { continue }
            for (h, row) in keptLive {
                nextLive.append(h)
                parents.append(row)
            }
        }
        // The surviving rows' states (h, and c for the LSTM), in their new order.
        steps.reorder(parents)
        live = nextLive
        sentence = live.map { Int32($0.sentence) }
        previous = live.map { $0.tokens.last! }
    }
    return finished.map { list in
        Array(list.sorted { $0.score > $1.score }.prefix(max(1, options.nbest)))
    }
}

/// The k largest entries of x[0..<n], best first (ties: lower id first).
func topK(_ x: UnsafePointer<Float>, _ n: Int, _ k: Int, _ ids: inout [Int32], _ values: inout [Float]) {
    var count = 0
    func insert(_ v: Int) {
        let value = x[v]
        if count == k && value <= values[k - 1] { return }
        var i = min(count, k - 1)
        if count < k { count += 1 }
        while i > 0 && values[i - 1] < value {
            values[i] = values[i - 1]
            ids[i] = ids[i - 1]
            i -= 1
        }
        values[i] = value
        ids[i] = Int32(v)
    }
    // Once k entries are held, almost every block of 8 is below the k-th best; test 8 at a time and look
    // closer only when one of them beats it.
    let raw = UnsafeRawPointer(x)
    var v = 0
    while v < n && count < k { insert(v); v += 1 }
    while v + 8 <= n {
        let threshold = SIMD4<Float>(repeating: values[k - 1])
        let a = raw.loadUnaligned(fromByteOffset: v &* 4, as: SIMD4<Float>.self)
        let b = raw.loadUnaligned(fromByteOffset: (v &+ 4) &* 4, as: SIMD4<Float>.self)
        if any((a .> threshold) .| (b .> threshold)) {
            for j in v..<(v + 8) { insert(j) }
        }
        v &+= 8
    }
    while v < n { insert(v); v += 1 }
}
