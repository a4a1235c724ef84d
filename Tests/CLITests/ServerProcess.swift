// Running the built `s2s-serve` from tests: start it on a free port, talk HTTP to it, stop it.
//
//     let server = try ServerProcess(model: path)          // waits for "listening on http://…:PORT"
//     let r = try server.request("POST", "/v1/translate", json: ["text": "I speak French"])
//     XCTAssertEqual(r.status, 200)
//     XCTAssertEqual(server.stop(), 0)                     // SIGTERM, then the exit status
// The binary is the one `swift test` built beside `s2s` (S2SCommand.binaryURL()).
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

final class ServerProcess: @unchecked Sendable {  // set up in init, then only read
    let process = Process()
    private(set) var port = 0
    private let errURL: URL

    /// What the server wrote to standard error (its log: one line per request).
    var log: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }

    init(model: String, arguments: [String] = []) throws {
        let binary = try S2SCommand.binaryURL().deletingLastPathComponent().appendingPathComponent("s2s-serve")
        errURL = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-serve-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.executableURL = binary
        process.arguments = ["--model", model, "--port", "0"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        // The first line of standard output names the port; nothing else is written there. Read on a
        // thread of its own, so a server that never says it is listening fails the test after a minute.
        nonisolated(unsafe) var line = Data()
        let read = DispatchSemaphore(value: 0)
        let reader = out.fileHandleForReading
        Thread.detachNewThread {
            line = reader.availableDataLine()
            read.signal()
        }
        if read.wait(timeout: .now() + 60) == .timedOut { process.terminate() }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: #":(\d+) "#, options: .regularExpression),
              let port = Int(text[range].dropFirst().dropLast()) else {
            process.terminate()
            throw CommandError(message: "s2s-serve did not start: \(text) \(log)")
        }
        self.port = port
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Sends `signal` and waits for the exit status.
    func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    struct Reply {
        var status: Int
        var body: Data
        var headers: [String: String]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        /// {"error": {"code": …}}'s code.
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    }

    /// One request; `json` is encoded as the body (or `raw` sent as it is).
    func request(_ method: String, _ path: String, json: Any? = nil, raw: Data? = nil, timeout: TimeInterval = 120) throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.timeoutInterval = timeout
        if let json { request.httpBody = try JSONSerialization.data(withJSONObject: json) }
        if let raw { request.httpBody = raw }
        if request.httpBody != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<Reply, any Error> = .failure(CommandError(message: "no reply"))
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                result = .failure(error)
            } else if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (k, v) in http.allHeaderFields { headers["\(k)".lowercased()] = "\(v)" }
                result = .success(Reply(status: http.statusCode, body: data ?? Data(), headers: headers))
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return try result.get()
    }

    /// Sends a POST over a socket of its own and returns the socket without reading the reply, so a test
    /// can close it whenever it likes (a client that goes away mid-request).
    func send(_ path: String, json: Any) throws -> Int32 {
        let body = try JSONSerialization.data(withJSONObject: json)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, connected == 0 else { throw CommandError(message: "cannot connect to port \(port)") }
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        for chunk in [Data(head.utf8), body] {
            try chunk.withUnsafeBytes { bytes in
                var sent = 0
                while sent < bytes.count {
                    let n = write(fd, bytes.baseAddress! + sent, bytes.count - sent)
                    if n <= 0 { throw CommandError(message: "write to port \(port) failed") }
                    sent += n
                }
            }
        }
        return fd
    }

    /// The translations of a 200 reply to POST /v1/translate.
    static func texts(_ reply: Reply) -> [String] {
        ((reply.json["translations"] as? [[String: Any]]) ?? []).map { $0["text"] as? String ?? "<missing>" }
    }

    /// The value of a metric line such as `s2s_sentences_total` in GET /metrics.
    func metric(_ name: String) throws -> Double? {
        let text = try request("GET", "/metrics").text
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") || line.hasPrefix(name + "{") {
            return Double(line.split(separator: " ").last ?? "")
        }
        return nil
    }
}
