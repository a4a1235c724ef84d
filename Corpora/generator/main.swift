// Entry point of the corpus generator: `s2s-corpus-gen OUTPUT_DIR [--seed N] [--check-only] [--dump FILE]`.
// Builds every family, validates every pair (any problem stops the run before writing), splits,
// writes train/dev/test .en/.fr into OUTPUT_DIR and prints counts and vocabulary sizes.

import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

var args = Array(CommandLine.arguments.dropFirst())
var seed: UInt64 = 20_240_601
var checkOnly = false
var dumpPath: String?
var outDir: String?
var i = 0
while i < args.count {
    switch args[i] {
    case "--seed":
        guard i + 1 < args.count, let s = UInt64(args[i + 1]) else { fail("--seed needs a non-negative integer") }
        seed = s; i += 2
    case "--check-only":
        checkOnly = true; i += 1
    case "--dump":
        guard i + 1 < args.count else { fail("--dump needs a file path") }
        dumpPath = args[i + 1]; i += 2
    case "-h", "--help":
        print("""
        usage: s2s-corpus-gen OUTPUT_DIR [--seed N] [--check-only]
          Generates the bundled English–French corpus into OUTPUT_DIR (train/dev/test .en/.fr).
          --seed N       random seed (default 20240601); the same seed always gives the same files
          --check-only   build and validate every pair, print statistics, write nothing
          --dump FILE    also write every pair as "family<TAB>English<TAB>French" to FILE, for review
        """)
        exit(0)
    default:
        if args[i].hasPrefix("-") { fail("unknown option \(args[i]); see --help") }
        outDir = args[i]; i += 1
    }
}
if outDir == nil && !checkOnly { fail("missing OUTPUT_DIR; usage: s2s-corpus-gen OUTPUT_DIR [--seed N] [--check-only]") }

let built = CorpusPlan.build(seed: seed)
let problems = Output.validate(built)
if !problems.isEmpty {
    for p in problems.prefix(60) { FileHandle.standardError.write(Data((p + "\n").utf8)) }
    fail("\(problems.count) pair(s) failed the self-checks; nothing written")
}

if let dumpPath {
    let text = built.map { "\($0.1)\t\($0.0.en)\t\($0.0.fr)" }.joined(separator: "\n") + "\n"
    do { try Data(text.utf8).write(to: URL(fileURLWithPath: dumpPath)) } catch { fail("cannot write \(dumpPath): \(error)") }
}

var perFamily: [String: Int] = [:]
for (_, f) in built { perFamily[f, default: 0] += 1 }
let pairs = built.map(\.0)
let (train, dev, test) = Output.split(pairs, seed: seed, sizes: SplitSizes())

// The split's promise, checked rather than assumed.
let trainEn = Set(train.map(\.en))
for p in dev + test where trainEn.contains(p.en) { fail("split error: dev/test English sentence in train: \(p.en)") }
for a in Phrasebook.anchors where !train.contains(a) { fail("anchor pair missing from train: \(a.en)") }

let enVocab = Output.vocabulary(pairs.map(\.en), french: false)
let frVocab = Output.vocabulary(pairs.map(\.fr), french: true)
let lengths = pairs.map { Checks.wordTokens($0.en, french: false).count }
let short = lengths.filter { $0 >= 3 && $0 <= 12 }.count

print("pairs: \(pairs.count)  train: \(train.count)  dev: \(dev.count)  test: \(test.count)")
print("distinct English: \(Set(pairs.map(\.en)).count)  distinct French: \(Set(pairs.map(\.fr)).count)")
print("word types: English \(enVocab.count)  French \(frVocab.count)")
print("English length 3–12 words: \(short * 100 / max(pairs.count, 1))%  max: \(lengths.max() ?? 0)")
for (f, n) in perFamily.sorted(by: { $0.value > $1.value }) { print("  \(f): \(n)") }

if let outDir, !checkOnly {
    let url = URL(fileURLWithPath: outDir)
    do {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try Output.write(train, to: url, name: "train")
        try Output.write(dev, to: url, name: "dev")
        try Output.write(test, to: url, name: "test")
    } catch {
        fail("cannot write to \(outDir): \(error.localizedDescription)")
    }
    print("wrote \(outDir)/{train,dev,test}.{en,fr}")
}
