// Every activation and gradient buffer of one forward/backward pass. A workspace is sized for the largest
// batch seen so far and reused, so training allocates nothing per step once it has warmed up.
// Shapes use B (batch), S (source), T (target), N (non-pad target tokens), E, H, A, R, V (target vocab),
// and G·H for the cell's gate columns (G = 3 for the GRU, 4 for the LSTM, 1 for the Elman RNN); D is the
// decoder's cells per step (deep transition).

public final class Workspace: @unchecked Sendable {
    public let config: ModelConfig
    let cell: any RecurrentCell.Type
    public private(set) var B = 0, S = 0, T = 0, N = 0
    /// Where backward adds parameter gradients (laid out like the parameters). Data-parallel workers
    /// each have their own; a single workspace usually points at the model's.
    public var gradients: UnsafeMutablePointer<Float>
    /// Threads this workspace's elementwise loops may use (1 inside a data-parallel worker).
    public var threads: Int = Parallel.workers

    @inline(__always) func grad(_ v: TensorView) -> UnsafeMutablePointer<Float> { gradients + v.offset }

    // Masks and constants
    let srcMask = FloatBuffer()      // [S, B]  1 for real tokens, 0 for padding
    let tgtMask = FloatBuffer()      // [T, B]
    let ones = FloatBuffer()         // [max rows] all 1, for column sums
    let zerosBH = FloatBuffer()      // [B, H]  the encoder's initial state (and memory)
    let srcIds = IntBuffer()         // [S, B]  source ids
    let tgtIn = IntBuffer()          // [T, B]  decoder inputs actually read (teacher forcing may change them)

    // Encoder
    let encIn = FloatBuffer()        // [S, B, E] source embeddings after dropout
    let encDrop = FloatBuffer()      // [S, B, E] dropout mask
    var encXP: [(FloatBuffer, FloatBuffer)] = []     // per layer, fwd/bwd [S, B, G·H]
    var encOut: [FloatBuffer] = []                   // per layer [S, B, 2H] annotations [→h ; ←h]
    var encSaved: [(RecurrentBuffers, RecurrentBuffers)] = []  // per layer, fwd/bwd: the cell's saved activations
    let keys = FloatBuffer()         // [S, B, A]  W_k h_j

    // Decoder
    let tgtEmb = FloatBuffer()       // [T, B, E] target input embeddings after dropout
    let tgtDrop = FloatBuffer()      // [T, B, E]
    let states = FloatBuffer()       // [T+1, B, H]  s_0 … s_T
    let memory = FloatBuffer()       // [T+1, B, H]  c_0 … c_T (cells with memory)
    let decXP = FloatBuffer()        // [T, B, G·H]  decoder cell input projections (embedding + context + bias)
    let decSaved = RecurrentBuffers()  // the decoder cell's saved activations, [parts, T, B, H]
    // Deep transition (D > 1 cells per decoder step; DeepTransition.swift)
    let transStates = FloatBuffer()  // [D−1, T, B, H] h⁰ … h^{D−2} of every step
    let transXP = FloatBuffer()      // [D−1, B, G·H] each transition's bias on every row
    /// [parts, (D−1)·T, B, H] transition k's saved activations at step (k−1)·T + i, and in `memory`
    /// [D−1, T, B, H] the memories c⁰ … c^{D−2} (cells with memory).
    let transSaved = RecurrentBuffers()
    let dTransXP = FloatBuffer()     // [D−1, T, B, G·H]
    let transCarry = FloatBuffer()   // [4, B, H] gradients carried between a step's transitions
    let stepQ = FloatBuffer()        // [B, A]  W_q s_{i-1} for the current step
    let tAtt = FloatBuffer()         // [T, B, S, A] tanh(q + k)
    let alpha = FloatBuffer()        // [T, B, S] attention weights
    let ctx = FloatBuffer()          // [T, B, 2H] contexts c_i

    // Readout and output
    let readout = FloatBuffer()      // [T, B, R] tanh readout (before dropout)
    let readoutXhat = FloatBuffer()  // [T, B, R] the normalized readout pre-activation (layer norm only)
    let readoutRstd = FloatBuffer()  // [T, B] its 1/σ
    let rows = IntBuffer()           // [N] row (t·B + b) of each non-pad target position
    let targets = IntBuffer()        // [N] reference ids of those positions
    let compact = FloatBuffer()      // [N, R] readout rows after dropout
    let compactDrop = FloatBuffer()  // [N, R] dropout mask
    let logits = FloatBuffer()       // [N, V] logits, then dL/dlogits

    // Gradients of activations
    let dCompact = FloatBuffer()     // [N, R]
    let dReadout = FloatBuffer()     // [T, B, R]
    let dStates = FloatBuffer()      // [T+1, B, H]
    let dCtx = FloatBuffer()         // [T, B, 2H]
    let dTgtEmb = FloatBuffer()      // [T, B, E]
    let dDecXP = FloatBuffer()       // [T, B, G·H]
    let dQ = FloatBuffer()           // [T, B, A] gradients of the queries W_q s_{i-1}
    let dKeys = FloatBuffer()        // [S, B, A]
    var dEncOut: [FloatBuffer] = []  // per layer [S, B, 2H]
    let dEncXP = FloatBuffer()       // [S, B, G·H] one direction at a time
    let dEncIn = FloatBuffer()       // [S, B, E]
    let dsPrev = FloatBuffer()       // [B, H]
    let dMemory = FloatBuffer()      // [B, H] dL/dc_i carried back through the decoder
    let dcPrev = FloatBuffer()       // [B, H]
    let cellScratch = FloatBuffer()  // [G + 5, B, H]
    let attScratch = FloatBuffer()   // [S]

    public init(model: Seq2Seq) {
        self.config = model.config
        self.cell = model.cell
        self.gradients = model.params.grads
        for _ in 0..<config.encoderLayers {
            encXP.append((FloatBuffer(), FloatBuffer()))
            encOut.append(FloatBuffer())
            encSaved.append((RecurrentBuffers(), RecurrentBuffers()))
            dEncOut.append(FloatBuffer())
        }
    }

    /// Sizes every buffer for a B × S × T batch with N loss positions. Encoding for search (`training`
    /// false) needs only the encoder's forward buffers: the rest are neither sized nor touched.
    func prepare(B: Int, S: Int, T: Int, N: Int, training: Bool = true) {
        self.B = B; self.S = S; self.T = T; self.N = N
        let E = config.embed, H = config.hidden, A = config.attention, R = config.readout
        let V = config.targetVocabSize, G = cell.gates * H
        srcMask.reserve(S * B); srcIds.reserve(S * B); tgtMask.reserve(T * B); tgtIn.reserve(T * B)
        let maxRows = max(S * B, T * B, N, 1)
        if ones.capacity < maxRows || ones[0] != 1 || ones[ones.capacity - 1] != 1 {
            ones.reserve(maxRows)
            ones.pointer.update(repeating: 1, count: ones.capacity)
        }
        zerosBH.reserve(B * H); zerosBH.zero(B * H)
        encIn.reserve(S * B * E); encDrop.reserve(S * B * E)
        for l in 0..<config.encoderLayers {
            encXP[l].0.reserve(S * B * G); encXP[l].1.reserve(S * B * G)
            encOut[l].reserve(S * B * 2 * H)
            if training { dEncOut[l].reserve(S * B * 2 * H) }
            for saved in [encSaved[l].0, encSaved[l].1] { saved.reserve(cell, steps: S, B: B, H: H, layerNorm: config.layerNorm) }
        }
        keys.reserve(S * B * A)
        cellScratch.reserve(recurrentScratchCount(cell, B: B, H: H))
        states.reserve((T + 1) * B * H)
        guard training else { return }
        tgtEmb.reserve(T * B * E); tgtDrop.reserve(T * B * E)
        states.reserve((T + 1) * B * H); decXP.reserve(T * B * G)
        if cell.hasMemory { memory.reserve((T + 1) * B * H) }
        decSaved.reserve(cell, steps: T, B: B, H: H, layerNorm: config.layerNorm)
        let transitions = config.decoderDepth - 1
        if transitions > 0 {
            transStates.reserve(transitions * T * B * H); transXP.reserve(transitions * B * G)
            transSaved.reserve(cell, steps: transitions * T, B: B, H: H, layerNorm: config.layerNorm)
            dTransXP.reserve(transitions * T * B * G); transCarry.reserve(4 * B * H)
        }
        stepQ.reserve(B * A)
        tAtt.reserve(T * B * S * A); alpha.reserve(T * B * S); ctx.reserve(T * B * 2 * H)
        readout.reserve(T * B * R); rows.reserve(N); targets.reserve(N)
        if config.layerNorm { readoutXhat.reserve(T * B * R); readoutRstd.reserve(T * B) }
        compact.reserve(N * R); compactDrop.reserve(N * R); logits.reserve(N * V)
        dCompact.reserve(N * R); dReadout.reserve(T * B * R); dStates.reserve((T + 1) * B * H)
        dCtx.reserve(T * B * 2 * H); dTgtEmb.reserve(T * B * E); dDecXP.reserve(T * B * G)
        dQ.reserve(T * B * A); dKeys.reserve(S * B * A)
        dEncXP.reserve(S * B * G); dEncIn.reserve(S * B * E)
        dsPrev.reserve(B * H); dMemory.reserve(B * H); dcPrev.reserve(B * H)
        cellScratch.reserve(recurrentScratchCount(cell, B: B, H: H)); attScratch.reserve(S)
    }
}
