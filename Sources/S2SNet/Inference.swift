// The model at translation time: encode a batch once, then advance any number of hypothesis rows one
// decoder step at a time. Each row names the sentence it belongs to, so beams of many sentences step
// together in one set of GEMMs, and rows can be dropped or reordered between steps (search owns that).
// No dropout, no saved activations.
import Foundation

/// Encoder outputs of a batch of source sentences, kept for the whole search.
public final class EncodedBatch: @unchecked Sendable {
    public let B: Int, S: Int
    public let lengths: [Int]          // real source length of each sentence, incl. </s>
    let annotations: FloatBuffer        // [S, B, 2H]
    let keys: FloatBuffer               // [S, B, A]
    let mask: FloatBuffer               // [S, B]
    public let initialStates: FloatBuffer  // [B, H] s_0 of each sentence

    init(B: Int, S: Int, lengths: [Int], annotations: FloatBuffer, keys: FloatBuffer, mask: FloatBuffer, initialStates: FloatBuffer) {
        self.B = B; self.S = S; self.lengths = lengths
        self.annotations = annotations; self.keys = keys; self.mask = mask; self.initialStates = initialStates
    }
}

/// Scratch buffers for decoder steps over up to `rows` hypothesis rows; reused between steps.
public final class StepWorkspace: @unchecked Sendable {
    let config: ModelConfig
    let p = FloatBuffer(), q = FloatBuffer(), ctx = FloatBuffer(), emb = FloatBuffer(), xp = FloatBuffer()
    let z = FloatBuffer(), r = FloatBuffer(), rh = FloatBuffer(), n = FloatBuffer(), un = FloatBuffer()
    let readout = FloatBuffer(), ones = FloatBuffer()
    /// [rows, V] output scores of the last step, before normalisation: log p(v) = logits[r, v] − logZ[r].
    /// Searches rank tokens by logits and normalise only the few they keep, saving a pass over V per row.
    public let logits = FloatBuffer()
    /// [rows] log Σ_v exp(logits[r, v]) of the last step.
    public let logZ = FloatBuffer()
    /// [rows, S] attention weights of the last step.
    public let alpha = FloatBuffer()
    /// [rows, H] states after the last step.
    public let states = FloatBuffer()
    /// Threads the step's own loops may use (1 when several searches run side by side).
    public let threads: Int

    public init(config: ModelConfig, threads: Int = Parallel.workers) {
        self.config = config
        self.threads = max(1, threads)
    }

    func prepare(rows R: Int, S: Int) {
        let H = config.hidden, A = config.attention, E = config.embed
        p.reserve(R * (A + 2 * H)); ctx.reserve(R * 2 * H); emb.reserve(R * E); xp.reserve(R * 3 * H)
        z.reserve(R * H); r.reserve(R * H); rh.reserve(R * H); n.reserve(R * H); un.reserve(R * H)
        readout.reserve(R * config.readout); logits.reserve(R * config.targetVocabSize)
        logZ.reserve(R)
        alpha.reserve(R * S); states.reserve(R * H);
        if ones.capacity < R || ones[0] != 1 {
            ones.reserve(R)
            ones.pointer.update(repeating: 1, count: ones.capacity)
        }
    }
}

extension Seq2Seq {
    /// Encodes sentences given as unpadded id sequences (no specials; </s> is appended here).
    public func encode(_ sources: [[Int32]]) -> EncodedBatch {
        let batch = Batch(sources: sources, targets: sources.map { _ in [] })
        let ws = Workspace(model: self)
        let B = batch.B, S = batch.S, E = config.embed
        ws.prepare(B: B, S: S, T: 1, N: B)
        for i in 0..<(S * B) {
            ws.srcMask[i] = batch.source[i] == SpecialIds.pad ? 0 : 1
            ws.srcIds.pointer[i] = batch.source[i]
        }
        embeddingForward(ids: ws.srcIds.pointer, table: params.value(layout.srcEmbedding), out: ws.encIn.pointer, N: S * B, E: E)
        encoderForward(ws)
        initialStateForward(ws)
        let initial = FloatBuffer(capacity: B * config.hidden)
        initial.pointer.update(from: ws.states.pointer, count: B * config.hidden)
        return EncodedBatch(
            B: B, S: S, lengths: sources.map { $0.count + 1 }, annotations: ws.encOut[config.encoderLayers - 1],
            keys: ws.keys, mask: ws.srcMask, initialStates: initial)
    }

    /// One decoder step for R rows. Row r belongs to sentence `sentence[r]` of `encoded`, read `previous[r]`
    /// as y_{i-1}, and has state states[r] ([R, H], row stride H). Leaves log p(y_i | …) as
    /// ws.logits [R, V] − ws.logZ [R], the attention in ws.alpha [R, S] and the new states in ws.states [R, H].
    public func decodeStep(
        _ encoded: EncodedBatch, sentence: UnsafePointer<Int32>, previous: UnsafePointer<Int32>,
        states: UnsafePointer<Float>, rows R: Int, workspace ws: StepWorkspace
    ) {
        let H = config.hidden, A = config.attention, E = config.embed, Rd = config.readout
        let V = config.targetVocabSize, S = encoded.S, B = encoded.B
        ws.prepare(rows: R, S: S)
        let ldP = A + 2 * H, ldState = A + 3 * H
        let wState = params.value(layout.decState)
        // s_{i-1}·[W_q | U_zr] for all rows
        BLAS.gemm(m: R, n: ldP, k: H, a: states, lda: H, b: wState, ldb: ldState, beta: 0, c: ws.p.pointer, ldc: ldP)
        // Attention, row by row (each row reads its own sentence's keys); rows are split across cores.
        // Scores: e_j = vᵀ tanh(q + k_j); masked softmax; context.
        let v = params.value(layout.attV), keys = encoded.keys.pointer, ann = encoded.annotations.pointer
        let mask = encoded.mask.pointer, p = ws.p.pointer, alpha = ws.alpha.pointer, ctx = ws.ctx.pointer
        Parallel.ranges(R, minimumPerWorker: 16, workers: ws.threads) { start, end in
            for row in start..<end {
                let b = Int(sentence[row])
                let q = p + row * ldP
                let a = alpha + row * S
                var m = -Float.greatestFiniteMagnitude
                for j in 0..<S {
                    if mask[j * B + b] == 0 { a[j] = -Float.infinity; continue }
                    a[j] = tanhDot(q, keys + (j * B + b) * A, v, A)
                    m = max(m, a[j])
                }
                var sum: Float = 0
                for j in 0..<S {
                    let e: Float = a[j] == -Float.infinity ? 0 : fastExp(a[j] - m)
                    a[j] = e
                    sum += e
                }
                for j in 0..<S { a[j] /= sum }
                // c = Σ_j α_j h_j: a weighted sum of at most S rows, done here rather than with a gemv
                // because these workers run concurrently and BLAS's own thread pool is not theirs to share.
                let c = ctx + row * 2 * H
                c.update(repeating: 0, count: 2 * H)
                for j in 0..<S where a[j] != 0 { axpy(a[j], ann + (j * B + b) * 2 * H, c, 2 * H) }
            }
        }
        // GRU input: emb(y_{i-1})·W_emb + b + c·W_ctx
        embeddingForward(ids: previous, table: params.value(layout.tgtEmbedding), out: ws.emb.pointer, N: R, E: E)
        linearForward(
            x: ws.emb.pointer, ldX: E, w: params.value(layout.decInputEmb), b: params.value(layout.decBias),
            y: ws.xp.pointer, ldY: 3 * H, N: R, inDim: E, outDim: 3 * H)
        BLAS.gemm(m: R, n: 3 * H, k: 2 * H, a: ws.ctx.pointer, lda: 2 * H, b: params.value(layout.decInputCtx),
                  ldb: 3 * H, beta: 1, c: ws.xp.pointer, ldc: 3 * H)
        gruGatesForward(
            xp: ws.xp.pointer, ldXP: 3 * H, uh: ws.p.pointer + A, ldUH: ldP, hPrev: states, ldH: H,
            z: ws.z.pointer, r: ws.r.pointer, rh: ws.rh.pointer, B: R, H: H)
        BLAS.gemm(m: R, n: H, k: H, a: ws.rh.pointer, lda: H, b: wState + A + 2 * H, ldb: ldState,
                  beta: 0, c: ws.un.pointer, ldc: H)
        gruCandidateForward(
            xp: ws.xp.pointer, ldXP: 3 * H, un: ws.un.pointer, hPrev: states, ldH: H, z: ws.z.pointer,
            mask: ws.ones.pointer, n: ws.n.pointer, hOut: ws.states.pointer, ldOut: H, B: R, H: H)
        // Readout and output projection
        let w = params.value(layout.readoutW)
        linearForward(
            x: ws.states.pointer, ldX: H, w: w, b: params.value(layout.readoutB), y: ws.readout.pointer, ldY: Rd,
            N: R, inDim: H, outDim: Rd)
        BLAS.gemm(m: R, n: Rd, k: 2 * H, a: ws.ctx.pointer, lda: 2 * H, b: w + H * Rd, ldb: Rd, beta: 1,
                  c: ws.readout.pointer, ldc: Rd)
        BLAS.gemm(m: R, n: Rd, k: E, a: ws.emb.pointer, lda: E, b: w + 3 * H * Rd, ldb: Rd, beta: 1,
                  c: ws.readout.pointer, ldc: Rd)
        tanhForward(ws.readout.pointer, ws.readout.pointer, R * Rd)
        linearForward(
            x: ws.readout.pointer, ldX: Rd, w: params.value(layout.outW), b: params.value(layout.outB),
            y: ws.logits.pointer, ldY: V, N: R, inDim: Rd, outDim: V)
        let logits = ws.logits.pointer, logZ = ws.logZ.pointer
        Parallel.ranges(R, minimumPerWorker: 4, workers: ws.threads) { start, end in
            for row in start..<end {
                let x = logits + row * V
                let m = vectorMax(x, V)
                logZ[row] = m + logf(sumExpShifted(x, V, shift: m))
            }
        }
    }
}
