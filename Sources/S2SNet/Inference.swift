// The model at translation time: encode a batch once, then advance any number of hypothesis rows one
// decoder step at a time. Each row names the sentence it belongs to, so beams of many sentences step
// together in one set of GEMMs, and rows can be dropped or reordered between steps (search owns that,
// through `DecoderState`). The step itself is training's (`decoderStepForward`, then the readout);
// here there is no dropout and nothing is kept for backward (the cell's saved parts are scratch, and
// layer normalization keeps no statistics).
import Foundation

/// The decoder state of R hypothesis rows: s [R, H], and the cell's memory c [R, H] when it has one
/// (the LSTM). Search reorders and drops rows with `gathered`.
public struct DecoderState: Sendable, Equatable {
    public let width: Int          // H
    public var h: [Float]          // [R, H]
    public var c: [Float]          // [R, H], or empty for cells without memory
    public var rows: Int { h.count / max(width, 1) }

    public init(width: Int, h: [Float], c: [Float]) {
        self.width = width
        self.h = h
        self.c = c
    }

    /// The rows `picks` (in that order, repeats allowed).
    public func gathered(_ picks: [Int]) -> DecoderState {
        func gather(_ x: [Float]) -> [Float] {
            x.isEmpty ? [] : x.withUnsafeBufferPointer { Self.gather(picks, from: $0.baseAddress!, width: width) }
        }
        return DecoderState(width: width, h: gather(h), c: gather(c))
    }

    /// Rows `picks` of a [rows, width] matrix, as a new [picks.count, width] array.
    static func gather(_ picks: [Int], from x: UnsafePointer<Float>, width: Int) -> [Float] {
        var out = [Float](repeating: 0, count: picks.count * width)
        out.withUnsafeMutableBufferPointer { dst in
            for (i, row) in picks.enumerated() { (dst.baseAddress! + i * width).update(from: x + row * width, count: width) }
        }
        return out
    }
}

/// Encoder outputs of a batch of source sentences, kept for the whole search.
public final class EncodedBatch: @unchecked Sendable {
    public let B: Int, S: Int
    public let lengths: [Int]          // real source length of each sentence, incl. </s>
    let annotations: FloatBuffer        // [S, B, 2H]
    let keys: FloatBuffer               // [S, B, A]
    let mask: FloatBuffer               // [S, B]
    /// s_0 (and c_0) of each sentence: B rows.
    public let initialState: DecoderState

    init(B: Int, S: Int, lengths: [Int], annotations: FloatBuffer, keys: FloatBuffer, mask: FloatBuffer, initialState: DecoderState) {
        self.B = B; self.S = S; self.lengths = lengths
        self.annotations = annotations; self.keys = keys; self.mask = mask; self.initialState = initialState
    }
}

/// Scratch buffers for decoder steps over up to `rows` hypothesis rows; reused between steps.
public final class StepWorkspace: @unchecked Sendable {
    let config: ModelConfig
    let cell: any RecurrentCell.Type
    let q = FloatBuffer(), ctx = FloatBuffer(), emb = FloatBuffer(), xp = FloatBuffer()
    let saved = FloatBuffer(), scratch = FloatBuffer(), readout = FloatBuffer(), ones = FloatBuffer()
    /// A deep-transition decoder's h⁰ … h^{D−2} [D−1, R, H], the transitions' inputs [D−1, R, G·H], and
    /// their saved activations with the memories c⁰ … c^{D−2} (DeepTransition.swift).
    let transStates = FloatBuffer(), transXP = FloatBuffer()
    let transSaved = RecurrentBuffers()
    /// [rows, width] output scores of the last step, before normalisation: log p = logits[r, c] − logZ[r].
    /// Searches rank tokens by logits and normalise only the few they keep, saving a pass over V per row.
    public let logits = FloatBuffer()
    /// Columns of `logits`: V, or C when the last step was restricted to `OutputColumns`.
    public private(set) var width = 0
    /// The restricted output layer of the last step, if any: column c of `logits` scores columns.ids[c].
    public private(set) var columns: OutputColumns?
    /// [rows] log Σ_v exp(logits[r, v]) of the last step.
    public let logZ = FloatBuffer()
    /// [rows, S] attention weights of the last step.
    public let alpha = FloatBuffer()
    /// [rows, H] states (and [rows, H] memories) after the last step.
    public let states = FloatBuffer(), memory = FloatBuffer()
    /// Threads the step's own loops may use (1 when several searches run side by side).
    public let threads: Int
    /// The int8 output product's scratch: the quantized readout [rows, readout] and its sums [rows, C].
    let quantizedReadout = Buffer<UInt8>(), integerLogits = Buffer<Int32>()

    public init(config: ModelConfig, threads: Int = Parallel.workers) {
        self.config = config
        self.cell = config.cell.cell
        self.threads = max(1, threads)
    }

    func prepare(rows R: Int, S: Int) {
        let H = config.hidden, A = config.attention, E = config.embed, G = cell.gates * H
        q.reserve(R * A); ctx.reserve(R * 2 * H); emb.reserve(R * E); xp.reserve(R * G)
        saved.reserve(max(1, cell.savedParts) * R * H); scratch.reserve((cell.gates + 1) * R * H)
        readout.reserve(R * config.readout); logits.reserve(R * config.targetVocabSize)
        let transitions = config.decoderDepth - 1
        if transitions > 0 {
            transStates.reserve(transitions * R * H); transXP.reserve(transitions * R * G)
            transSaved.reserve(cell, steps: transitions, B: R, H: H)
        }
        logZ.reserve(R)
        alpha.reserve(R * S); states.reserve(R * H); memory.reserve(R * H)
        if ones.capacity < R || ones[0] != 1 {
            ones.reserve(R)
            ones.pointer.update(repeating: 1, count: ones.capacity)
        }
    }

    func setColumns(_ columns: OutputColumns?) {
        width = columns?.count ?? config.targetVocabSize
        self.columns = columns
    }

    /// The target id column c of `logits` scores.
    @inline(__always) public func token(_ c: Int) -> Int32 {
        if let columns { return columns.ids[c] }
        return Int32(c)
    }

    /// The state after the last step of the rows `picks` (in that order).
    public func nextState(_ picks: [Int]) -> DecoderState {
        let H = config.hidden
        return DecoderState(
            width: H, h: DecoderState.gather(picks, from: states.pointer, width: H),
            c: cell.hasMemory ? DecoderState.gather(picks, from: memory.pointer, width: H) : [])
    }
}

/// What one search keeps between batches: the encoder's buffers and the step's, so a stream of batches
/// allocates (and page-faults in) nothing once it has seen its largest batch. The EncodedBatch of a search
/// lives in `encoder`'s buffers: one search at a time per scratch.
public final class SearchScratch: @unchecked Sendable {
    let encoder: Workspace
    public let step: StepWorkspace

    public init(model: Seq2Seq, threads: Int = Parallel.workers) {
        encoder = Workspace(model: model)
        step = StepWorkspace(config: model.config, threads: threads)
    }
}

extension Seq2Seq {
    /// Encodes sentences given as unpadded id sequences (no specials; </s> is appended here), in the
    /// buffers of `scratch` when given (the result then lives there until its next encode).
    public func encode(_ sources: [[Int32]], scratch: SearchScratch? = nil) -> EncodedBatch {
        let batch = Batch(sources: sources, targets: sources.map { _ in [] })
        let ws = scratch?.encoder ?? Workspace(model: self)
        let B = batch.B, S = batch.S, E = config.embed, H = config.hidden
        ws.prepare(B: B, S: S, T: 1, N: B, training: false)
        for i in 0..<(S * B) {
            ws.srcMask[i] = batch.source[i] == SpecialIds.pad ? 0 : 1
            ws.srcIds.pointer[i] = batch.source[i]
        }
        embeddingForward(ids: ws.srcIds.pointer, table: params.value(layout.srcEmbedding), out: ws.encIn.pointer, N: S * B, E: E)
        encoderForward(ws)
        let top = ws.encOut[config.encoderLayers - 1]
        initialStateForward(annotations: top.pointer, out: ws.states.pointer, B: B)
        let initial = DecoderState(
            width: H, h: ws.states.toArray(B * H), c: cell.hasMemory ? [Float](repeating: 0, count: B * H) : [])
        return EncodedBatch(
            B: B, S: S, lengths: sources.map { $0.count + 1 }, annotations: top, keys: ws.keys, mask: ws.srcMask,
            initialState: initial)
    }

    /// One decoder step for R = state.rows rows. Row r belongs to sentence `sentence[r]` of `encoded`, read
    /// `previous[r]` as y_{i-1}, and has state row r of `state`. Leaves log p(y_i | …) as
    /// ws.logits [R, width] − ws.logZ [R] (width V, or C over `columns`, whose ids name the columns), the
    /// attention in ws.alpha [R, S], and the new state for `ws.nextState`.
    public func decodeStep(
        _ encoded: EncodedBatch, sentence: UnsafePointer<Int32>, previous: UnsafePointer<Int32>,
        state: DecoderState, workspace ws: StepWorkspace, columns: OutputColumns? = nil
    ) {
        let R = state.rows, V = columns?.count ?? config.targetVocabSize, S = encoded.S
        ws.prepare(rows: R, S: S)
        embeddingForward(ids: previous, table: params.value(layout.tgtEmbedding), out: ws.emb.pointer, N: R, E: config.embed)
        decoderInputForward(emb: ws.emb.pointer, xp: ws.xp.pointer, N: R)
        if config.decoderDepth > 1 { transitionInputs(ws.transXP.pointer, R: R) }
        state.h.withUnsafeBufferPointer { h in
            state.c.withUnsafeBufferPointer { c in
                decoderStepForward(DecoderStep(
                    R: R, sentence: sentence, keys: encoded.keys.pointer, ann: encoded.annotations.pointer,
                    srcMask: encoded.mask.pointer, S: S, B: encoded.B, hPrev: h.baseAddress!,
                    cPrev: cell.hasMemory ? c.baseAddress! : nil, xp: ws.xp.pointer, q: ws.q.pointer, tAtt: nil,
                    alpha: ws.alpha.pointer, ctx: ws.ctx.pointer, mask: ws.ones.pointer,
                    saved: ws.saved.pointer, savedStride: R * config.hidden, hOut: ws.states.pointer,
                    cOut: cell.hasMemory ? ws.memory.pointer : nil, scratch: ws.scratch.pointer, threads: ws.threads,
                    norm: decoderNorm(xhat: nil, rstd: nil, gradients: nil),
                    transitions: config.decoderDepth == 1 ? nil : TransitionSteps(
                        states: ws.transStates.pointer, memory: cell.hasMemory ? ws.transSaved.memory.pointer : nil,
                        xp: ws.transXP.pointer, buffers: ws.transSaved, steps: 1, i: 0, gradients: nil, dxp: nil, carry: nil)))
            }
        }
        readoutForward(states: ws.states.pointer, ctx: ws.ctx.pointer, emb: ws.emb.pointer, out: ws.readout.pointer, N: R)
        if let columns, let quantized = columns.quantized {
            ws.quantizedReadout.reserve(R * config.readout)
            ws.integerLogits.reserve(R * V)
            int8LinearForward(x: ws.readout.pointer, w: quantized, b: columns.b.pointer, y: ws.logits.pointer, M: R,
                              xq: ws.quantizedReadout.pointer, acc: ws.integerLogits.pointer)
        } else if let columns {
            linearForward(x: ws.readout.pointer, ldX: config.readout, w: columns.w.pointer, b: columns.b.pointer,
                          y: ws.logits.pointer, ldY: V, N: R, inDim: config.readout, outDim: V)
        } else if prefersFewRowsProduct(M: R, N: V) {
            fewRowsLinearForward(x: ws.readout.pointer, w: params.value(layout.outW), b: params.value(layout.outB),
                                 y: ws.logits.pointer, M: R, K: config.readout, N: V)
        } else {
            logitsForward(ws.readout.pointer, logits: ws.logits.pointer, N: R)
        }
        ws.setColumns(columns)
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
