// The service: loads the model, builds the routes and runs the HTTP server (Hummingbird) and the
// batching queue together under swift-service-lifecycle.
//
//   POST /v1/translate   translations (TranslateAPI.swift)
//   GET  /health         200 {"status": "ok"}: the model is loaded (it is, before the port opens)
//   GET  /v1/model       the model's configuration, vocabularies and training summary
//   GET  /metrics        Prometheus text (ServeMetrics.swift)
//   GET  /               the web page (WebPage.swift)
//
// SIGINT or SIGTERM starts a graceful shutdown: services stop in reverse order, so the server first stops
// accepting connections and finishes its in-flight requests, and then the queue's workers end.
import Dispatch
import Foundation
import Hummingbird
import Logging
import NIOCore
import S2SDecode
import S2SNet
import ServiceLifecycle

public enum TranslationServer {
    /// The methods each route answers (405 for the others).
    static let routes: [String: [HTTPRequest.Method]] = [
        "/v1/translate": [.post], "/health": [.get, .head], "/v1/model": [.get, .head],
        "/metrics": [.get, .head], "/": [.get, .head],
    ]

    /// Loads the model (throwing the same errors `s2s translate` reports), then serves until SIGINT or
    /// SIGTERM. `listening` is called with the bound port once connections are accepted.
    public static func run(_ config: ServeConfiguration, logger: Logger,
                           listening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let loaded = try Translator(modelPath: config.modelPath)
        logger.info("model \(config.modelPath): \(loaded.model.params.count) parameters; OpenBLAS kernel \(BLAS.coreName); \(config.batching.workers) workers; output layer \(config.search.precision.resolved.rawValue)\(config.search.shortlist && loaded.shortlist != nil ? " over the shortlist" : "")")
        // Each worker is one core: BLAS must not start threads of its own inside it.
        BLAS.setThreads(1)
        Parallel.workers = 1
        let metrics = ServeMetrics()
        let queue = try TranslationQueue(
            model: loaded.model, vocabularies: loaded.vocabularies, shortlist: loaded.shortlist, batching: config.batching,
            search: config.search, maxQueuedTexts: config.limits.maxQueuedTexts, metrics: metrics)
        let info = try ModelInfo.json(loaded, path: config.modelPath, config: config, shortlistInUse: queue.usesShortlist)

        let router = Router(context: ServeContext.self, options: .autoGenerateHeadEndpoints)
        router.middlewares.add(AccessLog(metrics: metrics, routes: Set(routes.keys)))
        router.middlewares.add(ErrorMiddleware(allowed: routes, metrics: metrics))
        let watch = ConnectionWatch()
        router.post("/v1/translate") { request, context in
            try await translate(request, channel: context.channel, queue: queue, watch: watch, config: config)
        }
        router.get("/health") { _, _ in json(Data(#"{"status":"ok"}"#.utf8)) }
        router.get("/v1/model") { _, _ in json(info) }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: WebPage.html)))
        }

        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [watch.handler()])),
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "s2s"),
            onServerRunning: { channel in listening(channel.localAddress?.port ?? config.port) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [queue, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// POST /v1/translate. The body is read under the size limit and the request checked before it is
    /// queued. If the client's connection closes while its texts wait, they leave the queue
    /// (ConnectionWatch; Hummingbird's consumeWithCancellationOnInboundClose would do it too, but it closes
    /// every connection after its response, and keep-alive is worth more under load).
    static func translate(_ request: Request, channel: any Channel, queue: TranslationQueue, watch: ConnectionWatch,
                          config: ServeConfiguration) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let limit = config.limits.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(.contentTooLarge, "body_too_large", "the body is \(length) bytes; the limit is \(limit)")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "body_too_large", "the body is over the limit of \(limit) bytes")
        }
        let parsed = try TranslateRequest.parse(Data(buffer.readableBytesView), limits: config.limits,
                                                defaultBeam: config.search.beam)
        let key = TranslationQueue.SearchKey(beam: parsed.beam, nbest: parsed.nbest, alignment: parsed.alignment)
        let results = try await watch.run(on: channel) { try await queue.translate(parsed.texts, key: key) }
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return json(try encoder.encode(TranslateResponse(results, request: parsed, milliseconds: ms)))
    }

    static func json(_ data: Data) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The request context: Hummingbird's core storage plus the connection, whose closing tells a waiting
/// translation that its client has gone.
struct ServeContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
