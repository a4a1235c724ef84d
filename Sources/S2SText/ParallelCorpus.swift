// Reading a parallel corpus: two line-aligned UTF-8 files (line N of one translates line N
// of the other), streamed in 1 MiB chunks. Bad input is an error naming the file and line;
// empty, overlong or filtered-out pairs are skipped and counted so the CLI can warn.

/// Which pairs the reader keeps.
public struct CorpusOptions: Sendable, Equatable {
    /// Pairs where either side has more Unicode scalars than this are skipped (nil = no limit).
    public var maxCharacters: Int?

    public init(maxCharacters: Int? = 1000) {
        self.maxCharacters = maxCharacters
    }
}

/// One sentence pair. `line` is its 1-based line number in both files.
public struct CorpusPair: Sendable, Equatable {
    public var source: String
    public var target: String
    public var line: Int

    public init(source: String, target: String, line: Int) {
        self.source = source
        self.target = target
        self.line = line
    }
}

/// What the reader did with the lines.
public struct CorpusStats: Sendable, Equatable {
    /// Pairs (lines) read.
    public var lines = 0
    public var kept = 0
    /// Either side empty or only whitespace.
    public var skippedEmpty = 0
    /// Either side longer than `CorpusOptions.maxCharacters`.
    public var skippedTooLong = 0
    /// Rejected by the caller's filter (e.g. too many tokens).
    public var skippedByFilter = 0

    public init() {}
}

/// Streams pairs from two line-aligned files without holding either file in memory.
public final class ParallelCorpusReader {
    public let sourcePath: String
    public let targetPath: String
    public let options: CorpusOptions
    public private(set) var stats = CorpusStats()
    private let filter: ((_ source: String, _ target: String) -> Bool)?
    private let sourceReader: LineReader
    private let targetReader: LineReader

    /// `filter` is the hook for limits the reader cannot know, such as a maximum number of
    /// tokens: return false to skip the pair (counted in `stats.skippedByFilter`).
    public init(sourcePath: String, targetPath: String, options: CorpusOptions = CorpusOptions(),
                filter: ((_ source: String, _ target: String) -> Bool)? = nil) throws {
        self.sourcePath = sourcePath
        self.targetPath = targetPath
        self.options = options
        self.filter = filter
        sourceReader = try LineReader(path: sourcePath)
        targetReader = try LineReader(path: targetPath)
    }

    /// The next kept pair, or nil at the end of both files. Throws `.invalidUTF8` and
    /// `.lineCountMismatch` (after counting both files so the message gives both totals).
    public func next() throws -> CorpusPair? {
        while true {
            let sourceBytes = try sourceReader.nextLine()
            let targetBytes = try targetReader.nextLine()
            guard let sourceBytes, let targetBytes else {
                if sourceBytes == nil && targetBytes == nil { return nil }
                let sourceLines = sourceReader.lineNumber + (try sourceReader.countRemainingLines())
                let targetLines = targetReader.lineNumber + (try targetReader.countRemainingLines())
                throw TextError(.lineCountMismatch, "\(sourcePath) has \(sourceLines) lines but \(targetPath) has \(targetLines); the files must be line-aligned (line N of one translates line N of the other)")
            }
            stats.lines += 1
            let line = sourceReader.lineNumber
            guard let source = String(validating: sourceBytes, as: UTF8.self) else {
                throw Self.invalidUTF8(sourcePath, line)
            }
            guard let target = String(validating: targetBytes, as: UTF8.self) else {
                throw Self.invalidUTF8(targetPath, line)
            }
            if Self.isBlank(sourceBytes, source) || Self.isBlank(targetBytes, target) {
                stats.skippedEmpty += 1
                continue
            }
            if let limit = options.maxCharacters,
               (sourceBytes.count > limit && Self.scalarCount(sourceBytes) > limit)
                || (targetBytes.count > limit && Self.scalarCount(targetBytes) > limit) {
                stats.skippedTooLong += 1
                continue
            }
            if let filter, !filter(source, target) {
                stats.skippedByFilter += 1
                continue
            }
            stats.kept += 1
            return CorpusPair(source: source, target: target, line: line)
        }
    }

    private static func invalidUTF8(_ path: String, _ line: Int) -> TextError {
        TextError(.invalidUTF8, "\(path):\(line): invalid UTF-8; convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)")
    }

    /// Empty or only whitespace (Unicode White_Space).
    private static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>, _ text: String) -> Bool {
        for b in bytes {
            if b >= 0x80 { return text.unicodeScalars.allSatisfy(\.properties.isWhitespace) }
            if !(b == 0x20 || (b >= 0x09 && b <= 0x0D)) { return false }
        }
        return true
    }

    /// Unicode scalars in valid UTF-8: every byte that is not a continuation byte starts one.
    private static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        for b in bytes where b & 0xC0 != 0x80 { n += 1 }
        return n
    }
}

/// A whole parallel corpus in memory (the strings only; the files are streamed in).
public struct ParallelCorpus: Sendable {
    public var pairs: [CorpusPair]
    public var stats: CorpusStats

    /// Reads every kept pair; see `ParallelCorpusReader`.
    public init(sourcePath: String, targetPath: String, options: CorpusOptions = CorpusOptions(),
                filter: ((_ source: String, _ target: String) -> Bool)? = nil) throws {
        let reader = try ParallelCorpusReader(sourcePath: sourcePath, targetPath: targetPath, options: options, filter: filter)
        var pairs: [CorpusPair] = []
        while let pair = try reader.next() { pairs.append(pair) }
        self.pairs = pairs
        self.stats = reader.stats
    }
}
