// Everything that shapes a training run, as typed values. The CLI fills it from flags; the library
// reads nothing else. Defaults are the ones `s2s train` uses.
import S2SNet

public struct TrainingConfig: Codable, Equatable, Sendable {
    /// Sizes and cell (the vocabulary sizes come from the data); the output layer tied to the target
    /// embedding, which on Tatoeba reaches the untied model's dev BLEU in about half the steps, and layer
    /// normalization, which learns more per step from about 3,000 steps on (README).
    public var architecture = Architecture(tiedEmbeddings: true, layerNorm: true)
    /// Regularisation and training signal: dropout 0.1, which on Tatoeba learned more per step than 0.2
    /// or 0.3 over the steps a 30-minute budget buys the small model (README).
    public var pass = PassOptions(dropout: 0.1, labelSmoothing: 0.1)
    /// The optimiser: learning rate, clipping, weight decay, and the smoothed copy of the parameters
    /// that validation and the saved model use.
    public var adam: AdamConfig = {
        var a = AdamConfig()
        a.smoothing = 5e-4
        return a
    }()

    // Learning-rate schedule
    public var schedule = LearningRateSchedule.plateau
    /// Steps over which the rate rises linearly from lr/warmupSteps to lr (0: none).
    public var warmupSteps = 0
    /// With `.plateau`: multiplies the learning rate after `decayPatience` validations in a row without a
    /// better dev BLEU.
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

    /// The rate of step `step` (counting from 0) given the run's current base rate (lowered on plateaus).
    public func learningRate(_ base: Float, step: Int) -> Float {
        let warm = Float(max(warmupSteps, 1)), t = Float(step + 1)
        switch schedule {
        case .plateau:
            return base * min(1, t / warm)
        case .inverseSquareRoot:
            return base * min(t / warm, (warm / t).squareRoot())
        }
    }

    enum CodingKeys: String, CodingKey {
        case architecture, pass, adam, schedule, warmupSteps, learningRateDecay, decayPatience, minimumLearningRate,
             batchSize, epochs, minutes, steps, seed, validEvery, patience, checkpointMinutes
    }

    // Checkpoints from before the schedule was a choice have neither `schedule` nor `warmupSteps`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        architecture = try c.decode(Architecture.self, forKey: .architecture)
        pass = try c.decode(PassOptions.self, forKey: .pass)
        adam = try c.decode(AdamConfig.self, forKey: .adam)
        schedule = try c.decodeIfPresent(LearningRateSchedule.self, forKey: .schedule) ?? .plateau
        warmupSteps = try c.decodeIfPresent(Int.self, forKey: .warmupSteps) ?? 0
        learningRateDecay = try c.decode(Float.self, forKey: .learningRateDecay)
        decayPatience = try c.decode(Int.self, forKey: .decayPatience)
        minimumLearningRate = try c.decode(Float.self, forKey: .minimumLearningRate)
        batchSize = try c.decode(BatchSize.self, forKey: .batchSize)
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs)
        minutes = try c.decodeIfPresent(Double.self, forKey: .minutes)
        steps = try c.decodeIfPresent(Int.self, forKey: .steps)
        seed = try c.decode(UInt64.self, forKey: .seed)
        validEvery = try c.decode(Int.self, forKey: .validEvery)
        patience = try c.decodeIfPresent(Int.self, forKey: .patience)
        checkpointMinutes = try c.decode(Double.self, forKey: .checkpointMinutes)
    }

    public func modelConfig(sourceVocabSize: Int, targetVocabSize: Int) -> ModelConfig {
        ModelConfig(sourceVocabSize: sourceVocabSize, targetVocabSize: targetVocabSize, architecture: architecture)
    }
}

/// How the learning rate moves over a run (after the warm-up, if any).
public enum LearningRateSchedule: String, Codable, Sendable, CaseIterable {
    /// Constant, lowered by `learningRateDecay` whenever dev BLEU stops improving (Marian's and
    /// OpenNMT's default for recurrent models).
    case plateau
    /// lr · √(warmup / step) after the warm-up: the Transformer's schedule, which never stalls the way
    /// repeated plateau decays can.
    case inverseSquareRoot = "inverse-sqrt"
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
