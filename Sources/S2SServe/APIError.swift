// Every refusal the service gives, as one type: an HTTP status, a short code for programs (also the
// `kind` label of s2s_errors_total) and a message for people, sent as {"error": {"code", "message"}}.
// ErrorMiddleware turns whatever a route throws into that body, including Hummingbird's own 404 (and 405
// when the path exists but not with this method), so no client ever gets an empty or HTML error.
import Foundation
import Hummingbird
import NIOCore

public struct APIError: Error, Equatable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// A JSON decoding failure, naming the field at fault (e.g. "texts[2]") where there is one.
    static func badJSON(_ error: DecodingError) -> APIError {
        func field(_ path: [any CodingKey]) -> String {
            path.reduce("") { text, key in
                if let i = key.intValue, key.stringValue == "Index \(i)" || key.stringValue == "\(i)" { return text + "[\(i)]" }
                return text.isEmpty ? key.stringValue : text + "." + key.stringValue
            }
        }
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is Int.Type: return "an integer"
            case is Bool.Type: return "true or false"
            case is String.Type: return "a string"
            case is [String].Type: return "a list of strings"
            default: return "\(type)"
            }
        }
        switch error {
        case .typeMismatch(let type, let context) where !context.codingPath.isEmpty:
            return APIError(.badRequest, "invalid_field", "\"\(field(context.codingPath))\" must be \(kind(type))")
        case .valueNotFound(let type, let context) where !context.codingPath.isEmpty:
            return APIError(.badRequest, "invalid_field", "\"\(field(context.codingPath))\" must be \(kind(type)), not null")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return APIError(.badRequest, "invalid_field", "\"\(field(context.codingPath))\": \(context.debugDescription)")
        case .typeMismatch, .valueNotFound:
            return APIError(.badRequest, "invalid_json", "the body must be a JSON object such as {\"text\": \"I speak French\"}")
        case .dataCorrupted(let context):
            let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String ?? context.debugDescription
            return APIError(.badRequest, "invalid_json", "the body is not valid JSON: \(detail)")
        case .keyNotFound(let key, _):
            return APIError(.badRequest, "missing_field", "\"\(key.stringValue)\" is missing")
        @unknown default:
            return APIError(.badRequest, "invalid_json", "the body could not be read: \(error)")
        }
    }

    /// The JSON response carrying this error; a 503 asks the client to retry after a second.
    func response(allow: String? = nil) -> Response {
        struct Body: Encodable {
            struct Inner: Encodable { var code: String; var message: String }
            var error: Inner
        }
        let data = (try? JSONEncoder().encode(Body(error: .init(code: code, message: message)))) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let allow { headers[.allow] = allow }
        if status == .serviceUnavailable { headers[.retryAfter] = "1" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns thrown errors into JSON error responses and counts them by kind.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The methods each known path answers, for 405's Allow header.
    let allowed: [String: [HTTPRequest.Method]]
    let metrics: ServeMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let error: APIError
        var allow: String?
        do {
            return try await next(request, context)
        } catch let e as APIError {
            error = e
        } catch let e as HTTPError where e.status == .notFound {
            if let methods = allowed[request.uri.path] {
                allow = methods.map(\.rawValue).joined(separator: ", ")
                error = APIError(.methodNotAllowed, "method_not_allowed", "\(request.uri.path) takes \(allow!), not \(request.method.rawValue)")
            } else {
                error = APIError(.notFound, "not_found", "no such route: \(request.uri.path) (see GET / for the page, POST /v1/translate for the API)")
            }
        } catch let e as HTTPError {
            error = APIError(e.status, "http_error", e.body ?? e.status.reasonPhrase)
        } catch is CancellationError {
            error = APIError(.init(code: 499, reasonPhrase: "Client Closed Request"), "cancelled", "the client went away")
        } catch let other where other is IOError || other is ChannelError {
            // The connection failed while the body was being read: the client's side, not ours.
            error = APIError(.badRequest, "bad_connection", "the request could not be read: \(other)")
        } catch let other {
            context.logger.error("internal error: \(other)")  // the details stay in the log
            error = APIError(.internalServerError, "internal", "internal error; the server's log has the details")
        }
        metrics.error(kind: error.code)
        return error.response(allow: allow)
    }
}
