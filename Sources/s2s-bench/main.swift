// s2s-bench: training throughput of the default model on real data, with the analytical FLOPs per target
// token and the fraction of this machine's sgemm peak (measured in the same run by one large sgemm).
// `make bench` runs it; see Scripts/bench.sh.
import Foundation
import S2SNet
import S2STrain

struct Options {
    var data = "../shared/corpora/tatoeba-en-fr"
    var seconds = 60.0
    var threads = ProcessInfo.processInfo.activeProcessorCount
    var json: String?
    var bpe: Int?
    var workers: Int?
    var batchSize = 64
    var cell = CellKind.gru
    var collectives = false
    var tied = TrainingConfig().architecture.tiedEmbeddings
    var layerNorm = TrainingConfig().architecture.layerNorm
    var decoderDepth = TrainingConfig().architecture.decoderDepth
    var smoothing = TrainingConfig().adam.smoothing
}

func parse() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst()
    while let a = args.popFirst() {
        switch a {
        case "--data": o.data = args.popFirst() ?? o.data
        case "--seconds": o.seconds = Double(args.popFirst() ?? "") ?? o.seconds
        case "--threads": o.threads = Int(args.popFirst() ?? "") ?? o.threads
        case "--json": o.json = args.popFirst()
        case "--bpe": o.bpe = Int(args.popFirst() ?? "")
        case "--workers": o.workers = Int(args.popFirst() ?? "")
        case "--collectives": o.collectives = true
        case "--batch-size": o.batchSize = Int(args.popFirst() ?? "") ?? o.batchSize
        case "--tied-embeddings": o.tied = true
        case "--no-tied-embeddings": o.tied = false
        case "--layer-norm": o.layerNorm = true
        case "--no-layer-norm": o.layerNorm = false
        case "--decoder-depth": o.decoderDepth = Int(args.popFirst() ?? "") ?? o.decoderDepth
        case "--exponential-smoothing": o.smoothing = Float(args.popFirst() ?? "") ?? o.smoothing
        case "--cell":
            let name = args.popFirst() ?? ""
            guard let cell = CellKind(rawValue: name) else {
                FileHandle.standardError.write(Data("s2s-bench: --cell '\(name)': use gru, lstm or rnn\n".utf8))
                exit(2)
            }
            o.cell = cell
        default:
            FileHandle.standardError.write(Data("usage: s2s-bench [--data DIR] [--seconds S] [--threads N] [--workers N] [--batch-size N] [--cell gru|lstm|rnn] [--[no-]tied-embeddings] [--[no-]layer-norm] [--decoder-depth D] [--exponential-smoothing F] [--bpe MERGES] [--json PATH] [--collectives]\n".utf8))
            exit(2)
        }
    }
    return o
}

/// Best GFLOP/s of one 2048³ sgemm over several runs.
func sgemmPeak() -> Double {
    let n = 2048
    let a = FloatBuffer(capacity: n * n), b = FloatBuffer(capacity: n * n), c = FloatBuffer(capacity: n * n)
    for i in 0..<(n * n) { a[i] = Float(i % 13) * 0.01; b[i] = Float(i % 7) * 0.01 }
    var best = Double.infinity
    for _ in 0..<8 {
        let t0 = DispatchTime.now().uptimeNanoseconds
        BLAS.gemm(m: n, n: n, k: n, a: a.pointer, lda: n, b: b.pointer, ldb: n, beta: 0, c: c.pointer, ldc: n)
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    return 2 * Double(n * n * n) / best / 1e9
}

OpenBLASKernel.reloadIfForcedToWeakerKernel()
let o = parse()
// Under mpirun every rank runs this; rank 0 prints. One process without mpirun: Communicator.solo.
let comm = try Communicator.join()
if !comm.isRoot { dup2(open("/dev/null", O_WRONLY), STDOUT_FILENO) }  // rank 0 reports
Parallel.workers = o.threads
BLAS.setThreads(o.threads)
let peak = sgemmPeak()
print(String(format: "OpenBLAS core %@, %d threads; sgemm 2048³ peak %.1f GFLOP/s", BLAS.coreName, o.threads, peak))

var data = DataSettings(trainSource: o.data + "/train.en", trainTarget: o.data + "/train.fr")
data.devSource = o.data + "/dev.en"
data.devTarget = o.data + "/dev.fr"
data.vocabulary.minCount = 2
data.vocabulary.bpeMerges = o.bpe
let config: TrainingConfig = {
    var c = TrainingConfig()
    c.validEvery = 0
    c.checkpointMinutes = 1e9
    c.batchSize = .sentences(o.batchSize)
    c.architecture.cell = o.cell
    c.architecture.tiedEmbeddings = o.tied
    c.architecture.layerNorm = o.layerNorm
    c.architecture.decoderDepth = o.decoderDepth
    if o.tied { c.architecture.readout = c.architecture.embed }
    c.adam.smoothing = o.smoothing
    return c
}()
let run = TrainingRun(data: data, config: config, output: OutputSettings(modelPath: "/dev/null"))
run.log = { print($0) }
try run.prepare(resume: false)
let pairs = run.trainPairs
let model = try Seq2Seq(config: config.modelConfig(sourceVocabSize: run.vocabularies.source.count,
                                                   targetVocabSize: run.vocabularies.target.count))
model.initialize(seed: config.seed)
let batcher = Batcher(pairs: pairs, size: config.batchSize, seed: config.seed)
if o.collectives {
    try benchCollectives(parameters: model.params.count, adam: config.adam)
    comm.finish()
    exit(0)
}

// Warm-up (workspace growth, page faults) is not timed: 5 steps, then the timed run.
func trainer(minutes: Double, state: TrainingState?, config: TrainingConfig, model: Seq2Seq, batcher: Batcher) -> Trainer {
    var c = config
    c.minutes = minutes
    let t = Trainer(model: model, adam: Adam(parameterCount: model.params.count, config: c.adam), config: c,
                    batcher: batcher, state: state)
    t.dataParallelWorkers = o.workers ?? o.threads
    t.communicator = comm
    return t
}
var warm = TrainingState(seed: config.seed, learningRate: config.adam.learningRate)
let warmTrainer = trainer(minutes: 1e9, state: warm, config: config, model: model, batcher: batcher)
var steps = 0
_ = try warmTrainer.run(stopRequested: { steps += 1; return steps > 5 })
warm = warmTrainer.state
let startStep = warm.step, startTokens = warm.targetTokens, startSeconds = warm.trainSeconds
let timed = trainer(minutes: (startSeconds + o.seconds) / 60, state: warm, config: config, model: model, batcher: batcher)
_ = try timed.run()
let s = timed.state
let seconds = s.trainSeconds - startSeconds
let allreduce = timed.communicationSeconds
let tokens = s.targetTokens - startTokens

// The exact batches trained in the timed part, for the FLOP count.
var srcTok = 0, tgtTok = 0, srcTgt = 0, sentences = 0
let batches = batcher.batches(epoch: 1)
for i in startStep..<s.step {
    for p in batches[i % batches.count] {
        let sl = pairs[p].source.count + 1, tl = pairs[p].target.count + 1
        srcTok += sl; tgtTok += tl; srcTgt += sl * tl; sentences += 1
    }
}
let flops = FlopCount(model.config).trainingFlops(sourceTokens: srcTok, targetTokens: tgtTok, sourceTargetPairs: srcTgt, sentences: sentences)
let achieved = flops / seconds / 1e9
let report: [String: Any] = [
    "openblas_core": BLAS.coreName, "threads": o.threads, "processes": comm.size,
    "communication_seconds_per_step": allreduce / Double(max(s.step - startStep, 1)), "data_parallel_workers": o.workers ?? o.threads, "sgemm_peak_gflops": peak,
    "steps": s.step - startStep, "train_seconds": seconds, "target_tokens_per_second": Double(tokens) / seconds,
    "sentence_pairs_per_second": Double(sentences) / seconds,
    "flops_per_target_token": flops / Double(tgtTok), "achieved_gflops": achieved, "fraction_of_peak": achieved / peak,
    "peak_rss_mb": peakResidentMegabytes(), "parameters": model.trainableParameterCount,
    "vocabulary": ["source": model.config.sourceVocabSize, "target": model.config.targetVocabSize],
]
print(String(format: "%d steps in %.1f s: %.0f target tokens/s, %.1f sentence pairs/s", s.step - startStep, seconds,
             Double(tokens) / seconds, Double(sentences) / seconds))
print(String(format: "%.1f MFLOP per target token (fwd+bwd) → %.1f GFLOP/s = %.0f%% of the sgemm peak; peak RSS %.0f MB",
             flops / Double(tgtTok) / 1e6, achieved, 100 * achieved / peak, peakResidentMegabytes()))
if comm.size > 1 {
    print(String(format: "%d processes: %.1f ms of each step exchanging gradients and parameters (%.0f%% of the time)", comm.size,
                 1e3 * allreduce / Double(max(s.step - startStep, 1)), 100 * allreduce / seconds))
}
if let path = o.json {
    let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: URL(fileURLWithPath: path))
}
comm.finish()
