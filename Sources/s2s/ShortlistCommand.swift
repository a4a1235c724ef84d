// `s2s shortlist`: learn (or relearn, with other sizes) a model's lexical shortlist from parallel text and
// store it in the model file. `s2s train` already stores one learned from its training data; this command
// is for choosing other sizes, or adding one to a model trained before shortlists existed.
import ArgumentParser
import Foundation
import S2SDecode
import S2SNet
import S2SText
import S2STrain

struct ShortlistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shortlist",
        abstract: "Learn which target pieces each source piece may become, so translation scores only those.",
        usage: "s2s shortlist --model <path> [<options>] <source> <target>",
        discussion: """
            Learns IBM Model 1 translation probabilities between the model's source and target pieces \
            from parallel text (normally the training data), keeps each source piece's --pieces most \
            likely target pieces and the --frequent most frequent target pieces, and stores them in the \
            model file (rewritten in place, atomically, or written to --output):
              s2s shortlist --model model.s2s train.en train.fr

            When translating, each batch's output layer is restricted to the union of its source \
            pieces' lists and the frequent pieces, which makes search faster at a small cost in BLEU \
            (measured in the README). `s2s train` stores a shortlist learned from its training data \
            with the default sizes; `s2s translate --no-shortlist` scores every piece.
            """
    )

    @Option(help: ArgumentHelp("The model file to add the shortlist to.", valueName: "path"))
    var model: String

    @Option(help: ArgumentHelp("Where to write the model with its shortlist (default: replace --model).", valueName: "path"))
    var output: String?

    @Option(help: "Target pieces kept per source piece (K).")
    var pieces = IBMModel1.Settings().pieces

    @Option(help: "Most frequent target pieces always scored (N).")
    var frequent = IBMModel1.Settings().frequent

    @Option(help: "Expectation–maximisation iterations of IBM Model 1.")
    var iterations = IBMModel1.Settings().iterations

    @Argument(help: ArgumentHelp("Parallel text: source and target files, one sentence per line.", valueName: "source"))
    var source: String

    @Argument(help: ArgumentHelp("", valueName: "target"))
    var target: String

    func validate() throws {
        if pieces < 1 { throw ValidationError("--pieces must be at least 1") }
        if frequent < 0 { throw ValidationError("--frequent must be 0 or more") }
        if iterations < 1 { throw ValidationError("--iterations must be at least 1") }
    }

    func run() throws {
        let started = Date()
        let (loaded, metadata) = try ModelFile.load(model)
        let vocabularies: VocabularySet
        do { vocabularies = try VocabularySet(metadata: metadata) } catch {
            throw ModelFile.LoadError.badConfig(path: model, detail: "its vocabularies are unreadable: \(error)")
        }
        let (src, tgt) = try vocabularies.makeCodecs()
        let corpus = try ParallelCorpus(sourcePath: source, targetPath: target)
        if corpus.pairs.isEmpty {
            throw ValidationError("\(source) and \(target) hold no usable sentence pairs (\(corpus.stats.lines) lines read)")
        }
        let pairs = corpus.pairs.compactMap { pair -> IdPair? in
            let s = src.encode(pair.source).ids, t = tgt.encode(pair.target).ids
            return s.isEmpty || t.isEmpty ? nil : IdPair(source: s, target: t)
        }
        let encoded = Date()
        let shortlist = IBMModel1.shortlist(
            pairs: pairs, sourceVocabSize: loaded.config.sourceVocabSize, targetVocabSize: loaded.config.targetVocabSize,
            settings: IBMModel1.Settings(pieces: pieces, frequent: frequent, iterations: iterations))
        var meta = metadata
        meta[Shortlist.metadataKey] = shortlist.encoded()
        let destination = output ?? model
        try ModelFile.save(loaded, metadata: meta, to: destination)
        let seen = shortlist.lists.filter { !$0.isEmpty }
        let mean = Double(seen.reduce(0) { $0 + $1.count }) / Double(max(1, seen.count))
        FileHandle.standardError.write(Data((
            "shortlist of \(pairs.count) pairs: \(String(format: "%.1f", mean)) target pieces per source piece seen (at most \(pieces)), "
            + "\(shortlist.frequent.count) frequent; encoding \(String(format: "%.1f", encoded.timeIntervalSince(started))) s, "
            + "IBM Model 1 \(String(format: "%.1f", Date().timeIntervalSince(encoded))) s; written to \(destination)\n").utf8))
    }
}
