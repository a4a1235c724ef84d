// Lines as strangers send them, through the built binary: a paragraph on one line, a 1 MB line, a line of
// 100,000 words, NUL bytes, CR LF endings, a byte-order mark, and encoded lone surrogates. Each is
// translated in bounded time and memory, and the output stays one line per input line.
import Foundation
import XCTest

final class OddLinesTests: XCTestCase {
    /// The tiny model TrainTranslateTests trains ("sN …" → reversed "tN …").
    var model: String {
        XCTAssertEqual(TrainTranslateTests.trained.status, 0, TrainTranslateTests.trained.stderr)
        return TrainTranslateTests.path("m.s2s")
    }

    /// Runs `s2s translate --model M extra…` on `input` (bytes); returns what it printed, the wall time
    /// and the peak resident memory (VmHWM, read from /proc while it runs).
    func translate(_ input: [UInt8], _ extra: [String] = []) throws -> (out: [UInt8], err: String, status: Int32, seconds: Double, peakMB: Double) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-odd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("in"), outURL = dir.appendingPathComponent("out"), errURL = dir.appendingPathComponent("err")
        try Data(input).write(to: inURL)
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let process = Process()
        process.executableURL = try S2SCommand.binaryURL()
        process.arguments = ["translate", "--model", model, "--threads", "2"] + extra
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let started = Date()
        try process.run()
        var peakKB = 0.0
        while process.isRunning {
            if let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
               let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kb = Double(line.split(separator: " ").dropFirst().first ?? "") {
                peakKB = max(peakKB, kb)
            }
            if Date().timeIntervalSince(started) > 300 { process.terminate(); XCTFail("ran over 300 s"); break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        process.waitUntilExit()
        return ([UInt8](try Data(contentsOf: outURL)), String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
                process.terminationStatus, Date().timeIntervalSince(started), peakKB / 1024)
    }

    func lines(_ bytes: [UInt8]) -> [String] {
        var text = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n")
        if text.last == "" { text.removeLast() }
        return text
    }

    func one(_ line: String, _ extra: [String] = []) throws -> String {
        let r = try translate(Array((line + "\n").utf8), extra)
        XCTAssertEqual(r.status, 0, r.err)
        return try XCTUnwrap(lines(r.out).first)
    }

    // ICU's rules end a sentence at ". " only before a capital (else "e.g. this" would be cut), so the
    // second sentence starts with "S4", a word the model has not seen (it comes through as itself).
    func testAParagraphIsTranslatedSentenceBySentence() throws {
        let first = try one("s1 s2 s3."), second = try one("S4 s5.")
        XCTAssertFalse(first.isEmpty)
        XCTAssertEqual(try one("s1 s2 s3.  S4 s5."), first + "  " + second, "each sentence, joined with the line's spacing")
        let whole = try translate(Array("s1 s2 s3.  S4 s5.\n".utf8), ["--no-split"])
        XCTAssertEqual(whole.status, 0, whole.err)
        XCTAssertEqual(lines(whole.out).count, 1)
    }

    func testAOneMegabyteLine() throws {
        var line = ""
        var k = 0
        while line.utf8.count < 1_000_000 {
            line += "S\(k % 12) s\((k * 5) % 12) s\((k * 7) % 12). "
            k += 1
        }
        let r = try translate(Array(("s1 s2.\n" + line + "\ns3 s4.\n").utf8), ["--beam", "1"])
        XCTAssertEqual(r.status, 0, r.err)
        let out = lines(r.out)
        XCTAssertEqual(out.count, 3)
        XCTAssertEqual(out[0], try one("s1 s2.", ["--beam", "1"]))
        XCTAssertEqual(out[2], try one("s3 s4.", ["--beam", "1"]))
        XCTAssertGreaterThanOrEqual(out[1].split(separator: ".").count, k, "every sentence of the line is translated")
        XCTAssertLessThan(r.peakMB, 1000)
        print("1 MB line (\(k) sentences), beam 1: \(String(format: "%.1f", r.seconds)) s, peak \(Int(r.peakMB)) MB")
    }

    func testALineOfAHundredThousandWords() throws {
        let line = (0..<100_000).map { "s\($0 % 12)" }.joined(separator: " ")
        let r = try translate(Array(("s1 s2.\n" + line + "\ns3 s4.\n").utf8), ["--beam", "1"])
        XCTAssertEqual(r.status, 0, r.err)
        let out = lines(r.out)
        XCTAssertEqual(out.count, 3)
        XCTAssertEqual(out[2], try one("s3 s4.", ["--beam", "1"]))
        XCTAssertTrue(r.err.contains("warning: line 2 holds a sentence longer than --max-length 100 pieces"), r.err)
        XCTAssertGreaterThan(out[1].split(separator: " ").count, 2 * 1000, "each of the 1,000 parts is translated")
        XCTAssertLessThan(r.peakMB, 1000)
        print("100,000-word line, beam 1: \(String(format: "%.1f", r.seconds)) s, peak \(Int(r.peakMB)) MB")
    }

    func testNULBytesKeepLinesAligned() throws {
        let r = try translate(Array("s1\u{0} s2.\n\u{0}\u{0}\u{0}\ns3 s4.\n".utf8))
        XCTAssertEqual(r.status, 0, r.err)
        let out = lines(r.out)
        XCTAssertEqual(out.count, 3)
        XCTAssertEqual(out[2], try one("s3 s4."))
    }

    func testCRLFLineEndingsTranslateLikeLF() throws {
        let crlf = try translate(Array("s1 s2.\r\ns3 s4.\r\n".utf8)), lf = try translate(Array("s1 s2.\ns3 s4.\n".utf8))
        XCTAssertEqual(crlf.status, 0, crlf.err)
        XCTAssertEqual(crlf.out, lf.out)
        XCTAssertFalse(crlf.out.contains(13), "no CR in the output")
    }

    func testAByteOrderMarkIsNotTranslated() throws {
        let bom = try translate([0xEF, 0xBB, 0xBF] + Array("s1 s2.\ns3 s4.\n".utf8)), plain = try translate(Array("s1 s2.\ns3 s4.\n".utf8))
        XCTAssertEqual(bom.status, 0, bom.err)
        XCTAssertEqual(bom.out, plain.out)
    }

    func testEncodedLoneSurrogatesFromStdin() throws {
        // U+D800 and U+DC00 encoded as UTF-8 (CESU-style): ill-formed UTF-8 that some tools emit.
        let input: [UInt8] = Array("s1 ".utf8) + [0xED, 0xA0, 0x80] + Array(" s2.\n".utf8) + [0xED, 0xB0, 0x80, 0x0A] + Array("s3 s4.\n".utf8)
        let r = try translate(input)
        XCTAssertEqual(r.status, 0, r.err)
        let out = lines(r.out)
        XCTAssertEqual(out.count, 3)
        XCTAssertEqual(out[2], try one("s3 s4."))
    }
}
