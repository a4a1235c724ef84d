// What a training run read, recorded in its checkpoints, so that `s2s train --resume` continues on the
// same data: without files it reuses the recorded ones, and given files that differ from them it stops
// unless --new-data says the change is wanted. A file is known by its size and a hash of its contents
// (not its modification time, which a copy to another machine changes while the data stays the same).
import Foundation

public struct DataFingerprint: Codable, Equatable, Sendable {
    public var path: String
    public var bytes: Int
    /// FNV-1a (64 bit) of the contents, in hex: cheap, and plenty to tell two corpora apart.
    public var hash: String

    /// Reads `path` once, in 1 MB chunks. Nil for what cannot be read twice (standard input, pipes).
    public static func of(_ path: String) throws -> DataFingerprint? {
        var info = stat()
        guard path != "-" else { return nil }
        guard stat(path, &info) == 0 else { throw TrainingError(description: "\(path): \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TrainingError(description: "\(path): cannot read it")
        }
        defer { try? handle.close() }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325, bytes = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { raw in
                for b in raw { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
            }
            bytes += chunk.count
        }
        return DataFingerprint(path: path, bytes: bytes, hash: String(hash, radix: 16))
    }

    /// Same contents (wherever the file now lives).
    public func sameContents(as other: DataFingerprint) -> Bool { bytes == other.bytes && hash == other.hash }
}

extension DataSettings {
    /// The files in the order their roles are named by `roles`.
    var files: [String?] { [trainSource, trainTarget, devSource, devTarget] }
    static let roles = ["training source", "training target", "dev source", "dev target"]

    /// Fingerprints of the files (nil where a role has no file, or the file is a stream).
    func fingerprintFiles() throws -> [DataFingerprint?] {
        try files.map { try $0.flatMap { try DataFingerprint.of($0) } }
    }

    /// How this run's data differs from `recorded`'s, role by role (empty when it is the same).
    func differences(from recorded: DataSettings) -> [String] {
        guard let old = recorded.fingerprints, let new = fingerprints, old.count == new.count else { return [] }
        var out: [String] = []
        for (k, (was, now)) in zip(old, new).enumerated() {
            switch (was, now) {
            case (nil, nil): continue
            case let (w?, n?) where w.sameContents(as: n): continue
            case let (w?, n?) where w.path == n.path:
                out.append("\(Self.roles[k]) \(n.path) has changed since the run was trained on it (\(w.bytes) bytes then, \(n.bytes) now); add --new-data to train on it as it is")
            case let (w?, n?):
                out.append("\(Self.roles[k]) \(n.path) (\(n.bytes) bytes) is not the \(w.path) (\(w.bytes) bytes) the run was trained on; resume without files to continue on that one, or add --new-data to train on this one")
            case let (w?, nil): out.append("\(Self.roles[k]): the run was trained with \(w.path), now none is given; add --new-data to go on without it")
            case let (nil, n?): out.append("\(Self.roles[k]) \(n.path) is new: the run was trained without one; add --new-data to use it")
            }
        }
        return out
    }
}
