// The attentional decoder: its initial state, the decoder step that training and search share, and the
// teacher-forced pass over a whole target sequence with its backward.
//
//   s_0 = tanh(W_init ←h_1 + b)   (backward encoder state at the first word; an LSTM's memory starts at 0)
//   step i: q = W_q s_{i-1};  c_i = attention(q, keys, annotations)
//           s_i = cell(s_{i-1}, [y_{i-1} embedding ; c_i])   (then D−1 more cells: DeepTransition.swift)
//   (the readout t_i = tanh(W_o [s_i ; c_i ; y_{i-1}] + b) and the logits are in Readout.swift)
//
// `decoderStepForward` is the step, once: teacher-forced training runs it for rows = the batch's sentences
// at each position, search for rows = live hypotheses. The embedding part of the cell's input projection
// (and the bias) is filled in by the caller — for all positions in one GEMM under teacher forcing — and
// the step adds c_i·W_ctx. In backward, the weight gradients of W_q, U, W_ctx and W_emb are GEMMs over
// all T·B rows after the step loop.

/// Pointers for one decoder step over R rows.
struct DecoderStep {
    var R: Int
    /// [R] the sentence of the batch each row belongs to; nil when row r is sentence r (training).
    var sentence: UnsafePointer<Int32>?
    /// The encoded batch: keys [S, B, A], annotations [S, B, 2H], source mask [S, B].
    var keys: UnsafePointer<Float>, ann: UnsafePointer<Float>, srcMask: UnsafePointer<Float>
    var S: Int, B: Int
    /// [R, H] s_{i-1}, and the cell's memory [R, H] when it has one.
    var hPrev: UnsafePointer<Float>, cPrev: UnsafePointer<Float>?
    /// [R, G·H] the cell's input pre-activations: emb(y_{i-1})·W_emb + b on entry; the step adds c_i·W_ctx.
    var xp: UnsafeMutablePointer<Float>
    /// [R, A] scratch for the query.
    var q: UnsafeMutablePointer<Float>
    /// [R, S, A] tanh(q + k), kept for backward (nil in search).
    var tAtt: UnsafeMutablePointer<Float>?
    /// [R, S] attention weights; [R, 2H] contexts.
    var alpha: UnsafeMutablePointer<Float>, ctx: UnsafeMutablePointer<Float>
    /// [R] 1 for real positions, 0 for padding.
    var mask: UnsafePointer<Float>
    /// The cell's saved activations (part stride savedStride) and its outputs s_i [R, H], c_i [R, H].
    var saved: UnsafeMutablePointer<Float>, savedStride: Int
    var hOut: UnsafeMutablePointer<Float>, cOut: UnsafeMutablePointer<Float>?
    /// (G + 1)·R·H floats.
    var scratch: UnsafeMutablePointer<Float>
    var threads: Int
    /// The cell's layer normalization and where it keeps x̂ and 1/σ (layer norm only).
    var norm: CellNorm? = nil
    /// A deep-transition decoder's further cells (DeepTransition.swift); the first cell then writes h⁰
    /// there, and the last transition writes hOut, cOut.
    var transitions: TransitionSteps? = nil
}

extension Seq2Seq {
    /// s_0 [B, H] into `out` from the top encoder layer's annotations [S, B, 2H].
    func initialStateForward(annotations top: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>, B: Int) {
        let H = config.hidden
        linearForward(
            x: top + H, ldX: 2 * H, w: params.value(layout.initW), b: params.value(layout.initB),
            y: out, ldY: H, N: B, inDim: H, outDim: H)
        tanhForward(out, out, B * H)
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

    /// emb [N, E] · W_emb + b → xp [N, G·H]: the part of the cell's input that does not depend on attention.
    func decoderInputForward(emb: UnsafePointer<Float>, xp: UnsafeMutablePointer<Float>, N: Int) {
        let G = cell.gates * config.hidden
        linearForward(
            x: emb, ldX: config.embed, w: params.value(layout.decInputEmb), b: params.value(layout.decBias),
            y: xp, ldY: G, N: N, inDim: config.embed, outDim: G)
    }

    /// The decoder step: attention on s_{i-1}, then the cell. See `DecoderStep`.
    func decoderStepForward(_ d: DecoderStep) {
        let H = config.hidden, A = config.attention, G = cell.gates * H
        BLAS.gemm(m: d.R, n: A, k: H, a: d.hPrev, lda: H, b: params.value(layout.attQuery), ldb: A, beta: 0, c: d.q, ldc: A)
        attentionForward(
            q: d.q, ldQ: A, sentence: d.sentence, keys: d.keys, ann: d.ann, srcMask: d.srcMask,
            v: params.value(layout.attV), tAtt: d.tAtt, alpha: d.alpha, ctx: d.ctx, ldCtx: 2 * H,
            R: d.R, S: d.S, B: d.B, A: A, C: 2 * H, threads: d.threads)
        BLAS.gemm(m: d.R, n: G, k: 2 * H, a: d.ctx, lda: 2 * H, b: params.value(layout.decInputCtx), ldb: G,
                  beta: 1, c: d.xp, ldc: G)
        cell.stepForward(cellStep(d))
        if let t = d.transitions { transitionsForward(d, t) }
    }

    /// Backward of `decoderStepForward` (training: row r is sentence r). g = dL/ds_i and gc = dL/dc_i (cells
    /// with memory); dCtx [R, 2H] holds dL/dc_i from the readout and gets the cell's share added. Writes
    /// dxp [R, G·H], dq [R, A], dhPrev = dL/ds_{i-1} and dcPrev; adds into dAnn, dKeys and dv.
    func decoderStepBackward(
        _ d: DecoderStep, g: UnsafePointer<Float>, gc: UnsafePointer<Float>?, dCtx: UnsafeMutablePointer<Float>,
        dxp: UnsafeMutablePointer<Float>, dq: UnsafeMutablePointer<Float>, dhPrev: UnsafeMutablePointer<Float>,
        dcPrev: UnsafeMutablePointer<Float>?, dAnn: UnsafeMutablePointer<Float>, dKeys: UnsafeMutablePointer<Float>,
        attScratch: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>
    ) {
        let H = config.hidden, A = config.attention, G = cell.gates * H
        let (g, gc) = d.transitions.map { transitionsBackward(d, $0, g: g, gc: gc) } ?? (g, gc)
        cell.stepBackward(cellStep(d), CellStepGradients(g: g, gc: gc, dxp: dxp, dhPrev: dhPrev, dcPrev: dcPrev))
        // dc_i += dxp · W_ctxᵀ
        BLAS.gemm(transB: true, m: d.R, n: 2 * H, k: G, a: dxp, lda: G, b: params.value(layout.decInputCtx), ldb: G,
                  beta: 1, c: dCtx, ldc: 2 * H)
        attentionBackward(
            dCtx: dCtx, ldDCtx: 2 * H, ann: d.ann, v: params.value(layout.attV), tAtt: d.tAtt!, alpha: d.alpha,
            dAnn: dAnn, dKeys: dKeys, dv: dv, dq: dq, ldDQ: A, scratch: attScratch, R: d.R, S: d.S, B: d.B, A: A, C: 2 * H)
        // ds_{i-1} += dq · W_qᵀ
        BLAS.gemm(transB: true, m: d.R, n: H, k: A, a: dq, lda: A, b: params.value(layout.attQuery), ldb: A,
                  beta: 1, c: dhPrev, ldc: H)
    }

    private func cellStep(_ d: DecoderStep) -> CellStep {
        let H = config.hidden
        return CellStep(
            xp: d.xp, u: params.value(layout.decU), hPrev: d.hPrev, ldH: H, cPrev: d.cPrev,
            hOut: d.transitions?.state(0, R: d.R, H: H) ?? d.hOut, ldOut: H,
            cOut: d.transitions.map { $0.memoryOf(0, R: d.R, H: H) } ?? d.cOut,
            mask: d.mask, saved: d.saved, savedStride: d.savedStride,
            scratch: d.scratch, B: d.R, H: config.hidden, norm: d.norm)
    }

    /// Training's step i over the batch: pointers into the workspace.
    func trainingStep(_ ws: Workspace, _ i: Int) -> DecoderStep {
        let S = ws.S, B = ws.B, H = config.hidden, A = config.attention, G = cell.gates * H
        let memory = ws.memory.pointer
        return DecoderStep(
            R: B, sentence: nil, keys: ws.keys.pointer, ann: ws.encOut[config.encoderLayers - 1].pointer,
            srcMask: ws.srcMask.pointer, S: S, B: B,
            hPrev: ws.states.pointer + i * B * H, cPrev: cell.hasMemory ? memory + i * B * H : nil,
            xp: ws.decXP.pointer + i * B * G, q: ws.stepQ.pointer, tAtt: ws.tAtt.pointer + i * B * S * A,
            alpha: ws.alpha.pointer + i * B * S, ctx: ws.ctx.pointer + i * B * 2 * H, mask: ws.tgtMask.pointer + i * B,
            saved: ws.decSaved.saved.pointer + i * B * H, savedStride: ws.decSaved.stride,
            hOut: ws.states.pointer + (i + 1) * B * H, cOut: cell.hasMemory ? memory + (i + 1) * B * H : nil,
            scratch: ws.cellScratch.pointer, threads: ws.threads,
            norm: decoderNorm(xhat: ws.decSaved.normXhat(t: i, B: B, width: G),
                              rstd: ws.decSaved.normRstd(t: i, B: B, gates: cell.gates), gradients: ws.gradients),
            transitions: trainingTransitions(ws, i))
    }

    /// Training's transitions of step i (deep transition only).
    func trainingTransitions(_ ws: Workspace, _ i: Int) -> TransitionSteps? {
        guard config.decoderDepth > 1 else { return nil }
        return TransitionSteps(
            states: ws.transStates.pointer, memory: cell.hasMemory ? ws.transSaved.memory.pointer : nil,
            xp: ws.transXP.pointer, buffers: ws.transSaved, steps: ws.T, i: i, gradients: ws.gradients,
            dxp: ws.dTransXP.pointer, carry: ws.transCarry.pointer)
    }

    /// The decoder cell's layer normalization keeping x̂ [R, G·H] and 1/σ [R, G] where given; nil without.
    func decoderNorm(xhat: UnsafeMutablePointer<Float>?, rstd: UnsafeMutablePointer<Float>?,
                     gradients: UnsafeMutablePointer<Float>?) -> CellNorm? {
        normParameters(layout.decNorm, gradients: gradients).map { CellNorm($0, xhat: xhat, rstd: rstd, gates: cell.gates) }
    }

    /// Backward through all T steps. Needs dStates[1...T] and dCtx from the readout; leaves dL/ds_0 in
    /// dStates[0], the gradient of the embedding inputs in dTgtEmb (added), and annotation/key gradients
    /// in dEncOut[top] and dKeys (added).
    func decoderBackward(_ ws: Workspace) {
        let B = ws.B, T = ws.T, H = config.hidden, A = config.attention, G = cell.gates * H
        let dTop = ws.dEncOut[config.encoderLayers - 1].pointer
        let gc = ws.dMemory.pointer, dcPrev = ws.dcPrev.pointer
        gc.update(repeating: 0, count: B * H)  // nothing reaches c_T from later steps
        for i in stride(from: T - 1, through: 0, by: -1) {
            let bh = i * B * H
            decoderStepBackward(
                trainingStep(ws, i), g: ws.dStates.pointer + bh + B * H, gc: cell.hasMemory ? gc : nil,
                dCtx: ws.dCtx.pointer + i * B * 2 * H, dxp: ws.dDecXP.pointer + i * B * G, dq: ws.dQ.pointer + i * B * A,
                dhPrev: ws.dsPrev.pointer, dcPrev: cell.hasMemory ? dcPrev : nil, dAnn: dTop, dKeys: ws.dKeys.pointer,
                attScratch: ws.attScratch.pointer, dv: ws.grad(layout.attV))
            addInPlace(ws.dsPrev.pointer, ws.dStates.pointer + bh, B * H)
            if cell.hasMemory { gc.update(from: dcPrev, count: B * H) }
        }
        let rowsTB = T * B
        // dW_q += Σ s_{i-1}ᵀ dq_i ; dU[:, direct] += Σ s_{i-1}ᵀ dxp_i (+ the cell's gated part) ; dW_ctx += Σ c_iᵀ dxp_i
        BLAS.gemm(transA: true, m: H, n: A, k: rowsTB, a: ws.states.pointer, lda: H, b: ws.dQ.pointer, ldb: A,
                  beta: 1, c: ws.grad(layout.attQuery), ldc: A)
        let dU = ws.grad(layout.decU)
        BLAS.gemm(transA: true, m: H, n: cell.directGates * H, k: rowsTB, a: ws.states.pointer, lda: H,
                  b: ws.dDecXP.pointer, ldb: G, beta: 1, c: dU, ldc: G)
        cell.addGatedRecurrentGradient(
            saved: ws.decSaved.saved.pointer, savedStride: ws.decSaved.stride, dxp: ws.dDecXP.pointer, du: dU,
            rows: rowsTB, H: H)
        if let t = trainingTransitions(ws, 0) { transitionWeightGradients(t, ones: ws.ones.pointer, rows: rowsTB) }
        BLAS.gemm(transA: true, m: 2 * H, n: G, k: rowsTB, a: ws.ctx.pointer, lda: 2 * H, b: ws.dDecXP.pointer,
                  ldb: G, beta: 1, c: ws.grad(layout.decInputCtx), ldc: G)
        linearBackward(
            dy: ws.dDecXP.pointer, ldDY: G, x: ws.tgtEmb.pointer, ldX: config.embed,
            w: params.value(layout.decInputEmb), dw: ws.grad(layout.decInputEmb), db: ws.grad(layout.decBias),
            dx: ws.dTgtEmb.pointer, ldDX: config.embed, accumulateDX: true, ones: ws.ones.pointer,
            N: rowsTB, inDim: config.embed, outDim: G)
    }
}
