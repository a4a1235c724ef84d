// Everything that shapes a training run, as typed values. The CLI fills it from flags; the library
// reads nothing else. Defaults are the ones `s2s train` uses.
import S2SNet

public struct TrainingConfig: Codable, Equatable, Sendable {
    // Model sizes (the vocabulary sizes come from the data)
    public var embed = 256
    public var hidden = 256
    public var attention = 256
    public var readout = 256
    public var encoderLayers = 1

    // Regularisation and training signal
    public var dropout: Float = 0.2
    public var labelSmoothing: Float = 0.1
    public var teacherForcing: Float = 1

    // Optimisation
    public var learningRate: Float = 1e-3
    /// Multiplies the learning rate after `decayPatience` validations in a row without a better dev BLEU.
    public var learningRateDecay: Float = 0.5
    public var decayPatience = 2
    public var minimumLearningRate: Float = 1e-5
    public var clipNorm: Float = 5
    public var weightDecay: Float = 0
    public var batchSize: BatchSize = .sentences(64)

    // Budget and control
    public var epochs: Int? = nil          // nil: until the time budget or early stopping
    public var minutes: Double? = nil      // wall-clock training budget
    public var seed: UInt64 = 1
    public var validEvery: Int = 1000      // steps between validations
    public var patience: Int? = nil        // stop after this many validations without improvement
    public var checkpointMinutes: Double = 5

    public init() {}

    public func modelConfig(sourceVocabSize: Int, targetVocabSize: Int) -> ModelConfig {
        ModelConfig(
            sourceVocabSize: sourceVocabSize, targetVocabSize: targetVocabSize, embed: embed, hidden: hidden,
            attention: attention, readout: readout, encoderLayers: encoderLayers)
    }

    public var passOptions: PassOptions {
        PassOptions(dropout: dropout, labelSmoothing: labelSmoothing, teacherForcing: teacherForcing)
    }

    public var adamConfig: AdamConfig {
        var a = AdamConfig()
        a.learningRate = learningRate
        a.clipNorm = clipNorm
        a.weightDecay = weightDecay
        return a
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
