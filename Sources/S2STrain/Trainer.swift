// The training loop over id pairs: batches → forward/backward → Adam, with validation, the learning-rate
// schedule (warm-up, decay on plateaus or with the inverse square root of the step), early stopping, time
// and epoch budgets, periodic checkpoints, and NaN guarding. With exponential smoothing, validation and
// the saved best model use the smoothed parameters (Adam.swift); checkpoints hold both.
// It knows nothing of text or files: validation and saving are closures the caller provides.
//
// Over several processes (Communicator, under mpirun) every rank runs this same loop on the same batch
// order and computes the gradient of its share of each batch; the ranks then sum the gradients and update
// the parameters together, each its own shard (ShardedAdam.swift). One small allreduce adds up the losses,
// the squared gradient norm and the stop and checkpoint flags, so all ranks clip, skip, stop and save at
// the same step. Rank 0 alone validates, reports and writes files; it broadcasts the learning rate and the
// early-stopping decision that validation makes.
import Foundation
import S2SNet

public struct ProgressReport: Sendable {
    public var epoch: Int
    public var step: Int
    public var epochFraction: Double       // batches done in this epoch / batches in it
    public var loss: Double                 // mean smoothed loss per target token since the last report
    public var perplexity: Double           // exp(mean nll per target token) since the last report
    public var tokensPerSecond: Double      // target tokens per second of training since the last report
    public var elapsed: Double              // training seconds so far (resumes included)
    public var eta: Double?                 // seconds left of the time or epoch budget, when known
    public var learningRate: Float
}

public struct ValidationResult: Sendable {
    public var loss: Double                 // mean nll per target token on the dev set
    public var bleu: Double
    public var chrf: Double?
    public init(loss: Double, bleu: Double, chrf: Double? = nil) {
        self.loss = loss
        self.bleu = bleu
        self.chrf = chrf
    }
}

public enum TrainingEvent: Sendable {
    case progress(ProgressReport)
    case validated(ValidationResult, step: Int, improved: Bool, learningRate: Float)
    case checkpointed(seconds: Double)
    case skippedBatch(step: Int, reason: String)
    /// A periodic checkpoint or a new best model could not be written; training goes on, and the last
    /// good file stays as it was (writes are atomic).
    case saveFailed(step: Int, reason: String)
}

public enum StopReason: String, Sendable {
    case epochs = "epoch budget reached"
    case time = "time budget reached"
    case steps = "step budget reached"
    case earlyStopping = "no dev BLEU improvement within --patience validations"
    case interrupted = "interrupted"
}

public struct TrainingError: Error, CustomStringConvertible {
    public let description: String
}

public final class Trainer {
    public let model: Seq2Seq
    public let adam: Adam
    public let config: TrainingConfig
    public let batcher: Batcher
    public private(set) var state: TrainingState

    /// Called on progress, validation, checkpoints and skipped batches.
    public var onEvent: (TrainingEvent) -> Void = { _ in }
    /// Scores the model on dev data (no dropout). Without it there is no validation.
    public var validate: ((Seq2Seq) throws -> ValidationResult)?
    /// Writes a checkpoint (model, optimizer, state). Called every `checkpointMinutes` and on stopping.
    public var saveCheckpoint: ((Trainer) throws -> Void)?
    /// Writes the best model so far. Called when a validation improves dev BLEU.
    public var saveBest: ((Trainer) throws -> Void)?
    /// Seconds between progress reports.
    public var reportEvery: Double = 1
    /// Workers that split each batch (see DataParallelStep); 1 lets BLAS use the cores instead.
    public var dataParallelWorkers = Parallel.workers
    /// The training processes; `solo` without mpirun. Only rank 0 should be given the saving closures.
    public var communicator = Communicator.solo
    /// Why the best model so far could not be written, while it has not been (a later save clears it).
    public private(set) var unsavedBest: String?
    /// Seconds spent exchanging gradients and parameters so far (several processes only).
    public private(set) var communicationSeconds = 0.0

    /// More consecutive non-finite batches than this means the run has diverged.
    let maxConsecutiveSkips = 20

    public init(model: Seq2Seq, adam: Adam, config: TrainingConfig, batcher: Batcher, state: TrainingState? = nil) {
        self.model = model
        self.adam = adam
        self.config = config
        self.batcher = batcher
        self.state = state ?? TrainingState(seed: config.seed, learningRate: config.adam.learningRate)
    }

    /// Trains until a budget is used up, patience runs out, or `stopRequested()` returns true (on any rank).
    public func run(stopRequested: () -> Bool = { false }) throws -> StopReason {
        let comm = communicator, several = comm.size > 1
        // Every rank must cut each batch into the same parts: the fewest workers any rank has.
        var workers = [Double(dataParallelWorkers)]
        try comm.minimum(&workers)
        let step = DataParallelStep(model: model, workers: Int(workers[0]))
        if several { try takeRootState() }
        let sharded = several ? ShardedAdam(full: adam, communicator: comm) : nil
        let options = config.pass
        var epochBatches = batcher.batches(epoch: state.epoch)
        if epochBatches.isEmpty { throw TrainingError(description: "no training batches: the corpus is empty after filtering") }
        var lastCheckpoint = Date()
        var lastReport = Date()
        var window = LossSums()
        var windowSeconds = 0.0
        var consecutiveSkips = 0
        var agreedStop = false, agreedTimeUp = false, agreedCheckpoint = false  // from the last step's collective
        // Whichever way the loop ends, the full optimizer must hold every shard's moments for the last save.
        func finish(_ reason: StopReason) throws -> StopReason {
            try sharded?.gatherMoments()
            model.tieWeights()  // training never reads a tied model's output copy; whoever comes next may
            return reason
        }
        while true {
            if several ? agreedStop : stopRequested() {
                try sharded?.gatherMoments()
                model.tieWeights()
                try saveCheckpoint?(self)
                return .interrupted
            }
            if state.batchInEpoch >= epochBatches.count {
                state.epoch += 1
                state.batchInEpoch = 0
                epochBatches = batcher.batches(epoch: state.epoch)
            }
            if let epochs = config.epochs, state.epoch > epochs { return try finish(.epochs) }
            if let steps = config.steps, state.step >= steps { return try finish(.steps) }
            if let minutes = config.minutes, several ? agreedTimeUp : state.trainSeconds >= minutes * 60 { return try finish(.time) }

            let indices = epochBatches[state.batchInEpoch]
            let start = Date()
            var rng = state.rng
            var sums = step.run(sources: indices.map { batcher.pairs[$0].source }, targets: indices.map { batcher.pairs[$0].target },
                                options: options, rng: &rng, share: (comm.rank, comm.size))
            var norm: Double
            if let sharded {
                let t = Date()
                let squares = try sharded.reduce(model.params)
                communicationSeconds += Date().timeIntervalSince(t)
                // Rank 0's clock decides the time budget and the checkpoints, as its log reports them.
                let timeUp = comm.isRoot && config.minutes.map { state.trainSeconds + Date().timeIntervalSince(start) >= $0 * 60 } ?? false
                let checkpointDue = comm.isRoot && Date().timeIntervalSince(lastCheckpoint) >= config.checkpointMinutes * 60
                var shared = [sums.loss, sums.nll, Double(sums.tokens), squares,
                              stopRequested() ? 1 : 0, timeUp ? 1 : 0, checkpointDue ? 1 : 0]
                try comm.sum(&shared)
                sums = LossSums(loss: shared[0], nll: shared[1], tokens: Int(shared[2]))
                norm = shared[3].squareRoot()
                agreedStop = shared[4] > 0
                agreedTimeUp = shared[5] > 0
                agreedCheckpoint = shared[6] > 0
            } else {
                norm = step.gradientNorm ?? Adam.gradientNorm(model.params)
            }
            if !sums.loss.isFinite || !norm.isFinite {
                model.params.zeroGrads()
                sharded?.skip()
                consecutiveSkips += 1
                state.skippedBatches += 1
                onEvent(.skippedBatch(step: state.step, reason: !sums.loss.isFinite ? "loss is \(sums.loss)" : "gradient norm is \(norm)"))
                if consecutiveSkips > maxConsecutiveSkips {
                    throw TrainingError(description: "training diverged: \(consecutiveSkips) batches in a row had a non-finite loss or gradient; lower --lr or --clip")
                }
            } else {
                consecutiveSkips = 0
                let learningRate = config.learningRate(state.learningRate, step: state.step)
                if let sharded {
                    let t = Date()
                    try sharded.update(model.params, learningRate: learningRate, gradientNorm: norm)
                    communicationSeconds += Date().timeIntervalSince(t)
                } else {
                    adam.update(model.params, learningRate: learningRate, gradientNorm: norm)
                }
                window.loss += sums.loss
                window.nll += sums.nll
                window.tokens += sums.tokens
                state.targetTokens += sums.tokens
                state.sentencePairs += indices.count
            }
            state.rng = rng
            state.step += 1
            state.batchInEpoch += 1
            let dt = Date().timeIntervalSince(start)
            state.trainSeconds += dt
            windowSeconds += dt

            if Date().timeIntervalSince(lastReport) >= reportEvery && window.tokens > 0 {
                onEvent(.progress(report(window: window, seconds: windowSeconds, batchesInEpoch: epochBatches.count)))
                window = LossSums()
                windowSeconds = 0
                lastReport = Date()
            }
            if config.validEvery > 0 && state.step % config.validEvery == 0 {
                // Rank 0 validates the smoothed parameters, whose shards the other ranks hold.
                if config.adam.smoothing > 0 { try sharded?.gatherMoments() }
                if try validateEverywhere() { return try finish(.earlyStopping) }
            }
            if several ? agreedCheckpoint : Date().timeIntervalSince(lastCheckpoint) >= config.checkpointMinutes * 60 {
                let t = Date()
                try sharded?.gatherMoments()
                do {
                    try saveCheckpoint?(self)
                    onEvent(.checkpointed(seconds: Date().timeIntervalSince(t)))
                } catch {
                    onEvent(.saveFailed(step: state.step, reason: "\(error)"))
                }
                lastCheckpoint = Date()
            }
        }
    }

    /// Rank 0's parameters, optimizer and training state, everywhere: each rank built or loaded its own,
    /// and a stale checkpoint copy on one host must not leave its rank at another step than the others.
    func takeRootState() throws {
        let comm = communicator
        try comm.broadcast(model.params.values, count: model.params.count)
        try comm.broadcast(adam.m, count: adam.count)
        try comm.broadcast(adam.v, count: adam.count)
        if let s = adam.smoothed { try comm.broadcast(s, count: adam.count) }
        var step = [Double(adam.step)]
        try comm.broadcast(&step)
        adam.restore(step: Int(step[0]))
        var bytes = comm.isRoot ? [UInt8](try JSONEncoder().encode(state)) : []
        try comm.broadcast(&bytes)
        state = try JSONDecoder().decode(TrainingState.self, from: Data(bytes))
    }

    /// A validation on rank 0 (`validateNow`), whose outcome every rank adopts: the learning rate and the
    /// early-stopping decision. Returns true when patience has run out.
    public func validateEverywhere() throws -> Bool {
        let comm = communicator
        guard comm.size > 1 else { return try validateNow() }
        var decision = [0.0, 0.0]
        if comm.isRoot { decision = [Double(state.learningRate), try validateNow() ? 1 : 0] }
        try comm.broadcast(&decision)
        state.learningRate = Float(decision[0])
        return decision[1] > 0
    }

    /// Runs a validation; returns true when patience has run out.
    @discardableResult
    public func validateNow() throws -> Bool {
        guard let validate else { return false }
        // The smoothed parameters stand in for the model while it is scored and, if best, saved.
        adam.swapSmoothed(with: model.params.values)
        model.tieWeights()
        defer {
            adam.swapSmoothed(with: model.params.values)
            model.tieWeights()
        }
        let result = try validate(model)
        let improved = state.bestScore.map { result.bleu > $0 } ?? true
        if improved {
            state.bestScore = result.bleu
            state.validationsWithoutImprovement = 0
            do {
                try saveBest?(self)
                unsavedBest = nil
            } catch {
                unsavedBest = "\(error)"
                onEvent(.saveFailed(step: state.step, reason: "\(error)"))
            }
        } else {
            state.validationsWithoutImprovement += 1
            if config.schedule == .plateau && state.validationsWithoutImprovement % max(1, config.decayPatience) == 0 {
                state.learningRate = max(config.minimumLearningRate, state.learningRate * config.learningRateDecay)
            }
        }
        // The rate the next step will use, after any decay this validation made.
        onEvent(.validated(result, step: state.step, improved: improved, learningRate: config.learningRate(state.learningRate, step: state.step)))
        if let patience = config.patience, state.validationsWithoutImprovement >= patience { return true }
        return false
    }

    private func report(window: LossSums, seconds: Double, batchesInEpoch: Int) -> ProgressReport {
        let tokens = Double(max(window.tokens, 1))
        var eta: Double?
        if let minutes = config.minutes {
            eta = max(0, minutes * 60 - state.trainSeconds)
        }
        if let epochs = config.epochs, state.trainSeconds > 0 {
            let done = Double(state.epoch - 1) + Double(state.batchInEpoch) / Double(max(batchesInEpoch, 1))
            let left = max(0, Double(epochs) - done) * state.trainSeconds / max(done, 1e-9)
            eta = eta.map { min($0, left) } ?? left
        }
        return ProgressReport(
            epoch: state.epoch, step: state.step,
            epochFraction: Double(state.batchInEpoch) / Double(max(batchesInEpoch, 1)),
            loss: window.loss / tokens, perplexity: exp(window.nll / tokens),
            tokensPerSecond: seconds > 0 ? Double(window.tokens) / seconds : 0,
            elapsed: state.trainSeconds, eta: eta, learningRate: config.learningRate(state.learningRate, step: max(0, state.step - 1)))
    }
}
