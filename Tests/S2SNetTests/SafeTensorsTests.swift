// Tests for the safetensors model file: bit-exact round trips, the byte layout the spec asks for,
// refusal of every kind of truncated or corrupt file (before any data is read), atomic saving,
// and interop with Python's reference `safetensors` (a committed Python-written fixture, plus a
// live check of our output when python3 has safetensors installed).

import Foundation
import XCTest
@testable import S2SNet

final class SafeTensorsTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        var template = Array((NSTemporaryDirectory() + "/s2s-safetensors-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        dir = String(cString: try XCTUnwrap(made))
    }

    override func tearDownWithError() throws {
        chmod(dir, 0o755)
        try? FileManager.default.removeItem(atPath: dir)
    }

    // MARK: - Helpers

    private func path(_ name: String) -> String { dir + "/" + name }

    private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    private func directoryListing() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
    }

    private static let sampleMetadata: [String: String] = [
        "format": "s2s-interop",
        "text": "naïve café — 日本語 🎉\nline two\t\"quoted\" \\ back\u{01}",
        "": "empty key",
    ]

    /// Same tensors as Tests/Fixtures/safetensors/interop.py `tensors()`.
    private static func sampleTensors() -> [SafeTensorsFile.Tensor] {
        let specialBits: [UInt32] = [0x7FC0_0001, 0x7FA0_0000, 0xFFC1_2345, 0x8000_0000, 0x0000_0001, 0x007F_FFFF,
                                     0x7F80_0000, 0xFF80_0000, 0x7F7F_FFFF, 0x3F80_0000]
        return [
            .init(name: "z.special", shape: [10], data: specialBits.map(Float.init(bitPattern:))),
            .init(name: "b.matrix", shape: [2, 3], data: (0..<6).map { Float($0) * 0.25 - 0.5 }),
            .init(name: "a.vector", shape: [100], data: (0..<100).map { Float($0) / 7 }),
            .init(name: "scalar", shape: [], data: [3.5]),
            .init(name: "empty", shape: [0, 4], data: []),
        ]
    }

    private func assertSameTensors(_ got: [SafeTensorsFile.Tensor], _ want: [SafeTensorsFile.Tensor],
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.map(\.name), want.map(\.name), file: file, line: line)
        for (g, w) in zip(got, want) {
            XCTAssertEqual(g.shape, w.shape, "shape of \(w.name)", file: file, line: line)
            XCTAssertEqual(bits(g.data), bits(w.data), "bits of \(w.name)", file: file, line: line)
        }
    }

    /// Writes an 8-byte little-endian length (the header's byte count unless overridden), the
    /// header bytes, then `data`.
    @discardableResult
    private func rawFile(_ name: String, header: [UInt8], data: [UInt8] = [], length: UInt64? = nil) throws -> String {
        var bytes: [UInt8] = []
        let n = length ?? UInt64(header.count)
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: n >> (8 * UInt64(i)))) }
        bytes += header + data
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    @discardableResult
    private func rawFile(_ name: String, header: String, dataBytes: Int = 0) throws -> String {
        try rawFile(name, header: Array(header.utf8), data: [UInt8](repeating: 0, count: dataBytes))
    }

    /// Both readers must refuse `file` with a one-line error that starts with its path and has a
    /// problem matching `expected`.
    private func assertRefused(_ file: String, file testFile: StaticString = #filePath, line: UInt = #line,
                               _ expected: (SafeTensorsError.Problem) -> Bool) {
        for attempt in ["SafeTensorsFile.read", "SafeTensorsHeader.read"] {
            do {
                if attempt == "SafeTensorsFile.read" {
                    _ = try SafeTensorsFile.read(from: file)
                } else {
                    _ = try SafeTensorsHeader.read(from: file)
                }
                XCTFail("\(attempt) accepted \(file)", file: testFile, line: line)
            } catch {
                XCTAssertEqual(error.path, file, file: testFile, line: line)
                XCTAssertTrue(error.description.hasPrefix(file + ": "), error.description, file: testFile, line: line)
                XCTAssertFalse(error.description.contains("\n"), "message spans lines: \(error.description)", file: testFile, line: line)
                XCTAssertTrue(expected(error.problem), "unexpected problem: \(error.description)", file: testFile, line: line)
            }
        }
    }

    private func assertThrows(_ body: () throws(SafeTensorsError) -> Void, file: StaticString = #filePath, line: UInt = #line,
                              _ expected: (SafeTensorsError.Problem) -> Bool) {
        do {
            try body()
            XCTFail("no error thrown", file: file, line: line)
        } catch {
            XCTAssertFalse(error.description.contains("\n"), error.description, file: file, line: line)
            XCTAssertTrue(expected(error.problem), "unexpected problem: \(error.description)", file: file, line: line)
        }
    }

    /// A valid one-tensor entry for hand-written headers.
    private func entry(_ name: String, _ shape: [Int], _ begin: Int, _ end: Int, dtype: String = "F32") -> String {
        "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":[\(begin),\(end)]}"
    }

    // MARK: - Round trips

    func testRoundTripIsBitIdenticalWithAwkwardMetadata() throws {
        var metadata = Self.sampleMetadata
        metadata["controls"] = "\u{00}\u{1F}\u{7F}\u{2028}\r\n\u{08}\u{0C}/"
        metadata["json-looking"] = "{\"__metadata__\": [1, 2], \"x\": \"\\u0041\"}"
        let original = SafeTensorsFile(metadata: metadata, tensors: Self.sampleTensors())
        let p = path("model.safetensors")
        try original.write(to: p)
        let loaded = try SafeTensorsFile.read(from: p)
        XCTAssertEqual(loaded.metadata, metadata)
        assertSameTensors(loaded.tensors, original.tensors)
        XCTAssertEqual(loaded["scalar"]?.data, [3.5])
        XCTAssertEqual(try directoryListing(), ["model.safetensors"], "no temp file may remain")
    }

    func testWrittenBytesFollowTheSafetensorsLayout() throws {
        let a: [Float] = [1.5, -2]
        let b: [Float] = [0.1, 0.2, 0.3]
        let p = path("layout.safetensors")
        try SafeTensorsFile(metadata: ["k": "v"], tensors: [.init(name: "a", shape: [2], data: a),
                                                             .init(name: "b", shape: [1, 3], data: b)]).write(to: p)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: p)))
        let n = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(n % 8, 0, "header padded to a multiple of 8")
        let header = Array(bytes[8..<(8 + n)])
        XCTAssertEqual(header.first, UInt8(ascii: "{"))
        let close = try XCTUnwrap(header.lastIndex(of: UInt8(ascii: "}")))
        XCTAssertTrue(header[(close + 1)...].allSatisfy { $0 == UInt8(ascii: " ") })
        XCTAssertLessThan(header.count - close - 1, 8)
        // An independent JSON parser must agree with the layout.
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(header)) as? [String: Any])
        XCTAssertEqual(json["__metadata__"] as? [String: String], ["k": "v"])
        let ea = try XCTUnwrap(json["a"] as? [String: Any])
        let eb = try XCTUnwrap(json["b"] as? [String: Any])
        XCTAssertEqual(ea["dtype"] as? String, "F32")
        XCTAssertEqual(ea["shape"] as? [Int], [2])
        XCTAssertEqual(ea["data_offsets"] as? [Int], [0, 8])
        XCTAssertEqual(eb["shape"] as? [Int], [1, 3])
        XCTAssertEqual(eb["data_offsets"] as? [Int], [8, 20])
        XCTAssertEqual(bytes.count, 8 + n + 20)
        let expectedData = (a + b).flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
        XCTAssertEqual(Array(bytes[(8 + n)...]), expectedData, "raw little-endian float32 data")
    }

    func testFlatBufferViewsRoundTripIntoAnotherLayout() throws {
        // Source layout with padding between views and views out of buffer order; two pairs
        // are adjacent (p,q and s,t) so the coalescing paths run too.
        var source = (0..<64).map { Float($0) + 0.5 }
        source[40] = -0.0
        source[41] = Float(bitPattern: 0x7FC0_BEEF)
        let views = [
            SafeTensorsView(name: "enc.W", offset: 16, shape: [2, 3]),
            SafeTensorsView(name: "p", offset: 0, shape: [5]),
            SafeTensorsView(name: "q", offset: 5, shape: [4]),
            SafeTensorsView(name: "s", offset: 40, shape: [2]),
            SafeTensorsView(name: "t", offset: 42, shape: []),
            SafeTensorsView(name: "none", offset: 43, shape: [0, 7]),
        ]
        let p = path("flat.safetensors")
        try source.withUnsafeBufferPointer { (buffer) throws(SafeTensorsError) in
            try SafeTensors.write(to: p, metadata: ["v": "1"], views: views, from: buffer)
        }
        let header = try SafeTensorsHeader.read(from: p)
        XCTAssertEqual(header.tensors.map(\.name), views.map(\.name), "file order is the order written")
        XCTAssertEqual(header.tensors.map(\.dataOffsets), [0..<24, 24..<44, 44..<60, 60..<68, 68..<72, 72..<72])
        XCTAssertEqual(header.metadata, ["v": "1"])

        func check(_ destinationViews: [SafeTensorsView], size: Int) throws {
            var destination = [Float](repeating: 777, count: size)
            let h = try destination.withUnsafeMutableBufferPointer { (buffer) throws(SafeTensorsError) in
                try SafeTensors.read(from: p, views: destinationViews, into: buffer)
            }
            XCTAssertEqual(h.metadata, ["v": "1"])
            var touched = Set<Int>()
            for (src, dst) in zip(views, destinationViews) {
                let n = src.count!
                XCTAssertEqual(bits(Array(destination[dst.offset..<(dst.offset + n)])),
                               bits(Array(source[src.offset..<(src.offset + n)])), src.name)
                touched.formUnion(dst.offset..<(dst.offset + n))
            }
            for i in 0..<size where !touched.contains(i) {
                XCTAssertEqual(destination[i], 777, "element \(i) outside every view was written")
            }
        }
        // Packed in file order: one contiguous read.
        try check(views.reduce(into: [SafeTensorsView]()) { acc, v in
            let offset = acc.last.map { $0.offset + $0.count! } ?? 0
            acc.append(SafeTensorsView(name: v.name, offset: offset, shape: v.shape))
        }, size: 18)
        // Scattered, reversed, with gaps.
        try check(views.enumerated().map { i, v in
            SafeTensorsView(name: v.name, offset: 100 - 16 * i, shape: v.shape)
        }, size: 110)
        // The owned-array reader sees the same tensors.
        let whole = try SafeTensorsFile.read(from: p)
        XCTAssertEqual(bits(try XCTUnwrap(whole["s"]).data), bits([-0.0, Float(bitPattern: 0x7FC0_BEEF)]))
    }

    /// Parameters and optimizer moments in separate buffers go into one file and come back.
    func testSeveralBuffersShareOneFile() throws {
        let views = [SafeTensorsView(name: "W", offset: 0, shape: [2, 2]), SafeTensorsView(name: "b", offset: 16, shape: [2])]
        let values = (0..<18).map { Float($0) }
        let m = (0..<18).map { Float($0) + 100 }
        let moments = views.map { SafeTensorsView(name: "m." + $0.name, offset: $0.offset, shape: $0.shape) }
        let p = path("checkpoint.safetensors")
        try values.withUnsafeBufferPointer { (vb) throws(SafeTensorsError) in
            try m.withUnsafeBufferPointer { (mb) throws(SafeTensorsError) in
                try SafeTensors.write(to: p, parts: [(views, vb), (moments, mb)])
            }
        }
        let header = try SafeTensorsHeader.read(from: p)
        XCTAssertEqual(header.tensors.map(\.name), ["W", "b", "m.W", "m.b"])
        XCTAssertEqual(header.tensors.map(\.dataOffsets), [0..<16, 16..<24, 24..<40, 40..<48])

        var values2 = [Float](repeating: -1, count: 18), m2 = [Float](repeating: -1, count: 18)
        try values2.withUnsafeMutableBufferPointer { (vb) throws(SafeTensorsError) in
            try m2.withUnsafeMutableBufferPointer { (mb) throws(SafeTensorsError) in
                _ = try SafeTensors.read(from: p, parts: [(views, vb), (moments, mb)])
            }
        }
        for v in views {
            XCTAssertEqual(Array(values2[v.offset..<(v.offset + v.count!)]), Array(values[v.offset..<(v.offset + v.count!)]))
            XCTAssertEqual(Array(m2[v.offset..<(v.offset + v.count!)]), Array(m[v.offset..<(v.offset + v.count!)]))
        }
        // The parameters alone are the file minus the moments.
        var values3 = [Float](repeating: -1, count: 18)
        assertThrows({ () throws(SafeTensorsError) in
            try values3.withUnsafeMutableBufferPointer { (vb) throws(SafeTensorsError) in _ = try SafeTensors.read(from: p, views: views, into: vb) }
        }) { $0 == .unexpectedTensor(name: "m.W", more: 1) }
        try values3.withUnsafeMutableBufferPointer { (vb) throws(SafeTensorsError) in
            _ = try SafeTensors.read(from: p, views: views, into: vb, allowingExtra: true)
        }
        XCTAssertEqual(values3[0..<4], values[0..<4])
        // A name may appear in only one part.
        assertThrows({ () throws(SafeTensorsError) in
            try values.withUnsafeBufferPointer { (vb) throws(SafeTensorsError) in try SafeTensors.write(to: p, parts: [(views, vb), (views, vb)]) }
        }) { if case .invalidArgument = $0 { true } else { false } }
    }

    func testEmptyTensorListRoundTrips() throws {
        let p = path("empty.safetensors")
        try SafeTensorsFile().write(to: p)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: p)))
        XCTAssertEqual(bytes, [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))
        let loaded = try SafeTensorsFile.read(from: p)
        XCTAssertTrue(loaded.tensors.isEmpty)
        XCTAssertTrue(loaded.metadata.isEmpty)

        try SafeTensorsFile(metadata: ["only": "metadata"]).write(to: p)
        XCTAssertEqual(try SafeTensorsFile.read(from: p).metadata, ["only": "metadata"])

        // Unpadded headers, whitespace and a null __metadata__ are valid too.
        let q = try rawFile("unpadded.safetensors", header: "{ \"__metadata__\" : null }")
        XCTAssertTrue(try SafeTensorsFile.read(from: q).metadata.isEmpty)
    }

    func testTensorsAreReturnedInDataOrderWhateverTheHeaderOrder() throws {
        let p = try rawFile("order.safetensors", header: "{\(entry("second", [1], 4, 8)),\(entry("first", [1], 0, 4))}", dataBytes: 8)
        XCTAssertEqual(try SafeTensorsHeader.read(from: p).tensors.map(\.name), ["first", "second"])
    }

    // MARK: - Refusing bad files

    func testTruncatedFileIsRefusedAtEveryCutPoint() throws {
        let p = path("cut.safetensors")
        try SafeTensorsFile(metadata: ["k": "v"], tensors: [.init(name: "a", shape: [3], data: [1, 2, 3]),
                                                             .init(name: "s", shape: [], data: [4]),
                                                             .init(name: "e", shape: [0], data: [])]).write(to: p)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: p)))
        let n = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        for cut in (0..<bytes.count).reversed() {
            XCTAssertEqual(truncate(p, off_t(cut)), 0)
            assertRefused(p) { problem in
                switch problem {
                case let .fileTooSmall(size): return cut < 8 && size == cut
                case let .headerPastEnd(length, available): return (8..<(8 + n)).contains(cut) && length == UInt64(n) && available == cut - 8
                case let .offsetsOutOfRange(_, _, _, dataSize): return cut >= 8 + n && dataSize == cut - 8 - n
                default: return false
                }
            }
        }
    }

    func testHeaderLengthBeyondTheFileOrTheLimitIsRefused() throws {
        let header = Array("{}".utf8)
        assertRefused(try rawFile("past.safetensors", header: header, length: 1000)) {
            $0 == .headerPastEnd(length: 1000, available: 2)
        }
        assertRefused(try rawFile("huge.safetensors", header: header, length: UInt64.max)) {
            $0 == .headerTooLarge(length: UInt64.max)
        }
        assertRefused(try rawFile("limit.safetensors", header: header, length: 100_000_001)) {
            $0 == .headerTooLarge(length: 100_000_001)
        }
        assertRefused(try rawFile("zero.safetensors", header: [], length: 0)) {
            if case .malformedHeader(offset: 0, _) = $0 { return true } else { return false }
        }
    }

    func testCorruptHeaderJSONIsRefused() throws {
        let good = entry("a", [1], 0, 4)
        let corrupt: [(String, [UInt8])] = [
            ("array", Array("[\(good)]".utf8)),
            ("leading space", Array(" {\(good)}".utf8)),
            ("unclosed", Array("{\(good)".utf8)),
            ("trailing garbage", Array("{\(good)}x".utf8)),
            ("trailing comma", Array("{\(good),}".utf8)),
            ("missing colon", Array("{\"a\" {\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".utf8)),
            ("single quotes", Array("{'a':{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".utf8)),
            ("bad escape", Array("{\"a\\q\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".utf8)),
            ("lone surrogate", Array("{\"\\ud800\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".utf8)),
            ("lone low surrogate", Array("{\"\\udc00x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".utf8)),
            ("high surrogate then letter", Array("{\"\\ud800\\u0041\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".utf8)),
            ("raw newline in key", Array("{\"a\nb\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".utf8)),
            ("leading zero", Array("{\"a\":{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}}".utf8)),
            ("integer overflow", Array("{\"a\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,4]}}".utf8)),
            ("NUL padding", Array("{\(good)}".utf8) + [0, 0, 0]),
            ("invalid UTF-8", [UInt8(ascii: "{"), UInt8(ascii: "\""), 0xFF, 0xFE] + Array("\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".utf8)),
            ("overlong UTF-8", [UInt8(ascii: "{"), UInt8(ascii: "\""), 0xC0, 0xAF] + Array("\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".utf8)),
        ]
        for (label, header) in corrupt {
            let p = try rawFile("corrupt.safetensors", header: header, data: [0, 0, 0, 0])
            assertRefused(p) { problem in
                guard case let .malformedHeader(offset, _) = problem else { return false }
                return offset >= 0 && offset <= header.count
            }
            _ = label
        }
    }

    func testEntriesWithMissingOrMistypedFieldsAreRefused() throws {
        let cases: [(String, String)] = [
            ("dtype number", "\"a\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}"),
            ("shape string", "\"a\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}"),
            ("negative dim", "\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}"),
            ("fractional dim", "\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}"),
            ("exponent dim", "\"a\":{\"dtype\":\"F32\",\"shape\":[1e0],\"data_offsets\":[0,4]}"),
            ("boolean dim", "\"a\":{\"dtype\":\"F32\",\"shape\":[true],\"data_offsets\":[0,4]}"),
            ("one offset", "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}"),
            ("three offsets", "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,4]}"),
            ("offsets object", "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":{}}"),
            ("no dtype", "\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}"),
            ("no shape", "\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}"),
            ("no offsets", "\"a\":{\"dtype\":\"F32\",\"shape\":[1]}"),
            ("unknown field", "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"stride\":[1]}"),
            ("repeated field", "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"shape\":[1],\"data_offsets\":[0,4]}"),
            ("entry not object", "\"a\":[0,4]"),
            ("reversed offsets", "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}"),
            ("repeated tensor", "\(entry("a", [1], 0, 4)),\(entry("a", [1], 0, 4))"),
        ]
        for (label, body) in cases {
            let p = try rawFile("entry.safetensors", header: "{\(body)}", dataBytes: 4)
            assertRefused(p) { problem in
                if case .invalidEntry(tensor: "a", _) = problem { return true }
                XCTFail("\(label): \(problem)")
                return false
            }
        }
    }

    func testMetadataMustBeAnObjectOfStrings() throws {
        let cases = [
            "\"__metadata__\":{\"epoch\":3}",
            "\"__metadata__\":{\"k\":null}",
            "\"__metadata__\":{\"k\":{\"nested\":\"x\"}}",
            "\"__metadata__\":[\"k\",\"v\"]",
            "\"__metadata__\":\"k=v\"",
            "\"__metadata__\":{\"k\":\"v\",\"k\":\"w\"}",
            "\"__metadata__\":{},\"__metadata__\":{}",
        ]
        for body in cases {
            let p = try rawFile("meta.safetensors", header: "{\(body),\(entry("a", [1], 0, 4))}", dataBytes: 4)
            assertRefused(p) { problem in
                if case .invalidMetadata = problem { return true } else { return false }
            }
        }
    }

    func testOffsetsOutOfRangeOverlappingOrWithGapsAreRefused() throws {
        assertRefused(try rawFile("range.safetensors", header: "{\(entry("a", [1], 0, 4)),\(entry("b", [1], 4, 8))}", dataBytes: 4)) {
            $0 == .offsetsOutOfRange(tensor: "b", begin: 4, end: 8, dataSize: 4)
        }
        assertRefused(try rawFile("far.safetensors", header: "{\(entry("a", [1], 9_223_372_036_854_775_800, 9_223_372_036_854_775_804))}", dataBytes: 4)) {
            $0 == .offsetsOutOfRange(tensor: "a", begin: 9_223_372_036_854_775_800, end: 9_223_372_036_854_775_804, dataSize: 4)
        }
        assertRefused(try rawFile("overlap.safetensors", header: "{\(entry("a", [2], 0, 8)),\(entry("b", [1], 4, 8))}", dataBytes: 8)) {
            $0 == .overlappingTensors(tensor: "b", previous: "a")
        }
        assertRefused(try rawFile("alias.safetensors", header: "{\(entry("a", [1], 0, 4)),\(entry("b", [1], 0, 4))}", dataBytes: 4)) {
            $0 == .overlappingTensors(tensor: "b", previous: "a")
        }
        assertRefused(try rawFile("gap.safetensors", header: "{\(entry("a", [1], 0, 4)),\(entry("b", [1], 8, 12))}", dataBytes: 12)) {
            $0 == .gapBeforeTensor(tensor: "b", gapBegin: 4, gapEnd: 8)
        }
        assertRefused(try rawFile("lead.safetensors", header: "{\(entry("a", [1], 4, 8))}", dataBytes: 8)) {
            $0 == .gapBeforeTensor(tensor: "a", gapBegin: 0, gapEnd: 4)
        }
        assertRefused(try rawFile("trailing.safetensors", header: "{\(entry("a", [1], 0, 4))}", dataBytes: 8)) {
            $0 == .trailingData(covered: 4, dataSize: 8)
        }
        assertRefused(try rawFile("nothing.safetensors", header: "{}", dataBytes: 4)) {
            $0 == .trailingData(covered: 0, dataSize: 4)
        }
    }

    func testShapeTimesFourMustEqualTheByteLength() throws {
        assertRefused(try rawFile("short.safetensors", header: "{\(entry("w", [2, 3], 0, 20))}", dataBytes: 20)) {
            $0 == .byteCountMismatch(tensor: "w", shape: [2, 3], byteCount: 20)
        }
        assertRefused(try rawFile("zero.safetensors", header: "{\(entry("w", [0], 0, 4))}", dataBytes: 4)) {
            $0 == .byteCountMismatch(tensor: "w", shape: [0], byteCount: 4)
        }
        // 2^62 × 4 elements overflows; it must not wrap around to a small byte count.
        assertRefused(try rawFile("overflow.safetensors", header: "{\(entry("w", [4_611_686_018_427_387_904, 4], 0, 0))}")) {
            $0 == .byteCountMismatch(tensor: "w", shape: [4_611_686_018_427_387_904, 4], byteCount: 0)
        }
    }

    func testOtherDTypesAreRefusedWithAClearMessage() throws {
        let p = try rawFile("model.s2s", header: "{\(entry("dec.b", [1], 0, 4)),\(entry("enc.W", [2], 4, 8, dtype: "F16"))}", dataBytes: 8)
        assertRefused(p) { $0 == .unsupportedDType(tensor: "enc.W", dtype: "F16") }
        do {
            _ = try SafeTensorsFile.read(from: p)
        } catch {
            XCTAssertEqual(error.description, "\(p): tensor 'enc.W' has dtype F16; s2s reads F32 only")
        }
    }

    func testDirectoriesAndMissingFilesAreRefused() throws {
        assertRefused(dir) { $0 == .notARegularFile }
        let missing = path("missing.safetensors")
        assertRefused(missing) { $0 == .system(operation: "open for reading", code: ENOENT) }
    }

    func testHostileNamesStayOnOneLineInMessages() throws {
        let name = "evil\\nname\\u2028" + String(repeating: "x", count: 500)
        let p = try rawFile("names.safetensors", header: "{\(entry(name, [1], 0, 4, dtype: "BF16"))}", dataBytes: 4)
        assertRefused(p) { problem in
            if case .unsupportedDType(tensor: let t, dtype: "BF16") = problem { return t.hasPrefix("evil\nname\u{2028}") }
            return false
        }
        do {
            _ = try SafeTensorsHeader.read(from: p)
        } catch {
            XCTAssertLessThan(error.description.count, 400, "long names are cut in messages")
            XCTAssertFalse(error.description.contains("\u{2028}"))
        }
    }

    // MARK: - Checking a file against the model's expected tensors

    func testCheckExpectedTensorsAndReadIntoBufferRefuseBeforeWriting() throws {
        let p = path("model.safetensors")
        try SafeTensorsFile(tensors: [.init(name: "a", shape: [2], data: [1, 2]),
                                      .init(name: "b", shape: [1, 2], data: [3, 4])]).write(to: p)
        let header = try SafeTensorsHeader.read(from: p)
        XCTAssertNoThrow(try header.check(expected: [("a", [2]), ("b", [1, 2])]))
        XCTAssertNoThrow(try header.check(expected: [("b", [1, 2])], allowingExtra: true))
        assertThrows({ () throws(SafeTensorsError) in try header.check(expected: [("a", [2]), ("b", [1, 2]), ("c", [1]), ("d", [1])]) }) {
            $0 == .missingTensor(name: "c", more: 1)
        }
        assertThrows({ () throws(SafeTensorsError) in try header.check(expected: [("a", [2]), ("b", [2])]) }) {
            $0 == .shapeMismatch(tensor: "b", expected: [2], found: [1, 2])
        }
        assertThrows({ () throws(SafeTensorsError) in try header.check(expected: [("b", [1, 2])]) }) {
            $0 == .unexpectedTensor(name: "a", more: 0)
        }

        // A mismatching file must leave the destination untouched.
        var buffer = [Float](repeating: -9, count: 4)
        let wrong = [SafeTensorsView(name: "a", offset: 0, shape: [2]), SafeTensorsView(name: "b", offset: 2, shape: [2, 1])]
        assertThrows({ () throws(SafeTensorsError) in
            try buffer.withUnsafeMutableBufferPointer { (b) throws(SafeTensorsError) in
                _ = try SafeTensors.read(from: p, views: wrong, into: b)
            }
        }) { $0 == .shapeMismatch(tensor: "b", expected: [2, 1], found: [1, 2]) }
        XCTAssertEqual(buffer, [-9, -9, -9, -9])
    }

    func testBadArgumentsAreRefusedBeforeTouchingTheFileSystem() throws {
        let p = path("args.safetensors")
        let isArgument: (SafeTensorsError.Problem) -> Bool = { if case .invalidArgument = $0 { true } else { false } }
        assertThrows({ () throws(SafeTensorsError) in
            try SafeTensorsFile(tensors: [.init(name: "a", shape: [2, 2], data: [1, 2, 3])]).write(to: p)
        }, isArgument)
        assertThrows({ () throws(SafeTensorsError) in
            try SafeTensorsFile(tensors: [.init(name: "a", shape: [1], data: [1]), .init(name: "a", shape: [1], data: [2])]).write(to: p)
        }, isArgument)
        assertThrows({ () throws(SafeTensorsError) in
            try SafeTensorsFile(tensors: [.init(name: "__metadata__", shape: [1], data: [1])]).write(to: p)
        }, isArgument)
        let buffer = [Float](repeating: 0, count: 8)
        for view in [SafeTensorsView(name: "v", offset: 6, shape: [3]), SafeTensorsView(name: "v", offset: -1, shape: [1]),
                     SafeTensorsView(name: "v", offset: 0, shape: [-2, -2])] {
            assertThrows({ () throws(SafeTensorsError) in
                try buffer.withUnsafeBufferPointer { (b) throws(SafeTensorsError) in
                    try SafeTensors.write(to: p, views: [view], from: b)
                }
            }, isArgument)
        }
        XCTAssertEqual(try directoryListing(), [])
    }

    // MARK: - Atomic saving

    func testSavingReplacesTheOldFileCompletely() throws {
        let p = path("model.safetensors")
        try SafeTensorsFile(metadata: ["version": "1"], tensors: Self.sampleTensors()).write(to: p)
        try SafeTensorsFile(metadata: ["version": "2"], tensors: [.init(name: "x", shape: [1], data: [42])]).write(to: p)
        let loaded = try SafeTensorsFile.read(from: p)
        XCTAssertEqual(loaded.metadata, ["version": "2"])
        XCTAssertEqual(loaded.tensors.map(\.name), ["x"])
        XCTAssertEqual(try directoryListing(), ["model.safetensors"])
    }

    func testSavingOverADirectoryFailsAndLeavesNoTempFile() throws {
        let target = path("model.safetensors")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try "keep".write(toFile: target + "/inside", atomically: false, encoding: .utf8)
        assertThrows({ () throws(SafeTensorsError) in try SafeTensorsFile(tensors: Self.sampleTensors()).write(to: target) }) {
            if case .system(_, let code) = $0 { return code == EISDIR || code == ENOTEMPTY || code == EEXIST }
            return false
        }
        XCTAssertEqual(try directoryListing(), ["model.safetensors"], "temp file must be removed")
        XCTAssertEqual(try String(contentsOfFile: target + "/inside", encoding: .utf8), "keep")
    }

    func testSavingIntoAMissingDirectoryFails() throws {
        assertThrows({ () throws(SafeTensorsError) in try SafeTensorsFile().write(to: self.path("no/such/dir/model.safetensors")) }) {
            if case .system(_, ENOENT) = $0 { return true } else { return false }
        }
        XCTAssertEqual(try directoryListing(), [])
    }

    /// A write that fails halfway (here: the process's file size limit) must keep the old file.
    func testWriteFailingMidwayLeavesTheOldFileIntact() throws {
        let p = path("model.safetensors")
        try SafeTensorsFile(metadata: ["version": "old"], tensors: Self.sampleTensors()).write(to: p)
        let before = try Data(contentsOf: URL(fileURLWithPath: p))
        let big = SafeTensorsFile(metadata: ["version": "new"],
                                  tensors: [.init(name: "w", shape: [64, 1024], data: [Float](repeating: 1, count: 65536))])

        var saved = rlimit()
        XCTAssertEqual(getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &saved), 0)
        let oldHandler = signal(SIGXFSZ, SIG_IGN)
        var limit = saved
        limit.rlim_cur = 16 * 1024
        XCTAssertEqual(setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit), 0)
        var outcome: SafeTensorsError?
        do { try big.write(to: p) } catch { outcome = error }
        setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &saved)
        signal(SIGXFSZ, oldHandler)

        let error = try XCTUnwrap(outcome, "the write should have hit the file size limit")
        XCTAssertEqual(error.problem.systemCode, EFBIG, error.description)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: p)), before, "old file changed")
        XCTAssertEqual(try SafeTensorsFile.read(from: p).metadata["version"], "old")
        XCTAssertEqual(try directoryListing(), ["model.safetensors"], "temp file must be removed")
    }

    func testUnwritableDirectoryLeavesTheOldFileIntact() throws {
        try XCTSkipIf(geteuid() == 0, "root ignores directory permissions")
        let p = path("model.safetensors")
        try SafeTensorsFile(metadata: ["version": "old"]).write(to: p)
        XCTAssertEqual(chmod(dir, 0o555), 0)
        assertThrows({ () throws(SafeTensorsError) in try SafeTensorsFile(metadata: ["version": "new"]).write(to: p) }) {
            $0.systemCode == EACCES
        }
        XCTAssertEqual(try SafeTensorsFile.read(from: p).metadata["version"], "old")
    }

    // MARK: - Interop with Python's safetensors

    private var fixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/safetensors").path
    }

    func testReadsAFileWrittenByPythonSafetensors() throws {
        let loaded = try SafeTensorsFile.read(from: fixtures + "/python_written.safetensors")
        XCTAssertEqual(loaded.metadata, Self.sampleMetadata)
        // Python's writer orders tensors by name.
        assertSameTensors(loaded.tensors, Self.sampleTensors().sorted { $0.name < $1.name })
    }

    func testRefusesAnF16FileWrittenByPythonSafetensors() throws {
        assertRefused(fixtures + "/python_written_f16.safetensors") { $0 == .unsupportedDType(tensor: "half", dtype: "F16") }
    }

    /// Runs when python3 has safetensors and numpy (pip install safetensors numpy); skipped otherwise.
    func testPythonSafetensorsReadsOurFile() throws {
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let probe = Process()
        probe.executableURL = python
        probe.arguments = ["python3", "-c", "import safetensors, numpy"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        try XCTSkipIf(probe.terminationStatus != 0, "python3 with safetensors and numpy is not installed")

        // Written through the flat-buffer path the model uses, from a padded buffer.
        let tensors = Self.sampleTensors()
        var buffer: [Float] = []
        var views: [SafeTensorsView] = []
        for tensor in tensors {
            views.append(SafeTensorsView(name: tensor.name, offset: buffer.count, shape: tensor.shape))
            buffer += tensor.data + [Float](repeating: .nan, count: 3)
        }
        let p = path("swift_written.safetensors")
        try buffer.withUnsafeBufferPointer { (b) throws(SafeTensorsError) in
            try SafeTensors.write(to: p, metadata: Self.sampleMetadata, views: views, from: b)
        }
        let check = Process()
        check.executableURL = python
        check.arguments = ["python3", fixtures + "/interop.py", "check", p]
        let output = Pipe()
        check.standardOutput = output
        check.standardError = output
        try check.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        XCTAssertEqual(check.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("OK"), text)
    }
}

private extension SafeTensorsError.Problem {
    var systemCode: Int32? {
        if case let .system(_, code) = self { return code }
        return nil
    }
}
