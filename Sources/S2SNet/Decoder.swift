// The attentional GRU decoder over a whole target sequence, forward and backward, and its initial state.
//
//   s_0 = tanh(W_init ←h_1 + b)                          (backward encoder state at the first word)
//   step i: q = W_q s_{i-1};  c_i = attention(q, keys, annotations)
//           s_i = GRU(s_{i-1}, [y_{i-1} embedding ; c_i])
//
// W_q and the decoder's U_z, U_r share one matrix [H, A + 3H], so each step starts with a single GEMM
// s_{i-1}·[W_q | U_zr]. The embedding part of the GRU input projection (and the bias) is filled in by the
// caller for all steps at once under teacher forcing; each step adds c_i·W_ctx. In backward, the weight
// gradients of W_q, U, W_ctx and W_emb are GEMMs over all T·B rows after the step loop.

extension Seq2Seq {
    /// s_0 into ws.states[0] [B, H] from the top encoder layer.
    func initialStateForward(_ ws: Workspace) {
        let H = config.hidden, B = ws.B
        let top = ws.encOut[config.encoderLayers - 1].pointer
        linearForward(
            x: top + H, ldX: 2 * H, w: params.value(layout.initW), b: params.value(layout.initB),
            y: ws.states.pointer, ldY: H, N: B, inDim: H, outDim: H)
        tanhForward(ws.states.pointer, ws.states.pointer, B * H)
    }

    /// Backward of `initialStateForward`: reads dStates[0], adds into dEncOut[top][0, :, H:2H].
    func initialStateBackward(_ ws: Workspace) {
        let H = config.hidden, B = ws.B
        let top = ws.encOut[config.encoderLayers - 1].pointer
        let dTop = ws.dEncOut[config.encoderLayers - 1].pointer
        let da = ws.dStates.pointer
        tanhBackward(ws.states.pointer, da, da, B * H)
        linearBackward(
            dy: da, ldDY: H, x: top + H, ldX: 2 * H, w: params.value(layout.initW), dw: ws.grad(layout.initW),
            db: ws.grad(layout.initB), dx: dTop + H, ldDX: 2 * H, accumulateDX: true, ones: ws.ones.pointer,
            N: B, inDim: H, outDim: H)
    }

    /// One decoder step i: attention on s_{i-1}, then the GRU. ws.decXP[i] must hold the embedding part + bias.
    func decoderStepForward(_ ws: Workspace, step i: Int) {
        let S = ws.S, B = ws.B, H = config.hidden, A = config.attention
        let ldP = A + 2 * H, ldState = A + 3 * H
        let sPrev = ws.states.pointer + i * B * H
        let wState = params.value(layout.decState)
        let top = ws.encOut[config.encoderLayers - 1].pointer
        let p = ws.stepP.pointer
        BLAS.gemm(m: B, n: ldP, k: H, a: sPrev, lda: H, b: wState, ldb: ldState, beta: 0, c: p, ldc: ldP)
        let ctx = ws.ctx.pointer + i * B * 2 * H
        attentionForward(
            q: p, ldQ: ldP, keys: ws.keys.pointer, ann: top, srcMask: ws.srcMask.pointer,
            v: params.value(layout.attV), tAtt: ws.tAtt.pointer + i * S * B * A, alpha: ws.alpha.pointer + i * S * B,
            ctx: ctx, ldCtx: 2 * H, S: S, B: B, A: A, C: 2 * H)
        let xp = ws.decXP.pointer + i * B * 3 * H
        BLAS.gemm(m: B, n: 3 * H, k: 2 * H, a: ctx, lda: 2 * H, b: params.value(layout.decInputCtx), ldb: 3 * H,
                  beta: 1, c: xp, ldc: 3 * H)
        let bh = i * B * H, saved = ws.decSaved
        gruGatesForward(
            xp: xp, ldXP: 3 * H, uh: p + A, ldUH: ldP, hPrev: sPrev, ldH: H,
            z: saved.z.pointer + bh, r: saved.r.pointer + bh, rh: saved.rh.pointer + bh, B: B, H: H)
        BLAS.gemm(m: B, n: H, k: H, a: saved.rh.pointer + bh, lda: H, b: wState + A + 2 * H, ldb: ldState,
                  beta: 0, c: ws.stepUN.pointer, ldc: H)
        gruCandidateForward(
            xp: xp, ldXP: 3 * H, un: ws.stepUN.pointer, hPrev: sPrev, ldH: H, z: saved.z.pointer + bh,
            mask: ws.tgtMask.pointer + i * B, n: saved.n.pointer + bh, hOut: sPrev + B * H, ldOut: H, B: B, H: H)
    }

    /// Backward through all T steps. Needs dStates[1...T] and dCtx from the readout; leaves dL/ds_0 in
    /// dStates[0], the gradient of the embedding inputs in dTgtEmb (added), and annotation/key gradients
    /// in dEncOut[top] and dKeys (added).
    func decoderBackward(_ ws: Workspace) {
        let S = ws.S, B = ws.B, T = ws.T, H = config.hidden, A = config.attention
        let ldP = A + 2 * H, ldState = A + 3 * H
        let wState = params.value(layout.decState), wCtx = params.value(layout.decInputCtx)
        let top = ws.encOut[config.encoderLayers - 1].pointer
        let dTop = ws.dEncOut[config.encoderLayers - 1].pointer
        let saved = ws.decSaved
        let dsPrev = ws.dsPrev.pointer, drh = ws.drh.pointer
        for i in stride(from: T - 1, through: 0, by: -1) {
            let bh = i * B * H
            let sPrev = ws.states.pointer + bh
            let g = ws.dStates.pointer + (i + 1) * B * H
            let dxp = ws.dDecXP.pointer + i * B * 3 * H
            gruCandidateBackward(
                g: g, hPrev: sPrev, ldH: H, z: saved.z.pointer + bh, n: saved.n.pointer + bh,
                mask: ws.tgtMask.pointer + i * B, dxp: dxp, ldDXP: 3 * H, dhPrev: dsPrev, B: B, H: H)
            BLAS.gemm(transB: true, m: B, n: H, k: H, a: dxp + 2 * H, lda: 3 * H, b: wState + A + 2 * H, ldb: ldState,
                      beta: 0, c: drh, ldc: H)
            gruGatesBackward(
                drh: drh, hPrev: sPrev, ldH: H, r: saved.r.pointer + bh, dxp: dxp, ldDXP: 3 * H, dhPrev: dsPrev,
                B: B, H: H)
            // dc_i = (from the readout) + dxp_i · W_ctxᵀ
            let dc = ws.dCtx.pointer + i * B * 2 * H
            BLAS.gemm(transB: true, m: B, n: 2 * H, k: 3 * H, a: dxp, lda: 3 * H, b: wCtx, ldb: 3 * H,
                      beta: 1, c: dc, ldc: 2 * H)
            let dp = ws.dP.pointer + i * B * ldP
            attentionBackward(
                dCtx: dc, ldDCtx: 2 * H, ann: top, v: params.value(layout.attV),
                tAtt: ws.tAtt.pointer + i * S * B * A, alpha: ws.alpha.pointer + i * S * B,
                dAnn: dTop, dKeys: ws.dKeys.pointer, dv: ws.grad(layout.attV), dq: dp, ldDQ: ldP,
                scratch: ws.attScratch.pointer, S: S, B: B, A: A, C: 2 * H)
            copyRows(dxp, ldSrc: 3 * H, dp + A, ldDst: ldP, rows: B, cols: 2 * H)
            // ds_{i-1} += [dq | dA_zr] · [W_q | U_zr]ᵀ
            BLAS.gemm(transB: true, m: B, n: H, k: ldP, a: dp, lda: ldP, b: wState, ldb: ldState,
                      beta: 1, c: dsPrev, ldc: H)
            addInPlace(dsPrev, ws.dStates.pointer + bh, B * H)
        }
        let rowsTB = T * B
        let gState = ws.grad(layout.decState)
        BLAS.gemm(transA: true, m: H, n: ldP, k: rowsTB, a: ws.states.pointer, lda: H, b: ws.dP.pointer, ldb: ldP,
                  beta: 1, c: gState, ldc: ldState)
        BLAS.gemm(transA: true, m: H, n: H, k: rowsTB, a: saved.rh.pointer, lda: H, b: ws.dDecXP.pointer + 2 * H,
                  ldb: 3 * H, beta: 1, c: gState + A + 2 * H, ldc: ldState)
        BLAS.gemm(transA: true, m: 2 * H, n: 3 * H, k: rowsTB, a: ws.ctx.pointer, lda: 2 * H, b: ws.dDecXP.pointer,
                  ldb: 3 * H, beta: 1, c: ws.grad(layout.decInputCtx), ldc: 3 * H)
        linearBackward(
            dy: ws.dDecXP.pointer, ldDY: 3 * H, x: ws.tgtEmb.pointer, ldX: config.embed,
            w: params.value(layout.decInputEmb), dw: ws.grad(layout.decInputEmb), db: ws.grad(layout.decBias),
            dx: ws.dTgtEmb.pointer, ldDX: config.embed, accumulateDX: true, ones: ws.ones.pointer,
            N: rowsTB, inDim: config.embed, outDim: 3 * H)
    }
}
