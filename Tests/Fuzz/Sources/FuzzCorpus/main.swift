// Fuzz target: the parallel corpus reader. The input is cut at its first 0xFF byte (never part of UTF-8)
// into a source file and a target file, which are read as `s2s train` reads them. The reader must not
// crash, and what it returns must make sense: no more pairs than lines, no empty side, line numbers in
// range and increasing.
import Foundation
import FuzzDriver
import S2SText

let base = NSTemporaryDirectory() + "/s2s-fuzz-corpus-\(getpid())"

func fuzzCorpus(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let cut = bytes.firstIndex(of: 0xFF) ?? size
    let source = Data(bytes[0..<cut]), target = cut < size ? Data(bytes[(cut + 1)...]) : Data()
    guard FileManager.default.createFile(atPath: base + ".src", contents: source),
          FileManager.default.createFile(atPath: base + ".tgt", contents: target) else { return 0 }
    for options in [CorpusOptions(), CorpusOptions(maxCharacters: nil), CorpusOptions(maxCharacters: 3)] {
        guard let corpus = try? ParallelCorpus(sourcePath: base + ".src", targetPath: base + ".tgt", options: options) else { continue }
        precondition(corpus.pairs.count <= corpus.stats.lines, "more pairs than lines")
        var previous = 0
        for pair in corpus.pairs {
            precondition(!pair.source.isEmpty && !pair.target.isEmpty, "a pair with an empty side")
            precondition(pair.line > previous && pair.line <= corpus.stats.lines, "line numbers out of order or range")
            if let limit = options.maxCharacters {
                precondition(pair.source.count <= limit && pair.target.count <= limit, "an overlong pair was kept")
            }
            previous = pair.line
        }
    }
    return 0
}

runFuzzer { data, size in fuzzCorpus(data, size) }
