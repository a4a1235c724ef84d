// `s2s vocab`: builds the source and target vocabularies (and optionally joint BPE merges)
// from a parallel training corpus and writes them to a directory for `s2s train`.
import ArgumentParser
import Foundation
import S2SText

extension TextUnits: ExpressibleByArgument {}

struct Vocab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab",
        abstract: "Build source and target vocabularies (optionally with BPE subwords) from a parallel corpus.",
        discussion: """
            SRC and TGT are line-aligned UTF-8 files: line N of TGT translates line N of SRC. Each line \
            is normalised (Unicode NFC) and split into words, numbers and punctuation marks with ICU's \
            word rules for its language. French elisions become their own tokens (l'|homme, qu'|est; \
            "aujourd'hui" stays whole), English contractions split Penn-style (do|n't, I|'m, ca|n't). \
            Where two tokens touch without a space, a joiner mark ￭ records it ("français" "￭."), so \
            the text can be rebuilt exactly from the tokens.

            With --bpe N, N merges of byte-pair encoding are learned over both languages at once \
            (joint BPE), and words are split into subwords ("incroyable" → "incroy@@" "able"), so a \
            rare word becomes known pieces instead of <unk>. A few thousand merges suit a corpus of \
            ~100k sentence pairs. With --units char, words are split into characters instead (ICU \
            grapheme clusters: a letter with its accents, or an emoji, is one unit).

            The vocabularies keep tokens seen at least --min-count times, most frequent first, at most \
            --max-size entries counting the 4 specials <pad> <unk> <s> </s>.

            The output directory holds src.vocab and tgt.vocab ("token<TAB>count" per line), \
            bpe.merges (with --bpe) and vocab.json (languages and settings). `s2s train` reads it.

            Examples:
              s2s vocab Corpora/bundled/train.en Corpora/bundled/train.fr --out vocab
              s2s vocab train.en train.fr --out vocab --bpe 8000 --min-count 2
              s2s vocab a.en a.fr --out vocab --bpe 8000 --dev-src dev.en --dev-tgt dev.fr
            """
    )

    @Argument(help: ArgumentHelp("Source-language training text, one sentence per line; - reads standard input.", valueName: "src"))
    var sourcePath: String

    @Argument(help: ArgumentHelp("Target-language training text, line-aligned with <src>; - reads standard input.", valueName: "tgt"))
    var targetPath: String

    @Option(name: .long, help: ArgumentHelp("Directory to write the vocabularies to (created if missing).", valueName: "dir"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Keep tokens seen at least this many times; rarer ones become <unk>.", valueName: "n"))
    var minCount: Int = 1

    @Option(name: .long, help: ArgumentHelp("Largest vocabulary per side, the 4 specials included (default: no limit).", valueName: "n"))
    var maxSize: Int?

    @Option(name: .long, help: ArgumentHelp("Learn this many joint BPE merges and use subwords (default: whole words).", valueName: "merges"))
    var bpe: Int?

    @Option(name: .long, help: ArgumentHelp("Use the merges of an existing bpe.merges file instead of learning them.", valueName: "file"))
    var bpeMerges: String?

    @Option(name: .long, help: ArgumentHelp("Units: word (whole words), bpe (with --bpe or --bpe-merges) or char (characters). Default: bpe when merges are given, else word.", valueName: "units"))
    var units: TextUnits?

    @Flag(name: .long, help: "Lowercase both sides before tokenizing.")
    var lowercase = false

    @Option(name: .long, help: ArgumentHelp("Source language code (default: the extension of <src> if it is two letters, else en).", valueName: "code"))
    var srcLang: String?

    @Option(name: .long, help: ArgumentHelp("Target language code (default: the extension of <tgt> if it is two letters, else fr).", valueName: "code"))
    var tgtLang: String?

    @Option(name: .long, help: ArgumentHelp("Skip training pairs with a side longer than this many characters.", valueName: "n"))
    var maxChars: Int = 1000

    @Option(name: .long, help: ArgumentHelp("Held-out source text: also report its <unk> rate (with --dev-tgt).", valueName: "file"))
    var devSrc: String?

    @Option(name: .long, help: ArgumentHelp("Held-out target text, line-aligned with --dev-src.", valueName: "file"))
    var devTgt: String?

    /// Prints how long each stage takes (used for the benchmark figures).
    @Flag(name: .long, help: .hidden)
    var time = false

    func validate() throws {
        if minCount < 1 { throw ValidationError("--min-count must be at least 1") }
        if let maxSize, maxSize < Vocabulary.specials.count {
            throw ValidationError("--max-size must be at least \(Vocabulary.specials.count) (the specials <pad> <unk> <s> </s>)")
        }
        if let bpe, bpe < 1 { throw ValidationError("--bpe must be a positive number of merges (e.g. 8000)") }
        if bpe != nil && bpeMerges != nil { throw ValidationError("give either --bpe N (learn merges) or --bpe-merges FILE (reuse them), not both") }
        let merges = bpe != nil || bpeMerges != nil
        if units == .bpe && !merges { throw ValidationError("--units bpe needs --bpe N (merges to learn) or --bpe-merges FILE") }
        if let units, units != .bpe, merges { throw ValidationError("--bpe and --bpe-merges make BPE units; they do not go with --units \(units.rawValue)") }
        if maxChars < 1 { throw ValidationError("--max-chars must be at least 1") }
        if (devSrc == nil) != (devTgt == nil) { throw ValidationError("--dev-src and --dev-tgt go together") }
        if [sourcePath, targetPath, devSrc, devTgt].filter({ $0 == "-" }).count > 1 {
            throw ValidationError("only one file can be - (standard input)")
        }
    }

    func run() throws {
        let sourceOptions = TokenizerOptions(language: srcLang ?? Self.language(of: sourcePath, fallback: "en"), lowercase: lowercase)
        let targetOptions = TokenizerOptions(language: tgtLang ?? Self.language(of: targetPath, fallback: "fr"), lowercase: lowercase)
        let sourceTokenizer = try Tokenizer(sourceOptions)
        let targetTokenizer = try Tokenizer(targetOptions)
        let corpusOptions = CorpusOptions(maxCharacters: maxChars)
        let clock = ContinuousClock()

        if time { try benchmark(sourceTokenizer, targetTokenizer, corpusOptions) }

        // 1. Pieces and their counts, per side.
        var start = clock.now
        var sourceCounts: [String: Int] = [:], targetCounts: [String: Int] = [:]
        var pieces: [String] = []
        let reader = try ParallelCorpusReader(sourcePath: sourcePath, targetPath: targetPath, options: corpusOptions)
        while let pair = try reader.next() {
            pieces.removeAll(keepingCapacity: true)
            sourceTokenizer.appendPieces(of: pair.source, to: &pieces)
            for piece in pieces { sourceCounts[piece, default: 0] += 1 }
            pieces.removeAll(keepingCapacity: true)
            targetTokenizer.appendPieces(of: pair.target, to: &pieces)
            for piece in pieces { targetCounts[piece, default: 0] += 1 }
        }
        let stats = reader.stats
        guard stats.kept > 0 else {
            throw TextError(.badFormat, "\(sourcePath) and \(targetPath) have no usable sentence pairs (\(stats.lines) lines read)")
        }
        print("read \(stats.kept) sentence pairs from \(sourcePath) and \(targetPath)")
        Self.warn(about: stats, maxChars: maxChars)
        report("read + tokenize + count", since: start)

        // 2–3. Joint BPE (learned over both sides' pieces, or read), then vocabularies over the final
        // units (subwords with BPE, pieces without).
        start = clock.now
        var settings = VocabularySettings()
        settings.sourceLanguage = sourceOptions.language
        settings.targetLanguage = targetOptions.language
        settings.lowercase = lowercase
        settings.minCount = minCount
        settings.maxSize = maxSize
        settings.bpeMerges = bpe
        settings.characters = units == .char
        let given = try bpeMerges.map { try BPE(contentsOfFile: $0) }
        let set = try VocabularyBuilder.build(pieceCounts: (sourceCounts, targetCounts), settings: settings, bpe: given)
        let merges = set.bpe
        if let bpe, let learned = merges {
            print("learned \(learned.merges.count) BPE merge\(learned.merges.count == 1 ? "" : "s") over both languages" + (learned.merges.count < bpe ? " (no pair occurs twice any more)" : ""))
        } else if let bpeMerges, let merges {
            print("using \(merges.merges.count) BPE merges from \(bpeMerges)")
        }
        let sourceVocabulary = set.source, targetVocabulary = set.target
        try set.save(toDirectory: out)
        report("BPE, vocabularies + save", since: start)

        // 4. How much of the text each vocabulary covers.
        let codecs = try set.makeCodecs()
        let unit = merges == nil ? "tokens" : "subwords"
        for (name, options, vocabulary, codec, counts) in [
            ("source", sourceOptions, sourceVocabulary, codecs.source, sourceCounts),
            ("target", targetOptions, targetVocabulary, codecs.target, targetCounts),
        ] {
            var total = 0, unknown = 0
            for (piece, count) in counts {
                let ids = codec.encode(pieces: CollectionOfOne(piece)).ids
                total += ids.count * count
                unknown += ids.reduce(0) { $0 + ($1 == Vocabulary.unk ? 1 : 0) } * count
            }
            print("\(name) (\(options.language)): \(vocabulary.count) entries; <unk> \(Self.percent(unknown, total)) of training \(unit)")
        }
        if time {
            // What training pays per epoch to turn text into ids (caches warm after the first pass).
            let corpus = try ParallelCorpus(sourcePath: sourcePath, targetPath: targetPath, options: corpusOptions)
            for pass in 1...2 {
                start = clock.now
                var ids = 0
                for pair in corpus.pairs { ids += codecs.source.encode(pair.source).ids.count + codecs.target.encode(pair.target).ids.count }
                report("TextCodec.encode both sides, pass \(pass) (\(ids) ids)", since: start)
            }
        }
        if let devSrc, let devTgt {
            start = clock.now
            let dev = try ParallelCorpusReader(sourcePath: devSrc, targetPath: devTgt, options: CorpusOptions(maxCharacters: nil))
            var totals = [0, 0], unknowns = [0, 0]
            while let pair = try dev.next() {
                for (side, ids) in [codecs.source.encode(pair.source).ids, codecs.target.encode(pair.target).ids].enumerated() {
                    totals[side] += ids.count
                    unknowns[side] += ids.reduce(0) { $0 + ($1 == Vocabulary.unk ? 1 : 0) }
                }
            }
            print("held-out \(devSrc): <unk> \(Self.percent(unknowns[0], totals[0])) of \(unit)")
            print("held-out \(devTgt): <unk> \(Self.percent(unknowns[1], totals[1])) of \(unit)")
            report("held-out encoding", since: start)
        }
        print("wrote \(out)/: \(VocabularySet.sourceFile), \(VocabularySet.targetFile)"
              + (merges == nil ? "" : ", \(VocabularySet.mergesFile)") + ", \(VocabularySet.manifestFile)")
    }

    /// --time: times reading alone, then the model-facing and exact tokenizations of both sides.
    private func benchmark(_ source: Tokenizer, _ target: Tokenizer, _ options: CorpusOptions) throws {
        let clock = ContinuousClock()
        var start = clock.now
        let corpus = try ParallelCorpus(sourcePath: sourcePath, targetPath: targetPath, options: options)
        report("load corpus (\(corpus.pairs.count) pairs)", since: start)
        start = clock.now
        var pieces: [String] = []
        var count = 0
        for pair in corpus.pairs {
            pieces.removeAll(keepingCapacity: true)
            source.appendPieces(of: pair.source, to: &pieces)
            target.appendPieces(of: pair.target, to: &pieces)
            count += pieces.count
        }
        report("tokenize both sides to pieces (\(count) pieces)", since: start)
        start = clock.now
        count = 0
        for pair in corpus.pairs {
            count += source.tokenize(pair.source).tokens.count + target.tokenize(pair.target).tokens.count
        }
        report("tokenize both sides to exact tokens (\(count) tokens)", since: start)
    }

    private func report(_ stage: String, since start: ContinuousClock.Instant) {
        guard time else { return }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        FileHandle.standardError.write(Data("time: \(stage): \(String(format: "%.3f", seconds)) s\n".utf8))
    }

    /// "train.fr" → "fr"; anything but a two-letter extension gives `fallback`.
    static func language(of path: String, fallback: String) -> String {
        let ext = (path as NSString).pathExtension.lowercased()
        return ext.count == 2 && ext.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) ? ext : fallback
    }

    private static func warn(about stats: CorpusStats, maxChars: Int) {
        var notes: [String] = []
        if stats.skippedEmpty > 0 { notes.append("\(stats.skippedEmpty) with an empty side") }
        if stats.skippedTooLong > 0 { notes.append("\(stats.skippedTooLong) with a side over \(maxChars) characters (see --max-chars)") }
        if !notes.isEmpty {
            FileHandle.standardError.write(Data("warning: skipped \(notes.joined(separator: " and ")) of \(stats.lines) pairs\n".utf8))
        }
    }

    /// "0.012% (3 of 24567)"
    private static func percent(_ part: Int, _ whole: Int) -> String {
        String(format: "%.3f%% (%d of %d)", whole == 0 ? 0 : 100 * Double(part) / Double(whole), part, whole)
    }
}
