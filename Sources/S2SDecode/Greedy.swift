// Greedy search: at every step each sentence takes its most probable next token. Sentences that emit
// </s> (or reach their length limit) leave the batch, so later steps do less work.
import S2SNet

/// Greedy decoding of a batch. sources are id sequences without specials. With `columns`, only those
/// target pieces are scored (a shortlist; see OutputColumns).
public func greedySearch(
    model: Seq2Seq, sources: [[Int32]], limit: LengthLimit = LengthLimit(), keepAttention: Bool = false,
    columns: OutputColumns? = nil
) -> [Hypothesis] {
    if sources.isEmpty { return [] }
    let encoded = model.encode(sources)
    let V = columns?.count ?? model.config.targetVocabSize, S = encoded.S
    let ws = StepWorkspace(config: model.config)
    var results = sources.map { _ in Hypothesis(tokens: [], logProb: 0) }
    var active = Array(0..<sources.count)          // sentence of each live row
    var sentence = active.map { Int32($0) }
    var previous = [Int32](repeating: SpecialIds.bos, count: active.count)
    var state = encoded.initialState
    let maxLen = sources.map { limit.maxTokens(sourceLength: $0.count) }
    var length = 0
    while !active.isEmpty {
        let R = active.count
        step(model, encoded, sentence: sentence, previous: previous, state: state, workspace: ws, columns: columns)
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
            let token = ws.token(best)
            if token == SpecialIds.eos { continue }
            results[s].tokens.append(token)
            if length >= maxLen[s] { continue }
            keep.append(row)
            previous[row] = token
        }
        // Keep only live rows: their sentence, last token and new state.
        active = keep.map { active[$0] }
        sentence = active.map { Int32($0) }
        previous = keep.map { previous[$0] }
        state = ws.nextState(keep)
    }
    return results
}

/// One decoder step over rows given as arrays: row r is sentence[r] of `encoded`, read previous[r], and has
/// row r of `state`. Results are in the workspace (see `Seq2Seq.decodeStep`).
func step(
    _ model: Seq2Seq, _ encoded: EncodedBatch, sentence: [Int32], previous: [Int32], state: DecoderState,
    workspace ws: StepWorkspace, columns: OutputColumns? = nil
) {
    sentence.withUnsafeBufferPointer { sp in
        previous.withUnsafeBufferPointer { pp in
            model.decodeStep(
                encoded, sentence: sp.baseAddress!, previous: pp.baseAddress!, state: state, workspace: ws, columns: columns)
        }
    }
}
