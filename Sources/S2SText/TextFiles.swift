// Plain file plumbing for S2SText: a buffered line reader that hands out byte slices (so big
// corpora are never held as one String), and atomic writes (temp file + rename) so a crash
// never leaves a half-written vocabulary behind.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file line by line through one reusable buffer. The path "-" reads standard input.
///
/// Lines are split at "\n"; one trailing "\r" is dropped; a final line without "\n" still
/// counts. A UTF-8 byte-order mark at the start of the file is skipped.
final class LineReader {
    let path: String
    private let fd: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0          // first unread byte in buffer
    private var end = 0            // one past the last valid byte in buffer
    private var atEOF = false
    /// 1-based number of the line last returned by `nextLine()`.
    private(set) var lineNumber = 0

    init(path: String, bufferSize: Int = 1 << 20) throws {
        self.path = path
        let fd = path == "-" ? dup(STDIN_FILENO) : open(path, O_RDONLY)
        guard fd >= 0 else {
            throw TextError(.io, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        buffer = .allocate(byteCount: max(bufferSize, 16), alignment: 16)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// The next line without its line break, or nil at the end of the file. The slice is only
    /// valid until the next call.
    func nextLine() throws -> UnsafeBufferPointer<UInt8>? {
        while true {
            if start < end, let base = buffer.baseAddress {
                let from = base + start
                if let hit = memchr(from, 0x0A, end - start) {
                    let newline = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                    let line = slice(start, newline)
                    start = newline + 1
                    return line
                }
            }
            if atEOF {
                guard start < end else { return nil }
                let line = slice(start, end)
                start = end
                return line
            }
            try fill()
        }
    }

    /// Counts the lines left in the file (used to report a line-count mismatch in full).
    func countRemainingLines() throws -> Int {
        var n = 0
        while try nextLine() != nil { n += 1 }
        return n
    }

    private func slice(_ from: Int, _ to: Int) -> UnsafeBufferPointer<UInt8> {
        lineNumber += 1
        var from = from, to = to
        let bytes = buffer.bindMemory(to: UInt8.self)
        if lineNumber == 1, to - from >= 3, bytes[from] == 0xEF, bytes[from + 1] == 0xBB, bytes[from + 2] == 0xBF {
            from += 3
        }
        if to > from, bytes[to - 1] == 0x0D { to -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[from..<to])
    }

    private func fill() throws {
        // Keep the unread tail, make room, read more.
        if start > 0 {
            let pending = end - start
            if pending > 0, let base = buffer.baseAddress { memmove(base, base + start, pending) }
            start = 0
            end = pending
        }
        if end == buffer.count {
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
            bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<end]))
            buffer.deallocate()
            buffer = bigger
        }
        while true {
            let n = read(fd, buffer.baseAddress! + end, buffer.count - end)
            if n < 0 {
                if errno == EINTR { continue }
                throw TextError(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { atEOF = true } else { end += n }
            return
        }
    }
}

/// Writes `text` to `path` through a temporary file in the same directory and a rename, so
/// readers see either the old file or the complete new one.
func writeFileAtomically(_ text: String, to path: String) throws {
    let temporary = path + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else {
        throw TextError(.io, "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    var failure: String?
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                return
            }
            offset += n
        }
    }
    if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
    if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
    if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
    if let failure {
        unlink(temporary)
        throw TextError(.io, "cannot write \(path): \(failure)")
    }
}

/// Reads a whole small text file (vocabularies, merges, manifests) with line-accurate UTF-8
/// validation, calling `body(line, lineNumber)` for each line.
func forEachLine(ofFile path: String, _ body: (String, Int) throws -> Void) throws {
    let reader = try LineReader(path: path)
    while let bytes = try reader.nextLine() {
        guard let line = String(validating: bytes, as: UTF8.self) else {
            throw TextError(.invalidUTF8, "\(path):\(reader.lineNumber): invalid UTF-8; save the file as UTF-8")
        }
        try body(line, reader.lineNumber)
    }
}

/// `mkdir -p`: creates `path` and its missing parents. Errors say which path failed and why.
func createDirectories(_ path: String) throws {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/") {
        prefix += component
        if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
            throw TextError(.io, "cannot create directory \(prefix): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        if stat(prefix, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
            throw TextError(.io, "cannot create directory \(path): \(prefix) exists and is not a directory")
        }
        prefix += "/"
    }
}
