// Everything that shapes a training run, as typed values. The CLI fills it from flags; the library
// reads nothing else. Defaults are the ones `s2s train` uses.
import S2SNet

public struct TrainingConfig: Codable, Equatable, Sendable {
    /// Sizes and cell (the vocabulary sizes come from the data).
    public var architecture = Architecture()
    /// Regularisation and training signal.
    public var pass = PassOptions(dropout: 0.2, labelSmoothing: 0.1)
    /// The optimiser: learning rate, clipping, weight decay.
    public var adam = AdamConfig()

    // Learning-rate schedule
    /// Multiplies the learning rate after `decayPatience` validations in a row without a better dev BLEU.
    public var learningRateDecay: Float = 0.5
    public var decayPatience = 2
    public var minimumLearningRate: Float = 1e-5
    public var batchSize: BatchSize = .sentences(64)

    // Budget and control
    public var epochs: Int? = nil          // nil: until the time budget or early stopping
    public var minutes: Double? = nil      // wall-clock training budget
    public var steps: Int? = nil           // steps (batches) in all, resumes included
    public var seed: UInt64 = 1
    public var validEvery: Int = 1000      // steps between validations
    public var patience: Int? = nil        // stop after this many validations without improvement
    public var checkpointMinutes: Double = 5

    public init() {}

    public func modelConfig(sourceVocabSize: Int, targetVocabSize: Int) -> ModelConfig {
        ModelConfig(sourceVocabSize: sourceVocabSize, targetVocabSize: targetVocabSize, architecture: architecture)
    }
}

/// Where a run is, so it can stop and resume exactly.
public struct TrainingState: Codable, Equatable, Sendable {
    public var step = 0
    public var epoch = 1
    public var batchInEpoch = 0            // the next batch of `epoch` to train on
    public var rng: Rng
    public var learningRate: Float
    public var bestScore: Double? = nil     // best dev BLEU so far
    public var validationsWithoutImprovement = 0
    public var trainSeconds: Double = 0
    public var targetTokens = 0
    public var sentencePairs = 0
    public var skippedBatches = 0

    public init(seed: UInt64, learningRate: Float) {
        rng = Rng(seed: seed ^ 0x5DEE_CE66_D1CE_5EED)
        self.learningRate = learningRate
    }
}
