// Analytical FLOPs of the model's matrix products (2 per multiply-add), for benchmarks: the same
// accounting as the PyTorch peer's, so achieved GFLOP/s can be compared side by side. Backward is taken
// as twice the forward. G is the cell's gate count (3 GRU, 4 LSTM, 1 Elman RNN).

public struct FlopCount: Sendable, Equatable {
    public var perSourceToken: Double    // encoder input and recurrent products, both directions; keys
    public var perTargetToken: Double    // decoder query, recurrent, input, readout and output products
    public var perSourceTargetPair: Double  // attention scores v·tanh(·) and the context sum
    public var perSentence: Double       // the decoder's initial state

    public init(_ c: ModelConfig) {
        let E = Double(c.embed), H = Double(c.hidden), A = Double(c.attention), R = Double(c.readout)
        let V = Double(c.targetVocabSize), L = Double(c.encoderLayers), G = Double(c.cell.cell.gates) * H
        let firstLayer = 2 * 2 * E * G + 2 * 2 * H * G
        let deeperLayer = 2 * 2 * (2 * H) * G + 2 * 2 * H * G
        perSourceToken = firstLayer + (L - 1) * deeperLayer + 2 * 2 * H * A
        let transitions = Double(c.decoderDepth - 1) * 2 * H * G
        perTargetToken = 2 * H * A + 2 * H * G + 2 * E * G + 2 * 2 * H * G + transitions + 2 * (H + 2 * H + E) * R + 2 * R * V
        perSourceTargetPair = 2 * A + 2 * 2 * H
        perSentence = 2 * H * H
    }

    /// Forward plus backward FLOPs of a batch, counting only real (non-pad) tokens.
    public func trainingFlops(sourceTokens: Int, targetTokens: Int, sourceTargetPairs: Int, sentences: Int) -> Double {
        3 * (perSourceToken * Double(sourceTokens) + perTargetToken * Double(targetTokens)
             + perSourceTargetPair * Double(sourceTargetPairs) + perSentence * Double(sentences))
    }
}
