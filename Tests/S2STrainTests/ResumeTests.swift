// An interrupted-then-resumed run ends with exactly the parameters of an uninterrupted one (also with the
// training recipe's levers on: smoothing, tied embeddings, word dropout, warm-up and inverse-sqrt decay);
// validation sees the smoothed parameters; the batcher is deterministic and buckets by length; a diverging
// run stops with a clear error.
import Foundation
import XCTest
import S2SNet
@testable import S2STrain

final class ResumeTests: XCTestCase {
    static func corpus() -> [IdPair] {
        var rng = Rng(seed: 9)
        return (0..<40).map { _ in
            let n = 1 + Int(rng.next() % 6), m = 1 + Int(rng.next() % 7)
            return IdPair(source: (0..<n).map { _ in Int32(4 + rng.next() % 10) },
                          target: (0..<m).map { _ in Int32(4 + rng.next() % 12) })
        }
    }

    func makeTrainer(state: TrainingState? = nil, model: Seq2Seq? = nil, adam: Adam? = nil, epochs: Int = 3,
                     levers: Bool = false) throws -> Trainer {
        var config = TrainingConfig()
        config.architecture = Architecture(embed: 6, hidden: 5, attention: 4, readout: 7)
        config.batchSize = .sentences(8)
        config.epochs = epochs
        config.validEvery = 0
        config.pass.dropout = 0.2
        config.adam.smoothing = 0
        if levers {
            config.architecture.readout = 6
            config.architecture.tiedEmbeddings = true
            config.architecture.layerNorm = true
            config.architecture.decoderDepth = 2
            config.adam.smoothing = 0.05
            config.pass.wordDropout = 0.2
            config.schedule = .inverseSquareRoot
            config.warmupSteps = 4
        }
        let m = try model ?? {
            let m = try Seq2Seq(config: config.modelConfig(sourceVocabSize: 14, targetVocabSize: 16))
            m.initialize(seed: config.seed)
            return m
        }()
        let a = adam ?? Adam(parameterCount: m.params.count, config: config.adam)
        return Trainer(model: m, adam: a, config: config, batcher: Batcher(pairs: Self.corpus(), size: config.batchSize, seed: 4), state: state)
    }

    func testInterruptedThenResumedRunMatchesUninterruptedRun() throws {
        try checkResume(levers: false)
    }

    func testResumeIsExactWithSmoothingTyingLayerNormDeepTransitionWordDropoutAndWarmup() throws {
        try checkResume(levers: true)
    }

    func checkResume(levers: Bool) throws {
        let whole = try makeTrainer(levers: levers)
        XCTAssertEqual(try whole.run(), .epochs)
        XCTAssertEqual(whole.state.step, 15)  // 3 epochs × 5 batches

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ckpt.s2s").path
        let first = try makeTrainer(levers: levers)
        first.saveCheckpoint = { try Checkpoint.save($0, metadata: ["extra": "kept"], to: path) }
        var steps = 0
        XCTAssertEqual(try first.run(stopRequested: { steps += 1; return steps > 7 }), .interrupted)
        XCTAssertEqual(first.state.step, 7)

        let restored = try Checkpoint.load(path)
        XCTAssertEqual(restored.metadata["extra"], "kept")
        XCTAssertEqual(restored.state, first.state)
        XCTAssertEqual(restored.config, first.config)
        let second = try makeTrainer(state: restored.state, model: restored.model, adam: restored.adam, levers: levers)
        XCTAssertEqual(try second.run(), .epochs)
        XCTAssertEqual(second.state.step, whole.state.step)
        for i in 0..<whole.model.params.count {
            XCTAssertEqual(second.model.params.values[i].bitPattern, whole.model.params.values[i].bitPattern, "parameter \(i)")
        }
        XCTAssertEqual(second.adam.step, whole.adam.step)
        XCTAssertEqual(whole.adam.smoothed != nil, levers)
        // A tied model's out.w is not training state but a copy of the embedding, refreshed whenever the
        // model is saved (so the interrupted run's copy is newer); its smoothed copy is refreshed likewise
        // before validation. Everything else is bit for bit.
        let out = whole.model.layout.outW
        let derived = whole.model.config.tiedEmbeddings ? out.offset..<(out.offset + out.count) : 0..<0
        if let a = whole.adam.smoothed, let b = second.adam.smoothed {
            for i in 0..<whole.model.params.count where !derived.contains(i) {
                XCTAssertEqual(a[i].bitPattern, b[i].bitPattern, "smoothed parameter \(i)")
            }
        }
    }

    /// Validation and the best model's save see the smoothed parameters (tied again), and training
    /// continues from its own afterwards.
    func testValidationSeesTheSmoothedParameters() throws {
        let t = try makeTrainer(epochs: 1, levers: true)
        XCTAssertEqual(try t.run(), .epochs)
        let n = t.model.params.count
        let raw = Array(UnsafeBufferPointer(start: t.model.params.values, count: n))
        let smoothed = Array(UnsafeBufferPointer(start: t.adam.smoothed!, count: n))
        XCTAssertNotEqual(raw, smoothed)
        var seen: [Float] = [], saved: [Float] = []
        t.validate = { model in
            seen = Array(UnsafeBufferPointer(start: model.params.values, count: n))
            return ValidationResult(loss: 1, bleu: 1)
        }
        t.saveBest = { saved = Array(UnsafeBufferPointer(start: $0.model.params.values, count: n)) }
        try t.validateNow()
        XCTAssertEqual(seen, saved)
        let out = t.model.layout.outW, emb = t.model.layout.tgtEmbedding
        for i in 0..<n where !(out.offset..<out.offset + out.count).contains(i) { XCTAssertEqual(seen[i], smoothed[i]) }
        // The output layer seen is the smoothed embedding, transposed.
        XCTAssertEqual(seen[out.offset + 1 * 16 + 5], smoothed[emb.offset + 5 * 6 + 1])
        XCTAssertEqual(Array(UnsafeBufferPointer(start: t.model.params.values, count: n)), raw)
    }

    /// Checkpoints written before the recipe's options existed lack their keys: they decode as what those
    /// runs did (untied, unsmoothed, no word dropout, plateau without warm-up).
    func testOlderTrainingConfigurationsDecode() throws {
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainingConfig())) as! [String: Any]
        json["schedule"] = nil
        json["warmupSteps"] = nil
        var arch = json["architecture"] as! [String: Any], pass = json["pass"] as! [String: Any]
        var adam = json["adam"] as! [String: Any]
        arch["tiedEmbeddings"] = nil
        arch["layerNorm"] = nil
        arch["decoderDepth"] = nil
        pass["wordDropout"] = nil
        adam["smoothing"] = nil
        json["architecture"] = arch; json["pass"] = pass; json["adam"] = adam
        let old = try JSONDecoder().decode(TrainingConfig.self, from: JSONSerialization.data(withJSONObject: json))
        XCTAssertFalse(old.architecture.tiedEmbeddings)
        XCTAssertFalse(old.architecture.layerNorm)
        XCTAssertEqual(old.architecture.decoderDepth, 1)
        XCTAssertEqual(old.adam.smoothing, 0)
        XCTAssertEqual(old.pass.wordDropout, 0)
        XCTAssertEqual(old.schedule, .plateau)
        XCTAssertEqual(old.warmupSteps, 0)
        XCTAssertEqual(old.pass.dropout, TrainingConfig().pass.dropout)
        XCTAssertTrue(TrainingConfig().architecture.tiedEmbeddings, "a new run is tied")
    }

    func testLearningRateSchedules() {
        var c = TrainingConfig()
        XCTAssertEqual(c.learningRate(1e-3, step: 0), 1e-3)
        c.warmupSteps = 10
        XCTAssertEqual(c.learningRate(1e-3, step: 0), 1e-4, accuracy: 1e-9)
        XCTAssertEqual(c.learningRate(1e-3, step: 4), 5e-4, accuracy: 1e-9)
        XCTAssertEqual(c.learningRate(1e-3, step: 1000), 1e-3)
        c.schedule = .inverseSquareRoot
        XCTAssertEqual(c.learningRate(1e-3, step: 9), 1e-3, accuracy: 1e-9)
        XCTAssertEqual(c.learningRate(1e-3, step: 39), 5e-4, accuracy: 1e-9)  // √(10/40)
        XCTAssertEqual(c.learningRate(1e-3, step: 999), 1e-4, accuracy: 1e-9)
    }

    func testBatcherIsDeterministicAndBucketsByLength() {
        let pairs = Self.corpus()
        let b = Batcher(pairs: pairs, size: .sentences(8), seed: 1)
        XCTAssertEqual(b.batches(epoch: 1), b.batches(epoch: 1))
        XCTAssertNotEqual(b.batches(epoch: 1), b.batches(epoch: 2))
        let all = b.batches(epoch: 1).flatMap { $0 }.sorted()
        XCTAssertEqual(all, Array(pairs.indices))
        // Within the one pool, batches are contiguous runs of the length-sorted order.
        for batch in b.batches(epoch: 1) {
            let lens = batch.map { pairs[$0].source.count }
            XCTAssertEqual(lens, lens.sorted())
        }
        let byTokens = Batcher(pairs: pairs, size: .tokens(20), seed: 1).batches(epoch: 1)
        for batch in byTokens where batch.count > 1 {
            let longest = batch.map { pairs[$0].target.count + 1 }.max()!
            XCTAssertLessThanOrEqual(longest * batch.count, 20)
        }
    }

    func testDivergingRunStopsWithClearError() throws {
        let t = try makeTrainer(epochs: 10)
        for i in 0..<t.model.params.count { t.model.params.values[i] = .nan }
        var skipped = 0
        t.onEvent = { if case .skippedBatch = $0 { skipped += 1 } }
        XCTAssertThrowsError(try t.run()) { XCTAssertTrue("\($0)".contains("diverged"), "\($0)") }
        XCTAssertGreaterThan(skipped, 20)
    }
}
