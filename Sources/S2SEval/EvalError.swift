// The errors of S2SEval: what went wrong and how to fix it, in one line.

/// Errors thrown while reading evaluation files or scoring.
public enum EvalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `corpusScore` was given no reference stream at all.
    case noReferences
    /// Reference stream `stream` (0-based) has `segments` entries but there are `hypotheses` hypotheses.
    case referenceCountMismatch(stream: Int, segments: Int, hypotheses: Int)
    /// A file could not be read.
    case cannotRead(path: String, reason: String)
    /// Line `line` (1-based) of `path` is not valid UTF-8; `byte` is the 1-based offset in that line.
    case invalidUTF8(path: String, line: Int, byte: Int)
    /// Line `line` of `path` has no partner in `otherPath`, which has only `otherLines` lines.
    case lineCountMismatch(path: String, line: Int, otherPath: String, otherLines: Int)

    public var description: String {
        switch self {
        case .noReferences:
            return "no references given: pass at least one reference stream, one segment per hypothesis"
        case let .referenceCountMismatch(stream, segments, hypotheses):
            return "reference stream \(stream + 1) has \(segments) segments but there are \(hypotheses) "
                + "hypotheses: every reference stream needs exactly one segment per hypothesis"
        case let .cannotRead(path, reason):
            return "\(path): cannot read: \(reason)"
        case let .invalidUTF8(path, line, byte):
            return "\(path):\(line): invalid UTF-8 at byte \(byte) of the line; save the file as UTF-8 "
                + "(for Latin-1 text: iconv -f latin1 -t utf-8)"
        case let .lineCountMismatch(path, line, otherPath, otherLines):
            return "\(path):\(line): no matching line in \(otherPath), which has only \(otherLines) "
                + "line\(otherLines == 1 ? "" : "s"); hypothesis and reference files must be line-aligned"
        }
    }
}
