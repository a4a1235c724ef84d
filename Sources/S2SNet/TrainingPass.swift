// One training pass over a batch: forward through encoder, decoder, readout and loss, then backward through
// all of it, leaving the parameter gradients in model.params.grads. The layers live in their own files;
// this file only sequences them and handles teacher forcing.

/// Options of one pass. Typed, and read only here.
public struct PassOptions: Codable, Sendable, Equatable {
    public var dropout: Float = 0          // on embeddings and on the readout
    public var labelSmoothing: Float = 0
    public var teacherForcing: Float = 1   // probability of reading the reference previous token
    /// Probability that an input token (source, or the decoder's previous target) reads as <unk>, so the
    /// model cannot lean on any one word (Sennrich & Zhang 2019). The labels are never changed.
    public var wordDropout: Float = 0
    public init(dropout: Float = 0, labelSmoothing: Float = 0, teacherForcing: Float = 1, wordDropout: Float = 0) {
        self.dropout = dropout
        self.labelSmoothing = labelSmoothing
        self.teacherForcing = teacherForcing
        self.wordDropout = wordDropout
    }

    enum CodingKeys: String, CodingKey { case dropout, labelSmoothing, teacherForcing, wordDropout }

    // Checkpoints from before word dropout have no "wordDropout".
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dropout = try c.decode(Float.self, forKey: .dropout)
        labelSmoothing = try c.decode(Float.self, forKey: .labelSmoothing)
        teacherForcing = try c.decode(Float.self, forKey: .teacherForcing)
        wordDropout = try c.decodeIfPresent(Float.self, forKey: .wordDropout) ?? 0
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
        forwardToLogits(batch, workspace: ws, options: options, rng: &rng)
        let N = ws.N
        return crossEntropyForwardBackward(
            logits: ws.logits.pointer, targets: ws.targets.pointer, N: N, V: config.targetVocabSize,
            smoothing: options.labelSmoothing, scale: lossScale ?? 1 / Float(max(N, 1)), threads: ws.threads)
    }

    /// Everything before the loss: leaves the logits of the N real target positions in ws.logits [N, V]
    /// (position n is row ws.rows[n] = t·B + b).
    func forwardToLogits(_ batch: Batch, workspace ws: Workspace, options: PassOptions, rng: inout Rng) {
        let B = batch.B, S = batch.S, T = batch.T
        let E = config.embed, H = config.hidden
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
        if options.wordDropout > 0 {
            dropWords(ws.srcIds.pointer, count: S * B, rate: options.wordDropout, rng: &rng)
            dropWords(ws.tgtIn.pointer, count: T * B, rate: options.wordDropout, rng: &rng)
        }

        embeddingForward(ids: ws.srcIds.pointer, table: params.value(layout.srcEmbedding), out: ws.encIn.pointer, N: S * B, E: E)
        dropoutForward(ws.encIn.pointer, mask: ws.encDrop.pointer, count: S * B * E, rate: options.dropout, rng: &rng)
        encoderForward(ws)
        initialStateForward(annotations: ws.encOut[config.encoderLayers - 1].pointer, out: ws.states.pointer, B: B)
        if cell.hasMemory { ws.memory.zero(B * H) }
        if config.decoderDepth > 1 { transitionInputs(ws.transXP.pointer, R: B) }

        if options.teacherForcing >= 1 {
            embedTargetSteps(ws, from: 0, count: T, dropout: options.dropout, rng: &rng)
            for i in 0..<T { decoderStepForward(trainingStep(ws, i)) }
        } else {
            for i in 0..<T {
                if i > 0 { replaceInputsWithPredictions(ws, step: i, probability: 1 - options.teacherForcing, rng: &rng) }
                embedTargetSteps(ws, from: i, count: 1, dropout: options.dropout, rng: &rng)
                decoderStepForward(trainingStep(ws, i))
            }
        }
        readoutLayerForward(ws, dropout: options.dropout, rng: &rng)
    }

    /// Backward of everything `forward` did; adds into params.grads (zero them first).
    public func backward(_ ws: Workspace) {
        let B = ws.B, S = ws.S, T = ws.T, E = config.embed, H = config.hidden
        readoutLayerBackward(ws)
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

    /// Embeds target inputs of steps [from, from + count), applies dropout, and writes their cell input
    /// projections (embedding part + bias) into decXP — one GEMM for all those steps.
    private func embedTargetSteps(_ ws: Workspace, from: Int, count: Int, dropout: Float, rng: inout Rng) {
        let B = ws.B, E = config.embed, G = cell.gates * config.hidden
        let rows = count * B, off = from * B
        embeddingForward(
            ids: ws.tgtIn.pointer + off, table: params.value(layout.tgtEmbedding), out: ws.tgtEmb.pointer + off * E,
            N: rows, E: E)
        dropoutForward(ws.tgtEmb.pointer + off * E, mask: ws.tgtDrop.pointer + off * E, count: rows * E, rate: dropout, rng: &rng)
        decoderInputForward(emb: ws.tgtEmb.pointer + off * E, xp: ws.decXP.pointer + off * G, N: rows)
    }

    /// Word dropout: each word of ids [count] becomes <unk> with probability `rate`; its gradient then
    /// flows to <unk>'s embedding. Not the markers <pad>, <bos> and </s>, which translation always reads.
    private func dropWords(_ ids: UnsafeMutablePointer<Int32>, count: Int, rate: Float, rng: inout Rng) {
        for i in 0..<count where ids[i] > SpecialIds.eos && rng.uniform() < rate {
            ids[i] = SpecialIds.unk
        }
    }

    /// Scheduled sampling: for each sentence, with `probability`, step i reads the model's own greedy choice
    /// after step i−1 (computed without dropout) instead of the reference token.
    private func replaceInputsWithPredictions(_ ws: Workspace, step i: Int, probability: Float, rng: inout Rng) {
        let B = ws.B, H = config.hidden, E = config.embed, V = config.targetVocabSize
        let prev = i - 1
        let ro = ws.dReadout.pointer  // unused until backward: scratch for [B, R]
        let scores = ws.logits.pointer // unused until the readout: scratch for [B, V] (N ≥ B)
        readoutForward(states: ws.states.pointer + i * B * H, ctx: ws.ctx.pointer + prev * B * 2 * H,
                       emb: ws.tgtEmb.pointer + prev * B * E, out: ro, N: B)
        logitsForward(ro, logits: scores, N: B)
        for b in 0..<B {
            let slot = i * B + b
            guard ws.tgtIn.pointer[slot] != SpecialIds.pad, rng.uniform() < probability else { continue }
            let row = scores + b * V
            var best = 0
            var bestScore = row[0]
            for v in 1..<V where row[v] > bestScore { best = v; bestScore = row[v] }
            ws.tgtIn.pointer[slot] = Int32(best)
        }
    }
}
