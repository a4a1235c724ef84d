// Ensemble search against the definition: the next token is ranked by the members' mean log-probability.
// A model with itself is the model alone (mean, not sum); a GRU and an LSTM together choose, step by step,
// the argmax of their mean log-probabilities computed here one sentence and one model at a time (over a
// shortlist too, with each member's own normaliser over it), and the scores search reports are those
// means summed over the tokens, through beam reordering and finished sentences leaving the batch, with
// members of every cell and of other sizes, depth and layer norm. The Translator's batches, workers,
// shortlist and int8 layers give what the search gives.
import XCTest
import S2SNet
import S2SText
@testable import S2SDecode

final class EnsembleTests: XCTestCase {
    let gru = SearchTests.model, lstm = SearchTests.lstm, elman = SearchTests.elman
    /// Another size, two decoder cells and layer norm (untrained): its buffers differ from the others'.
    static let odd: Seq2Seq = {
        let model = try! Seq2Seq(config: ModelConfig(sourceVocabSize: 25, targetVocabSize: 25, architecture: Architecture(
            embed: 12, hidden: 24, attention: 8, readout: 20, layerNorm: true, decoderDepth: 2)))
        model.initialize(seed: 9)
        return model
    }()

    /// The mean log-probability of each target id (or of each of `columns`' ids, normalised over them)
    /// under `models` after reading `prefix`, one model at a time with the step as search uses it for a
    /// single model. Indexed by target id; ids outside `columns` are −∞.
    func meanLogProbabilities(_ models: [Seq2Seq], source: [Int32], prefix: [Int32], columns: [Int32]? = nil) -> [Double] {
        let V = models[0].config.targetVocabSize
        var mean = [Double](repeating: columns == nil ? 0 : -.infinity, count: V)
        for id in columns ?? [] { mean[Int(id)] = 0 }
        for model in models {
            let encoded = model.encode([source])
            let ws = StepWorkspace(config: model.config, threads: 1)
            let restricted = columns.map { model.outputColumns($0) }
            var state = encoded.initialState
            for previous in [SpecialIds.bos] + prefix {
                model.decodeStep(encoded, sentence: [0], previous: [previous], state: state, workspace: ws, columns: restricted)
                state = ws.nextState([0])
            }
            for c in 0..<ws.width { mean[Int(ws.token(c))] += Double(ws.logits[c] - ws.logZ[0]) / Double(models.count) }
        }
        return mean
    }

    func testAModelWithItselfIsTheModelAlone() {
        let sources = SearchTests.sources
        for model in [gru, lstm] {
            let options = BeamOptions(beam: 4, alpha: 0.6, nbest: 2)
            let alone = beamSearch(model: model, sources: sources, options: options)
            let twice = beamSearch(members: [SearchMember(model: model), SearchMember(model: model)], sources: sources, options: options)
            for (a, b) in zip(alone, twice) {
                XCTAssertEqual(a.map(\.hypothesis.tokens), b.map(\.hypothesis.tokens))
                for (x, y) in zip(a, b) { XCTAssertEqual(x.score, y.score, accuracy: 1e-5) }
            }
        }
    }

    /// Greedy search with two different cells takes, at every step, the argmax of the mean (which differs
    /// from each member's own choice on some sentences), and reports the sum of the means as its score.
    func testGreedyEnsembleTakesTheArgmaxOfTheMean() {
        greedyEnsemble(columns: nil)
    }

    /// The same over a shortlist that excludes tokens the members use: each member normalises over the
    /// list, and the argmax of the mean stays inside it.
    func testGreedyEnsembleOverAShortlist() {
        greedyEnsemble(columns: [SpecialIds.eos, 5, 9, 11, 14, 17, 20])
    }

    func greedyEnsemble(columns: [Int32]?, file: StaticString = #filePath, line: UInt = #line) {
        let models = [gru, lstm], sources = SearchTests.sources
        let together = beamSearch(members: models.map { model in SearchMember(model: model, columns: columns.map { model.outputColumns($0) }) },
                                  sources: sources, options: BeamOptions(beam: 1, alpha: 0))
        var unlikeEachMember = 0
        for (source, result) in zip(sources, together) {
            var prefix: [Int32] = [], logProb = 0.0
            let maxLen = BeamOptions().limit.maxTokens(sourceLength: source.count)
            while prefix.count < maxLen {
                let mean = meanLogProbabilities(models, source: source, prefix: prefix, columns: columns)
                let best = mean.indices.max { (mean[$0], -$0) < (mean[$1], -$1) }!
                logProb += mean[best]
                if Int32(best) == SpecialIds.eos { break }
                prefix.append(Int32(best))
            }
            XCTAssertEqual(result[0].hypothesis.tokens, prefix, "\(source)", file: file, line: line)
            XCTAssertEqual(Double(result[0].hypothesis.logProb), logProb, accuracy: 1e-4, file: file, line: line)
            let own = models.map { model in greedySearch(model: model, sources: [source], columns: columns.map { model.outputColumns($0) })[0].tokens }
            if own.allSatisfy({ $0 != prefix }) { unlikeEachMember += 1 }
        }
        XCTAssertGreaterThan(unlikeEachMember, 0, "the ensemble never chose differently from both members: nothing was combined",
                             file: file, line: line)
    }

    /// Beam 5 with four members (every cell, and one of another size with two decoder cells and layer
    /// norm): each n-best hypothesis's reported log-probability is the sum, over its tokens, of the members'
    /// mean log-probability; rows reordered between steps would break it.
    func testBeamScoresAreTheMeanLogProbabilities() {
        let models = [gru, lstm, elman, Self.odd], sources = Array(SearchTests.sources.prefix(10))
        let lists = beamSearch(members: models.map { SearchMember(model: $0) }, sources: sources,
                               options: BeamOptions(beam: 5, alpha: 0.6, nbest: 3))
        for (source, list) in zip(sources, lists) {
            XCTAssertFalse(list.isEmpty)
            let maxLen = BeamOptions().limit.maxTokens(sourceLength: source.count)
            for scored in list {
                let tokens = scored.hypothesis.tokens
                var logProb = 0.0
                for (i, next) in (tokens.count < maxLen ? tokens + [SpecialIds.eos] : tokens).enumerated() {
                    logProb += meanLogProbabilities(models, source: source, prefix: Array(tokens.prefix(i)))[Int(next)]
                }
                XCTAssertEqual(Double(scored.hypothesis.logProb), logProb, accuracy: 1e-4, "\(source) \(tokens)")
            }
        }
    }

    /// The Translator's search (batches side by side on several workers, each with its own buffers per
    /// member; shortlist columns and int8 output layers made per member) gives what the ensemble's search
    /// gives batch by batch, and an ensemble's output differs from its first member's.
    func testTranslatorSearchesWithEveryMember() throws {
        let models = [gru, Self.odd]
        let vocabulary = try Vocabulary(counts: Dictionary(uniqueKeysWithValues: (0..<21).map { ("w\($0)", 21 - $0) }))
        let vocabularies = VocabularySet(source: vocabulary, target: vocabulary, bpe: nil,
                                         sourceOptions: TokenizerOptions(language: "en"), targetOptions: TokenizerOptions(language: "fr"))
        XCTAssertEqual(vocabulary.count, 25)
        let translator = try Translator(models: models, vocabularies: vocabularies)
        let lists: [[Int32]] = (0..<25).map { (f: Int) -> [Int32] in [Int32(4 + f % 21), Int32(4 + (f * 7) % 21)] }
        let shortlist = Shortlist(lists: lists, frequent: [4, 5, 6], pieces: 2)
        let sources = SearchTests.sources
        let batches = stride(from: 0, to: sources.count, by: 7).map { Array(sources[$0..<min(sources.count, $0 + 7)]) }
        let options = BeamOptions(beam: 3, nbest: 2)
        let previous = Parallel.workers
        Parallel.workers = 2
        defer { Parallel.workers = previous }
        var precisions: [OutputPrecision] = [.float32]
        if Int8Products.available { precisions.append(.int8) }
        for precision in precisions {
            for list in [nil, shortlist] {
                let searched = translator.search(batches, options: options, shortlist: list, precision: precision)
                for (batch, result) in zip(batches, searched) {
                    let all = (0..<Int32(25)).map { $0 }
                    let ids = list?.targets(for: batch) ?? (precision == .int8 ? all : nil)
                    let direct = beamSearch(
                        members: models.map { model in SearchMember(model: model, columns: ids.map { model.outputColumns($0, precision: precision) }) },
                        sources: batch, options: options)
                    XCTAssertEqual(result, direct, "\(precision), shortlist: \(list != nil)")
                    if list == nil && precision == .float32 {
                        XCTAssertNotEqual(result, beamSearch(model: gru, sources: batch, options: options))
                    }
                }
            }
        }
    }
}
