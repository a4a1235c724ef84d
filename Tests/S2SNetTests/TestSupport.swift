// Helpers shared by the S2SNet tests: tiny models and batches, and the approximate-equality rule.
import XCTest
@testable import S2SNet

/// |a − b| ≤ atol + rtol · max(|a|, |b|). Each test states the tolerance it uses and why.
func close(_ a: Double, _ b: Double, atol: Double, rtol: Double) -> Bool {
    abs(a - b) <= atol + rtol * max(abs(a), abs(b))
}

func tinyConfig(layers: Int = 1, cell: CellKind = .gru) -> ModelConfig {
    ModelConfig(sourceVocabSize: 11, targetVocabSize: 13, embed: 5, hidden: 4, attention: 3, readout: 6,
                encoderLayers: layers, cell: cell)
}

/// Three pairs of different lengths, so both sides carry padding.
func paddedBatch() -> Batch {
    Batch(
        sources: [[4, 5, 6, 7], [8, 9], [10, 4, 5]],
        targets: [[4, 5], [6, 7, 8, 9, 10], [11, 12, 4]])
}

func randomArray(_ n: Int, _ rng: inout Rng, scale: Float = 1) -> [Float] {
    (0..<n).map { _ in (rng.uniform() * 2 - 1) * scale }
}
