// The Translator API: text in, text out. It loads a model file (which carries its vocabularies and
// tokenizer settings), cuts each line into sentences (a model trained on sentences drops the rest of a
// paragraph) and any sentence too long for the model into parts, runs batched beam search over all of
// them at once, replaces any <unk> left in the output with the source word it attends to most,
// detokenizes, and joins each line's sentences back with the line's own spacing. Given several model files
// sharing vocabularies, it translates with their ensemble (Ensemble.swift).
import Dispatch
import Foundation
import S2SNet
import S2SText

public struct TranslationOptions: Sendable, Equatable {
    public var beam = 5
    public var alpha: Float = 0.6
    public var maxLengthRatio: Float = 2
    public var nbest = 1
    /// Most sentences decoded together; nil chooses by whether a shortlist is in use (`batchSize(shortlisted:)`).
    /// Fewer sentences than cores × this are split evenly so every core gets a batch.
    public var batchSize: Int? = nil
    /// Without a shortlist larger batches use the GEMMs better: each step packs the whole output projection
    /// once, however many rows it has (Tatoeba dev, beam 5, best of three: 258 sentences/s in batches of 64,
    /// 289 with 128, 306 with 256). With one, a batch's output layer is the union of its sentences' lists,
    /// which nears the whole vocabulary as batches grow: 32–64 sentences were fastest (Tatoeba dev, beam 5:
    /// 893/859 sentences/s with 32/64, 728 with 128, 673 with 256).
    public func batchSize(shortlisted: Bool) -> Int { batchSize ?? (shortlisted ? 64 : 256) }
    /// Most source pieces in one batch, padding included. A batch's memory grows with sentences × length
    /// (the encoder keeps [S, B, …] buffers while the batch is searched): 256 sentences of 100 pieces
    /// took 1.5 GB. Ordinary sentences (10–30 pieces) still fill batches of `batchSize`.
    public var batchTokens = 8192
    public var attention = false
    /// Cut each line into sentences (ICU) and translate them one by one (`--no-split` turns it off).
    public var splitSentences = true
    /// Sentences of more source pieces than this are cut into parts of at most this many, translated
    /// one by one (Translation.wasCut says so): never refused, and never quadratic in the line's length.
    public var maxSourceLength = 100
    /// Score only the target pieces of the model's lexical shortlist for each batch, when the model file
    /// has one (`--no-shortlist` turns it off; see Shortlist).
    public var shortlist = true
    /// The output layer's arithmetic: int8 where the CPU has VNNI (`auto`), or as given (Int8Products).
    public var precision = OutputPrecision.auto
    public init() {}
}

/// One sentence's alignment: attention weights [target pieces (+ </s>), source pieces (+ </s>)].
public struct Alignment: Sendable, Equatable {
    public var sourcePieces: [String]
    public var targetPieces: [String]
    public var weights: [[Float]]

    public init(sourcePieces: [String], targetPieces: [String], weights: [[Float]]) {
        self.sourcePieces = sourcePieces
        self.targetPieces = targetPieces
        self.weights = weights
    }
}

public struct Translation: Sendable, Equatable {
    public var text: String
    public var score: Float
    /// All n-best candidates, best first (the first equals `text`).
    public var candidates: [(text: String, score: Float)]
    public var alignment: Alignment?
    /// A sentence of the line was longer than `maxSourceLength` pieces and was translated in parts.
    public var wasCut = false

    public static func == (a: Translation, b: Translation) -> Bool {
        a.text == b.text && a.score == b.score && a.alignment == b.alignment && a.wasCut == b.wasCut
            && a.candidates.map(\.text) == b.candidates.map(\.text) && a.candidates.map(\.score) == b.candidates.map(\.score)
    }
}

public final class Translator {
    /// The models that translate together: one, or an ensemble's members.
    public let members: [Seq2Seq]
    /// The first member: its attention places <unk>s and alignments, its file gives the metadata and shortlist.
    public var model: Seq2Seq { members[0] }
    public let vocabularies: VocabularySet
    /// The model file's metadata (configuration, vocabularies, training state), when loaded from a file.
    public private(set) var metadata: [String: String] = [:]
    /// The model file's lexical shortlist, if it has one (used unless TranslationOptions.shortlist is off).
    public var shortlist: Shortlist?
    let source: TextCodec
    let target: TextCodec

    public convenience init(model: Seq2Seq, vocabularies: VocabularySet) throws {
        try self.init(models: [model], vocabularies: vocabularies)
    }

    /// An ensemble of models sharing `vocabularies` (one model is no ensemble).
    public init(models: [Seq2Seq], vocabularies: VocabularySet) throws {
        precondition(!models.isEmpty, "a Translator needs a model")
        members = models
        self.vocabularies = vocabularies
        (source, target) = try vocabularies.makeCodecs()
        for model in models {
            if let mismatch = Self.mismatch(model, vocabularies) { throw ModelError.shapeMismatch(mismatch) }
        }
    }

    /// Why `vocabularies` cannot serve `model`, or nil when their sizes fit.
    static func mismatch(_ model: Seq2Seq, _ vocabularies: VocabularySet) -> String? {
        vocabularies.source.count == model.config.sourceVocabSize && vocabularies.target.count == model.config.targetVocabSize
            ? nil
            : "vocabularies have \(vocabularies.source.count)/\(vocabularies.target.count) entries but the model expects \(model.config.sourceVocabSize)/\(model.config.targetVocabSize)"
    }

    /// Loads a model file written by `s2s train`.
    public convenience init(modelPath: String) throws {
        try self.init(modelPaths: [modelPath])
    }

    /// Loads model files written by `s2s train`; several translate as an ensemble, and must share their
    /// vocabularies. The first file's shortlist (if any) serves them all.
    public convenience init(modelPaths: [String]) throws {
        precondition(!modelPaths.isEmpty, "a Translator needs a model")
        var models: [Seq2Seq] = []
        var first: (vocabularies: VocabularySet, metadata: [String: String])?
        for path in modelPaths {
            let (model, metadata) = try ModelFile.load(path)
            let vocabularies: VocabularySet
            do { vocabularies = try VocabularySet(metadata: metadata) } catch {
                throw ModelFile.LoadError.badConfig(path: path, detail: "its vocabularies are unreadable: \(error)")
            }
            if let mismatch = Self.mismatch(model, vocabularies) { throw ModelFile.LoadError.badConfig(path: path, detail: "its \(mismatch)") }
            if let first, first.vocabularies != vocabularies { throw EnsembleMismatch(path: path, first: modelPaths[0]) }
            models.append(model)
            if first == nil { first = (vocabularies, metadata) }
        }
        try self.init(models: models, vocabularies: first!.vocabularies)
        metadata = first!.metadata
        do { shortlist = try Shortlist(metadata: metadata, config: models[0].config) } catch {
            throw ModelFile.LoadError.badConfig(path: modelPaths[0], detail: "its shortlist is unreadable: \(error)")
        }
    }

    /// The batch size `options` give with this model (which may have a shortlist).
    public func batchSize(for options: TranslationOptions) -> Int {
        options.batchSize(shortlisted: options.shortlist && shortlist != nil)
    }

    /// Translates lines; the output has one entry per input line, in order. Empty lines give "".
    public func translate(_ lines: [String], options: TranslationOptions = TranslationOptions()) -> [Translation] {
        // Units are what the search sees: sentences, or parts of sentences too long for the model.
        var units: [(ids: [Int32], pieces: [String])] = []
        let plans = lines.map { plan($0, options: options, units: &units) }
        let translated = translateUnits(units, options: options)
        return plans.map { assemble($0, translated) }
    }

    /// One sentence of a line: the units that translate it, joined by a space, and its spacing.
    struct SentencePlan {
        var leading: String
        var units: Range<Int>
        var trailing: String
    }

    /// A line's sentences, appending their units to `units`.
    func plan(_ line: String, options: TranslationOptions, units: inout [(ids: [Int32], pieces: [String])]) -> [SentencePlan] {
        let sentences = options.splitSentences
            ? Sentences.split(line, language: source.tokenizer.options.language)
            : [Sentences.Sentence(leading: "", text: line, trailing: "")]
        return sentences.map { sentence in
            let first = units.count
            let encoded = source.encode(sentence.text)
            let limit = max(1, options.maxSourceLength)
            if encoded.ids.count <= limit {
                if !encoded.ids.isEmpty { units.append(encoded) }
            } else {
                for start in stride(from: 0, to: encoded.ids.count, by: limit) {
                    let end = min(encoded.ids.count, start + limit)
                    units.append((Array(encoded.ids[start..<end]), Array(encoded.pieces[start..<end])))
                }
            }
            return SentencePlan(leading: sentence.leading, units: first..<units.count, trailing: sentence.trailing)
        }
    }

    /// A line's translation from its sentences': texts joined with the line's inner spacing (its outer
    /// spacing dropped, as a translation of " hi " is "salut"); the k-th candidate joins each unit's
    /// k-th (or last) candidate, scored by the sum; alignments are placed block by block.
    func assemble(_ plans: [SentencePlan], _ translated: [Translation]) -> Translation {
        let units = plans.flatMap { Array($0.units) }
        let cut = plans.contains { $0.units.count > 1 }
        if units.count == 1 && !cut { return translated[units[0]] }
        let depth = units.map { translated[$0].candidates.count }.max() ?? 1
        var candidates: [(text: String, score: Float)] = []
        for k in 0..<depth {
            var text = "", score: Float = 0
            for (s, plan) in plans.enumerated() {
                let parts = plan.units.map { u in translated[u].candidates[min(k, translated[u].candidates.count - 1)] }
                let body = parts.map(\.text).joined(separator: " ")
                score += parts.reduce(0) { $0 + $1.score }
                if body.isEmpty { continue }
                if !text.isEmpty { text += plans[s - 1].trailing.isEmpty && plan.leading.isEmpty ? " " : plans[s - 1].trailing + plan.leading }
                text += body
            }
            candidates.append((text, score))
        }
        var alignment: Alignment?
        let blocks = units.compactMap { translated[$0].alignment }
        if blocks.count == units.count && !blocks.isEmpty {
            let width = blocks.reduce(0) { $0 + $1.sourcePieces.count }
            var merged = Alignment(sourcePieces: [], targetPieces: [], weights: [])
            for block in blocks {
                let before = merged.sourcePieces.count
                merged.sourcePieces += block.sourcePieces
                merged.targetPieces += block.targetPieces
                for row in block.weights {
                    var full = [Float](repeating: 0, count: width)
                    for (j, w) in row.enumerated() { full[before + j] = w }
                    merged.weights.append(full)
                }
            }
            alignment = merged
        }
        return Translation(text: candidates.first?.text ?? "", score: candidates.first?.score ?? 0,
                           candidates: candidates.isEmpty ? [("", 0)] : candidates, alignment: alignment, wasCut: cut)
    }

    /// Batched search over units of source ids, shortest first; one Translation per unit.
    func translateUnits(_ encoded: [(ids: [Int32], pieces: [String])], options: TranslationOptions) -> [Translation] {
        var results = [Translation?](repeating: nil, count: encoded.count)
        let order = encoded.indices.sorted { encoded[$0].ids.count < encoded[$1].ids.count }
        var beamOptions = BeamOptions(beam: options.beam, alpha: options.alpha, nbest: options.nbest)
        beamOptions.limit = LengthLimit(ratio: options.maxLengthRatio, offset: 10)
        let shortlist = options.shortlist ? self.shortlist : nil
        let size = max(1, min(batchSize(for: options), (order.count + Parallel.workers - 1) / max(1, Parallel.workers)))
        var chunks: [[Int]] = []
        var current: [Int] = []
        for index in order {  // shortest first, so the last unit added is the longest of its batch
            if current.count >= size || (current.count + 1) * (encoded[index].ids.count + 1) > options.batchTokens && !current.isEmpty {
                chunks.append(current)
                current = []
            }
            current.append(index)
        }
        if !current.isEmpty { chunks.append(current) }
        let searched = search(chunks.map { $0.map { encoded[$0].ids } }, options: beamOptions, shortlist: shortlist,
                              precision: options.precision.resolved)
        // Text work (codecs are not thread-safe) happens here, on the calling thread.
        for (chunk, lists) in zip(chunks, searched) {
            for (k, index) in chunk.enumerated() {
                let srcIds = encoded[index].ids, srcPieces = encoded[index].pieces
                var candidates: [(text: String, score: Float)] = []
                var alignment: Alignment?
                for (rank, scored) in lists[k].enumerated() {
                    let tokens = scored.hypothesis.tokens
                    let needsAttention = tokens.contains(SpecialIds.unk) || (rank == 0 && options.attention)
                    let weights = needsAttention ? forcedAttention(source: srcIds, tokens: tokens) : []
                    let pieces = targetPieces(tokens, weights: weights, sourcePieces: srcPieces)
                    candidates.append((render(pieces), scored.score))
                    if rank == 0 && options.attention {
                        alignment = Alignment(sourcePieces: srcPieces + ["</s>"], targetPieces: pieces + ["</s>"],
                                              weights: weights.map { Array($0.prefix(srcPieces.count + 1)) })
                    }
                }
                results[index] = Translation(text: candidates[0].text, score: candidates[0].score,
                                             candidates: candidates, alignment: alignment)
            }
        }
        return results.map { $0! }
    }

    /// Beam search over each batch. With several batches and cores, batches are searched side by side, one
    /// per core with single-threaded BLAS: the step's GEMMs are too small for BLAS to split well, and two
    /// thread pools taking turns on two cores cost more than they give (measured: ~24% of the time).
    /// With a shortlist, each batch scores only its own shortlisted target pieces; with int8 precision, the
    /// output layer (shortlisted or whole) is quantized. Every member of an ensemble scores the same pieces.
    func search(
        _ batches: [[[Int32]]], options: BeamOptions, shortlist: Shortlist? = nil, precision: OutputPrecision = .float32
    ) -> [[[ScoredHypothesis]]] {
        let models = self.members
        let whole = shortlist == nil && precision == .int8 ? quantizedOutput() : nil
        let run = { (sources: [[Int32]], options: BeamOptions, scratches: [SearchScratch]) in
            let targets = shortlist?.targets(for: sources)
            let members = models.indices.map { m in
                SearchMember(model: models[m], columns: whole?[m] ?? targets.map { models[m].outputColumns($0, precision: precision) },
                             scratch: scratches[m])
            }
            return beamSearch(members: members, sources: sources, options: options)
        }
        let workers = min(Parallel.workers, batches.count)
        if workers <= 1 {
            let scratches = scratch(threads: options.threads, count: 1)[0]
            return batches.map { run($0, options, scratches) }
        }
        let single = { var o = options; o.threads = 1; return o }()
        let scratches = scratch(threads: 1, count: workers)
        let results = UnsafeMutablePointer<[[ScoredHypothesis]]>.allocate(capacity: batches.count)
        results.initialize(repeating: [], count: batches.count)
        defer { results.deinitialize(count: batches.count); results.deallocate() }
        let box = SearchBox(search: run, batches: batches, results: results)
        let previous = BLAS.threads
        BLAS.setThreads(1)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for i in stride(from: w, to: box.batches.count, by: workers) {
                box.results[i] = box.search(box.batches[i], single, scratches[w])
            }
        }
        BLAS.setThreads(previous)
        return (0..<batches.count).map { results[$0] }
    }

    /// Search buffers kept between calls, by the threads each search may use: per worker, one per member.
    private var scratches: [Int: [[SearchScratch]]] = [:]

    /// Each member's whole output layer quantized, made on first use (int8 precision without a shortlist).
    /// They are copies of the weights: whoever changes them (training) calls `releaseBuffers()` before
    /// translating.
    private var wholeQuantized: [OutputColumns]?

    private func quantizedOutput() -> [OutputColumns] {
        if let wholeQuantized { return wholeQuantized }
        let all = members.map { $0.outputColumns((0..<Int32($0.config.targetVocabSize)).map { $0 }, precision: .int8) }
        wholeQuantized = all
        return all
    }

    /// Frees the search buffers kept between calls and the quantized output layer (training's validation
    /// does, so they do not add to the memory of the training steps that follow, and the next validation
    /// quantizes the weights as they are then).
    public func releaseBuffers() {
        scratches = [:]
        wholeQuantized = nil
    }

    private func scratch(threads: Int, count: Int) -> [[SearchScratch]] {
        var list = scratches[threads, default: []]
        while list.count < count { list.append(members.map { SearchScratch(model: $0, threads: threads) }) }
        scratches[threads] = list
        return list
    }

    /// Target subwords for ids, with each <unk> replaced by the source piece it attends to most.
    func targetPieces(_ tokens: [Int32], weights: [[Float]], sourcePieces: [String]) -> [String] {
        tokens.enumerated().map { i, id in
            if id == SpecialIds.unk, i < weights.count, !sourcePieces.isEmpty {
                let row = weights[i].prefix(sourcePieces.count)
                let j = row.indices.max { row[$0] < row[$1] } ?? 0
                var piece = sourcePieces[j]
                if piece.hasSuffix(BPE.continuation) { piece.removeLast(BPE.continuation.count) }
                return piece
            }
            return target.vocabulary.token(id)
        }
    }

    func render(_ subwords: [String]) -> String {
        target.render(units: subwords)
    }

    /// Attention rows [tokens + 1, S] of the (first) model reading `tokens` as its own output (teacher forced).
    func forcedAttention(source: [Int32], tokens: [Int32]) -> [[Float]] {
        let encoded = model.encode([source])
        let ws = StepWorkspace(config: model.config)
        var state = encoded.initialState
        var rows: [[Float]] = []
        var previous = SpecialIds.bos
        let sentence: Int32 = 0
        for next in tokens + [SpecialIds.eos] {
            withUnsafePointer(to: sentence) { sp in
                withUnsafePointer(to: previous) { pp in
                    model.decodeStep(encoded, sentence: sp, previous: pp, state: state, workspace: ws)
                }
            }
            rows.append(ws.alpha.toArray(encoded.S))
            state = ws.nextState([0])
            previous = next
        }
        return rows
    }
}

/// The workers write disjoint result slots; this tells the compiler so.
private struct SearchBox: @unchecked Sendable {
    let search: ([[Int32]], BeamOptions, [SearchScratch]) -> [[ScoredHypothesis]]
    let batches: [[[Int32]]]
    let results: UnsafeMutablePointer<[[ScoredHypothesis]]>
}
