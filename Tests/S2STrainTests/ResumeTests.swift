// An interrupted-then-resumed run ends with exactly the parameters of an uninterrupted one; the batcher
// is deterministic and buckets by length; a diverging run stops with a clear error.
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

    func makeTrainer(state: TrainingState? = nil, model: Seq2Seq? = nil, adam: Adam? = nil, epochs: Int = 3) throws -> Trainer {
        var config = TrainingConfig()
        config.architecture = Architecture(embed: 6, hidden: 5, attention: 4, readout: 7)
        config.batchSize = .sentences(8)
        config.epochs = epochs
        config.validEvery = 0
        config.pass.dropout = 0.2
        let m = try model ?? {
            let m = try Seq2Seq(config: config.modelConfig(sourceVocabSize: 14, targetVocabSize: 16))
            m.initialize(seed: config.seed)
            return m
        }()
        let a = adam ?? Adam(parameterCount: m.params.count, config: config.adam)
        return Trainer(model: m, adam: a, config: config, batcher: Batcher(pairs: Self.corpus(), size: config.batchSize, seed: 4), state: state)
    }

    func testInterruptedThenResumedRunMatchesUninterruptedRun() throws {
        let whole = try makeTrainer()
        XCTAssertEqual(try whole.run(), .epochs)
        XCTAssertEqual(whole.state.step, 15)  // 3 epochs × 5 batches

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ckpt.s2s").path
        let first = try makeTrainer()
        first.saveCheckpoint = { try Checkpoint.save($0, metadata: ["extra": "kept"], to: path) }
        var steps = 0
        XCTAssertEqual(try first.run(stopRequested: { steps += 1; return steps > 7 }), .interrupted)
        XCTAssertEqual(first.state.step, 7)

        let restored = try Checkpoint.load(path)
        XCTAssertEqual(restored.metadata["extra"], "kept")
        XCTAssertEqual(restored.state, first.state)
        let second = try makeTrainer(state: restored.state, model: restored.model, adam: restored.adam)
        XCTAssertEqual(try second.run(), .epochs)
        XCTAssertEqual(second.state.step, whole.state.step)
        for i in 0..<whole.model.params.count {
            XCTAssertEqual(second.model.params.values[i].bitPattern, whole.model.params.values[i].bitPattern, "parameter \(i)")
        }
        XCTAssertEqual(second.adam.step, whole.adam.step)
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
