// A whole training run from text files to a model file: read the corpus, build or load vocabularies,
// encode, train with validation (dev loss and greedy dev BLEU), keep the best model, checkpoint, log.
// The CLI's `s2s train` is a thin layer over this; it owns signals, the terminal and exit codes.
import Foundation
import S2SDecode
import S2SEval
import S2SNet
import S2SText

public struct DataSettings: Codable, Equatable, Sendable {
    public var trainSource: String
    public var trainTarget: String
    public var devSource: String? = nil
    public var devTarget: String? = nil
    /// Pairs with more units (subwords or words) than this on either side are skipped.
    public var maxLength = 50
    /// Held out from training as the dev set when no dev files are given.
    public var heldOut = 1000
    /// Directory written by `s2s vocab`; nil builds vocabularies on the fly with `vocabulary`.
    public var vocabularyDirectory: String? = nil
    public var vocabulary = VocabularySettings()
    /// The files' fingerprints, in DataSettings.roles order, recorded in checkpoints (DataFingerprint.swift).
    public var fingerprints: [DataFingerprint?]? = nil

    public init(trainSource: String, trainTarget: String) {
        self.trainSource = trainSource
        self.trainTarget = trainTarget
    }
}

public struct OutputSettings: Sendable {
    public var modelPath: String
    public var checkpointPath: String
    public var logPath: String
    public init(modelPath: String) {
        self.modelPath = modelPath
        checkpointPath = modelPath + ".ckpt"
        logPath = modelPath + ".log.jsonl"
    }
}

public struct RunSummary: Sendable {
    public var reason: StopReason
    public var steps: Int
    public var epochs: Int
    public var trainSeconds: Double
    public var targetTokens: Int
    public var sentencePairs: Int
    public var bestBLEU: Double?
    /// The process's peak resident memory so far, in MB (data, model, optimizer, validation).
    public var peakRSSMB: Double
}

public final class TrainingRun {
    public private(set) var data: DataSettings
    public let output: OutputSettings
    public private(set) var config: TrainingConfig
    /// Human-readable messages (what was read, vocabulary sizes, warnings).
    public var log: (String) -> Void = { _ in }
    /// Trainer events, for live progress display.
    public var onEvent: (TrainingEvent) -> Void = { _ in }
    /// The training processes (mpirun). Every rank reads the data and builds the vocabularies itself;
    /// rank 0 alone validates and writes the log, checkpoints and the model.
    public var communicator = Communicator.solo
    /// With `prepare(resume: true)`: train on files other than those the checkpoint records.
    public var allowNewData = false
    /// Seconds the last `train` spent exchanging gradients and parameters (several processes only).
    public private(set) var communicationSeconds = 0.0

    /// The lexical shortlist stored with the model (learned from the training pairs before training;
    /// nil for none).
    public var shortlist: IBMModel1.Settings? = IBMModel1.Settings()
    public private(set) var vocabularies: VocabularySet!
    /// Memory at the end of each phase so far (see ResourceUsage); also in the log as "memory" rows.
    public private(set) var memory: [MemoryMark] = []
    var memoryLogged = 0
    /// The encoded training pairs, after filtering (available after `prepare`).
    public private(set) var trainPairs: [IdPair] = []
    var devSources: [String] = [], devReferences: [String] = []
    var devPairs: [IdPair] = []
    var resumeFrom: (model: Seq2Seq, adam: Adam, state: TrainingState)?
    var logHandle: FileHandle?
    /// The step of the last checkpoint written by this process.
    var lastGoodCheckpoint: Int?

    public init(data: DataSettings, config: TrainingConfig, output: OutputSettings) {
        self.data = data
        self.config = config
        self.output = output
    }

    /// Reads everything and builds the model; with `resume`, from the checkpoint (whose vocabularies and
    /// training configuration win over the ones given).
    public func prepare(resume: Bool) throws {
        data.fingerprints = try data.fingerprintFiles()
        if resume {
            if communicator.isRoot { removeStaleTemporaries() }
            let ckpt = try Checkpoint.load(output.checkpointPath)
            if let recorded = try Checkpoint.recordedData(ckpt.metadata, path: output.checkpointPath) {
                let changes = data.differences(from: recorded)
                if !changes.isEmpty && !allowNewData {
                    throw TrainingError(description: "\(output.checkpointPath): \(changes[0])\(changes.count > 1 ? " (and \(changes.count - 1) more file\(changes.count > 2 ? "s" : "") differ)" : "")")
                }
                if recorded.fingerprints == nil {
                    log("warning: \(output.checkpointPath) does not record what its files held (an older s2s wrote it), so they cannot be checked")
                }
                for change in changes { log("warning: --new-data: \(change)") }
            }
            vocabularies = try VocabularySet(metadata: ckpt.metadata)
            config = mergeBudget(into: ckpt.config)
            resumeFrom = (ckpt.model, ckpt.adam, ckpt.state)
            log("resuming from \(output.checkpointPath): step \(ckpt.state.step), epoch \(ckpt.state.epoch)")
        }
        if communicator.isRoot { try checkWritable(output.modelPath) }
        let corpus = try ParallelCorpus(sourcePath: data.trainSource, targetPath: data.trainTarget)
        if corpus.pairs.isEmpty {
            throw TrainingError(description: "\(data.trainSource) and \(data.trainTarget) hold no usable sentence pairs (\(corpus.stats.lines) lines read)")
        }
        warnSkipped(corpus.stats, what: "training")
        var train = corpus.pairs
        var dev: [CorpusPair]
        if let ds = data.devSource, let dt = data.devTarget {
            let devCorpus = try ParallelCorpus(sourcePath: ds, targetPath: dt, options: CorpusOptions(maxCharacters: nil))
            dev = devCorpus.pairs
        } else {
            // Hold out a seeded random slice of the training data.
            var rng = Rng(seed: config.seed &+ 17)
            var indices = Array(train.indices)
            shuffle(&indices, &rng)
            let n = min(data.heldOut, train.count / 10)
            let held = Set(indices.prefix(n))
            dev = indices.prefix(n).sorted().map { train[$0] }
            train = train.indices.filter { !held.contains($0) }.map { train[$0] }
            log("held out \(n) training pairs as the dev set (give --dev-src/--dev-tgt to choose one)")
        }
        if vocabularies == nil {
            if let dir = data.vocabularyDirectory {
                vocabularies = try VocabularySet(directory: dir)
                log("vocabularies from \(dir)")
            } else {
                vocabularies = try VocabularyBuilder.build(sources: train.map(\.source), targets: train.map(\.target), settings: data.vocabulary)
            }
        }
        markMemory("reading and vocabularies")
        log("vocabularies: \(vocabularies.source.count) source, \(vocabularies.target.count) target entries"
            + (vocabularies.characters ? " (characters)" : vocabularies.bpe.map { " (\($0.merges.count) joint BPE merges)" } ?? " (words)"))
        let (src, tgt) = try vocabularies.makeCodecs()
        var tooLong = 0
        trainPairs.reserveCapacity(train.count)
        for pair in train {
            let s = src.encode(pair.source).ids, t = tgt.encode(pair.target).ids
            if s.isEmpty || t.isEmpty { continue }
            if s.count > data.maxLength || t.count > data.maxLength { tooLong += 1; continue }
            trainPairs.append(IdPair(source: s, target: t))
        }
        if tooLong > 0 { log("warning: skipped \(tooLong) training pairs longer than --max-len \(data.maxLength)") }
        if trainPairs.isEmpty { throw TrainingError(description: "no training pairs left after filtering (check --max-len)") }
        devSources = dev.map(\.source)
        devReferences = dev.map(\.target)
        devPairs = dev.compactMap { pair in
            let s = src.encode(pair.source).ids, t = tgt.encode(pair.target).ids
            return s.isEmpty || t.isEmpty ? nil : IdPair(source: s, target: t)
        }
        markMemory("encoding")
        try checkSameDataEverywhere()
        log("training on \(trainPairs.count) pairs (\(trainPairs.reduce(0) { $0 + $1.target.count }) target units); dev set \(dev.count) pairs")
    }

    /// Trains until a budget or patience runs out, or `stopRequested` returns true.
    public func train(stopRequested: () -> Bool = { false }) throws -> RunSummary {
        let model: Seq2Seq, adam: Adam, state: TrainingState?
        if let r = resumeFrom {
            (model, adam, state) = (r.model, r.adam, r.state)
        } else {
            model = try Seq2Seq(config: config.modelConfig(
                sourceVocabSize: vocabularies.source.count, targetVocabSize: vocabularies.target.count))
            model.initialize(seed: config.seed)
            adam = Adam(parameterCount: model.params.count, config: config.adam)
            state = nil
            let a = model.config.architecture
            log("model: \(model.trainableParameterCount) parameters (\(a.cell.rawValue.uppercased()) cells, embed \(a.embed), hidden \(a.hidden), attention \(a.attention), \(a.encoderLayers) encoder layer\(a.encoderLayers > 1 ? "s" : "")\(a.tiedEmbeddings ? ", tied embeddings" : "")\(a.layerNorm ? ", layer norm" : "")\(a.decoderDepth > 1 ? ", decoder depth \(a.decoderDepth)" : ""))")
        }
        let trainer = Trainer(model: model, adam: adam, config: config,
                              batcher: Batcher(pairs: trainPairs, size: config.batchSize, seed: config.seed), state: state)
        var metadata = try vocabularies.metadata()
        // Validation translates as the saved model will: with its shortlist (and int8 where available).
        let translator = try Translator(model: model, vocabularies: vocabularies)
        // Every rank learns it (the same list from the same data), so none waits for the root in a
        // collective with a watchdog while it does.
        if let settings = shortlist {
            let started = Date()
            let list = IBMModel1.shortlist(pairs: trainPairs, sourceVocabSize: vocabularies.source.count,
                                           targetVocabSize: vocabularies.target.count, settings: settings)
            metadata[Shortlist.metadataKey] = list.encoded()
            translator.shortlist = list
            releaseFreedMemory()
            markMemory("shortlist")
            log("shortlist: \(settings.pieces) target pieces per source piece and the \(list.frequent.count) most frequent (IBM Model 1, \(String(format: "%.1f", Date().timeIntervalSince(started))) s)")
        }
        trainer.communicator = communicator
        defer { communicationSeconds = trainer.communicationSeconds }
        guard communicator.isRoot else { return try trainOtherRank(trainer, stopRequested: stopRequested) }
        openLog()
        defer { try? logHandle?.close() }
        writeMemoryMarks()
        trainer.validate = { [unowned self] model in
            self.markMemoryOnce("training to the first validation")
            let result = try self.validate(model, translator: translator)
            self.markMemoryOnce("the first validation")
            return result
        }
        trainer.saveBest = { [unowned self] t in
            var meta = metadata
            meta[Checkpoint.Key.config] = try Checkpoint.json(t.config)
            meta[Checkpoint.Key.summary] = try Checkpoint.json(Checkpoint.TrainingSummary(t.state))
            try ModelFile.save(t.model, metadata: meta, to: self.output.modelPath)
        }
        trainer.saveCheckpoint = { [unowned self] t in
            var meta = metadata
            meta[Checkpoint.Key.data] = try Checkpoint.json(self.data)
            do {
                try Checkpoint.save(t, metadata: meta, to: self.output.checkpointPath)
                self.lastGoodCheckpoint = t.state.step
            } catch {
                let kept = self.lastGoodCheckpoint.map { "the checkpoint of step \($0) is kept there" }
                    ?? (self.resumeFrom != nil ? "the checkpoint it resumed from is kept there" : "no checkpoint was saved before")
                throw TrainingError(description: "\(error); \(kept)")
            }
        }
        trainer.onEvent = { [unowned self, unowned trainer] event in
            // The first progress report, about a second in, unless a validation came first (tiny runs).
            if case .progress = event, !self.memory.contains(where: { $0.phase == "training to the first validation" }) {
                self.markMemoryOnce("the first steps")
            }
            self.record(event, trainSeconds: trainer.state.trainSeconds)
            self.onEvent(event)
        }
        let wallStart = Date(), pairsBefore = trainer.state.sentencePairs
        var reason = try trainer.run(stopRequested: stopRequested)
        if reason != .interrupted {
            // A last validation unless one just happened, so the saved model reflects the end of training.
            if config.validEvery == 0 || trainer.state.step % config.validEvery != 0 || trainer.state.bestScore == nil {
                if try trainer.validateNow() { reason = .earlyStopping }
            }
            try trainer.saveCheckpoint?(trainer)
        }
        if let reason = trainer.unsavedBest {
            throw TrainingError(description: "the best model (dev BLEU \(String(format: "%.2f", trainer.state.bestScore ?? 0))) could not be written: \(reason); the last checkpoint is \(output.checkpointPath)")
        }
        let final = trainer.state
        let summary = RunSummary(reason: reason, steps: final.step, epochs: final.epoch, trainSeconds: final.trainSeconds,
                                 targetTokens: final.targetTokens, sentencePairs: final.sentencePairs,
                                 bestBLEU: final.bestScore, peakRSSMB: peakResidentMegabytes())
        recordSummary(summary, wallSeconds: Date().timeIntervalSince(wallStart), wallPairs: final.sentencePairs - pairsBefore)
        return summary
    }

    /// A rank other than 0: the same steps, none of the validating, saving and logging.
    func trainOtherRank(_ trainer: Trainer, stopRequested: () -> Bool) throws -> RunSummary {
        let reason = try trainer.run(stopRequested: stopRequested)
        let s = trainer.state
        return RunSummary(reason: reason, steps: s.step, epochs: s.epoch, trainSeconds: s.trainSeconds, targetTokens: s.targetTokens,
                          sentencePairs: s.sentencePairs, bestBLEU: nil, peakRSSMB: peakResidentMegabytes())
    }

    /// Every rank reads the corpus and builds the vocabularies on its own; they must all have the same
    /// ones, or the summed gradients would mix different models. One hash of both, compared everywhere.
    func checkSameDataEverywhere() throws {
        guard communicator.size > 1 else { return }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        func mix(_ v: UInt64) { hash = (hash ^ v) &* 0x100_0000_01B3 }
        for (key, value) in try vocabularies.metadata().sorted(by: { $0.key < $1.key }) {
            for b in key.utf8 { mix(UInt64(b)) }
            for b in value.utf8 { mix(UInt64(b)) }
        }
        for pair in trainPairs + devPairs {
            for id in pair.source { mix(UInt64(UInt32(bitPattern: id))) }
            mix(0xFFFF_FFFF)
            for id in pair.target { mix(UInt64(UInt32(bitPattern: id))) }
        }
        guard try communicator.allAgree(on: hash) else {
            throw TrainingError(description: "the training processes read different data or built different vocabularies: every host needs the same files at the same paths (\(data.trainSource), \(data.trainTarget))")
        }
    }

    /// Dev loss (teacher forced, no dropout) and greedy dev BLEU/chrF.
    func validate(_ model: Seq2Seq, translator: Translator) throws -> ValidationResult {
        let ws = Workspace(model: model)
        var sums = LossSums()
        var rng = Rng(seed: 0)
        let sorted = devPairs.indices.sorted { devPairs[$0].source.count < devPairs[$1].source.count }
        var start = 0
        // Small batches: a forward pass keeps tanh(q + k) for every (target, source) position pair,
        // [T, S, B, A] floats, which for 64 long dev sentences is 160 MB on top of training's own memory.
        let devBatch = 16
        while start < sorted.count {
            let idx = Array(sorted[start..<min(sorted.count, start + devBatch)])
            let batch = Batch(sources: idx.map { devPairs[$0].source }, targets: idx.map { devPairs[$0].target })
            let s = model.forward(batch, workspace: ws, options: PassOptions(), rng: &rng)
            sums.nll += s.nll
            sums.tokens += s.tokens
            start += idx.count
        }
        var options = TranslationOptions()
        options.beam = 1
        // Batches of 64, not 256: the search's encoder buffers grow with the batch, and validation's
        // memory adds to training's (measured: the peak rose by 300 MB at the first validation with 256).
        options.batchSize = 64
        defer { translator.releaseBuffers() }
        // Dev pairs are aligned sentence by sentence, as training pairs are: scored as trained, and as
        // earlier runs were (on Tatoeba dev the split gives the same BLEU, 46.77 at beam 5).
        options.splitSentences = false
        let hypotheses = translator.translate(devSources, options: options).map(\.text)
        let bleu = try BLEU.corpusScore(hypotheses: hypotheses, references: devReferences)
        let chrf = try CHRF.corpusScore(hypotheses: hypotheses, references: devReferences)
        return ValidationResult(loss: sums.nll / Double(max(sums.tokens, 1)), bleu: bleu.score, chrf: chrf.score)
    }

    /// On resume, a budget given on the command line (minutes, epochs, steps) replaces the checkpoint's.
    var budgetOverride: (minutes: Double?, epochs: Int?, steps: Int?) = (nil, nil, nil)
    public func overrideBudget(minutes: Double?, epochs: Int?, steps: Int? = nil) { budgetOverride = (minutes, epochs, steps) }
    func mergeBudget(into saved: TrainingConfig) -> TrainingConfig {
        var c = saved
        if let m = budgetOverride.minutes { c.minutes = m }
        if let e = budgetOverride.epochs { c.epochs = e }
        if let s = budgetOverride.steps { c.steps = s }
        return c
    }

    /// Temp files that a killed run left beside the model and checkpoint (AtomicFile names them
    /// "<file>.tmp-<pid>-<random>"): removed when their process is gone.
    func removeStaleTemporaries() {
        for file in [output.modelPath, output.checkpointPath] {
            let dir = (file as NSString).deletingLastPathComponent, base = (file as NSString).lastPathComponent + ".tmp-"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
            for name in names where name.hasPrefix(base) {
                guard let pid = name.dropFirst(base.count).split(separator: "-").first.flatMap({ Int32($0) }),
                      kill(pid, 0) != 0 && errno == ESRCH else { continue }
                try? FileManager.default.removeItem(atPath: dir.isEmpty ? name : dir + "/" + name)
                log("removed \(name), left by an interrupted write")
            }
        }
    }

    func checkWritable(_ path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let probe = (dir.isEmpty ? "." : dir) + "/.s2s-write-test-\(getpid())"
        guard FileManager.default.createFile(atPath: probe, contents: Data()) else {
            throw TrainingError(description: "\(path): cannot write there (the directory \(dir.isEmpty ? "." : dir) is missing or not writable)")
        }
        try? FileManager.default.removeItem(atPath: probe)
    }

    func warnSkipped(_ stats: CorpusStats, what: String) {
        var notes: [String] = []
        if stats.skippedEmpty > 0 { notes.append("\(stats.skippedEmpty) with an empty side") }
        if stats.skippedTooLong > 0 { notes.append("\(stats.skippedTooLong) overlong") }
        if !notes.isEmpty { log("warning: skipped \(notes.joined(separator: " and ")) of \(stats.lines) \(what) pairs") }
    }

    /// Notes the memory at the end of a phase (and says so, as the run's other notes).
    func markMemory(_ phase: String) {
        let mark = MemoryMark(phase)
        memory.append(mark)
        log(mark.description)
    }

    /// `markMemory` the first time a phase ends, and into the log at once.
    func markMemoryOnce(_ phase: String) {
        guard !memory.contains(where: { $0.phase == phase }) else { return }
        markMemory(phase)
        writeMemoryMarks()
    }

    /// The marks not yet in the log file (those before it opened, or since the last write).
    func writeMemoryMarks() {
        guard logHandle != nil else { return }
        for mark in memory[memoryLogged...] {
            write(["type": "memory", "time": Date().timeIntervalSince1970, "phase": mark.phase,
                   "peak_rss_mb": mark.peakMB, "rss_mb": mark.residentMB])
        }
        memoryLogged = memory.count
    }

    func openLog() {
        if !FileManager.default.fileExists(atPath: output.logPath) {
            _ = FileManager.default.createFile(atPath: output.logPath, contents: nil)
        }
        logHandle = FileHandle(forWritingAtPath: output.logPath)
        _ = try? logHandle?.seekToEnd()
    }

    /// The last row of the log: totals over the whole run (all sessions, if it was resumed), for benchmarks.
    /// wall_pairs_per_s counts this session's pairs over its wall-clock time, validations, checkpoints and
    /// the last save included; pairs_per_s counts the steps' time only.
    func recordSummary(_ s: RunSummary, wallSeconds: Double, wallPairs: Int) {
        markMemoryOnce("the whole run")
        let seconds = max(s.trainSeconds, 1e-9)
        write(["type": "summary", "time": Date().timeIntervalSince1970, "train_seconds": s.trainSeconds,
               "reason": s.reason.rawValue, "step": s.steps, "epoch": s.epochs, "target_tokens": s.targetTokens,
               "sentence_pairs": s.sentencePairs, "tok_per_s": Double(s.targetTokens) / seconds,
               "pairs_per_s": Double(s.sentencePairs) / seconds, "best_dev_bleu": s.bestBLEU ?? 0,
               "peak_rss_mb": s.peakRSSMB, "wall_seconds": wallSeconds,
               "wall_pairs_per_s": Double(wallPairs) / max(wallSeconds, 1e-9)])
    }

    func write(_ row: [String: Any]) {
        if let data = try? JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]) {
            logHandle?.write(data + Data("\n".utf8))
        }
    }

    func record(_ event: TrainingEvent, trainSeconds: Double) {
        var row: [String: Any] = ["time": Date().timeIntervalSince1970, "train_seconds": trainSeconds]
        switch event {
        case .progress(let p):
            row.merge(["type": "progress", "step": p.step, "epoch": p.epoch, "loss": p.loss, "ppl": p.perplexity,
                       "tok_per_s": p.tokensPerSecond, "lr": Double(p.learningRate)]) { $1 }
        case .validated(let v, let step, let improved, let lr):
            row.merge(["type": "validation", "step": step, "dev_loss": v.loss, "dev_ppl": exp(v.loss), "dev_bleu": v.bleu,
                       "dev_chrf": v.chrf ?? 0, "improved": improved, "lr": Double(lr)]) { $1 }
        case .checkpointed(let seconds):
            row.merge(["type": "checkpoint", "seconds": seconds]) { $1 }
        case .saveFailed(let step, let reason):
            row.merge(["type": "save_failed", "step": step, "reason": reason]) { $1 }
        case .skippedBatch(let step, let reason):
            row.merge(["type": "skipped", "step": step, "reason": reason]) { $1 }
        }
        write(row)
    }
}
