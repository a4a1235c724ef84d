// Replacing a file atomically: write a uniquely named temp file in the target's directory,
// fsync it, rename it over the target, then fsync the directory. A reader (or a crash) sees
// either the old file or the complete new one, never a half-written model. On any failure the
// temp file is removed and the target is left as it was.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum AtomicFile {
    /// Where `replace` sends bytes; writes go straight to the temp file, unbuffered.
    struct Output: ~Copyable {
        fileprivate let fd: Int32
        fileprivate let path: String
        fileprivate let tempPath: String

        /// Writes all of `bytes`, in pieces of at most 1 GiB (Linux caps one write near 2 GiB).
        func append(_ bytes: UnsafeRawBufferPointer) throws(SafeTensorsError) {
            guard let base = bytes.baseAddress else { return }
            var done = 0
            while done < bytes.count {
                let n = systemWrite(fd, base + done, min(bytes.count - done, 1 << 30))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SafeTensorsError(path: path, problem: .system(operation: "write \(tempPath)", code: errno))
                }
                if n == 0 {
                    throw SafeTensorsError(path: path, problem: .system(operation: "write \(tempPath)", code: EIO))
                }
                done += n
            }
        }

        /// Writes the elements' bytes (`withUnsafeBytes` only rethrows untyped errors, hence the relay).
        func append<Element>(_ array: [Element]) throws(SafeTensorsError) {
            var failure: SafeTensorsError?
            array.withUnsafeBytes { raw in
                do throws(SafeTensorsError) { try append(raw) } catch { failure = error }
            }
            if let failure { throw failure }
        }
    }

    /// Runs `body` against a new temp file next to `path`, then makes it durable and renames it
    /// over `path`. Errors name `path` (and the temp file, where it matters).
    static func replace(_ path: String, _ body: (borrowing Output) throws(SafeTensorsError) -> Void) throws(SafeTensorsError) {
        var (fd, tempPath) = try createTemp(near: path)
        func fail(_ operation: String, _ code: Int32) -> SafeTensorsError {
            SafeTensorsError(path: path, problem: .system(operation: operation, code: code))
        }
        var renamed = false
        defer {
            if fd >= 0 { _ = systemClose(fd) }
            if !renamed { _ = tempPath.withCString { unlink($0) } }
        }
        try body(Output(fd: fd, path: path, tempPath: tempPath))
        guard fsync(fd) == 0 else { throw fail("fsync \(tempPath)", errno) }
        let closed = systemClose(fd)
        fd = -1
        guard closed == 0 else { throw fail("close \(tempPath)", errno) }
        let status = tempPath.withCString { from in path.withCString { to in rename(from, to) } }
        guard status == 0 else { throw fail("rename \(tempPath) over it", errno) }
        renamed = true
        syncDirectory(of: path)
    }

    /// Opens "<path>.tmp-<pid>-<random>" exclusively, retrying on the (unlikely) name clash.
    private static func createTemp(near path: String) throws(SafeTensorsError) -> (Int32, String) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<16 {
            let tempPath = "\(path).tmp-\(getpid())-\(String(generator.next() as UInt32, radix: 36))"
            let fd = tempPath.withCString { systemOpen($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) }
            if fd >= 0 { return (fd, tempPath) }
            if errno != EEXIST {
                throw SafeTensorsError(path: path, problem: .system(operation: "create temporary file \(tempPath)", code: errno))
            }
        }
        throw SafeTensorsError(path: path, problem: .system(operation: "create a temporary file next to it", code: EEXIST))
    }

    /// Makes the rename itself durable. Best effort: the new file is already complete and in
    /// place, and some file systems refuse fsync on directories.
    private static func syncDirectory(of path: String) {
        var directory = "."
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        }
        let fd = directory.withCString { systemOpen($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0) }
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = systemClose(fd)
    }
}

private func systemOpen(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
