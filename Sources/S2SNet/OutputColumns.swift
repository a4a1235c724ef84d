// The output layer restricted to a subset of the target vocabulary (a lexical shortlist, as Marian's
// `--shortlist` and CTranslate2's vocabulary map). Search over one batch needs scores only for the target
// pieces its sentences can plausibly produce; gathering those columns of W_out once per batch makes every
// step's output product [rows, R]·[R, C] instead of [rows, R]·[R, V], and the normaliser a sum over C
// entries. Scores are then a softmax over the C pieces, as in Marian: a piece outside the list cannot be
// chosen, and the pieces inside it share the probability mass the rest would have taken.

/// Columns `ids` of the output layer: W_out [R, V] → w [R, C], b_out [V] → b [C].
public final class OutputColumns: @unchecked Sendable {
    /// [C] target ids, ascending and distinct; column c of the restricted logits scores ids[c].
    public let ids: [Int32]
    let w: FloatBuffer       // [R, C]
    let b: FloatBuffer       // [C]
    public var count: Int { ids.count }

    init(ids: [Int32], w: FloatBuffer, b: FloatBuffer) {
        self.ids = ids
        self.w = w
        self.b = b
    }
}

extension Seq2Seq {
    /// Gathers the output layer's columns for `ids` (any order, repeats allowed; ids outside the vocabulary
    /// are dropped). One pass over [R, C] floats, done once per batch.
    public func outputColumns(_ ids: [Int32]) -> OutputColumns {
        let V = config.targetVocabSize, R = config.readout
        let sorted = Array(Set(ids.filter { $0 >= 0 && Int($0) < V })).sorted()
        let C = sorted.count
        let w = FloatBuffer(capacity: R * C), b = FloatBuffer(capacity: C)
        let full = params.value(layout.outW), bias = params.value(layout.outB)
        for r in 0..<R {
            let src = full + r * V, dst = w.pointer + r * C
            for (c, id) in sorted.enumerated() { dst[c] = src[Int(id)] }
        }
        for (c, id) in sorted.enumerated() { b[c] = bias[Int(id)] }
        return OutputColumns(ids: sorted, w: w, b: b)
    }
}
