// Reading safetensors files: the length prefix and JSON header are parsed and every entry is
// validated against the file size before a single data byte is read; data then arrives by
// bulk pread straight into the destination memory (no per-float parsing, no mmap so a file
// truncated underneath us is an error, not a SIGBUS).
//
// The JSON parser is schema-directed: it accepts exactly the header shape safetensors defines
// (an object of tensor entries and an optional "__metadata__" object of strings), rejects
// duplicate keys (the spec forbids them; generic JSON parsers silently keep one), and reads
// integers exactly, with no detour through Double.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open safetensors file being read.
struct SafeTensorsReader {
    let fd: Int32
    let path: String
    let fileSize: Int

    static func open(_ path: String) throws(SafeTensorsError) -> SafeTensorsReader {
        let fd = path.withCString { systemOpen($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else {
            throw SafeTensorsError(path: path, problem: .system(operation: "open for reading", code: errno))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            _ = systemClose(fd)
            throw SafeTensorsError(path: path, problem: .system(operation: "stat", code: code))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            _ = systemClose(fd)
            throw SafeTensorsError(path: path, problem: .notARegularFile)
        }
        return SafeTensorsReader(fd: fd, path: path, fileSize: Int(info.st_size))
    }

    func close() {
        _ = systemClose(fd)
    }

    private func fail(_ problem: SafeTensorsError.Problem) -> SafeTensorsError {
        SafeTensorsError(path: path, problem: problem)
    }

    /// Reads the length prefix and header, and validates them against the file size.
    func readHeader() throws(SafeTensorsError) -> SafeTensorsHeader {
        guard fileSize >= 8 else { throw fail(.fileTooSmall(size: fileSize)) }
        let prefix = try readBytes(count: 8, at: 0)
        var length: UInt64 = 0
        for (i, byte) in prefix.enumerated() { length |= UInt64(byte) << (8 * UInt64(i)) }
        guard length <= UInt64(SafeTensors.maxHeaderLength) else { throw fail(.headerTooLarge(length: length)) }
        guard length <= UInt64(fileSize - 8) else {
            throw fail(.headerPastEnd(length: length, available: fileSize - 8))
        }
        let headerBytes = try readBytes(count: Int(length), at: 8)
        var parser = SafeTensorsHeaderParser(bytes: headerBytes, path: path)
        let parsed = try parser.parse()
        let dataStart = 8 + Int(length)
        let tensors = try validate(parsed.entries, dataSize: fileSize - dataStart)
        return SafeTensorsHeader(path: path, metadata: parsed.metadata, tensors: tensors, dataStart: dataStart)
    }

    /// Checks dtype, sizes and offsets of every entry, and that the entries tile the data
    /// section exactly (sorted by offset: no gap, no overlap, nothing left over).
    /// Returns the entries in data order.
    private func validate(_ entries: [SafeTensorsHeaderParser.RawEntry], dataSize: Int) throws(SafeTensorsError) -> [SafeTensorsHeader.Entry] {
        for entry in entries {
            guard entry.dtype == "F32" else { throw fail(.unsupportedDType(tensor: entry.name, dtype: entry.dtype)) }
            guard entry.begin <= entry.end else {
                throw fail(.invalidEntry(tensor: entry.name, detail: "data_offsets [\(entry.begin), \(entry.end)] end before they begin"))
            }
            guard entry.end <= dataSize else {
                throw fail(.offsetsOutOfRange(tensor: entry.name, begin: entry.begin, end: entry.end, dataSize: dataSize))
            }
            guard let count = SafeTensors.elementCount(entry.shape), count * 4 == entry.end - entry.begin else {
                throw fail(.byteCountMismatch(tensor: entry.name, shape: entry.shape, byteCount: entry.end - entry.begin))
            }
        }
        // Stable sort, so zero-byte tensors sharing an offset keep their header order.
        let order = entries.indices.sorted { (entries[$0].begin, entries[$0].end, $0) < (entries[$1].begin, entries[$1].end, $1) }
        var covered = 0
        var previous = ""
        var result: [SafeTensorsHeader.Entry] = []
        result.reserveCapacity(entries.count)
        for i in order {
            let entry = entries[i]
            if entry.begin < covered {
                throw fail(.overlappingTensors(tensor: entry.name, previous: previous))
            }
            if entry.begin > covered {
                throw fail(.gapBeforeTensor(tensor: entry.name, gapBegin: covered, gapEnd: entry.begin))
            }
            covered = entry.end
            if entry.end > entry.begin { previous = entry.name }
            result.append(SafeTensorsHeader.Entry(name: entry.name, shape: entry.shape, dataOffsets: entry.begin..<entry.end))
        }
        guard covered == dataSize else { throw fail(.trailingData(covered: covered, dataSize: dataSize)) }
        return result
    }

    func readBytes(count: Int, at offset: Int) throws(SafeTensorsError) -> [UInt8] {
        try readArray(count: count, at: offset)
    }

    func readFloats(count: Int, at offset: Int) throws(SafeTensorsError) -> [Float] {
        try readArray(count: count, at: offset)
    }

    /// `count` elements read straight into a new array's storage.
    private func readArray<T>(count: Int, at offset: Int) throws(SafeTensorsError) -> [T] {
        var failure: SafeTensorsError?
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(SafeTensorsError) {
                try readFully(into: UnsafeMutableRawBufferPointer(buffer), at: offset)
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return values
    }

    /// pread until `buffer` is full; large reads go in 1 GiB pieces (Linux caps one call near 2 GiB).
    func readFully(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SafeTensorsError) {
        guard let base = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            let n = pread(fd, base + done, min(buffer.count - done, 1 << 30), off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw fail(.system(operation: "read", code: errno))
            }
            if n == 0 { throw fail(.changedWhileReading) }
            done += n
        }
    }
}

private func systemOpen(_ path: UnsafePointer<CChar>, _ flags: Int32) -> Int32 { open(path, flags) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }

/// Parses the JSON header of a safetensors file into metadata and raw entries; checks syntax,
/// UTF-8, field presence and field types, but not the entries' meaning (see validate).
struct SafeTensorsHeaderParser {
    struct RawEntry {
        var name: String
        var dtype: String
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    let bytes: [UInt8]
    let path: String
    var pos = 0

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    // ASCII bytes the grammar needs.
    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    private static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
    private static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
    private static let colon = UInt8(ascii: ":"), comma = UInt8(ascii: ",")

    private func syntax(_ detail: String, at offset: Int? = nil) -> SafeTensorsError {
        SafeTensorsError(path: path, problem: .malformedHeader(offset: offset ?? pos, detail: detail))
    }

    private func entryError(_ name: String, _ detail: String) -> SafeTensorsError {
        SafeTensorsError(path: path, problem: .invalidEntry(tensor: name, detail: detail))
    }

    mutating func parse() throws(SafeTensorsError) -> (metadata: [String: String], entries: [RawEntry]) {
        guard bytes.first == Self.openBrace else {
            throw syntax("the header must start with '{' (is this a safetensors file?)", at: 0)
        }
        var metadata: [String: String] = [:]
        var sawMetadata = false
        var entries: [RawEntry] = []
        var names = Set<String>()
        try parseObject(context: "the header") { (parser: inout Self, key: String) throws(SafeTensorsError) in
            if key == "__metadata__" {
                guard !sawMetadata else {
                    throw SafeTensorsError(path: parser.path, problem: .invalidMetadata(detail: "appears twice in the header"))
                }
                sawMetadata = true
                metadata = try parser.parseMetadata()
            } else {
                guard names.insert(key).inserted else { throw parser.entryError(key, "appears twice in the header") }
                entries.append(try parser.parseEntry(name: key))
            }
        }
        skipWhitespace()
        if pos < bytes.count {
            throw syntax("unexpected \(describeHere()) after the header object")
        }
        return (metadata, entries)
    }

    private mutating func parseMetadata() throws(SafeTensorsError) -> [String: String] {
        skipWhitespace()
        if matchLiteral("null") { return [:] }
        guard peek == Self.openBrace else {
            throw SafeTensorsError(path: path, problem: .invalidMetadata(detail: "must be an object of strings, found \(describeValue())"))
        }
        var metadata: [String: String] = [:]
        try parseObject(context: "__metadata__") { (parser: inout Self, key: String) throws(SafeTensorsError) in
            parser.skipWhitespace()
            guard parser.peek == Self.quote else {
                throw SafeTensorsError(path: parser.path, problem: .invalidMetadata(
                    detail: "value of \(SafeTensorsError.quote(key)) is \(parser.describeValue()); metadata values must be strings"))
            }
            let value = try parser.parseString()
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw SafeTensorsError(path: parser.path, problem: .invalidMetadata(detail: "key \(SafeTensorsError.quote(key)) appears twice"))
            }
        }
        return metadata
    }

    private mutating func parseEntry(name: String) throws(SafeTensorsError) -> RawEntry {
        skipWhitespace()
        guard peek == Self.openBrace else {
            throw entryError(name, "must be an object with dtype, shape and data_offsets, found \(describeValue())")
        }
        var dtype: String?
        var shape: [Int]?
        var offsets: [Int]?
        try parseObject(context: "tensor \(SafeTensorsError.quote(name))") { (parser: inout Self, key: String) throws(SafeTensorsError) in
            parser.skipWhitespace()
            switch key {
            case "dtype":
                guard dtype == nil else { throw parser.entryError(name, "\"dtype\" appears twice") }
                guard parser.peek == Self.quote else {
                    throw parser.entryError(name, "\"dtype\" must be a string, found \(parser.describeValue())")
                }
                dtype = try parser.parseString()
            case "shape":
                guard shape == nil else { throw parser.entryError(name, "\"shape\" appears twice") }
                shape = try parser.parseIntegerArray(name: name, field: "shape")
            case "data_offsets":
                guard offsets == nil else { throw parser.entryError(name, "\"data_offsets\" appears twice") }
                let pair = try parser.parseIntegerArray(name: name, field: "data_offsets")
                guard pair.count == 2 else {
                    throw parser.entryError(name, "\"data_offsets\" must hold exactly two integers [begin, end], found \(pair.count)")
                }
                offsets = pair
            default:
                throw parser.entryError(name, "unknown field \(SafeTensorsError.quote(key)); expected dtype, shape and data_offsets")
            }
        }
        guard let dtype else { throw entryError(name, "missing \"dtype\"") }
        guard let shape else { throw entryError(name, "missing \"shape\"") }
        guard let offsets else { throw entryError(name, "missing \"data_offsets\"") }
        return RawEntry(name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
    }

    /// `{ "key": value, ... }` where `member` parses each value (the cursor is after the colon).
    private mutating func parseObject(context: String,
                                      member: (inout Self, String) throws(SafeTensorsError) -> Void) throws(SafeTensorsError) {
        skipWhitespace()
        guard peek == Self.openBrace else { throw syntax("expected '{' to open \(context), found \(describeHere())") }
        pos += 1
        skipWhitespace()
        if peek == Self.closeBrace { pos += 1; return }
        while true {
            skipWhitespace()
            guard peek == Self.quote else { throw syntax("expected a quoted key in \(context), found \(describeHere())") }
            let key = try parseString()
            skipWhitespace()
            guard peek == Self.colon else { throw syntax("expected ':' after key \(SafeTensorsError.quote(key)), found \(describeHere())") }
            pos += 1
            try member(&self, key)
            skipWhitespace()
            if peek == Self.comma { pos += 1; continue }
            if peek == Self.closeBrace { pos += 1; return }
            throw syntax("expected ',' or '}' in \(context), found \(describeHere())")
        }
    }

    private mutating func parseIntegerArray(name: String, field: String) throws(SafeTensorsError) -> [Int] {
        guard peek == Self.openBracket else {
            throw entryError(name, "\"\(field)\" must be an array of non-negative integers, found \(describeValue())")
        }
        pos += 1
        var values: [Int] = []
        skipWhitespace()
        if peek == Self.closeBracket { pos += 1; return values }
        while true {
            skipWhitespace()
            values.append(try parseNonNegativeInteger(name: name, field: field))
            skipWhitespace()
            if peek == Self.comma { pos += 1; continue }
            if peek == Self.closeBracket { pos += 1; return values }
            throw syntax("expected ',' or ']' in \"\(field)\" of tensor \(SafeTensorsError.quote(name)), found \(describeHere())")
        }
    }

    private mutating func parseNonNegativeInteger(name: String, field: String) throws(SafeTensorsError) -> Int {
        let start = pos
        guard let token = scanNumber() else {
            throw entryError(name, "\"\(field)\" must hold non-negative integers, found \(describeValue())")
        }
        let text = String(decoding: bytes[token], as: UTF8.self)
        guard bytes[token].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw entryError(name, "\"\(field)\" must hold non-negative integers, found \(text)")
        }
        var value = 0
        for digit in bytes[token] {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw syntax("integer \(text) in \"\(field)\" of tensor \(SafeTensorsError.quote(name)) is too large", at: start) }
            value = sum
        }
        return value
    }

    /// Scans a JSON number token and returns its byte range, or nil if none starts here.
    private mutating func scanNumber() -> Range<Int>? {
        let start = pos
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") }
        var i = pos
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { return nil }
        if bytes[i] == UInt8(ascii: "0") { i += 1 } else { while isDigit(i) { i += 1 } }
        if i < bytes.count, bytes[i] == UInt8(ascii: "."), isDigit(i + 1) {
            i += 1
            while isDigit(i) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            var j = i + 1
            if j < bytes.count, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") { j += 1 }
            if isDigit(j) {
                i = j
                while isDigit(i) { i += 1 }
            }
        }
        pos = i
        return start..<i
    }

    /// A JSON string starting at the cursor (which is on the opening quote), unescaped and
    /// checked to be valid UTF-8 without lone surrogates.
    private mutating func parseString() throws(SafeTensorsError) -> String {
        let start = pos
        pos += 1
        var utf8: [UInt8] = []
        while true {
            guard pos < bytes.count else { throw syntax("unterminated string", at: start) }
            let byte = bytes[pos]
            if byte == Self.quote { pos += 1; break }
            if byte < 0x20 { throw syntax("raw control character 0x\(String(byte, radix: 16)) in a string; it must be escaped") }
            if byte != Self.backslash {
                utf8.append(byte)
                pos += 1
                continue
            }
            guard pos + 1 < bytes.count else { throw syntax("unterminated string", at: start) }
            let escape = bytes[pos + 1]
            pos += 2
            switch escape {
            case UInt8(ascii: "\""): utf8.append(Self.quote)
            case UInt8(ascii: "\\"): utf8.append(Self.backslash)
            case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                if code >= 0xD800 && code < 0xDC00 {
                    guard pos + 1 < bytes.count, bytes[pos] == Self.backslash, bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw syntax("unpaired surrogate \\u\(String(code, radix: 16)) in a string")
                    }
                    pos += 2
                    let low = try parseHex4()
                    guard low >= 0xDC00 && low < 0xE000 else {
                        throw syntax("unpaired surrogate \\u\(String(code, radix: 16)) in a string")
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if code >= 0xDC00 && code < 0xE000 {
                    throw syntax("unpaired surrogate \\u\(String(code, radix: 16)) in a string")
                }
                utf8.append(contentsOf: Unicode.Scalar(code)!.utf8)
            default:
                throw syntax("invalid escape '\\\(describeByte(escape))' in a string", at: pos - 2)
            }
        }
        guard let string = String(validating: utf8, as: UTF8.self) else {
            throw syntax("string is not valid UTF-8", at: start)
        }
        return string
    }

    private mutating func parseHex4() throws(SafeTensorsError) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw syntax("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[pos]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntax("invalid hex digit '\(describeByte(byte))' in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
            pos += 1
        }
        return value
    }

    private var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    private mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard pos + n <= bytes.count else { return false }
        let literalBytes = UnsafeBufferPointer(start: literal.utf8Start, count: n)
        for i in 0..<n where bytes[pos + i] != literalBytes[i] { return false }
        pos += n
        return true
    }

    /// What kind of JSON value starts at the cursor, for type errors.
    private func describeValue() -> String {
        guard let byte = peek else { return "the end of the header" }
        switch byte {
        case Self.quote: return "a string"
        case Self.openBrace: return "an object"
        case Self.openBracket: return "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        default: return "'\(describeByte(byte))'"
        }
    }

    private func describeHere() -> String {
        guard let byte = peek else { return "the end of the header" }
        return "'\(describeByte(byte))'"
    }

    private func describeByte(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }
}
