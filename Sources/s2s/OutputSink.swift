// Where a command's text output goes: standard output, or a file that is replaced only when the command
// finishes (written to a temp file beside it, then renamed), so an interrupted run never leaves half a
// file. A reader that goes away early (`s2s translate < big.en | head -1`) ends the command quietly with
// status 0, as Unix filters do.
import Foundation

final class OutputSink {
    private let path: String?
    private let temporary: String?
    private let fd: Int32

    /// nil or "-": standard output.
    init(path: String?) throws {
        signal(SIGPIPE, SIG_IGN)  // a closed pipe becomes EPIPE on write, handled below
        guard let path, path != "-" else {
            self.path = nil; temporary = nil; fd = STDOUT_FILENO
            return
        }
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw OutputError(message: "\(path): cannot write: \(String(cString: strerror(errno)))") }
        self.path = path; self.temporary = temporary; self.fd = fd
    }

    func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE && path == nil { exit(0) }  // the reader has gone: nothing left to do
                    throw OutputError(message: "\(path ?? "standard output"): write failed: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
    }

    /// Puts a file in place (standard output needs nothing).
    func finish() throws {
        guard let path, let temporary else { return }
        guard fsync(fd) == 0 || errno == EINVAL, close(fd) == 0, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw OutputError(message: "\(path): cannot write: \(reason)")
        }
    }
}

struct OutputError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
