// Readout and output projection, forward and backward, over all target positions at once:
//   t_i = tanh(W_o [s_i ; c_i ; y_{i-1}] + b_o)     [T·B, R]   (three GEMMs into one output, no concat)
//   logits = W_out · dropout(t_i) + b_out           [N, V]     (only the N non-pad positions: one GEMM)

extension Seq2Seq {
    /// Fills ws.readout for all T·B rows, then the compact dropped-out rows and their logits.
    func readoutForward(_ ws: Workspace, dropout: Float, rng: inout Rng) {
        let B = ws.B, T = ws.T, N = ws.N, H = config.hidden, E = config.embed, R = config.readout
        let V = config.targetVocabSize
        let rowsTB = T * B
        let w = params.value(layout.readoutW), ro = ws.readout.pointer
        linearForward(
            x: ws.states.pointer + B * H, ldX: H, w: w, b: params.value(layout.readoutB), y: ro, ldY: R,
            N: rowsTB, inDim: H, outDim: R)
        BLAS.gemm(m: rowsTB, n: R, k: 2 * H, a: ws.ctx.pointer, lda: 2 * H, b: w + H * R, ldb: R, beta: 1, c: ro, ldc: R)
        BLAS.gemm(m: rowsTB, n: R, k: E, a: ws.tgtEmb.pointer, lda: E, b: w + 3 * H * R, ldb: R, beta: 1, c: ro, ldc: R)
        tanhForward(ro, ro, rowsTB * R)
        let compact = ws.compact.pointer
        for n in 0..<N { (compact + n * R).update(from: ro + Int(ws.rows.pointer[n]) * R, count: R) }
        dropoutForward(compact, mask: ws.compactDrop.pointer, count: N * R, rate: dropout, rng: &rng)
        linearForward(
            x: compact, ldX: R, w: params.value(layout.outW), b: params.value(layout.outB), y: ws.logits.pointer,
            ldY: V, N: N, inDim: R, outDim: V)
    }

    /// From dL/dlogits (in ws.logits) to dStates[1...T], dCtx and dTgtEmb (all overwritten); adds weight grads.
    func readoutBackward(_ ws: Workspace) {
        let B = ws.B, T = ws.T, N = ws.N, H = config.hidden, E = config.embed, R = config.readout
        let V = config.targetVocabSize
        let rowsTB = T * B
        linearBackward(
            dy: ws.logits.pointer, ldDY: V, x: ws.compact.pointer, ldX: R, w: params.value(layout.outW),
            dw: ws.grad(layout.outW), db: ws.grad(layout.outB), dx: ws.dCompact.pointer, ldDX: R,
            accumulateDX: false, ones: ws.ones.pointer, N: N, inDim: R, outDim: V)
        dropoutBackward(ws.dCompact.pointer, mask: ws.compactDrop.pointer, count: N * R)
        let dro = ws.dReadout.pointer
        dro.update(repeating: 0, count: rowsTB * R)
        for n in 0..<N { (dro + Int(ws.rows.pointer[n]) * R).update(from: ws.dCompact.pointer + n * R, count: R) }
        tanhBackward(ws.readout.pointer, dro, dro, rowsTB * R)
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
