// Ensemble search against the definition: the next token is ranked by the members' mean log-probability.
// A model with itself is the model alone (mean, not sum); a GRU and an LSTM together choose, step by step,
// the argmax of their mean log-probabilities computed here one sentence and one model at a time, and the
// scores search reports are those means summed over the tokens, through beam reordering and finished
// sentences leaving the batch.
import XCTest
import S2SNet
@testable import S2SDecode

final class EnsembleTests: XCTestCase {
    let gru = SearchTests.model, lstm = SearchTests.lstm, elman = SearchTests.elman

    /// The mean log-probability of each target id under `models` after reading `prefix`, one model at a
    /// time with the step as search uses it for a single model.
    func meanLogProbabilities(_ models: [Seq2Seq], source: [Int32], prefix: [Int32]) -> [Double] {
        let V = models[0].config.targetVocabSize
        var mean = [Double](repeating: 0, count: V)
        for model in models {
            let encoded = model.encode([source])
            let ws = StepWorkspace(config: model.config, threads: 1)
            var state = encoded.initialState
            for previous in [SpecialIds.bos] + prefix {
                model.decodeStep(encoded, sentence: [0], previous: [previous], state: state, workspace: ws)
                state = ws.nextState([0])
            }
            for v in 0..<V { mean[v] += Double(ws.logits[v] - ws.logZ[0]) / Double(models.count) }
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
        let models = [gru, lstm], sources = SearchTests.sources
        let together = beamSearch(members: models.map { SearchMember(model: $0) }, sources: sources,
                                  options: BeamOptions(beam: 1, alpha: 0))
        var unlikeEachMember = 0
        for (source, result) in zip(sources, together) {
            var prefix: [Int32] = [], logProb = 0.0
            let maxLen = BeamOptions().limit.maxTokens(sourceLength: source.count)
            while prefix.count < maxLen {
                let mean = meanLogProbabilities(models, source: source, prefix: prefix)
                let best = mean.indices.max { (mean[$0], -$0) < (mean[$1], -$1) }!
                logProb += mean[best]
                if Int32(best) == SpecialIds.eos { break }
                prefix.append(Int32(best))
            }
            XCTAssertEqual(result[0].hypothesis.tokens, prefix, "\(source)")
            XCTAssertEqual(Double(result[0].hypothesis.logProb), logProb, accuracy: 1e-4)
            let own = models.map { greedySearch(model: $0, sources: [source])[0].tokens }
            if own.allSatisfy({ $0 != prefix }) { unlikeEachMember += 1 }
        }
        XCTAssertGreaterThan(unlikeEachMember, 0, "the ensemble never chose differently from both members: nothing was combined")
    }

    /// Beam 5 with three members (every cell): each n-best hypothesis's reported log-probability is the sum,
    /// over its tokens, of the members' mean log-probability; rows reordered between steps would break it.
    func testBeamScoresAreTheMeanLogProbabilities() {
        let models = [gru, lstm, elman], sources = Array(SearchTests.sources.prefix(10))
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

    /// With a shortlist, every member scores the same columns, and a shortlist of every piece changes nothing.
    func testEnsembleOverColumnsOfEveryPieceIsTheEnsemble() {
        let models = [gru, lstm], sources = SearchTests.sources
        let all = (0..<Int32(gru.config.targetVocabSize)).map { $0 }
        let options = BeamOptions(beam: 3)
        let plain = beamSearch(members: models.map { SearchMember(model: $0) }, sources: sources, options: options)
        let columns = beamSearch(members: models.map { SearchMember(model: $0, columns: $0.outputColumns(all)) },
                                 sources: sources, options: options)
        XCTAssertEqual(plain.map { $0.map(\.hypothesis.tokens) }, columns.map { $0.map(\.hypothesis.tokens) })
    }
}
