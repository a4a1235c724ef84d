// The model: its configuration, its parameter layout, and initialisation.
// Forward and backward over a batch are in TrainingPass.swift; the decoder step that training and search
// share is in Decoder.swift; search's entry points in Inference.swift.

/// A model's shape apart from its vocabularies: what a user chooses before seeing any data.
public struct Architecture: Codable, Equatable, Sendable {
    public var embed = 256           // E
    public var hidden = 256          // H, per direction
    public var attention = 256       // A
    public var readout = 256         // R
    public var encoderLayers = 1
    public var cell = CellKind.gru
    /// The output layer is the target embedding transposed (needs readout = embed); see TiedEmbeddings.swift.
    public var tiedEmbeddings = false
    /// Layer normalization of every cell's gate pre-activations and of the readout (LayerNorm.swift).
    public var layerNorm = false
    /// Cells per decoder step: 1, or D > 1 for a deep-transition decoder (DeepTransition.swift).
    public var decoderDepth = 1

    /// The sizes the model accepts (and so the CLI): E, H, A and R each in `sizeRange`, layers in `layerRange`.
    public static let sizeRange = 1...4096
    public static let layerRange = 1...8
    /// Cells per decoder step a model may have: deep-transition decoders gain little beyond 4 (Miceli
    /// Barone et al. 2017), so 8 leaves room while keeping a corrupt file's claim small.
    public static let decoderDepthRange = 1...8
    /// Vocabulary entries a model may have: BPE and word vocabularies stay far below this, and the bound
    /// keeps a corrupt file's claimed sizes from overflowing the layout arithmetic.
    public static let vocabularyLimit = 1 << 24

    public init(embed: Int = 256, hidden: Int = 256, attention: Int = 256, readout: Int = 256, encoderLayers: Int = 1,
                cell: CellKind = .gru, tiedEmbeddings: Bool = false, layerNorm: Bool = false, decoderDepth: Int = 1) {
        self.embed = embed
        self.hidden = hidden
        self.attention = attention
        self.readout = readout
        self.encoderLayers = encoderLayers
        self.cell = cell
        self.tiedEmbeddings = tiedEmbeddings
        self.layerNorm = layerNorm
        self.decoderDepth = decoderDepth
    }

    enum CodingKeys: String, CodingKey {
        case embed, hidden, attention, readout, encoderLayers, cell, tiedEmbeddings, layerNorm, decoderDepth
    }

    // Training configurations saved before tying (or layer normalization, or deep transition) existed have
    // no "tiedEmbeddings" (or "layerNorm", "decoderDepth").
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        embed = try c.decode(Int.self, forKey: .embed)
        hidden = try c.decode(Int.self, forKey: .hidden)
        attention = try c.decode(Int.self, forKey: .attention)
        readout = try c.decode(Int.self, forKey: .readout)
        encoderLayers = try c.decode(Int.self, forKey: .encoderLayers)
        cell = try c.decode(CellKind.self, forKey: .cell)
        tiedEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tiedEmbeddings) ?? false
        layerNorm = try c.decodeIfPresent(Bool.self, forKey: .layerNorm) ?? false
        decoderDepth = try c.decodeIfPresent(Int.self, forKey: .decoderDepth) ?? 1
    }
}

/// Sizes that define a model. Stored in the model file (as flat JSON: files from before cells were a
/// choice have no "cell" and are GRUs).
public struct ModelConfig: Codable, Equatable, Sendable {
    public var sourceVocabSize: Int  // Vs
    public var targetVocabSize: Int  // Vt
    public var embed: Int            // E
    public var hidden: Int           // H, per direction
    public var attention: Int        // A
    public var readout: Int          // R
    public var encoderLayers: Int
    public var cell: CellKind
    public var tiedEmbeddings: Bool
    public var layerNorm: Bool
    public var decoderDepth: Int     // D, cells per decoder step

    public init(sourceVocabSize: Int, targetVocabSize: Int, architecture a: Architecture = Architecture()) {
        self.sourceVocabSize = sourceVocabSize
        self.targetVocabSize = targetVocabSize
        embed = a.embed
        hidden = a.hidden
        attention = a.attention
        readout = a.readout
        encoderLayers = a.encoderLayers
        cell = a.cell
        tiedEmbeddings = a.tiedEmbeddings
        layerNorm = a.layerNorm
        decoderDepth = a.decoderDepth
    }

    public init(
        sourceVocabSize: Int, targetVocabSize: Int, embed: Int = 256, hidden: Int = 256, attention: Int = 256,
        readout: Int = 256, encoderLayers: Int = 1, cell: CellKind = .gru
    ) {
        self.init(sourceVocabSize: sourceVocabSize, targetVocabSize: targetVocabSize, architecture: Architecture(
            embed: embed, hidden: hidden, attention: attention, readout: readout, encoderLayers: encoderLayers, cell: cell))
    }

    public var architecture: Architecture {
        Architecture(embed: embed, hidden: hidden, attention: attention, readout: readout, encoderLayers: encoderLayers, cell: cell,
                     tiedEmbeddings: tiedEmbeddings, layerNorm: layerNorm, decoderDepth: decoderDepth)
    }

    enum CodingKeys: String, CodingKey {
        case sourceVocabSize, targetVocabSize, embed, hidden, attention, readout, encoderLayers, cell, tiedEmbeddings, layerNorm,
             decoderDepth
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sourceVocabSize = try c.decode(Int.self, forKey: .sourceVocabSize)
        targetVocabSize = try c.decode(Int.self, forKey: .targetVocabSize)
        embed = try c.decode(Int.self, forKey: .embed)
        hidden = try c.decode(Int.self, forKey: .hidden)
        attention = try c.decode(Int.self, forKey: .attention)
        readout = try c.decode(Int.self, forKey: .readout)
        encoderLayers = try c.decode(Int.self, forKey: .encoderLayers)
        cell = try c.decodeIfPresent(CellKind.self, forKey: .cell) ?? .gru
        tiedEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tiedEmbeddings) ?? false
        layerNorm = try c.decodeIfPresent(Bool.self, forKey: .layerNorm) ?? false
        decoderDepth = try c.decodeIfPresent(Int.self, forKey: .decoderDepth) ?? 1
    }

    /// Throws when a size is unusable, saying which and why.
    public func validate() throws {
        func check(_ ok: Bool, _ what: String) throws { if !ok { throw ModelError.invalidConfig(what) } }
        try check(sourceVocabSize > 4, "source vocabulary has \(sourceVocabSize) entries; it needs more than the 4 specials")
        try check(targetVocabSize > 4, "target vocabulary has \(targetVocabSize) entries; it needs more than the 4 specials")
        let limit = Architecture.vocabularyLimit
        try check(sourceVocabSize <= limit, "sourceVocabSize \(sourceVocabSize) is more than the \(limit) entries a model may have")
        try check(targetVocabSize <= limit, "targetVocabSize \(targetVocabSize) is more than the \(limit) entries a model may have")
        let r = Architecture.sizeRange, l = Architecture.layerRange
        for (name, v) in [("embed", embed), ("hidden", hidden), ("attention", attention), ("readout", readout)] {
            try check(r.contains(v), "\(name) size \(v) must be between \(r.lowerBound) and \(r.upperBound)")
        }
        try check(l.contains(encoderLayers), "encoder layers \(encoderLayers) must be between \(l.lowerBound) and \(l.upperBound)")
        let d = Architecture.decoderDepthRange
        try check(d.contains(decoderDepth), "decoder depth \(decoderDepth) must be between \(d.lowerBound) and \(d.upperBound)")
        try check(!tiedEmbeddings || readout == embed, "tied embeddings need readout size \(readout) = embed size \(embed)")
        // One normalized unit is always 0: the layer would output β alone.
        try check(!layerNorm || (hidden > 1 && readout > 1), "layer normalization needs hidden and readout sizes above 1")
    }
}

public enum ModelError: Error, CustomStringConvertible, Equatable {
    case invalidConfig(String)
    case shapeMismatch(String)
    /// This CPU cannot run what was asked (int8 products without VNNI).
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalidConfig(let s): return "invalid model configuration: \(s)"
        case .shapeMismatch(let s): return "shape mismatch: \(s)"
        case .unsupported(let s): return s
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

/// Weights of one recurrent direction; G gate blocks of H columns (see Cell.swift).
public struct RecurrentWeights: Sendable {
    public let wx: TensorView  // [In, G·H] input projection
    public let bx: TensorView  // [G·H]
    public let u: TensorView   // [H, G·H] recurrent weights, same column order
    public let norm: LayerNormWeights?  // [G·H] γ and β of each gate block's normalization (layer norm only)
}

/// Where every parameter lives in the flat buffer.
public struct Seq2SeqLayout: Sendable {
    public let srcEmbedding: TensorView  // [Vs, E]
    public let tgtEmbedding: TensorView  // [Vt, E]
    public let encoder: [(forward: RecurrentWeights, backward: RecurrentWeights)]
    public let initW: TensorView         // [H, H]  s0 = tanh(←h_1 · W + b)
    public let initB: TensorView         // [H]
    public let attKeys: TensorView       // [2H, A] W_k
    public let attV: TensorView          // [A]
    public let attQuery: TensorView      // [H, A] W_q
    public let decU: TensorView          // [H, G·H] the decoder cell's recurrent weights
    public let decInputEmb: TensorView   // [E, G·H]  decoder cell input weights for y_{i-1}
    public let decInputCtx: TensorView   // [2H, G·H] decoder cell input weights for c_i
    public let decBias: TensorView       // [G·H]
    public let decNorm: LayerNormWeights?  // [G·H] γ, β of the decoder cell's normalization (layer norm only)
    public let decTransitions: [TransitionWeights]  // transitions 1 … D−1 of a deep-transition decoder
    public let readoutW: TensorView      // [H + 2H + E, R] rows: s_i | c_i | y_{i-1}
    public let readoutB: TensorView      // [R]
    public let readoutNorm: LayerNormWeights?  // [R] γ, β normalizing the readout before its tanh (layer norm only)
    public let outW: TensorView          // [R, Vt]
    public let outB: TensorView          // [Vt]
    public let views: [TensorView]
    public let count: Int

    public init(_ c: ModelConfig) {
        let E = c.embed, H = c.hidden, A = c.attention, R = c.readout, G = c.cell.cell.gates * H
        var l = ParameterLayoutBuilder()
        srcEmbedding = l.add("src.embedding", [c.sourceVocabSize, E])
        tgtEmbedding = l.add("tgt.embedding", [c.targetVocabSize, E])
        func layerNorm(_ name: String, _ width: Int) -> LayerNormWeights? {
            guard c.layerNorm else { return nil }
            return LayerNormWeights(gain: l.add("\(name).ln.gain", [width]), shift: l.add("\(name).ln.shift", [width]))
        }
        var enc: [(RecurrentWeights, RecurrentWeights)] = []
        for layer in 0..<c.encoderLayers {
            let inDim = layer == 0 ? E : 2 * H
            func direction(_ dir: String) -> RecurrentWeights {
                RecurrentWeights(
                    wx: l.add("enc.\(layer).\(dir).wx", [inDim, G]),
                    bx: l.add("enc.\(layer).\(dir).bx", [G]),
                    u: l.add("enc.\(layer).\(dir).u", [H, G]),
                    norm: layerNorm("enc.\(layer).\(dir)", G))
            }
            enc.append((direction("fwd"), direction("bwd")))
        }
        encoder = enc
        initW = l.add("dec.init.w", [H, H])
        initB = l.add("dec.init.b", [H])
        attKeys = l.add("att.wk", [2 * H, A])
        attV = l.add("att.v", [A])
        attQuery = l.add("att.wq", [H, A])
        decU = l.add("dec.u", [H, G])
        decInputEmb = l.add("dec.input.emb", [E, G])
        decInputCtx = l.add("dec.input.ctx", [2 * H, G])
        decBias = l.add("dec.input.b", [G])
        decNorm = layerNorm("dec", G)
        decTransitions = (1..<max(1, c.decoderDepth)).map { k in
            TransitionWeights(u: l.add("dec.transition.\(k).u", [H, G]), b: l.add("dec.transition.\(k).b", [G]),
                              norm: layerNorm("dec.transition.\(k)", G))
        }
        readoutW = l.add("readout.w", [H + 2 * H + E, R])
        readoutB = l.add("readout.b", [R])
        readoutNorm = layerNorm("readout", R)
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
    /// The recurrent cell of every encoder direction and of the decoder.
    public let cell: any RecurrentCell.Type

    public init(config: ModelConfig) throws {
        try config.validate()
        self.config = config
        cell = config.cell.cell
        layout = Seq2SeqLayout(config)
        params = ParameterSet(views: layout.views, count: layout.count)
    }

    /// Xavier-uniform matrices, orthogonal recurrent blocks, N(0, 1/E) embeddings, zero biases except where
    /// the cell wants otherwise (the LSTM's forget gate).
    public func initialize(seed: UInt64) {
        var rng = Rng(seed: seed)
        let E = config.embed, H = config.hidden, G = cell.gates * H
        for v in layout.views where v.shape.count == 2 {
            xavierUniform(params.value(v), rows: v.rows, cols: v.cols, ld: v.cols, rng: &rng)
        }
        for v in [layout.srcEmbedding, layout.tgtEmbedding] {
            let p = params.value(v), std = 1 / Float(E).squareRoot()
            for i in 0..<v.count { p[i] = rng.normal() * std }
            p.update(repeating: 0, count: E)  // row 0 is <pad>
        }
        let recurrent = layout.encoder.flatMap { [$0.forward, $0.backward] }
        for u in recurrent.map(\.u) + [layout.decU] + layout.decTransitions.map(\.u) {
            for block in 0..<cell.gates { orthogonal(params.value(u) + block * H, n: H, ld: G, rng: &rng) }
        }
        for b in recurrent.map(\.bx) + [layout.decBias] + layout.decTransitions.map(\.b) { cell.initializeBias(params.value(b), H: H) }
        // γ = 1, β = 0, except that a normalized cell's bias acts through β: normalizing removes the
        // constant b_f = 1 the LSTM's forget gate starts with, so β_f starts at 1 instead.
        for norm in (recurrent.map(\.norm) + [layout.decNorm] + layout.decTransitions.map(\.norm)).compactMap({ $0 }) {
            params.value(norm.gain).update(repeating: 1, count: norm.gain.count)
            cell.initializeBias(params.value(norm.shift), H: H)
        }
        if let norm = layout.readoutNorm {
            params.value(norm.gain).update(repeating: 1, count: norm.gain.count)
            params.value(norm.shift).update(repeating: 0, count: norm.shift.count)
        }
        tieWeights()
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
