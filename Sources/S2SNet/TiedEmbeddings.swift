// Tied embeddings (Press & Wolf 2017; Nematus' and Marian's --tied-embeddings): the output layer's weights
// are the target embedding, transposed. A word's row in the embedding is then trained both when the word
// is read and when it is predicted, and the model has Vt·E fewer free parameters.
//
//   W_out [R, Vt] = Eₜᵀ, with Eₜ = tgt.embedding [Vt, E] and R = E
//
// How: out.w stays in the parameter buffer and in the model file as a copy of Eₜᵀ, so every reader of
// W_out (search, the shortlist's gathered columns, int8 quantization, older versions of s2s) works
// unchanged and the file is self-contained. The copy is refreshed after every change to Eₜ
// (`tieWeights`), and the gradient that reaches W_out is moved onto Eₜ before the optimizer sees it
// (`foldTiedGradient`): dEₜ += dW_outᵀ, dW_out = 0. So Adam never moves W_out on its own.

extension Seq2Seq {
    /// The parameters training can move on their own: the tied copy of the embedding is not one of them.
    public var trainableParameterCount: Int {
        params.parameterCount - (config.tiedEmbeddings ? layout.outW.count : 0)
    }

    /// W_out [R, Vt] = tgt.embedding [Vt, E]ᵀ when the model is tied; otherwise nothing.
    public func tieWeights() {
        guard config.tiedEmbeddings else { return }
        transpose(params.value(layout.tgtEmbedding), rows: config.targetVocabSize, cols: config.embed,
                  into: params.value(layout.outW), adding: false)
    }

    /// In a gradient buffer laid out like the parameters: d tgt.embedding += d W_outᵀ, then d W_out = 0.
    /// (<pad>'s row, never read where it counts, then learns only as the output column of <pad>.)
    func foldTiedGradient(_ grads: UnsafeMutablePointer<Float>) {
        guard config.tiedEmbeddings else { return }
        let dOut = grads + layout.outW.offset
        transpose(dOut, rows: config.readout, cols: config.targetVocabSize, into: grads + layout.tgtEmbedding.offset,
                  adding: true)
        dOut.update(repeating: 0, count: layout.outW.count)
    }
}

/// y [cols, rows] (=, or += with `adding`) x [rows, cols]ᵀ, in 32×32 tiles so both sides stay in cache.
func transpose(_ x: UnsafePointer<Float>, rows: Int, cols: Int, into y: UnsafeMutablePointer<Float>, adding: Bool) {
    let tile = 32
    for r0 in stride(from: 0, to: rows, by: tile) {
        for c0 in stride(from: 0, to: cols, by: tile) {
            for r in r0..<min(r0 + tile, rows) {
                for c in c0..<min(c0 + tile, cols) {
                    y[c * rows + r] = adding ? y[c * rows + r] + x[r * cols + c] : x[r * cols + c]
                }
            }
        }
    }
}
