// The model: its configuration, its parameter layout, and initialisation.
// Forward and backward over a batch are in TrainingPass.swift; single steps for search in Inference.swift.

/// Sizes that define a model. Stored in the model file.
public struct ModelConfig: Codable, Equatable, Sendable {
    public var sourceVocabSize: Int  // Vs
    public var targetVocabSize: Int  // Vt
    public var embed: Int            // E
    public var hidden: Int           // H, per direction
    public var attention: Int        // A
    public var readout: Int          // R
    public var encoderLayers: Int

    public init(
        sourceVocabSize: Int, targetVocabSize: Int, embed: Int = 256, hidden: Int = 256, attention: Int = 256,
        readout: Int = 256, encoderLayers: Int = 1
    ) {
        self.sourceVocabSize = sourceVocabSize
        self.targetVocabSize = targetVocabSize
        self.embed = embed
        self.hidden = hidden
        self.attention = attention
        self.readout = readout
        self.encoderLayers = encoderLayers
    }

    /// Throws when a size is unusable, saying which and why.
    public func validate() throws {
        func check(_ ok: Bool, _ what: String) throws { if !ok { throw ModelError.invalidConfig(what) } }
        try check(sourceVocabSize > 4, "source vocabulary has \(sourceVocabSize) entries; it needs more than the 4 specials")
        try check(targetVocabSize > 4, "target vocabulary has \(targetVocabSize) entries; it needs more than the 4 specials")
        for (name, v) in [("embed", embed), ("hidden", hidden), ("attention", attention), ("readout", readout)] {
            try check(v >= 1 && v <= 8192, "\(name) size \(v) must be between 1 and 8192")
        }
        try check(encoderLayers >= 1 && encoderLayers <= 8, "encoder layers \(encoderLayers) must be between 1 and 8")
    }
}

public enum ModelError: Error, CustomStringConvertible, Equatable {
    case invalidConfig(String)
    case shapeMismatch(String)

    public var description: String {
        switch self {
        case .invalidConfig(let s): return "invalid model configuration: \(s)"
        case .shapeMismatch(let s): return "shape mismatch: \(s)"
        }
    }
}

/// Special token ids shared with the vocabulary.
public enum SpecialIds {
    public static let pad: Int32 = 0
    public static let unk: Int32 = 1
    public static let bos: Int32 = 2
    public static let eos: Int32 = 3
}

/// Weights of one GRU direction.
public struct GRUWeights: Sendable {
    public let wx: TensorView  // [In, 3H] input projection, gate columns z | r | n
    public let bx: TensorView  // [3H]
    public let u: TensorView   // [H, 3H] recurrent weights, same column order
}

/// Where every parameter lives in the flat buffer.
public struct Seq2SeqLayout: Sendable {
    public let srcEmbedding: TensorView  // [Vs, E]
    public let tgtEmbedding: TensorView  // [Vt, E]
    public let encoder: [(forward: GRUWeights, backward: GRUWeights)]
    public let initW: TensorView         // [H, H]  s0 = tanh(←h_1 · W + b)
    public let initB: TensorView         // [H]
    public let attKeys: TensorView       // [2H, A] W_k
    public let attV: TensorView          // [A]
    public let decState: TensorView      // [H, A + 3H] columns: W_q | U_z | U_r | U_n
    public let decInputEmb: TensorView   // [E, 3H]  decoder GRU input weights for y_{i-1}
    public let decInputCtx: TensorView   // [2H, 3H] decoder GRU input weights for c_i
    public let decBias: TensorView       // [3H]
    public let readoutW: TensorView      // [H + 2H + E, R] rows: s_i | c_i | y_{i-1}
    public let readoutB: TensorView      // [R]
    public let outW: TensorView          // [R, Vt]
    public let outB: TensorView          // [Vt]
    public let views: [TensorView]
    public let count: Int

    public init(_ c: ModelConfig) {
        let E = c.embed, H = c.hidden, A = c.attention, R = c.readout
        var l = ParameterLayoutBuilder()
        srcEmbedding = l.add("src.embedding", [c.sourceVocabSize, E])
        tgtEmbedding = l.add("tgt.embedding", [c.targetVocabSize, E])
        var enc: [(GRUWeights, GRUWeights)] = []
        for layer in 0..<c.encoderLayers {
            let inDim = layer == 0 ? E : 2 * H
            func gru(_ dir: String) -> GRUWeights {
                GRUWeights(
                    wx: l.add("enc.\(layer).\(dir).wx", [inDim, 3 * H]),
                    bx: l.add("enc.\(layer).\(dir).bx", [3 * H]),
                    u: l.add("enc.\(layer).\(dir).u", [H, 3 * H]))
            }
            enc.append((gru("fwd"), gru("bwd")))
        }
        encoder = enc
        initW = l.add("dec.init.w", [H, H])
        initB = l.add("dec.init.b", [H])
        attKeys = l.add("att.wk", [2 * H, A])
        attV = l.add("att.v", [A])
        decState = l.add("dec.state", [H, A + 3 * H])
        decInputEmb = l.add("dec.input.emb", [E, 3 * H])
        decInputCtx = l.add("dec.input.ctx", [2 * H, 3 * H])
        decBias = l.add("dec.input.b", [3 * H])
        readoutW = l.add("readout.w", [H + 2 * H + E, R])
        readoutB = l.add("readout.b", [R])
        outW = l.add("out.w", [R, c.targetVocabSize])
        outB = l.add("out.b", [c.targetVocabSize])
        views = l.views
        count = l.count
    }
}

/// A model: configuration, layout and parameters (with their gradients).
public final class Seq2Seq: @unchecked Sendable {
    public let config: ModelConfig
    public let layout: Seq2SeqLayout
    public let params: ParameterSet

    public init(config: ModelConfig) throws {
        try config.validate()
        self.config = config
        layout = Seq2SeqLayout(config)
        params = ParameterSet(views: layout.views, count: layout.count)
    }

    /// Xavier-uniform matrices, orthogonal recurrent blocks, N(0, 1/E) embeddings, zero biases.
    public func initialize(seed: UInt64) {
        var rng = Rng(seed: seed)
        let E = config.embed, H = config.hidden, A = config.attention
        for v in layout.views where v.shape.count == 2 {
            xavierUniform(params.value(v), rows: v.rows, cols: v.cols, ld: v.cols, rng: &rng)
        }
        for v in [layout.srcEmbedding, layout.tgtEmbedding] {
            let p = params.value(v), std = 1 / Float(E).squareRoot()
            for i in 0..<v.count { p[i] = rng.normal() * std }
            p.update(repeating: 0, count: E)  // row 0 is <pad>
        }
        for (f, b) in layout.encoder {
            for g in [f, b] {
                for block in 0..<3 { orthogonal(params.value(g.u) + block * H, n: H, ld: 3 * H, rng: &rng) }
            }
        }
        for block in 0..<3 { orthogonal(params.value(layout.decState) + A + block * H, n: H, ld: A + 3 * H, rng: &rng) }
    }
}

/// Uniform(±√(6 / (rows + cols))) into a [rows, cols] matrix with row stride ld.
func xavierUniform(_ p: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int, rng: inout Rng) {
    let bound = (6 / Float(rows + cols)).squareRoot()
    for i in 0..<rows {
        for j in 0..<cols { p[i * ld + j] = (rng.uniform() * 2 - 1) * bound }
    }
}

/// A random orthogonal [n, n] block (Gram–Schmidt on Gaussian rows) into a matrix with row stride ld.
func orthogonal(_ p: UnsafeMutablePointer<Float>, n: Int, ld: Int, rng: inout Rng) {
    var m = [Double](repeating: 0, count: n * n)
    for i in 0..<(n * n) { m[i] = Double(rng.normal()) }
    for i in 0..<n {
        for k in 0..<i {
            var d = 0.0
            for j in 0..<n { d += m[i * n + j] * m[k * n + j] }
            for j in 0..<n { m[i * n + j] -= d * m[k * n + j] }
        }
        var norm = 0.0
        for j in 0..<n { norm += m[i * n + j] * m[i * n + j] }
        norm = max(norm.squareRoot(), 1e-12)
        for j in 0..<n { m[i * n + j] /= norm }
    }
    for i in 0..<n {
        for j in 0..<n { p[i * ld + j] = Float(m[i * n + j]) }
    }
}
