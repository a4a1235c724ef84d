// The bidirectional encoder, forward and backward: embeddings → (dropout) → L layers of
// [forward cell ; backward cell] → annotations h_j = [→h_j ; ←h_j], [S, B, 2H].
// Each layer's input projections for all steps are one GEMM per direction; the two directions write
// straight into the two halves of the annotation rows (row stride 2H), so nothing is concatenated.

extension Seq2Seq {
    /// ws.encIn [S, B, E] must hold the (dropped-out) source embeddings; fills encOut, and keys [S, B, A].
    func encoderForward(_ ws: Workspace) {
        let S = ws.S, B = ws.B, E = config.embed, H = config.hidden, A = config.attention, G = cell.gates * H
        var input = UnsafePointer(ws.encIn.pointer), inDim = E
        for l in 0..<config.encoderLayers {
            let (fw, bw) = layout.encoder[l]
            let out = ws.encOut[l].pointer
            for (dir, w, xp, buffers) in [(0, fw, ws.encXP[l].0, ws.encSaved[l].0), (1, bw, ws.encXP[l].1, ws.encSaved[l].1)] {
                linearForward(
                    x: input, ldX: inDim, w: params.value(w.wx), b: params.value(w.bx), y: xp.pointer, ldY: G,
                    N: S * B, inDim: inDim, outDim: G)
                recurrentSequenceForward(
                    cell, xp: xp.pointer, mask: ws.srcMask.pointer, zeros: ws.zerosBH.pointer, u: params.value(w.u),
                    norm: normParameters(w.norm, gradients: nil), out: out + dir * H, ldOut: 2 * H, buffers: buffers,
                    scratch: ws.cellScratch.pointer, S: S, B: B, H: H, reverse: dir == 1)
            }
            input = UnsafePointer(out)
            inDim = 2 * H
        }
        linearForward(
            x: input, ldX: 2 * H, w: params.value(layout.attKeys), b: nil, y: ws.keys.pointer, ldY: A,
            N: S * B, inDim: 2 * H, outDim: A)
    }

    /// From dEncOut[top] [S, B, 2H] (fully accumulated by the decoder) to dEncIn [S, B, E]; adds weight grads.
    func encoderBackward(_ ws: Workspace) {
        let S = ws.S, B = ws.B, E = config.embed, H = config.hidden, G = cell.gates * H
        for l in stride(from: config.encoderLayers - 1, through: 0, by: -1) {
            let (fw, bw) = layout.encoder[l]
            let out = ws.encOut[l].pointer, dOut = ws.dEncOut[l].pointer
            let input = l == 0 ? ws.encIn.pointer : ws.encOut[l - 1].pointer
            let dInput = l == 0 ? ws.dEncIn.pointer : ws.dEncOut[l - 1].pointer
            let inDim = l == 0 ? E : 2 * H
            for (dir, w, xp, buffers) in [(0, fw, ws.encXP[l].0, ws.encSaved[l].0), (1, bw, ws.encXP[l].1, ws.encSaved[l].1)] {
                recurrentSequenceBackward(
                    cell, dOut: dOut + dir * H, ldDOut: 2 * H, xp: xp.pointer, mask: ws.srcMask.pointer,
                    zeros: ws.zerosBH.pointer, u: params.value(w.u), norm: normParameters(w.norm, gradients: ws.gradients),
                    out: out + dir * H, ldOut: 2 * H, buffers: buffers, dxp: ws.dEncXP.pointer, du: ws.grad(w.u),
                    scratch: ws.cellScratch.pointer, S: S, B: B, H: H, reverse: dir == 1)
                linearBackward(
                    dy: ws.dEncXP.pointer, ldDY: G, x: input, ldX: inDim, w: params.value(w.wx), dw: ws.grad(w.wx),
                    db: ws.grad(w.bx), dx: dInput, ldDX: inDim, accumulateDX: dir == 1, ones: ws.ones.pointer,
                    N: S * B, inDim: inDim, outDim: G)
            }
        }
    }
}
