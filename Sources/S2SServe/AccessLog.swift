// One swift-log line per request (method, path, status, milliseconds), and the request counter by route
// and status. It is the outermost middleware, so it sees the status ErrorMiddleware chose.
import Dispatch
import Foundation
import Hummingbird

struct AccessLog<Context: RequestContext>: RouterMiddleware {
    let metrics: ServeMetrics
    /// Paths counted under their own name; anything else is "other", so a scan of random URLs cannot
    /// grow the metrics without bound.
    let routes: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        var status = 500
        defer {
            let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            let path = request.uri.path
            // context.logger carries the request's id (hb.request.id) as metadata.
            context.logger.info("\(request.method.rawValue) \(path) \(status) \(String(format: "%.1f", ms)) ms")
            metrics.request(route: routes.contains(path) ? path : "other", status: status)
        }
        let response = try await next(request, context)
        status = response.status.code
        return response
    }
}
