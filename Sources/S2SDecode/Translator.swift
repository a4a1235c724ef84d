// The Translator API: text in, text out. It loads a model file (which carries its vocabularies and
// tokenizer settings), encodes lines, runs batched beam search, replaces any <unk> left in the output
// with the source word it attends to most, and detokenizes.
import Dispatch
import Foundation
import S2SNet
import S2SText

public struct TranslationOptions: Sendable, Equatable {
    public var beam = 5
    public var alpha: Float = 0.6
    public var maxLengthRatio: Float = 2
    public var nbest = 1
    /// Most sentences decoded together. Larger batches use the GEMMs better: each step packs the whole
    /// output projection once, however many rows it has (measured on Tatoeba dev at beam 5, best of three:
    /// 258 sentences/s in batches of 64, 289 with 128, 306 with 256). Fewer sentences than cores × this are
    /// split evenly so every core gets a batch.
    public var batchSize = 256
    public var attention = false
    public init() {}
}

/// One sentence's alignment: attention weights [target pieces (+ </s>), source pieces (+ </s>)].
public struct Alignment: Sendable, Equatable {
    public var sourcePieces: [String]
    public var targetPieces: [String]
    public var weights: [[Float]]
}

public struct Translation: Sendable, Equatable {
    public var text: String
    public var score: Float
    /// All n-best candidates, best first (the first equals `text`).
    public var candidates: [(text: String, score: Float)]
    public var alignment: Alignment?

    public static func == (a: Translation, b: Translation) -> Bool {
        a.text == b.text && a.score == b.score && a.alignment == b.alignment
            && a.candidates.map(\.text) == b.candidates.map(\.text) && a.candidates.map(\.score) == b.candidates.map(\.score)
    }
}

public final class Translator {
    public let model: Seq2Seq
    public let vocabularies: VocabularySet
    let source: TextCodec
    let target: TextCodec

    public init(model: Seq2Seq, vocabularies: VocabularySet) throws {
        self.model = model
        self.vocabularies = vocabularies
        (source, target) = try vocabularies.makeCodecs()
        guard vocabularies.source.count == model.config.sourceVocabSize,
              vocabularies.target.count == model.config.targetVocabSize else {
            throw ModelError.shapeMismatch(
                "vocabularies have \(vocabularies.source.count)/\(vocabularies.target.count) entries but the model expects \(model.config.sourceVocabSize)/\(model.config.targetVocabSize)")
        }
    }

    /// Loads a model file written by `s2s train`.
    public convenience init(modelPath: String) throws {
        let (model, metadata) = try ModelFile.load(modelPath)
        let vocabularies: VocabularySet
        do { vocabularies = try VocabularySet(metadata: metadata) } catch {
            throw ModelFile.LoadError.badConfig(path: modelPath, detail: "its vocabularies are unreadable: \(error)")
        }
        try self.init(model: model, vocabularies: vocabularies)
    }

    /// Translates lines; the output has one entry per input line, in order. Empty lines give "".
    public func translate(_ lines: [String], options: TranslationOptions = TranslationOptions()) -> [Translation] {
        let encoded = lines.map { source.encode($0) }
        var results = [Translation?](repeating: nil, count: lines.count)
        let order = encoded.indices.filter { !encoded[$0].ids.isEmpty }.sorted { encoded[$0].ids.count < encoded[$1].ids.count }
        for i in encoded.indices where encoded[i].ids.isEmpty {
            results[i] = Translation(text: "", score: 0, candidates: [("", 0)], alignment: nil)
        }
        var beamOptions = BeamOptions(beam: options.beam, alpha: options.alpha, nbest: options.nbest)
        beamOptions.limit = LengthLimit(ratio: options.maxLengthRatio, offset: 10)
        let size = max(1, min(options.batchSize, (order.count + Parallel.workers - 1) / max(1, Parallel.workers)))
        let chunks = stride(from: 0, to: order.count, by: size).map { Array(order[$0..<min(order.count, $0 + size)]) }
        let searched = search(chunks.map { $0.map { encoded[$0].ids } }, options: beamOptions)
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
    func search(_ batches: [[[Int32]]], options: BeamOptions) -> [[[ScoredHypothesis]]] {
        let workers = min(Parallel.workers, batches.count)
        if workers <= 1 { return batches.map { beamSearch(model: model, sources: $0, options: options) } }
        let single = { var o = options; o.threads = 1; return o }()
        let results = UnsafeMutablePointer<[[ScoredHypothesis]]>.allocate(capacity: batches.count)
        results.initialize(repeating: [], count: batches.count)
        defer { results.deinitialize(count: batches.count); results.deallocate() }
        let box = SearchBox(model: model, batches: batches, results: results)
        let previous = BLAS.threads
        BLAS.setThreads(1)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for i in stride(from: w, to: box.batches.count, by: workers) {
                box.results[i] = beamSearch(model: box.model, sources: box.batches[i], options: single)
            }
        }
        BLAS.setThreads(previous)
        return (0..<batches.count).map { results[$0] }
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

    /// Attention rows [tokens + 1, S] of the model reading `tokens` as its own output (teacher forced).
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
    let model: Seq2Seq
    let batches: [[[Int32]]]
    let results: UnsafeMutablePointer<[[ScoredHypothesis]]>
}
