// Cancelling a request's work when its client disconnects, without giving up keep-alive.
//
// Hummingbird keeps a connection open after the client closes its side (remote half-closure), until the
// response is written, so neither the channel's close nor the handler's task says "the client left"
// while a translation waits. The one sign is NIO's inputClosed event. ClientGoneHandler, put in every
// connection's pipeline, passes it here, and the request that connection is serving is cancelled: its
// texts leave the queue. (Hummingbird's consumeWithCancellationOnInboundClose does the same by reading
// the connection itself, but closes every connection after its response.)
// HTTP/1.1 serves one request at a time per connection, so one entry per connection is enough.
import Foundation
import NIOCore

final class ConnectionWatch: @unchecked Sendable {  // state guarded by `lock`
    private let lock = NSLock()
    /// Connections serving a request → how to cancel it.
    private var current: [ObjectIdentifier: @Sendable () -> Void] = [:]
    /// Connections whose client has closed its side.
    private var gone: Set<ObjectIdentifier> = []

    /// Runs `work` in a task of its own, cancelled if `channel`'s client goes (or the caller is cancelled).
    func run<T: Sendable>(on channel: any Channel, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await work() }
        let id = ObjectIdentifier(channel)
        let alreadyGone = lock.withLock {
            current[id] = { task.cancel() }
            return gone.contains(id)
        }
        // A connection that closed before it was registered here has no inputClosed left to deliver.
        if alreadyGone || !channel.isActive { task.cancel() }
        defer { lock.withLock { _ = current.removeValue(forKey: id) } }
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }

    fileprivate func clientClosed(_ id: ObjectIdentifier) {
        let cancel = lock.withLock {
            gone.insert(id)
            return current[id]
        }
        cancel?()
    }

    fileprivate func connectionEnded(_ id: ObjectIdentifier) {
        let cancel = lock.withLock {
            gone.remove(id)
            return current.removeValue(forKey: id)
        }
        cancel?()
    }

    /// A new handler for one connection's pipeline.
    func handler() -> ClientGoneHandler { ClientGoneHandler(watch: self) }
}

/// Watches one connection for its client closing; passes everything through unchanged.
final class ClientGoneHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = NIOAny  // never unwrapped: parts are only passed on
    private let watch: ConnectionWatch

    init(watch: ConnectionWatch) { self.watch = watch }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event as? ChannelEvent ?? .outputClosed {
            watch.clientClosed(ObjectIdentifier(context.channel))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        watch.connectionEnded(ObjectIdentifier(context.channel))
        context.fireChannelInactive()
    }
}
