// One training pass over a batch: forward through encoder, decoder, readout and loss, then backward through
// all of it, leaving the parameter gradients in model.params.grads. The layers live in their own files;
// this file only sequences them and handles teacher forcing.

/// Options of one pass. Typed, and read only here.
public struct PassOptions: Sendable, Equatable {
    public var dropout: Float = 0          // on embeddings and on the readout
    public var labelSmoothing: Float = 0
    public var teacherForcing: Float = 1   // probability of reading the reference previous token
    public init(dropout: Float = 0, labelSmoothing: Float = 0, teacherForcing: Float = 1) {
        self.dropout = dropout
        self.labelSmoothing = labelSmoothing
        self.teacherForcing = teacherForcing
    }
}

extension Seq2Seq {
    /// Forward and backward over `batch`; afterwards params.grads holds dL/dθ of the mean loss per target
    /// token. Pass `zeroingGradients: false` when they are already zero (Adam.update leaves them so).
    /// Returns the summed losses (not averaged).
    @discardableResult
    public func forwardBackward(
        _ batch: Batch, workspace ws: Workspace, options: PassOptions, rng: inout Rng, zeroingGradients: Bool = true
    ) -> LossSums {
        let sums = forward(batch, workspace: ws, options: options, rng: &rng)
        if zeroingGradients { params.zeroGrads() }
        backward(ws)
        return sums
    }

    /// Forward pass and the loss; leaves dL/dlogits in the workspace for `backward`. The gradient is that of
    /// the summed loss times `lossScale` (default 1/N: the mean per target token of this batch).
    public func forward(
        _ batch: Batch, workspace ws: Workspace, options: PassOptions, rng: inout Rng, lossScale: Float? = nil
    ) -> LossSums {
        let B = batch.B, S = batch.S, T = batch.T
        let E = config.embed
        let N = batch.targetTokens
        ws.prepare(B: B, S: S, T: T, N: N)
        for i in 0..<(S * B) {
            ws.srcMask[i] = batch.source[i] == SpecialIds.pad ? 0 : 1
            ws.srcIds.pointer[i] = batch.source[i]
        }
        var n = 0
        for i in 0..<(T * B) {
            let id = batch.targetOut[i]
            ws.tgtMask[i] = id == SpecialIds.pad ? 0 : 1
            ws.tgtIn.pointer[i] = batch.targetIn[i]
            if id != SpecialIds.pad {
                ws.rows.pointer[n] = Int32(i)
                ws.targets.pointer[n] = id
                n += 1
            }
        }

        embeddingForward(ids: ws.srcIds.pointer, table: params.value(layout.srcEmbedding), out: ws.encIn.pointer, N: S * B, E: E)
        dropoutForward(ws.encIn.pointer, mask: ws.encDrop.pointer, count: S * B * E, rate: options.dropout, rng: &rng)
        encoderForward(ws)
        initialStateForward(ws)

        if options.teacherForcing >= 1 {
            embedTargetSteps(ws, from: 0, count: T, dropout: options.dropout, rng: &rng)
            for i in 0..<T { decoderStepForward(ws, step: i) }
        } else {
            for i in 0..<T {
                if i > 0 { replaceInputsWithPredictions(ws, step: i, probability: 1 - options.teacherForcing, rng: &rng) }
                embedTargetSteps(ws, from: i, count: 1, dropout: options.dropout, rng: &rng)
                decoderStepForward(ws, step: i)
            }
        }
        readoutForward(ws, dropout: options.dropout, rng: &rng)
        let sums = crossEntropyForwardBackward(
            logits: ws.logits.pointer, targets: ws.targets.pointer, N: N, V: config.targetVocabSize,
            smoothing: options.labelSmoothing, scale: lossScale ?? 1 / Float(max(N, 1)), threads: ws.threads)
        return sums
    }

    /// Backward of everything `forward` did; adds into params.grads (zero them first).
    public func backward(_ ws: Workspace) {
        let B = ws.B, S = ws.S, T = ws.T, E = config.embed, H = config.hidden
        readoutBackward(ws)
        ws.dStates.pointer.update(repeating: 0, count: B * H)  // ds_0 gathers only from step 0
        ws.dKeys.pointer.update(repeating: 0, count: S * B * config.attention)
        let top = config.encoderLayers - 1
        ws.dEncOut[top].pointer.update(repeating: 0, count: S * B * 2 * H)
        decoderBackward(ws)
        dropoutBackward(ws.dTgtEmb.pointer, mask: ws.tgtDrop.pointer, count: T * B * E)
        embeddingBackward(
            ids: ws.tgtIn.pointer, dOut: ws.dTgtEmb.pointer, dTable: ws.grad(layout.tgtEmbedding),
            N: T * B, E: E, padId: SpecialIds.pad)
        initialStateBackward(ws)
        linearBackward(
            dy: ws.dKeys.pointer, ldDY: config.attention, x: ws.encOut[top].pointer, ldX: 2 * H,
            w: params.value(layout.attKeys), dw: ws.grad(layout.attKeys), db: nil, dx: ws.dEncOut[top].pointer,
            ldDX: 2 * H, accumulateDX: true, ones: ws.ones.pointer, N: S * B, inDim: 2 * H, outDim: config.attention)
        encoderBackward(ws)
        dropoutBackward(ws.dEncIn.pointer, mask: ws.encDrop.pointer, count: S * B * E)
        embeddingBackward(
            ids: ws.srcIds.pointer, dOut: ws.dEncIn.pointer, dTable: ws.grad(layout.srcEmbedding),
            N: S * B, E: E, padId: SpecialIds.pad)
    }

    /// Embeds target inputs of steps [from, from + count), applies dropout, and writes their GRU input
    /// projections (embedding part + bias) into decXP — one GEMM for all those steps.
    private func embedTargetSteps(_ ws: Workspace, from: Int, count: Int, dropout: Float, rng: inout Rng) {
        let B = ws.B, E = config.embed, H = config.hidden
        let rows = count * B, off = from * B
        embeddingForward(
            ids: ws.tgtIn.pointer + off, table: params.value(layout.tgtEmbedding), out: ws.tgtEmb.pointer + off * E,
            N: rows, E: E)
        dropoutForward(ws.tgtEmb.pointer + off * E, mask: ws.tgtDrop.pointer + off * E, count: rows * E, rate: dropout, rng: &rng)
        linearForward(
            x: ws.tgtEmb.pointer + off * E, ldX: E, w: params.value(layout.decInputEmb), b: params.value(layout.decBias),
            y: ws.decXP.pointer + off * 3 * H, ldY: 3 * H, N: rows, inDim: E, outDim: 3 * H)
    }

    /// Scheduled sampling: for each sentence, with `probability`, step i reads the model's own greedy choice
    /// after step i−1 (computed without dropout) instead of the reference token.
    private func replaceInputsWithPredictions(_ ws: Workspace, step i: Int, probability: Float, rng: inout Rng) {
        let B = ws.B, H = config.hidden, E = config.embed, R = config.readout, V = config.targetVocabSize
        let prev = i - 1
        let w = params.value(layout.readoutW)
        let ro = ws.dReadout.pointer  // unused until backward: scratch for [B, R]
        let scores = ws.logits.pointer // unused until the readout: scratch for [B, V] (N ≥ B)
        linearForward(
            x: ws.states.pointer + i * B * H, ldX: H, w: w, b: params.value(layout.readoutB), y: ro, ldY: R,
            N: B, inDim: H, outDim: R)
        BLAS.gemm(m: B, n: R, k: 2 * H, a: ws.ctx.pointer + prev * B * 2 * H, lda: 2 * H, b: w + H * R, ldb: R,
                  beta: 1, c: ro, ldc: R)
        BLAS.gemm(m: B, n: R, k: E, a: ws.tgtEmb.pointer + prev * B * E, lda: E, b: w + 3 * H * R, ldb: R,
                  beta: 1, c: ro, ldc: R)
        tanhForward(ro, ro, B * R)
        linearForward(
            x: ro, ldX: R, w: params.value(layout.outW), b: params.value(layout.outB), y: scores,
            ldY: V, N: B, inDim: R, outDim: V)
        for b in 0..<B {
            let cell = i * B + b
            guard ws.tgtIn.pointer[cell] != SpecialIds.pad, rng.uniform() < probability else { continue }
            let row = scores + b * V
            var best = 0
            var bestScore = row[0]
            for v in 1..<V where row[v] > bestScore { best = v; bestScore = row[v] }
            ws.tgtIn.pointer[cell] = Int32(best)
        }
    }
}
