// Readout and output projection, forward and backward. Training runs them once over all target positions
// (T·B rows, then only the N non-pad rows for the output layer); search runs the same two functions over
// its R hypothesis rows each step.
//   t_i = tanh(W_o [s_i ; c_i ; y_{i-1}] + b_o)     [rows, R]   (three GEMMs into one output, no concat;
//                                                              with layer norm, tanh(LN(…)))
//   logits = W_out · t_i + b_out                     [rows, V]

extension Seq2Seq {
    /// t = tanh(W_o [s ; c ; y] + b) for N rows: states [N, H], ctx [N, 2H], emb [N, E] → out [N, R].
    /// With layer norm, `keep` receives x̂ [N, R] and 1/σ [N] for backward (training only).
    func readoutForward(
        states: UnsafePointer<Float>, ctx: UnsafePointer<Float>, emb: UnsafePointer<Float>,
        out: UnsafeMutablePointer<Float>, N: Int,
        keep: (xhat: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>)? = nil
    ) {
        let H = config.hidden, E = config.embed, R = config.readout
        let w = params.value(layout.readoutW)
        linearForward(x: states, ldX: H, w: w, b: params.value(layout.readoutB), y: out, ldY: R, N: N, inDim: H, outDim: R)
        BLAS.gemm(m: N, n: R, k: 2 * H, a: ctx, lda: 2 * H, b: w + H * R, ldb: R, beta: 1, c: out, ldc: R)
        BLAS.gemm(m: N, n: R, k: E, a: emb, lda: E, b: w + 3 * H * R, ldb: R, beta: 1, c: out, ldc: R)
        if let norm = layout.readoutNorm {
            layerNormForward(out, ldA: R, gain: params.value(norm.gain), shift: params.value(norm.shift),
                             xhat: keep?.xhat, ldXhat: R, rstd: keep?.rstd, ldRstd: 1, rows: N, width: R)
        }
        tanhForward(out, out, N * R)
    }

    /// logits [N, V] = x [N, R] · W_out + b_out. A tied model reads W_out as Eₜᵀ from the target embedding
    /// [V, E] (TiedEmbeddings.swift): the transposed product costs what the plain one does.
    func logitsForward(_ x: UnsafePointer<Float>, logits: UnsafeMutablePointer<Float>, N: Int) {
        let R = config.readout, V = config.targetVocabSize
        guard config.tiedEmbeddings else {
            linearForward(x: x, ldX: R, w: params.value(layout.outW), b: params.value(layout.outB), y: logits, ldY: V,
                          N: N, inDim: R, outDim: V)
            return
        }
        let b = params.value(layout.outB)
        for i in 0..<N { (logits + i * V).update(from: b, count: V) }
        BLAS.gemm(transB: true, m: N, n: V, k: R, a: x, lda: R, b: params.value(layout.tgtEmbedding), ldb: R,
                  beta: 1, c: logits, ldc: V)
    }

    /// Backward of `logitsForward` over N rows: dlogits [N, V], x [N, R] → dx [N, R] (overwritten); adds the
    /// weight gradient (into Eₜ's when tied) and the bias gradient.
    func logitsBackward(_ ws: Workspace, dLogits: UnsafePointer<Float>, x: UnsafePointer<Float>,
                        dx: UnsafeMutablePointer<Float>, N: Int) {
        let R = config.readout, V = config.targetVocabSize
        guard config.tiedEmbeddings else {
            linearBackward(
                dy: dLogits, ldDY: V, x: x, ldX: R, w: params.value(layout.outW),
                dw: ws.grad(layout.outW), db: ws.grad(layout.outB), dx: dx, ldDX: R,
                accumulateDX: false, ones: ws.ones.pointer, N: N, inDim: R, outDim: V)
            return
        }
        let emb = params.value(layout.tgtEmbedding)
        // dEₜ [V, E] += dlogitsᵀ · x, db += Σ rows, dx = dlogits · Eₜ
        BLAS.gemm(transA: true, m: V, n: R, k: N, a: dLogits, lda: V, b: x, ldb: R, beta: 1,
                  c: ws.grad(layout.tgtEmbedding), ldc: R)
        columnSums(dLogits, ld: V, rows: N, cols: V, into: ws.grad(layout.outB), ones: ws.ones.pointer)
        BLAS.gemm(m: N, n: R, k: V, a: dLogits, lda: V, b: emb, ldb: R, beta: 0, c: dx, ldc: R)
    }

    /// Training: the readout of all T·B rows, then the compact dropped-out rows of the N real positions
    /// and their logits.
    func readoutLayerForward(_ ws: Workspace, dropout: Float, rng: inout Rng) {
        let B = ws.B, T = ws.T, N = ws.N, H = config.hidden, R = config.readout
        let ro = ws.readout.pointer
        readoutForward(states: ws.states.pointer + B * H, ctx: ws.ctx.pointer, emb: ws.tgtEmb.pointer, out: ro, N: T * B,
                       keep: (ws.readoutXhat.pointer, ws.readoutRstd.pointer))
        let compact = ws.compact.pointer
        for n in 0..<N { (compact + n * R).update(from: ro + Int(ws.rows.pointer[n]) * R, count: R) }
        dropoutForward(compact, mask: ws.compactDrop.pointer, count: N * R, rate: dropout, rng: &rng)
        logitsForward(compact, logits: ws.logits.pointer, N: N)
    }

    /// From dL/dlogits (in ws.logits) to dStates[1...T], dCtx and dTgtEmb (all overwritten); adds weight grads.
    func readoutLayerBackward(_ ws: Workspace) {
        let B = ws.B, T = ws.T, N = ws.N, H = config.hidden, E = config.embed, R = config.readout
        let rowsTB = T * B
        logitsBackward(ws, dLogits: ws.logits.pointer, x: ws.compact.pointer, dx: ws.dCompact.pointer, N: N)
        dropoutBackward(ws.dCompact.pointer, mask: ws.compactDrop.pointer, count: N * R)
        let dro = ws.dReadout.pointer
        dro.update(repeating: 0, count: rowsTB * R)
        for n in 0..<N { (dro + Int(ws.rows.pointer[n]) * R).update(from: ws.dCompact.pointer + n * R, count: R) }
        tanhBackward(ws.readout.pointer, dro, dro, rowsTB * R)
        if let norm = layout.readoutNorm {
            layerNormBackward(dro, ldD: R, gain: params.value(norm.gain), xhat: ws.readoutXhat.pointer, ldXhat: R,
                              rstd: ws.readoutRstd.pointer, ldRstd: 1, dGain: ws.grad(norm.gain), dShift: ws.grad(norm.shift),
                              rows: rowsTB, width: R)
        }
        let w = params.value(layout.readoutW), gw = ws.grad(layout.readoutW)
        linearBackward(
            dy: dro, ldDY: R, x: ws.states.pointer + B * H, ldX: H, w: w, dw: gw, db: ws.grad(layout.readoutB),
            dx: ws.dStates.pointer + B * H, ldDX: H, accumulateDX: false, ones: ws.ones.pointer,
            N: rowsTB, inDim: H, outDim: R)
        linearBackward(
            dy: dro, ldDY: R, x: ws.ctx.pointer, ldX: 2 * H, w: w + H * R, dw: gw + H * R, db: nil,
            dx: ws.dCtx.pointer, ldDX: 2 * H, accumulateDX: false, ones: ws.ones.pointer,
            N: rowsTB, inDim: 2 * H, outDim: R)
        linearBackward(
            dy: dro, ldDY: R, x: ws.tgtEmb.pointer, ldX: E, w: w + 3 * H * R, dw: gw + 3 * H * R, db: nil,
            dx: ws.dTgtEmb.pointer, ldDX: E, accumulateDX: false, ones: ws.ones.pointer,
            N: rowsTB, inDim: E, outDim: R)
    }
}
