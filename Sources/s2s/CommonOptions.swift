// Option groups shared by several subcommands: the model and decoding settings, and the thread count.
import ArgumentParser
import S2SDecode
import S2SNet

struct ThreadOptions: ParsableArguments {
    @Option(help: "CPU threads to use (default: all cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// Applies the thread count to BLAS and to s2s's own parallel loops. By default the cores are shared
    /// among `processes` (training ranks started by mpirun on this host).
    func apply(sharedWith processes: Int = 1) {
        let n = threads ?? max(1, Parallel.workers / max(processes, 1))
        Parallel.workers = n
        BLAS.setThreads(n)
    }
}

struct DecodingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The model file written by `s2s train` (default: $S2S_MODEL, else ./model.s2s, else your default model; see `s2s models`). Repeat it to translate with an ensemble: each target piece is chosen by the models' mean log-probability (they must share vocabularies; each one adds its time and memory; the first places <unk>s and alignments).", valueName: "path"))
    var model: [String] = []

    /// The models to load: each --model, or the first found where `s2s models` says.
    func modelPaths() throws -> [String] { model.isEmpty ? [try ModelLocation.resolve(nil)] : model }

    @Option(help: "Beam width: hypotheses kept per sentence at each step. 1 is greedy search (fastest).")
    var beam = 5

    @Option(help: "Length normalisation: hypotheses are ranked by log-probability / length^alpha. 0 favours short output; 1 divides by length.")
    var alpha: Float = 0.6

    @Option(help: "Longest translation, as a multiple of the source length (plus 10 tokens).")
    var maxLenRatio: Float = 2

    @Option(help: "Most sentences translated together (split evenly across cores); 1 gives single-sentence latency. Default: 64 when the model has a shortlist (larger batches share fewer of its savings), else 256.")
    var batchSize: Int?

    @Flag(help: "Translate each line as one sentence, instead of cutting it into sentences (ICU's rules) and joining their translations.")
    var noSplit = false

    @Option(help: ArgumentHelp("Sentences longer than this many source pieces are translated in parts of this length, with a warning.", valueName: "pieces"))
    var maxLength = 100

    @Option(help: ArgumentHelp("Arithmetic of the output layer: int8 (oneDNN; faster, about the same BLEU), float32, or auto: int8 where the CPU has VNNI instructions.", valueName: "auto|float32|int8"))
    var precision = OutputPrecision.auto

    @Flag(help: "Score every target piece, even when the model file has a lexical shortlist (see `s2s shortlist`); slower, and the reference for what the shortlist costs.")
    var noShortlist = false

    func validate() throws {
        do { try precision.checkAvailable() } catch { throw ValidationError("\(error)") }
        if beam < 1 { throw ValidationError("--beam must be at least 1 (1 means greedy search)") }
        if alpha < 0 || alpha > 2 { throw ValidationError("--alpha must be between 0 and 2 (0.6 is a good default)") }
        if maxLenRatio <= 0 { throw ValidationError("--max-len-ratio must be positive (e.g. 2)") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if maxLength < 1 { throw ValidationError("--max-length must be at least 1") }
    }

    var translationOptions: TranslationOptions {
        var o = TranslationOptions()
        o.beam = beam
        o.alpha = alpha
        o.maxLengthRatio = maxLenRatio
        o.batchSize = batchSize
        o.splitSentences = !noSplit
        o.maxSourceLength = maxLength
        o.shortlist = !noShortlist
        o.precision = precision
        return o
    }
}

extension OutputPrecision: ExpressibleByArgument {}
