// Reading evaluation files: UTF-8 text, one segment per line, hypotheses aligned with references.
//
// Lines are split on "\n" only, as sacreBLEU's own reader does (Python's open(..., newline="\n")):
// a final "\n" does not start an extra line, "\r" stays in the line (both metrics treat it as
// whitespace), and a byte-order mark is kept as a character, as Python's "utf-8" codec keeps it.
import Foundation

/// Line-aligned hypotheses and references, ready for `BLEU.corpusScore` / `CHRF.corpusScore`.
public struct AlignedSegments: Equatable, Sendable {
    /// One hypothesis per segment.
    public let hypotheses: [String]
    /// `referenceStreams[r][i]`: the r-th reference of segment i.
    public let referenceStreams: [[String]]

    /// Reads a hypothesis file and one or more reference files, and checks they have the same
    /// number of lines. Errors name the file and the first line without a partner.
    public static func read(hypothesisPath: String, referencePaths: [String]) throws(EvalError) -> AlignedSegments {
        guard !referencePaths.isEmpty else { throw .noReferences }
        return try aligning(
            hypotheses: TextLines.read(path: hypothesisPath), from: hypothesisPath, referencePaths: referencePaths)
    }

    /// Pairs hypotheses already read (e.g. from standard input; `hypothesisPath` names them in
    /// errors) with reference files, checking that the line counts agree.
    public static func aligning(
        hypotheses: [String], from hypothesisPath: String, referencePaths: [String]
    ) throws(EvalError) -> AlignedSegments {
        guard !referencePaths.isEmpty else { throw .noReferences }
        var references: [[String]] = []
        for path in referencePaths {
            let lines = try TextLines.read(path: path)
            if lines.count > hypotheses.count {
                throw .lineCountMismatch(
                    path: path, line: hypotheses.count + 1, otherPath: hypothesisPath, otherLines: hypotheses.count)
            }
            if lines.count < hypotheses.count {
                throw .lineCountMismatch(
                    path: hypothesisPath, line: lines.count + 1, otherPath: path, otherLines: lines.count)
            }
            references.append(lines)
        }
        return AlignedSegments(hypotheses: hypotheses, referenceStreams: references)
    }

    public init(hypotheses: [String], referenceStreams: [[String]]) {
        self.hypotheses = hypotheses
        self.referenceStreams = referenceStreams
    }
}

/// Splitting UTF-8 text into lines, with errors that give the file and line.
public enum TextLines {
    /// The lines of the UTF-8 file at `path`; "-" is standard input. Pipes and devices (/dev/stdin) are
    /// read to their end like files.
    public static func read(path: String) throws(EvalError) -> [String] {
        if path == "-" { return try readStandardInput() }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .cannotRead(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .cannotRead(path: path, reason: "it is a directory") }
        let bytes: [UInt8]
        do {
            // A file handle rather than Data(contentsOf:), which refuses what is not a regular file.
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw CocoaError(.fileReadNoPermission)
            }
            defer { try? handle.close() }
            bytes = [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw .cannotRead(path: path, reason: FileManager.default.isReadableFile(atPath: path) ? "\(error.localizedDescription)" : "permission denied")
        }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(EvalError) -> [String] in
            try split(buffer, path: path)
        }
    }

    /// The lines of standard input, read to its end; errors call it `name`.
    public static func readStandardInput(name: String = "<stdin>") throws(EvalError) -> [String] {
        let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        return try bytes.withUnsafeBufferPointer { (buffer) throws(EvalError) -> [String] in
            try split(buffer, path: name)
        }
    }

    /// The lines of UTF-8 `bytes`; `path` only names the source in errors.
    public static func split(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws(EvalError) -> [String] {
        var lines: [String] = []
        var start = 0
        let newline = UInt8(ascii: "\n")
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != newline { end += 1 }
            let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard let text = String(validating: line, as: UTF8.self) else {
                throw .invalidUTF8(path: path, line: lines.count + 1, byte: firstInvalidByte(line) + 1)
            }
            lines.append(text)
            start = end + 1
        }
        return lines
    }

    /// Offset of the first byte that does not begin a valid UTF-8 sequence.
    private static func firstInvalidByte(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error: return offset
            case .emptyInput: return offset
            }
        }
    }
}
