// The output layer restricted to a subset of the target vocabulary (a lexical shortlist, as Marian's
// `--shortlist` and CTranslate2's vocabulary map). Search over one batch needs scores only for the target
// pieces its sentences can plausibly produce; gathering those columns of W_out once per batch makes every
// step's output product [rows, R]·[R, C] instead of [rows, R]·[R, V], and the normaliser a sum over C
// entries. Scores are then a softmax over the C pieces, as in Marian: a piece outside the list cannot be
// chosen, and the pieces inside it share the probability mass the rest would have taken.

/// Columns `ids` of the output layer: W_out [R, V] → w [R, C], b_out [V] → b [C]; with int8 precision also
/// w quantized (Int8Products), which the step then uses instead of w.
public final class OutputColumns: @unchecked Sendable {
    /// [C] target ids, ascending and distinct; column c of the restricted logits scores ids[c].
    public let ids: [Int32]
    let w: FloatBuffer       // [R, C]
    let b: FloatBuffer       // [C]
    let quantized: QuantizedColumns?
    public var count: Int { ids.count }
    public var isQuantized: Bool { quantized != nil }

    init(ids: [Int32], w: FloatBuffer, b: FloatBuffer, quantized: QuantizedColumns?) {
        self.ids = ids
        self.w = w
        self.b = b
        self.quantized = quantized
    }
}

extension Seq2Seq {
    /// Gathers the output layer's columns for `ids` (any order, repeats allowed; ids outside the vocabulary
    /// are dropped), quantized with `.int8` (resolve `.auto` first). A pass or two over [R, C], once per batch.
    public func outputColumns(_ ids: [Int32], precision: OutputPrecision = .float32) -> OutputColumns {
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
        let quantized = precision.resolved == .int8 ? QuantizedColumns(w.pointer, rows: R, columns: C) : nil
        return OutputColumns(ids: sorted, w: w, b: b, quantized: quantized)
    }
}
