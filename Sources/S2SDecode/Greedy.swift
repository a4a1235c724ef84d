// Greedy search: at every step each sentence takes its most probable next token. Sentences that emit
// </s> (or reach their length limit) leave the batch, so later steps do less work.
import S2SNet

/// A finished translation in target ids (no specials), with its model score.
public struct Hypothesis: Sendable, Equatable {
    public var tokens: [Int32]
    public var logProb: Float               // Σ log p over the emitted tokens, </s> included when emitted
    public var attention: [[Float]]         // [len(tokens) + 1 or len(tokens), S] when requested, else []
    public init(tokens: [Int32], logProb: Float, attention: [[Float]] = []) {
        self.tokens = tokens
        self.logProb = logProb
        self.attention = attention
    }
}

/// How long a translation may get: at most ratio · source length + offset tokens.
public struct LengthLimit: Sendable, Equatable {
    public var ratio: Float = 2
    public var offset: Int = 10
    public init(ratio: Float = 2, offset: Int = 10) {
        self.ratio = ratio
        self.offset = offset
    }
    public func maxTokens(sourceLength: Int) -> Int { Int(ratio * Float(sourceLength)) + offset }
}

/// Greedy decoding of a batch. sources are id sequences without specials.
public func greedySearch(
    model: Seq2Seq, sources: [[Int32]], limit: LengthLimit = LengthLimit(), keepAttention: Bool = false
) -> [Hypothesis] {
    if sources.isEmpty { return [] }
    let encoded = model.encode(sources)
    let H = model.config.hidden, V = model.config.targetVocabSize, S = encoded.S
    let ws = StepWorkspace(config: model.config)
    var results = sources.map { _ in Hypothesis(tokens: [], logProb: 0) }
    var active = Array(0..<sources.count)          // sentence of each live row
    var sentence = active.map { Int32($0) }
    var previous = [Int32](repeating: SpecialIds.bos, count: active.count)
    var states = Array(UnsafeBufferPointer(start: encoded.initialStates.pointer, count: active.count * H))
    let maxLen = sources.map { limit.maxTokens(sourceLength: $0.count) }
    var length = 0
    while !active.isEmpty {
        let R = active.count
        step(model, encoded, sentence: sentence, previous: previous, states: states, workspace: ws)
        length += 1
        var keep: [Int] = []
        for row in 0..<R {
            let logits = ws.logits.pointer + row * V
            var best = 0
            for v in 1..<V where logits[v] > logits[best] { best = v }
            let s = active[row]
            results[s].logProb += logits[best] - ws.logZ[row]
            if keepAttention {
                results[s].attention.append(Array(UnsafeBufferPointer(start: ws.alpha.pointer + row * S, count: S)))
            }
            if Int32(best) == SpecialIds.eos { continue }
            results[s].tokens.append(Int32(best))
            if length >= maxLen[s] { continue }
            keep.append(row)
            previous[row] = Int32(best)
        }
        // Keep only live rows: their sentence, last token and new state.
        var newStates = [Float](repeating: 0, count: keep.count * H)
        for (i, row) in keep.enumerated() {
            for k in 0..<H { newStates[i * H + k] = ws.states.pointer[row * H + k] }
        }
        active = keep.map { active[$0] }
        sentence = active.map { Int32($0) }
        previous = keep.map { previous[$0] }
        states = newStates
    }
    return results
}

/// One decoder step over rows given as arrays: row r is sentence[r] of `encoded`, read previous[r], and has
/// state states[r·H ..< (r+1)·H]. Results are in the workspace (see `Seq2Seq.decodeStep`).
func step(
    _ model: Seq2Seq, _ encoded: EncodedBatch, sentence: [Int32], previous: [Int32], states: [Float],
    workspace ws: StepWorkspace
) {
    sentence.withUnsafeBufferPointer { sp in
        previous.withUnsafeBufferPointer { pp in
            states.withUnsafeBufferPointer { st in
                model.decodeStep(encoded, sentence: sp.baseAddress!, previous: pp.baseAddress!,
                                 states: st.baseAddress!, rows: sentence.count, workspace: ws)
            }
        }
    }
}
