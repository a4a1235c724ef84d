// Tied embeddings (Press & Wolf 2017; Nematus' and Marian's --tied-embeddings): the output layer's weights
// are the target embedding, transposed. A word's row in the embedding is then trained both when the word
// is read and when it is predicted, and the model has Vt·E fewer free parameters.
//
//   W_out [R, Vt] = Eₜᵀ, with Eₜ = tgt.embedding [Vt, E] and R = E
//
// How: training reads Eₜ directly in the output layer (Readout.swift: a transposed product, no copy) and
// sends that layer's weight gradient straight into Eₜ's, so W_out itself gets none and Adam never moves
// it. out.w still exists, in the parameter buffer and in the model file, as a copy of Eₜᵀ made whenever
// the model is about to translate or be saved (`tieWeights`): so every reader of W_out in search (the
// shortlist's gathered columns, int8 quantization, older versions of s2s) works unchanged, and the file
// is self-contained.

extension Seq2Seq {
    /// W_out [R, Vt] = tgt.embedding [Vt, E]ᵀ when the model is tied; otherwise nothing. The Trainer, model
    /// files and validation call it; code that changes a tied model's embedding some other way and then
    /// translates with it must call it too.
    public func tieWeights() {
        guard config.tiedEmbeddings else { return }
        transpose(params.value(layout.tgtEmbedding), rows: config.targetVocabSize, cols: config.embed,
                  into: params.value(layout.outW))
    }

    /// The parameters training can move on their own: the tied copy of the embedding is not one of them.
    public var trainableParameterCount: Int {
        params.parameterCount - (config.tiedEmbeddings ? layout.outW.count : 0)
    }
}
