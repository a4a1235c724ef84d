// The model file format: safetensors (https://huggingface.co/docs/safetensors), F32 only.
//
// Layout: an 8-byte little-endian UInt64 header length N, N bytes of UTF-8 JSON (padded with
// spaces to a multiple of 8, as the reference writer does), then the raw little-endian data.
// The JSON maps "__metadata__" to a {string: string} object and each tensor name to
// {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, offsets relative to the data.
//
// This file holds the public surface: the error type, the flat-buffer view, the validated header,
// the owned-tensor file value, and the flat-buffer read/write entry points. Parsing lives in
// SafeTensorsReader.swift, serialization in SafeTensorsWriter.swift, temp-file-and-rename in
// AtomicFile.swift.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if _endian(big)
#error("safetensors data is little-endian; s2s has no byte swapping for big-endian hosts")
#endif

/// Why a safetensors file could not be read or written. `description` is one line that starts
/// with the file's path.
public struct SafeTensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        /// A system call failed; `code` is errno.
        case system(operation: String, code: Int32)
        case notARegularFile
        /// The file ended (or was replaced) while its validated data was being read.
        case changedWhileReading
        case fileTooSmall(size: Int)
        case headerTooLarge(length: UInt64)
        /// The header length prefix points past the end of the file.
        case headerPastEnd(length: UInt64, available: Int)
        /// The header is not UTF-8 JSON of the expected shape; `offset` is a byte offset into it.
        case malformedHeader(offset: Int, detail: String)
        /// A tensor's entry lacks a field, has a field of the wrong type, or repeats.
        case invalidEntry(tensor: String, detail: String)
        case invalidMetadata(detail: String)
        case unsupportedDType(tensor: String, dtype: String)
        case byteCountMismatch(tensor: String, shape: [Int], byteCount: Int)
        case offsetsOutOfRange(tensor: String, begin: Int, end: Int, dataSize: Int)
        case overlappingTensors(tensor: String, previous: String)
        case gapBeforeTensor(tensor: String, gapBegin: Int, gapEnd: Int)
        case trailingData(covered: Int, dataSize: Int)
        /// `more` is how many other expected tensors are missing too.
        case missingTensor(name: String, more: Int)
        case shapeMismatch(tensor: String, expected: [Int], found: [Int])
        case unexpectedTensor(name: String, more: Int)
        /// The caller passed something that cannot be written (or read into).
        case invalidArgument(String)
    }

    public let path: String
    public let problem: Problem

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(message)" }

    private var message: String {
        switch problem {
        case let .system(operation, code):
            return "cannot \(operation): \(SafeTensorsError.systemMessage(code))"
        case .notARegularFile:
            return "not a regular file (is it a directory?)"
        case .changedWhileReading:
            return "file ended early while reading tensor data; was it changed or truncated during loading?"
        case let .fileTooSmall(size):
            return "file is \(size) bytes, too short for the 8-byte safetensors header length (truncated or empty file)"
        case let .headerTooLarge(length):
            return "header length \(length) exceeds the \(SafeTensors.maxHeaderLength)-byte limit (corrupt or not a safetensors file)"
        case let .headerPastEnd(length, available):
            return "header length \(length) is larger than the \(available) bytes after the length prefix (truncated or not a safetensors file)"
        case let .malformedHeader(offset, detail):
            return "malformed JSON header at byte \(offset): \(detail)"
        case let .invalidEntry(tensor, detail):
            return "tensor \(SafeTensorsError.quote(tensor)): \(detail)"
        case let .invalidMetadata(detail):
            return "__metadata__: \(detail)"
        case let .unsupportedDType(tensor, dtype):
            return "tensor \(SafeTensorsError.quote(tensor)) has dtype \(SafeTensorsError.clean(dtype)); s2s reads F32 only"
        case let .byteCountMismatch(tensor, shape, byteCount):
            let needed = SafeTensors.elementCount(shape).map { "\($0 * 4) bytes of F32" } ?? "too many elements to address"
            return "tensor \(SafeTensorsError.quote(tensor)) has shape \(shape) (\(needed)) but its data_offsets span \(byteCount) bytes"
        case let .offsetsOutOfRange(tensor, begin, end, dataSize):
            return "tensor \(SafeTensorsError.quote(tensor)) data_offsets [\(begin), \(end)] reach past the \(dataSize)-byte data section (truncated or corrupt file)"
        case let .overlappingTensors(tensor, previous):
            return "tensors \(SafeTensorsError.quote(previous)) and \(SafeTensorsError.quote(tensor)) overlap in the data section"
        case let .gapBeforeTensor(tensor, gapBegin, gapEnd):
            return "data bytes [\(gapBegin), \(gapEnd)) before tensor \(SafeTensorsError.quote(tensor)) belong to no tensor"
        case let .trailingData(covered, dataSize):
            return "data section is \(dataSize) bytes but the tensors cover only \(covered); trailing bytes belong to no tensor"
        case let .missingTensor(name, more):
            return "missing tensor \(SafeTensorsError.quote(name))" + (more > 0 ? " (and \(more) more)" : "") + "; was the file saved from a model of another configuration?"
        case let .shapeMismatch(tensor, expected, found):
            return "tensor \(SafeTensorsError.quote(tensor)) has shape \(found) but the model expects \(expected); was it saved with a different configuration?"
        case let .unexpectedTensor(name, more):
            return "unexpected tensor \(SafeTensorsError.quote(name))" + (more > 0 ? " (and \(more) more)" : "") + "; the model has no such parameter"
        case let .invalidArgument(detail):
            return detail
        }
    }

    /// Names come from files and may hold anything; keep the message on one line and bounded.
    static func quote(_ name: String) -> String { "'\(clean(name))'" }

    static func clean(_ text: String) -> String {
        var out = ""
        for (i, scalar) in text.unicodeScalars.enumerated() {
            if i == 200 { out += "…"; break }
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\u{2028}" || scalar == "\u{2029}" {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func systemMessage(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// Where one tensor lives inside a caller's flat Float buffer: `shape.product` floats starting
/// at element `offset`, row-major.
public struct SafeTensorsView: Hashable, Sendable {
    public var name: String
    public var offset: Int
    public var shape: [Int]

    public init(name: String, offset: Int, shape: [Int]) {
        self.name = name
        self.offset = offset
        self.shape = shape
    }

    /// Elements in the tensor (1 for a scalar, shape `[]`); nil if a dimension is negative or
    /// the product overflows.
    public var count: Int? { SafeTensors.elementCount(shape) }
}

/// A validated safetensors header: every offset, shape and dtype has been checked against the
/// file's size, so the data can be read without further checks.
public struct SafeTensorsHeader: Sendable {
    public struct Entry: Equatable, Sendable {
        public let name: String
        public let shape: [Int]
        /// Byte range inside the data section.
        public let dataOffsets: Range<Int>
        public var count: Int { dataOffsets.count / 4 }
    }

    /// The file the header was read from (used in error messages).
    public let path: String
    public let metadata: [String: String]
    /// Tensors in data order, which for files s2s writes is the order they were written.
    public let tensors: [Entry]
    /// Absolute file offset of the data section (8 + header length).
    public let dataStart: Int
    let index: [String: Int]

    init(path: String, metadata: [String: String], tensors: [Entry], dataStart: Int) {
        self.path = path
        self.metadata = metadata
        self.tensors = tensors
        self.dataStart = dataStart
        var index: [String: Int] = [:]
        for (i, entry) in tensors.enumerated() { index[entry.name] = i }
        self.index = index
    }

    public subscript(name: String) -> Entry? {
        index[name].map { tensors[$0] }
    }

    /// Reads and validates the header of the file at `path` without reading tensor data.
    public static func read(from path: String) throws(SafeTensorsError) -> SafeTensorsHeader {
        let file = try SafeTensorsReader.open(path)
        defer { file.close() }
        return try file.readHeader()
    }

    /// Throws unless the file holds exactly the `expected` tensors with exactly these shapes
    /// (extra tensors are allowed only with `allowingExtra`). Checks missing tensors first,
    /// then shapes, then extras.
    public func check(expected: [(name: String, shape: [Int])], allowingExtra: Bool = false) throws(SafeTensorsError) {
        let missing = expected.filter { index[$0.name] == nil }
        if let first = missing.first {
            throw SafeTensorsError(path: path, problem: .missingTensor(name: first.name, more: missing.count - 1))
        }
        for (name, shape) in expected {
            let found = tensors[index[name]!].shape
            if found != shape {
                throw SafeTensorsError(path: path, problem: .shapeMismatch(tensor: name, expected: shape, found: found))
            }
        }
        if !allowingExtra {
            let wanted = Set(expected.map(\.name))
            let extra = tensors.filter { !wanted.contains($0.name) }
            if let first = extra.first {
                throw SafeTensorsError(path: path, problem: .unexpectedTensor(name: first.name, more: extra.count - 1))
            }
        }
    }
}

/// A whole safetensors file held in memory: metadata plus owned tensors. Convenient for tests,
/// tools and small files; the model itself uses the flat-buffer calls on `SafeTensors`.
public struct SafeTensorsFile: Sendable {
    public struct Tensor: Sendable {
        public var name: String
        public var shape: [Int]
        /// Row-major, `shape` product elements.
        public var data: [Float]

        public init(name: String, shape: [Int], data: [Float]) {
            self.name = name
            self.shape = shape
            self.data = data
        }
    }

    public var metadata: [String: String]
    /// In file order.
    public var tensors: [Tensor]

    public init(metadata: [String: String] = [:], tensors: [Tensor] = []) {
        self.metadata = metadata
        self.tensors = tensors
    }

    public subscript(name: String) -> Tensor? {
        tensors.first { $0.name == name }
    }

    /// Reads the whole file. The header is validated before any tensor data is read.
    public static func read(from path: String) throws(SafeTensorsError) -> SafeTensorsFile {
        let file = try SafeTensorsReader.open(path)
        defer { file.close() }
        let header = try file.readHeader()
        var tensors: [Tensor] = []
        tensors.reserveCapacity(header.tensors.count)
        for entry in header.tensors {
            let data = try file.readFloats(count: entry.count, at: header.dataStart + entry.dataOffsets.lowerBound)
            tensors.append(Tensor(name: entry.name, shape: entry.shape, data: data))
        }
        return SafeTensorsFile(metadata: header.metadata, tensors: tensors)
    }

    /// Writes atomically (temp file, fsync, rename); on failure the old file is untouched.
    public func write(to path: String) throws(SafeTensorsError) {
        var layout: [(name: String, shape: [Int])] = []
        layout.reserveCapacity(tensors.count)
        for tensor in tensors {
            guard let count = SafeTensors.elementCount(tensor.shape), count == tensor.data.count else {
                throw SafeTensorsError(path: path, problem: .invalidArgument(
                    "tensor \(SafeTensorsError.quote(tensor.name)) has shape \(tensor.shape) but \(tensor.data.count) floats"))
            }
            layout.append((tensor.name, tensor.shape))
        }
        let header = try SafeTensorsWriter.encodeHeader(path: path, metadata: metadata, tensors: layout)
        try AtomicFile.replace(path) { (out: borrowing AtomicFile.Output) throws(SafeTensorsError) in
            try out.append(header)
            for tensor in tensors {
                try out.append(tensor.data)
            }
        }
    }
}

/// Reading and writing a model's parameters straight from and into flat Float buffers: each
/// tensor is a `SafeTensorsView` into a buffer, and the data moves between file and buffer with
/// bulk reads and writes, never a per-tensor copy.
public enum SafeTensors {
    /// The reference implementation refuses headers over 100 MB; so do we, on read and write.
    public static let maxHeaderLength = 100_000_000

    /// Writes the `views` of `buffer` as tensors, in the order given, atomically (temp file in
    /// the same directory, fsync, rename). On any error the old file at `path` is untouched and
    /// no temp file is left.
    public static func write(to path: String, metadata: [String: String] = [:],
                             views: [SafeTensorsView], from buffer: UnsafeBufferPointer<Float>) throws(SafeTensorsError) {
        try write(to: path, metadata: metadata, parts: [(views, buffer)])
    }

    /// Writes tensors from several buffers (say parameters, then Adam's m and v) into one file:
    /// the parts' views in order, each part's views read from its own buffer, with no staging
    /// copy. Tensor names must be unique across all parts. Views adjacent in both buffer and
    /// file go out in a single write.
    public static func write(to path: String, metadata: [String: String] = [:],
                             parts: [(views: [SafeTensorsView], buffer: UnsafeBufferPointer<Float>)]) throws(SafeTensorsError) {
        var seen = Set<String>()
        for part in parts { try checkViews(part.views, bufferCount: part.buffer.count, seen: &seen, path: path) }
        let header = try SafeTensorsWriter.encodeHeader(path: path, metadata: metadata,
                                                        tensors: parts.flatMap { $0.views.map { ($0.name, $0.shape) } })
        try AtomicFile.replace(path) { (out: borrowing AtomicFile.Output) throws(SafeTensorsError) in
            try out.append(header)
            for part in parts {
                let bytes = UnsafeRawBufferPointer(part.buffer)
                for run in coalesce(part.views.map { (buffer: $0.offset, count: $0.count!) }) where run.count > 0 {
                    try out.append(UnsafeRawBufferPointer(rebasing: bytes[(run.buffer * 4)..<((run.buffer + run.count) * 4)]))
                }
            }
        }
    }

    /// Reads the file's tensors into `buffer` at the given `views` and returns its header (for
    /// the metadata). See `read(from:parts:allowingExtra:)`.
    @discardableResult
    public static func read(from path: String, views: [SafeTensorsView], into buffer: UnsafeMutableBufferPointer<Float>,
                            allowingExtra: Bool = false) throws(SafeTensorsError) -> SafeTensorsHeader {
        try read(from: path, parts: [(views, buffer)], allowingExtra: allowingExtra)
    }

    /// Reads the file's tensors into several buffers, each part's views into its own buffer, and
    /// returns the header. The header is validated and checked against all the views (names,
    /// shapes, and no extra tensors unless `allowingExtra`) before any buffer is touched.
    /// Tensors adjacent in both file and buffer are read with a single read. If a read fails
    /// after validation (I/O error, file changed underneath), the error is thrown and the
    /// buffers' contents are unspecified.
    @discardableResult
    public static func read(from path: String, parts: [(views: [SafeTensorsView], buffer: UnsafeMutableBufferPointer<Float>)],
                            allowingExtra: Bool = false) throws(SafeTensorsError) -> SafeTensorsHeader {
        var seen = Set<String>()
        for part in parts { try checkViews(part.views, bufferCount: part.buffer.count, seen: &seen, path: path) }
        let file = try SafeTensorsReader.open(path)
        defer { file.close() }
        let header = try file.readHeader()
        try header.check(expected: parts.flatMap { $0.views.map { ($0.name, $0.shape) } }, allowingExtra: allowingExtra)
        for part in parts {
            guard let base = part.buffer.baseAddress else { continue }
            // Walk the views in file order so that a file written from this layout is one read.
            let placed = part.views.map { (file: header[$0.name]!.dataOffsets.lowerBound, buffer: $0.offset, count: $0.count!) }
                .sorted { $0.file < $1.file }
            var i = 0
            while i < placed.count {
                var run = placed[i]
                i += 1
                while i < placed.count, placed[i].file == run.file + run.count * 4, placed[i].buffer == run.buffer + run.count {
                    run.count += placed[i].count
                    i += 1
                }
                guard run.count > 0 else { continue }
                try file.readFully(into: UnsafeMutableRawBufferPointer(start: base + run.buffer, count: run.count * 4),
                                   at: header.dataStart + run.file)
            }
        }
        return header
    }

    /// Product of the dimensions; nil if one is negative or the product overflows (× 4 bytes).
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dim in shape {
            guard dim >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else { return nil }
            count = product
        }
        guard count <= Int.max / 4 else { return nil }
        return count
    }

    private static func checkViews(_ views: [SafeTensorsView], bufferCount: Int, seen: inout Set<String>,
                                   path: String) throws(SafeTensorsError) {
        for view in views {
            func bad(_ detail: String) -> SafeTensorsError {
                SafeTensorsError(path: path, problem: .invalidArgument("tensor \(SafeTensorsError.quote(view.name)): \(detail)"))
            }
            guard let count = view.count else { throw bad("invalid shape \(view.shape)") }
            guard view.offset >= 0, view.offset <= bufferCount, count <= bufferCount - view.offset else {
                throw bad("elements [\(view.offset), \(view.offset + count)) lie outside the \(bufferCount)-float buffer")
            }
            guard seen.insert(view.name).inserted else { throw bad("appears twice") }
        }
    }

    /// Merges consecutive views that are also consecutive in the buffer into single runs.
    private static func coalesce(_ views: [(buffer: Int, count: Int)]) -> [(buffer: Int, count: Int)] {
        var runs: [(buffer: Int, count: Int)] = []
        for view in views {
            if let last = runs.last, last.buffer + last.count == view.buffer {
                runs[runs.count - 1].count += view.count
            } else {
                runs.append(view)
            }
        }
        return runs
    }
}
