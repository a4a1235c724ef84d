// The translation service end to end: `s2s-serve` started on a free port with a tiny model trained here,
// talked to over HTTP. Concurrent clients get what `s2s translate` prints; every bad input gets its
// status and JSON error and leaves the server working; a client that leaves frees its queued work;
// SIGTERM lets the request in flight finish and exits 0; the web page works in headless Chromium.
import Foundation
import XCTest

final class ServeTests: XCTestCase {
    /// The made-up pairs of SyntheticCorpus, plus a few English–French ones for the web page to show.
    static let pairs: (src: [String], tgt: [String]) = {
        var (src, tgt) = syntheticCorpus(count: 40, words: 14, seed: 77)
        src += ["I speak French.", "I speak English.", "You speak French.", "We speak French."]
        tgt += ["Je parle français.", "Je parle anglais.", "Tu parles français.", "Nous parlons français."]
        return (src, tgt)
    }()

    static let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-serve-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        writeLines(pairs.src, to: d, "train.en")
        writeLines(pairs.tgt, to: d, "train.fr")
        return d
    }()

    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Trained once for all tests here (a few seconds).
    static let model: String = {
        let r = try! S2SCommand.run(["train", path("train.en"), path("train.fr"), "--epochs", "150", "--valid-every", "100000",
                                     "--model", path("m.s2s")] + TrainTranslateTests.tinyModel, timeout: 600)
        XCTAssertEqual(r.status, 0, r.stderr)
        return path("m.s2s")
    }()

    /// Lines to translate: training sentences, unseen mixtures of their words, an empty line, a paragraph.
    static let lines: [String] = {
        let (src, _) = syntheticCorpus(count: 30, words: 14, seed: 5)
        return Array(pairs.src.prefix(10)) + src + ["", "I speak French. s1 s2 s3.", "  s4 s5  "]
    }()

    func testRoutesAnswerHealthModelMetricsAndThePage() throws {
        let server = try ServerProcess(model: Self.model)
        let health = try server.request("GET", "/health")
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(health.json["status"] as? String, "ok")
        let info = try server.request("GET", "/v1/model")
        XCTAssertEqual(info.status, 200)
        XCTAssertEqual(info.json["cell"] as? String, "gru")
        let vocabulary = try XCTUnwrap(info.json["vocabulary"] as? [String: Any])
        XCTAssertGreaterThan(vocabulary["source_size"] as? Int ?? 0, 14)
        XCTAssertEqual(vocabulary["units"] as? String, "word")
        let training = try XCTUnwrap(info.json["training"] as? [String: Any], "the training summary is in the file")
        XCTAssertGreaterThan(training["steps"] as? Int ?? 0, 0)
        XCTAssertGreaterThan(training["trainSeconds"] as? Double ?? 0, 0)
        XCTAssertNotNil(training["recipe"] as? [String: Any])
        let shortlist = try XCTUnwrap(info.json["shortlist"] as? [String: Any], "s2s train stores a shortlist")
        XCTAssertEqual(shortlist["pieces_per_source_piece"] as? Int, 50)
        let search = try XCTUnwrap(info.json["search"] as? [String: Any])
        XCTAssertEqual(search["shortlist"] as? Bool, true)
        XCTAssertTrue(["int8", "float32"].contains(search["output_precision"] as? String ?? ""), "\(search)")
        let page = try server.request("GET", "/")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.headers["content-type"]?.hasPrefix("text/html") ?? false)
        XCTAssertTrue(page.text.contains("<textarea") && page.text.contains("/v1/translate"))
        for outside in [#"src="http"#, #"href="http"#, "@import", #"fetch("http"#, "//cdn"] {
            XCTAssertFalse(page.text.contains(outside), "the page fetches nothing from elsewhere (\(outside))")
        }

        _ = try server.request("POST", "/v1/translate", json: ["texts": ["I speak French.", "s1 s2."]])
        let metrics = try server.request("GET", "/metrics").text
        for name in ["s2s_requests_total", "s2s_sentences_total", "s2s_batch_size", "s2s_queue_wait_seconds", "s2s_decode_seconds"] {
            XCTAssertTrue(metrics.contains("# TYPE \(name)"), "\(name) missing from /metrics")
        }
        XCTAssertEqual(try server.metric("s2s_sentences_total"), 2)
        XCTAssertTrue(metrics.contains(#"s2s_requests_total{route="/v1/translate",status="200"} 1"#), metrics)
        XCTAssertEqual(server.stop(), 0)
        XCTAssertTrue(server.log.contains("POST /v1/translate 200"), "one access-log line per request:\n\(server.log)")
    }

    /// 16 clients at once, each sending its share of the lines (some as "text", some as "texts"), get
    /// exactly what `s2s translate` prints for them, in their own order.
    func testSixteenConcurrentClientsGetWhatTranslatePrints() throws {
        let cli = try S2SCommand.run(["translate", "--model", Self.model, "--beam", "4", "--threads", "1"],
                                     stdin: Self.lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(cli.status, 0, cli.stderr)
        let expected = cli.stdoutLines
        XCTAssertEqual(expected.count, Self.lines.count)
        XCTAssertEqual(expected[0], Self.pairs.tgt[0], "the tiny model learned its training set")

        // A wait, so the requests of 16 clients arriving together share batches even on a fast machine.
        let server = try ServerProcess(model: Self.model, arguments: ["--max-batch", "8", "--max-wait", "50"])
        let clients = 16
        let got = UnsafeMutableBufferPointer<[Int: String]>.allocate(capacity: clients)
        got.initialize(repeating: [:])
        defer { got.deallocate() }
        let failures = UnsafeMutableBufferPointer<String?>.allocate(capacity: clients)
        failures.initialize(repeating: nil)
        defer { failures.deallocate() }
        let box = (got: got, failures: failures)
        nonisolated(unsafe) let shared = box
        // 16 threads of their own (concurrentPerform would run only as many at once as there are cores).
        let all = DispatchGroup()
        for c in 0..<clients {
            all.enter()
            Thread.detachNewThread {
                defer { all.leave() }
                do {
                    for round in 0..<2 {
                        let mine = Array(stride(from: c + round * clients, to: Self.lines.count, by: 2 * clients))
                        if mine.isEmpty { continue }
                        let single = mine.count == 1
                        let body: [String: Any] = single ? ["text": Self.lines[mine[0]], "beam": 4]
                                                         : ["texts": mine.map { Self.lines[$0] }, "beam": 4]
                        let reply = try server.request("POST", "/v1/translate", json: body)
                        guard reply.status == 200 else { shared.failures[c] = "status \(reply.status): \(reply.text)"; return }
                        for (i, text) in zip(mine, ServerProcess.texts(reply)) { shared.got[c][i] = text }
                    }
                } catch {
                    shared.failures[c] = "\(error)"
                }
            }
        }
        all.wait()
        XCTAssertEqual(failures.compactMap { $0 }, [])
        var answered: [Int: String] = [:]
        for part in got { answered.merge(part) { a, _ in a } }
        XCTAssertEqual(answered.count, Self.lines.count)
        for (i, line) in Self.lines.enumerated() {
            XCTAssertEqual(answered[i], expected[i], "line \(i): \(line)")
        }
        let batches = try XCTUnwrap(server.metric("s2s_batch_size_count"))
        let requests = min(2 * clients, Self.lines.count)  // each client's rounds that had lines to send
        XCTAssertLessThan(batches, Double(requests), "batches mixed texts of several requests")
        XCTAssertEqual(server.stop(), 0)
    }

    func testNBestAndAlignmentMatchTheCommandLine() throws {
        let cli = try S2SCommand.run(["translate", "--model", Self.model, "--beam", "5", "--nbest", "3", "I speak French."])
        XCTAssertEqual(cli.status, 0, cli.stderr)
        let expected = cli.stdoutLines.map { $0.components(separatedBy: " ||| ")[1] }
        let server = try ServerProcess(model: Self.model)
        let reply = try server.request("POST", "/v1/translate", json: ["text": "I speak French.", "nbest": 3, "alignment": true])
        XCTAssertEqual(reply.status, 200, reply.text)
        let first = try XCTUnwrap((reply.json["translations"] as? [[String: Any]])?.first)
        let nbest = try XCTUnwrap(first["nbest"] as? [[String: Any]])
        XCTAssertEqual(nbest.map { $0["text"] as? String ?? "" }, expected)
        let alignment = try XCTUnwrap(first["alignment"] as? [String: Any])
        let source = try XCTUnwrap(alignment["source"] as? [String])
        let weights = try XCTUnwrap(alignment["weights"] as? [[Double]])
        XCTAssertEqual(source, ["I", "speak", "French", "￭.", "</s>"])
        XCTAssertEqual(weights.count, (alignment["target"] as? [String])?.count)
        for row in weights {
            XCTAssertEqual(row.count, source.count)
            XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-4, "each row is a distribution over the source")
        }
        XCTAssertEqual(server.stop(), 0)
    }

    func testBadInputsGetTheirStatusAndTheServerKeepsWorking() throws {
        let server = try ServerProcess(model: Self.model, arguments: [
            "--max-body-bytes", "2000", "--max-texts", "5", "--max-characters", "40", "--max-beam", "8"])
        let cases: [(String, String, Any?, Data?, Int, String, String)] = [
            // method, path, json, raw body, status, error code, a word the message must contain
            ("POST", "/v1/translate", nil, Data(repeating: UInt8(ascii: "a"), count: 3000), 413, "body_too_large", "limit"),
            ("POST", "/v1/translate", ["texts": Array(repeating: "s1.", count: 6)], nil, 413, "too_many_texts", "texts"),
            ("POST", "/v1/translate", ["texts": ["s1.", String(repeating: "s2 ", count: 20)]], nil, 400, "text_too_long", "texts[1]"),
            ("POST", "/v1/translate", nil, Data(#"{"text": "s1."#.utf8), 400, "invalid_json", "JSON"),
            ("POST", "/v1/translate", nil, Data(), 400, "invalid_json", "JSON"),
            ("POST", "/v1/translate", ["text": 5], nil, 400, "invalid_field", "\"text\""),
            ("POST", "/v1/translate", ["texts": "s1."], nil, 400, "invalid_field", "\"texts\""),
            ("POST", "/v1/translate", ["texts": ["s1.", 7]], nil, 400, "invalid_field", "texts[1]"),
            ("POST", "/v1/translate", ["text": "s1.", "beam": 0], nil, 400, "invalid_field", "beam"),
            ("POST", "/v1/translate", ["text": "s1.", "beam": 1000], nil, 400, "invalid_field", "beam"),
            ("POST", "/v1/translate", ["text": "s1.", "beam": "wide"], nil, 400, "invalid_field", "beam"),
            ("POST", "/v1/translate", ["text": "s1.", "beam": 2, "nbest": 3], nil, 400, "invalid_field", "nbest"),
            ("POST", "/v1/translate", ["text": "s1.", "alignment": "yes"], nil, 400, "invalid_field", "alignment"),
            ("POST", "/v1/translate", ["beam": 2], nil, 400, "missing_field", "text"),
            ("POST", "/v1/translate", ["text": "a", "texts": ["b"]], nil, 400, "invalid_field", "not both"),
            ("GET", "/v1/nothing", nil, nil, 404, "not_found", "/v1/nothing"),
            ("GET", "/v1/translate", nil, nil, 405, "method_not_allowed", "POST"),
            ("DELETE", "/health", nil, nil, 405, "method_not_allowed", "GET"),
            ("POST", "/v1/translate", ["texts": Array(repeating: "s1.", count: 5)], nil, 200, "", ""),
        ]
        for (method, path, json, raw, status, code, word) in cases {
            let reply = try server.request(method, path, json: json, raw: raw)
            let what = "\(method) \(path) \(json.map { "\($0)" } ?? raw.map { "\($0.count) bytes" } ?? "")"
            XCTAssertEqual(reply.status, status, "\(what): \(reply.text)")
            if status == 200 { continue }  // the limits themselves are allowed
            XCTAssertEqual(reply.errorCode, code, "\(what): \(reply.text)")
            let message = (reply.json["error"] as? [String: Any])?["message"] as? String ?? ""
            XCTAssertTrue(message.contains(word), "\(what): the message should name \(word): \(message)")
            if status == 405 { XCTAssertNotNil(reply.headers["allow"], "405 says what is allowed") }
        }
        // Still answering, correctly.
        let reply = try server.request("POST", "/v1/translate", json: ["text": Self.pairs.src[1]])
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(ServerProcess.texts(reply), [Self.pairs.tgt[1]])
        XCTAssertEqual(try server.metric(#"s2s_errors_total{kind="invalid_field"}"#), 9)
        XCTAssertEqual(server.stop(), 0)
    }

    /// A client that gives up: its texts not yet decoded leave the queue, and the next client is served.
    func testAClientThatDisconnectsFreesItsQueuedWork() throws {
        let server = try ServerProcess(model: Self.model, arguments: ["--workers", "1", "--max-batch", "1", "--max-texts", "2000"])
        // Long texts, one per batch: far more work than the test waits for.
        let texts: [String] = (0..<2000).map { (i: Int) -> String in
            [Self.lines[i % 40], Self.lines[(i + 1) % 40], Self.lines[(i + 2) % 40]].joined(separator: " ")
        }
        let client = try server.send("/v1/translate", json: ["texts": texts, "beam": 8])
        var queued = 0.0
        for _ in 0..<500 where queued == 0 {
            Thread.sleep(forTimeInterval: 0.01)
            queued = try server.metric("s2s_queued_texts") ?? 0
        }
        XCTAssertGreaterThan(queued, 1000, "the request is queued")
        close(client)  // the client goes away
        for _ in 0..<100 where queued != 0 {
            Thread.sleep(forTimeInterval: 0.1)
            queued = try server.metric("s2s_queued_texts") ?? -1
        }
        XCTAssertEqual(queued, 0, "the queue empties")
        Thread.sleep(forTimeInterval: 0.5)  // the batch in hand finishes
        let done = try XCTUnwrap(server.metric("s2s_sentences_total"))
        XCTAssertLessThan(done, 1000, "most of the 2,000 texts were dropped, not translated")
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(try server.metric("s2s_sentences_total"), done, "and nothing more is translated for it")
        let reply = try server.request("POST", "/v1/translate", json: ["text": Self.pairs.src[2]])
        XCTAssertEqual(ServerProcess.texts(reply), [Self.pairs.tgt[2]])
        XCTAssertEqual(server.stop(), 0)
        XCTAssertTrue(server.log.contains("POST /v1/translate 499"), server.log)
    }

    func testSIGTERMFinishesTheRequestInFlightAndExitsZero() throws {
        let server = try ServerProcess(model: Self.model, arguments: ["--workers", "1", "--max-batch", "2", "--max-texts", "1000"])
        let texts = (0..<300).map { Self.lines[$0 % Self.lines.count] }
        nonisolated(unsafe) var reply: ServerProcess.Reply?
        let sent = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            reply = try? server.request("POST", "/v1/translate", json: ["texts": texts, "beam": 8])
            sent.signal()
        }
        // Signal once the request is being decoded.
        var queued = 0.0
        for _ in 0..<500 where queued == 0 {
            Thread.sleep(forTimeInterval: 0.01)
            queued = (try? server.metric("s2s_queued_texts")) ?? 0
        }
        XCTAssertGreaterThan(queued, 0, "the request was in the queue when SIGTERM came")
        kill(server.process.processIdentifier, SIGTERM)
        sent.wait()
        server.process.waitUntilExit()
        XCTAssertEqual(server.process.terminationStatus, 0, server.log)
        let answer = try XCTUnwrap(reply, "the request in flight was answered")
        XCTAssertEqual(answer.status, 200, answer.text)
        XCTAssertEqual(ServerProcess.texts(answer).count, texts.count)
        XCTAssertEqual(ServerProcess.texts(answer)[0], Self.pairs.tgt[0])
    }

    /// A full queue answers 503 with Retry-After at once, and serves again once it drains.
    func testAFullQueueAnswers503() throws {
        let server = try ServerProcess(model: Self.model, arguments: [
            "--workers", "1", "--max-batch", "1", "--max-texts", "200", "--max-queued", "200"])
        let texts: [String] = (0..<200).map { (i: Int) -> String in [Self.lines[i % 40], Self.lines[(i + 1) % 40]].joined(separator: " ") }
        let first = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var firstStatus = 0
        Thread.detachNewThread {
            firstStatus = (try? server.request("POST", "/v1/translate", json: ["texts": texts, "beam": 8]))?.status ?? -1
            first.signal()
        }
        var queued = 0.0
        for _ in 0..<500 where queued == 0 {
            Thread.sleep(forTimeInterval: 0.01)
            queued = (try? server.metric("s2s_queued_texts")) ?? 0
        }
        let busy = try server.request("POST", "/v1/translate", json: ["texts": Array(repeating: "s1.", count: 100)])
        XCTAssertEqual(busy.status, 503, busy.text)
        XCTAssertEqual(busy.errorCode, "busy")
        XCTAssertEqual(busy.headers["retry-after"], "1")
        first.wait()
        XCTAssertEqual(firstStatus, 200)
        XCTAssertEqual(ServerProcess.texts(try server.request("POST", "/v1/translate", json: ["text": Self.pairs.src[3]])),
                       [Self.pairs.tgt[3]])
        XCTAssertEqual(server.stop(), 0)
    }

    func testAModelThatDoesNotLoadGivesTranslatesErrorAndFails() throws {
        let missing = Self.path("missing.s2s")
        let translate = try S2SCommand.run(["translate", "--model", missing, "hello"])
        XCTAssertNotEqual(translate.status, 0)
        let binary = try S2SCommand.binaryURL().deletingLastPathComponent().appendingPathComponent("s2s-serve").path
        let serve = try S2SCommand.shell("'\(binary)' --model '\(missing)' --port 0 2>&1")
        XCTAssertNotEqual(serve.status, 0)
        let error = try XCTUnwrap(translate.stderr.split(separator: "\n").first { $0.hasPrefix("Error:") || $0.hasPrefix("error:") })
        let detail = error.drop { $0 != ":" }.dropFirst().trimmingCharacters(in: .whitespaces)
        XCTAssertTrue(serve.stdout.contains(detail), "same error as translate (\(detail)):\n\(serve.stdout)")
    }

    /// `s2s serve` runs s2s-serve, and finds the model as translate does.
    func testS2SServeRunsTheServerWithTheDefaultModel() throws {
        let process = Process()
        process.executableURL = try S2SCommand.binaryURL()
        process.arguments = ["serve", "--port", "0"]
        process.environment = ProcessInfo.processInfo.environment.merging(["S2S_MODEL": Self.model]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = String(decoding: out.fileHandleForReading.availableDataLine(), as: UTF8.self)
        XCTAssertTrue(line.contains("listening on http://127.0.0.1:") && line.contains(Self.model), line)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    /// The web page in a real browser: type, click, read the translation and see the heat map.
    func testWebPageTranslatesInHeadlessChromium() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scripts/web-page-check.py").path
        let server = try ServerProcess(model: Self.model)
        let r = try S2SCommand.shell("python3 '\(script)' http://127.0.0.1:\(server.port)/ 'I speak French.' 'Je parle français.'")
        if r.status == 2 {
            throw XCTSkip("no headless browser here (.ci/run installs chromium, chromium-driver and selenium): \(r.stdout)")
        }
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.stdout.contains("Je parle français.\nheat map squares: 25"), r.stdout)  // (4 words + </s>)²
        XCTAssertEqual(server.stop(), 0)
    }
}

extension FileHandle {
    /// Reads up to the first newline (or the end).
    func availableDataLine() -> Data {
        var line = Data()
        while true {
            let byte = readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { return line }
            line.append(byte)
        }
    }
}
