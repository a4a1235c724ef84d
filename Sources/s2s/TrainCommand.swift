// `s2s train`: train a model on parallel text, with validation, checkpoints and resume.
import ArgumentParser
import Foundation
import S2SNet
import S2SText
import S2STrain

/// Set from the signal handler; read between training steps.
nonisolated(unsafe) private var stopSignal: Int32 = 0

extension CellKind: ExpressibleByArgument {}
extension LearningRateSchedule: ExpressibleByArgument {}

/// `--size`: embed, hidden (per direction) and attention sizes that go together.
enum ModelSize: String, ExpressibleByArgument, CaseIterable {
    case small, base, big
    var sizes: (embed: Int, hidden: Int, attention: Int) {
        switch self {
        case .small: return (256, 256, 256)
        case .base: return (512, 512, 512)
        case .big: return (512, 1024, 512)
        }
    }
}

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a translation model on parallel text (line N of TGT translates line N of SRC).",
        discussion: """
            With no files, trains on the bundled English–French corpus (Corpora/bundled; run from the \
            repository root). The model is written to model.s2s (or --model), keeping the version with \
            the best dev BLEU; a checkpoint (model.s2s.ckpt) is written every few minutes and on Ctrl-C, \
            and `s2s train --resume` continues exactly where it stopped. A JSON-lines log \
            (model.s2s.log.jsonl) records loss, speed and dev scores for plotting. Under mpirun it \
            trains one model on several processes or machines (see the README).

            The model: a bidirectional recurrent encoder, additive attention and a recurrent decoder, \
            trained with teacher forcing, label smoothing and Adam. The recipe measured best for a \
            30-minute budget is the default: the output layer tied to the target embedding \
            (--no-tied-embeddings unties it), layer normalization in every cell and the readout \
            (--no-layer-norm), dropout 0.1, and validation and the saved model use an exponentially \
            smoothed copy of the parameters (--exponential-smoothing 0 turns it off). For 2 hours, \
            train two models for 60 minutes each with different --seed values and translate with \
            both (--model a.s2s --model b.s2s); the README's "Training recipe" section gives each \
            lever's effect. --cell picks the recurrent cell of \
            every layer: gru (the default), lstm, or rnn (the plain Elman cell: fastest, weakest). Without --vocab, vocabularies are built from the \
            training text: 8,000 joint BPE merges by default (--bpe N to change, --bpe 0 for whole words), \
            keeping units seen at least --min-count times.

            Examples:
              s2s train                                   # bundled corpus, a few minutes
              s2s train train.en train.fr --dev-src dev.en --dev-tgt dev.fr --minutes 30
              s2s train train.en train.fr --vocab vocab/ --epochs 10 --model en-fr.s2s
              s2s train --resume --model en-fr.s2s --minutes 60   # continue, longer
              s2s train --cell lstm --units char --max-len 200    # LSTM, characters
              s2s train a.en a.fr --minutes 30 --set-default  # then: s2s translate "…"
            """
    )

    // MARK: Data
    @Argument(help: ArgumentHelp("Source-language training text (default: Corpora/bundled/train.en).", valueName: "src"))
    var source: String?
    @Argument(help: ArgumentHelp("Target-language training text, line-aligned with <src>.", valueName: "tgt"))
    var target: String?
    @Option(help: ArgumentHelp("Dev source text for validation (default: hold out part of the training data).", valueName: "path"))
    var devSrc: String?
    @Option(help: ArgumentHelp("Dev reference translations, line-aligned with --dev-src.", valueName: "path"))
    var devTgt: String?
    @Option(help: "Skip training pairs with more than this many tokens on either side (default 50; on --resume, the run's own).")
    var maxLen: Int?
    @Option(help: ArgumentHelp("Vocabulary directory made by `s2s vocab` (default: build from the training text).", valueName: "dir"))
    var vocab: String?
    @Option(help: ArgumentHelp("Units of the on-the-fly vocabularies: bpe, word or char.", valueName: "units"))
    var units = TextUnits.bpe
    @Option(help: ArgumentHelp("Joint BPE merges for the on-the-fly vocabularies (with --units bpe); 0 keeps whole words.", valueName: "merges"))
    var bpe: Int?
    @Option(help: "On-the-fly vocabularies keep units seen at least this often.")
    var minCount = 2
    @Flag(help: "Lowercase both sides (off by default: case carries meaning).")
    var lowercase = false

    // MARK: Model
    @Option(help: ArgumentHelp("Recurrent cell of the encoder and decoder: gru, lstm or rnn (Elman).", valueName: "cell"))
    var cell = CellKind.gru
    @Option(help: ArgumentHelp("Model size: small (embed/hidden/attention 256/256/256), base (512/512/512) or big (512/1024/512). --embed, --hidden and --attention override it.", valueName: "size"))
    var size = ModelSize.small
    @Option(help: "Embedding size (default: from --size).") var embed: Int?
    @Option(help: "Recurrent state size per direction (default: from --size).") var hidden: Int?
    @Option(help: "Attention size (default: from --size).") var attention: Int?
    @Option(help: "Encoder layers (each bidirectional).") var layers = 1
    @Flag(inversion: .prefixedNo, help: "Tie the output layer to the target embedding (its transpose; the readout takes the embedding's size).")
    var tiedEmbeddings = TrainingConfig().architecture.tiedEmbeddings
    @Flag(inversion: .prefixedNo, help: "Layer-normalize every cell's gate pre-activations and the readout (slower per step).")
    var layerNorm = TrainingConfig().architecture.layerNorm
    @Option(help: "Cells per decoder step: D > 1 adds D−1 transitions that read only the state (a deep-transition decoder; about Marian's --dec-cell-base-depth D+1).")
    var decoderDepth = TrainingConfig().architecture.decoderDepth
    @Option(help: "Dropout on embeddings and the readout.") var dropout = TrainingConfig().pass.dropout
    @Option(help: "Probability that an input word (source, or the decoder's previous word) is read as <unk>.")
    var wordDropout: Float = 0

    // MARK: Training
    @Option(help: "Label smoothing of the cross-entropy.") var labelSmoothing: Float = 0.1
    @Option(help: "Probability that the decoder reads the reference previous word (else its own guess).")
    var teacherForcing: Float = 1
    @Option(help: "Adam learning rate.") var lr: Float = 1e-3
    @Option(help: ArgumentHelp("Learning-rate schedule: plateau (lowered by --lr-decay when dev BLEU stalls) or inverse-sqrt (lr·√(warmup/step) after the warm-up).", valueName: "schedule"))
    var lrSchedule = LearningRateSchedule.plateau
    @Option(help: "Steps over which the learning rate rises to --lr (inverse-sqrt needs some; default 0, or 4000 with inverse-sqrt).")
    var warmupSteps: Int?
    @Option(help: "Multiply the learning rate by this after 2 validations in a row without a better dev BLEU (plateau schedule).") var lrDecay: Float = 0.5
    @Option(help: ArgumentHelp("Keep an exponentially smoothed copy of the parameters, moving this fraction of the way each step (Marian's --exponential-smoothing); validation and the saved model use it. 0 turns it off.", valueName: "fraction"))
    var exponentialSmoothing: Float = Self.defaultSmoothing
    @Option(help: "Clip the global gradient norm to this (0: no clipping).") var clip: Float = 5
    @Option(help: "Decoupled weight decay.") var weightDecay: Float = 0
    @Option(help: "Sentence pairs per batch.") var batchSize: Int?
    @Option(help: "Target tokens per batch (padding included), instead of --batch-size.") var batchTokens: Int?

    // MARK: Budget and control
    @Option(help: "Epochs to train (default 10 when --minutes is not given).") var epochs: Int?
    @Option(help: "Wall-clock training budget in minutes.") var minutes: Double?
    @Option(help: "Stop after this many steps (batches) in all, resumes included.") var steps: Int?
    @Option(help: "Random seed: same seed, same data, same model.") var seed: UInt64 = 1
    @OptionGroup var threading: ThreadOptions
    @Option(help: "Validate (dev loss and BLEU) every this many steps.") var validEvery = 1000
    @Option(help: "Stop after this many validations without a better dev BLEU.") var patience: Int?
    @Option(help: "Minutes between checkpoints.") var checkpointMinutes: Double = 5
    @Option(help: ArgumentHelp("Under mpirun: give up when the other processes have not answered for this many seconds (more than a validation takes: the others wait for process 0's).", valueName: "seconds"))
    var mpiTimeout: Double = 600
    @Option(help: ArgumentHelp("Where to write the model.", valueName: "path")) var model = "model.s2s"
    @Flag(help: "Continue from the checkpoint beside --model, on the files it was trained on (or on the files given, if they are the same).")
    var resume = false
    @Flag(help: "With --resume: train on the files given even though they differ from those the checkpoint records.")
    var newData = false
    @Flag(help: "Replace an existing model file.") var overwrite = false
    @Flag(help: "Store no lexical shortlist in the model (by default one is learned from the training data before training, in seconds, and makes translation faster; see `s2s shortlist`).")
    var noShortlist = false
    @Flag(help: "When training ends, also make the model your default one (used by translate and evaluate without --model; see `s2s models`).")
    var setDefault = false

    static let defaultMerges = 8000
    static let defaultSmoothing = TrainingConfig().adam.smoothing

    /// `path` made absolute against the working directory; "-" (standard input) stays as it is.
    static func absolute(_ path: String) -> String {
        path == "-" ? path : URL(fileURLWithPath: path).standardizedFileURL.path
    }

    func validate() throws {
        if (source == nil) != (target == nil) { throw ValidationError("give both <src> and <tgt>, or neither (to use the bundled corpus)") }
        if (devSrc == nil) != (devTgt == nil) { throw ValidationError("--dev-src and --dev-tgt go together") }
        if vocab != nil && bpe != nil { throw ValidationError("--bpe builds vocabularies; --vocab reads them. Give one (use `s2s vocab --bpe N` to make a BPE vocabulary directory)") }
        if let bpe, bpe < 0 { throw ValidationError("--bpe must be 0 (whole words) or a positive number of merges (e.g. 8000)") }
        if bpe != nil && units != .bpe { throw ValidationError("--bpe sets the merges of --units bpe; it does not go with --units \(units.rawValue)") }
        if batchSize != nil && batchTokens != nil { throw ValidationError("give --batch-size or --batch-tokens, not both") }
        if let b = batchSize, b < 1 { throw ValidationError("--batch-size must be at least 1") }
        if let b = batchTokens, b < (maxLen ?? 50) + 1 { throw ValidationError("--batch-tokens must be more than --max-len (\(maxLen ?? 50)) so every pair fits") }
        if let m = maxLen, m < 1 { throw ValidationError("--max-len must be at least 1") }
        if minCount < 1 { throw ValidationError("--min-count must be at least 1") }
        let sizes = Architecture.sizeRange, depths = Architecture.layerRange
        for (name, v) in [("--embed", embed), ("--hidden", hidden), ("--attention", attention)] where v.map({ !sizes.contains($0) }) ?? false {
            throw ValidationError("\(name) must be between \(sizes.lowerBound) and \(sizes.upperBound)")
        }
        if !depths.contains(layers) { throw ValidationError("--layers must be between \(depths.lowerBound) and \(depths.upperBound)") }
        let transitions = Architecture.decoderDepthRange
        if !transitions.contains(decoderDepth) {
            throw ValidationError("--decoder-depth must be between \(transitions.lowerBound) and \(transitions.upperBound) (1: one cell per step)")
        }
        if !(0..<1).contains(dropout) { throw ValidationError("--dropout must be at least 0 and below 1") }
        if !(0..<1).contains(wordDropout) { throw ValidationError("--word-dropout must be at least 0 and below 1") }
        if !(0..<1).contains(exponentialSmoothing) { throw ValidationError("--exponential-smoothing must be at least 0 (off) and below 1 (1e-4 to 1e-3 are usual)") }
        if let w = warmupSteps, w < 0 { throw ValidationError("--warmup-steps must be 0 or more") }
        if lrSchedule == .inverseSquareRoot && warmupSteps == 0 { throw ValidationError("--lr-schedule inverse-sqrt needs --warmup-steps above 0 (the rate falls from its value there)") }
        if !(0..<1).contains(labelSmoothing) { throw ValidationError("--label-smoothing must be at least 0 and below 1") }
        if !(teacherForcing > 0 && teacherForcing <= 1) { throw ValidationError("--teacher-forcing must be in (0, 1]; 1 always reads the reference") }
        if !(lr > 0 && lr < 1) { throw ValidationError("--lr must be between 0 and 1 (1e-3 is a good start)") }
        if !(lrDecay > 0 && lrDecay <= 1) { throw ValidationError("--lr-decay must be in (0, 1]; 1 keeps the rate") }
        if clip < 0 { throw ValidationError("--clip must be 0 (off) or positive") }
        if let e = epochs, e < 1 { throw ValidationError("--epochs must be at least 1") }
        if let s = steps, s < 1 { throw ValidationError("--steps must be at least 1") }
        if newData && !resume { throw ValidationError("--new-data goes with --resume (a new run trains on whatever it is given)") }
        if !(mpiTimeout > 0) { throw ValidationError("--mpi-timeout must be positive") }
        if let m = minutes, !(m > 0) { throw ValidationError("--minutes must be positive") }
        if validEvery < 1 { throw ValidationError("--valid-every must be at least 1") }
        if let p = patience, p < 1 { throw ValidationError("--patience must be at least 1") }
        if !(checkpointMinutes > 0) { throw ValidationError("--checkpoint-minutes must be positive") }
    }

    func run() throws {
        // Under mpirun this process is one rank of several (see "Training on several machines" in the README).
        let comm = try Communicator.join()
        comm.timeout = mpiTimeout
        threading.apply(sharedWith: comm.size > 1 ? Communicator.ranksOnThisHost : 1)
        let fm = FileManager.default
        if !resume && !overwrite && fm.fileExists(atPath: model) {
            throw ValidationError("\(model) already exists; choose another --model, add --overwrite to replace it, or --resume to continue its training")
        }
        let output = OutputSettings(modelPath: model)
        // A resumed run continues on the files its checkpoint records, unless others are given.
        let recorded = resume ? try Checkpoint.recordedData(atPath: output.checkpointPath) : nil
        if resume && source == nil && recorded == nil {
            throw ValidationError("\(output.checkpointPath) does not record the files it was trained on (an older s2s wrote it): give <src> <tgt> (and --dev-src/--dev-tgt) to resume")
        }
        // Recorded in checkpoints as absolute paths, so a resume from another directory finds them.
        let src = Self.absolute(source ?? recorded?.trainSource ?? "Corpora/bundled/train.en")
        let tgt = Self.absolute(target ?? recorded?.trainTarget ?? "Corpora/bundled/train.fr")
        var data = DataSettings(trainSource: src, trainTarget: tgt)
        if resume, let recorded {
            if source == nil { data = recorded }
            if devSrc == nil { data.devSource = recorded.devSource; data.devTarget = recorded.devTarget }
        } else if source == nil {
            data.devSource = Self.absolute("Corpora/bundled/dev.en")
            data.devTarget = Self.absolute("Corpora/bundled/dev.fr")
            guard fm.fileExists(atPath: src) else {
                throw ValidationError("no files given and the bundled corpus is not here (\(src)); run from the s2s repository root or give <src> <tgt>")
            }
        }
        if let devSrc, let devTgt { data.devSource = Self.absolute(devSrc); data.devTarget = Self.absolute(devTgt) }
        data.maxLength = maxLen ?? (resume ? recorded?.maxLength : nil) ?? 50
        data.vocabularyDirectory = vocab
        data.vocabulary.sourceLanguage = Vocab.language(of: src, fallback: "en")
        data.vocabulary.targetLanguage = Vocab.language(of: tgt, fallback: "fr")
        data.vocabulary.lowercase = lowercase
        data.vocabulary.minCount = minCount
        // Subwords by default: no unknown words, and a target vocabulary a third the size of a word
        // vocabulary, so the output layer (most of the work) costs a third as much.
        let merges = bpe ?? Self.defaultMerges
        data.vocabulary.bpeMerges = units != .bpe || merges == 0 ? nil : merges
        data.vocabulary.characters = units == .char

        var config = TrainingConfig()
        let E = embed ?? size.sizes.embed, H = hidden ?? size.sizes.hidden
        config.architecture = Architecture(
            embed: E, hidden: H, attention: attention ?? size.sizes.attention, readout: tiedEmbeddings ? E : H,
            encoderLayers: layers, cell: cell, tiedEmbeddings: tiedEmbeddings, layerNorm: layerNorm, decoderDepth: decoderDepth)
        config.pass = PassOptions(dropout: dropout, labelSmoothing: labelSmoothing, teacherForcing: teacherForcing,
                                  wordDropout: wordDropout)
        config.adam.learningRate = lr; config.adam.clipNorm = clip; config.adam.weightDecay = weightDecay
        config.adam.smoothing = exponentialSmoothing
        config.schedule = lrSchedule
        config.warmupSteps = warmupSteps ?? (lrSchedule == .inverseSquareRoot ? 4000 : 0)
        config.learningRateDecay = lrDecay
        config.batchSize = batchTokens.map { .tokens($0) } ?? .sentences(batchSize ?? 64)
        config.epochs = epochs ?? (minutes == nil && steps == nil ? 10 : nil)
        config.steps = steps
        config.minutes = minutes; config.seed = seed; config.validEvery = validEvery
        config.patience = patience; config.checkpointMinutes = checkpointMinutes

        let run = TrainingRun(data: data, config: config, output: output)
        run.allowNewData = newData
        if noShortlist { run.shortlist = nil }
        if resume { run.overrideBudget(minutes: minutes, epochs: epochs, steps: steps) }
        run.communicator = comm
        let display = ProgressDisplay(interactive: isatty(STDERR_FILENO) != 0)
        if comm.isRoot {  // the other ranks train silently; errors still reach their stderr
            run.log = { display.message($0) }
            run.onEvent = { display.show($0) }
        }
        try run.prepare(resume: resume)
        let threads = "\(Parallel.workers) thread\(Parallel.workers == 1 ? "" : "s")"
        run.log("OpenBLAS core \(BLAS.coreName), " + (comm.size > 1 ? "\(comm.size) processes × \(threads)" : threads))

        stopSignal = 0
        // SIGHUP too: a closed terminal or ssh session should save the checkpoint like Ctrl-C does.
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { s in
                stopSignal = 1
                signal(s, SIG_DFL)  // a second Ctrl-C stops at once
            }
        }
        let summary = try run.train(stopRequested: { stopSignal != 0 })
        for sig in [SIGINT, SIGTERM, SIGHUP] { signal(sig, SIG_DFL) }
        comm.finish()
        guard comm.isRoot else {
            if summary.reason == .interrupted { throw ExitCode(130) }
            return
        }
        display.finish()
        let tokPerSec = Double(summary.targetTokens) / max(summary.trainSeconds, 1e-9)
        var line = "stopped: \(summary.reason.rawValue) after \(summary.steps) steps, \(String(format: "%.1f", summary.trainSeconds / 60)) min of training, \(Int(tokPerSec)) target tokens/s (\(Int(Double(summary.sentencePairs) / max(summary.trainSeconds, 1e-9))) sentence pairs/s), peak memory \(Int(summary.peakRSSMB)) MB"
        if let b = summary.bestBLEU { line += "; best dev BLEU \(String(format: "%.2f", b))" }
        if comm.size > 1 {
            line += String(format: "; %.0f%% of the time exchanging gradients and parameters", 100 * run.communicationSeconds / max(summary.trainSeconds, 1e-9))
        }
        display.message(line)
        if summary.reason == .interrupted {
            display.message("checkpoint saved to \(run.output.checkpointPath); continue with: s2s train --resume --model \(model)")
            throw ExitCode(130)
        }
        display.message("model written to \(model); try: s2s translate --model \(model) \"I speak French\"")
        if setDefault { display.message("default model: \(try ModelLocation.setDefault(model))") }
    }
}
