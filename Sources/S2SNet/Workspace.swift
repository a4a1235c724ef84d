// Every activation and gradient buffer of one forward/backward pass. A workspace is sized for the largest
// batch seen so far and reused, so training allocates nothing per step once it has warmed up.
// Shapes use B (batch), S (source), T (target), N (non-pad target tokens), E, H, A, R, V (target vocab).

public final class Workspace: @unchecked Sendable {
    public let config: ModelConfig
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
    let zerosBH = FloatBuffer()      // [B, H]  the encoder's initial state
    let srcIds = IntBuffer()         // [S, B]  source ids
    let tgtIn = IntBuffer()          // [T, B]  decoder inputs actually read (teacher forcing may change them)

    // Encoder
    let encIn = FloatBuffer()        // [S, B, E] source embeddings after dropout
    let encDrop = FloatBuffer()      // [S, B, E] dropout mask
    var encXP: [(FloatBuffer, FloatBuffer)] = []     // per layer, fwd/bwd [S, B, 3H]
    var encOut: [FloatBuffer] = []                   // per layer [S, B, 2H] annotations [→h ; ←h]
    var encSaved: [(GRUBuffers, GRUBuffers)] = []    // per layer, fwd/bwd gate activations [S, B, H] each
    let keys = FloatBuffer()         // [S, B, A]  W_k h_j

    // Decoder
    let tgtEmb = FloatBuffer()       // [T, B, E] target input embeddings after dropout
    let tgtDrop = FloatBuffer()      // [T, B, E]
    let states = FloatBuffer()       // [T+1, B, H]  s_0 … s_T
    let decXP = FloatBuffer()        // [T, B, 3H]  decoder GRU input projections (embedding + context + bias)
    let decSaved = GRUBuffers()      // [T, B, H] each
    let stepP = FloatBuffer()        // [B, A+2H]  s_{i-1}·[W_q | U_zr] for the current step
    let stepUN = FloatBuffer()       // [B, H]
    let tAtt = FloatBuffer()         // [T, S, B, A] tanh(q + k)
    let alpha = FloatBuffer()        // [T, S, B] attention weights
    let ctx = FloatBuffer()          // [T, B, 2H] contexts c_i

    // Readout and output
    let readout = FloatBuffer()      // [T, B, R] tanh readout (before dropout)
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
    let dDecXP = FloatBuffer()       // [T, B, 3H]
    let dP = FloatBuffer()           // [T, B, A+2H] gradients of s_{i-1}·[W_q | U_zr]
    let dKeys = FloatBuffer()        // [S, B, A]
    var dEncOut: [FloatBuffer] = []  // per layer [S, B, 2H]
    let dEncXPF = FloatBuffer()      // [S, B, 3H]
    let dEncXPB = FloatBuffer()      // [S, B, 3H]
    let dEncIn = FloatBuffer()       // [S, B, E]
    let dsPrev = FloatBuffer()       // [B, H]
    let drh = FloatBuffer()          // [B, H]
    let dh0 = FloatBuffer()          // [B, H] (discarded: the encoder's initial state is constant)
    let gruScratch = FloatBuffer()   // [3, B, H]
    let attScratch = FloatBuffer()   // [2, S, B]

    public init(model: Seq2Seq) {
        self.config = model.config
        self.gradients = model.params.grads
        for _ in 0..<config.encoderLayers {
            encXP.append((FloatBuffer(), FloatBuffer()))
            encOut.append(FloatBuffer())
            encSaved.append((GRUBuffers(), GRUBuffers()))
            dEncOut.append(FloatBuffer())
        }
    }

    /// Sizes every buffer for a B × S × T batch with N loss positions.
    func prepare(B: Int, S: Int, T: Int, N: Int) {
        self.B = B; self.S = S; self.T = T; self.N = N
        let E = config.embed, H = config.hidden, A = config.attention, R = config.readout
        let V = config.targetVocabSize
        srcMask.reserve(S * B); srcIds.reserve(S * B); tgtMask.reserve(T * B); tgtIn.reserve(T * B)
        let maxRows = max(S * B, T * B, N, 1)
        if ones.capacity < maxRows || ones[0] != 1 || ones[ones.capacity - 1] != 1 {
            ones.reserve(maxRows)
            ones.pointer.update(repeating: 1, count: ones.capacity)
        }
        zerosBH.reserve(B * H); zerosBH.zero(B * H)
        encIn.reserve(S * B * E); encDrop.reserve(S * B * E)
        for l in 0..<config.encoderLayers {
            encXP[l].0.reserve(S * B * 3 * H); encXP[l].1.reserve(S * B * 3 * H)
            encOut[l].reserve(S * B * 2 * H); dEncOut[l].reserve(S * B * 2 * H)
            encSaved[l].0.reserve(S * B * H); encSaved[l].1.reserve(S * B * H)
        }
        keys.reserve(S * B * A)
        tgtEmb.reserve(T * B * E); tgtDrop.reserve(T * B * E)
        states.reserve((T + 1) * B * H); decXP.reserve(T * B * 3 * H)
        decSaved.reserve(T * B * H)
        stepP.reserve(B * (A + 2 * H)); stepUN.reserve(B * H)
        tAtt.reserve(T * S * B * A); alpha.reserve(T * S * B); ctx.reserve(T * B * 2 * H)
        readout.reserve(T * B * R); rows.reserve(N); targets.reserve(N)
        compact.reserve(N * R); compactDrop.reserve(N * R); logits.reserve(N * V)
        dCompact.reserve(N * R); dReadout.reserve(T * B * R); dStates.reserve((T + 1) * B * H)
        dCtx.reserve(T * B * 2 * H); dTgtEmb.reserve(T * B * E); dDecXP.reserve(T * B * 3 * H)
        dP.reserve(T * B * (A + 2 * H)); dKeys.reserve(S * B * A)
        dEncXPF.reserve(S * B * 3 * H); dEncXPB.reserve(S * B * 3 * H); dEncIn.reserve(S * B * E)
        dsPrev.reserve(B * H); drh.reserve(B * H); dh0.reserve(B * H)
        gruScratch.reserve(3 * B * H); attScratch.reserve(2 * S * B)
    }
}

/// The four saved gate activations of a GRU run, [steps, B, H] each.
final class GRUBuffers: @unchecked Sendable {
    let z = FloatBuffer(), r = FloatBuffer(), n = FloatBuffer(), rh = FloatBuffer()
    func reserve(_ count: Int) {
        z.reserve(count); r.reserve(count); n.reserve(count); rh.reserve(count)
    }
    var saved: GRUSaved { GRUSaved(z: z.pointer, r: r.pointer, n: n.pointer, rh: rh.pointer) }
}
