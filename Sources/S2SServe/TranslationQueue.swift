// Dynamic batching: the one place where requests meet.
//
// Why: a CPU translator is fastest on batches (one step's GEMMs serve every sentence in it), but an HTTP
// client sends one or a few sentences at a time. So every request's texts go into one queue, and
// decoding workers take batches from it that mix texts of many requests.
//
// How:
//   - A request adds its texts (a Pending) and suspends; it is resumed, with its translations in its own
//     order, when its last text is done.
//   - Workers are threads, one per core (BatchingOptions.workers), each with its own Translator (the
//     text codecs are not thread-safe; the model's weights are shared and only read). BLAS runs
//     single-threaded inside each: small batches do not split well across cores, whole batches do.
//   - A worker takes a batch when it has `maxBatch` texts, or when the oldest text has waited
//     `maxWaitMilliseconds`. It waits for company only while another worker is decoding: with every
//     worker idle, no batch is about to finish and release a crowd of clients, so waiting would only add
//     latency (one client gets the CLI's single-sentence time).
//   - A batch holds texts of one search setting (beam, nbest, alignment): the setting of the oldest
//     waiting request. It takes one text from each waiting request in turn, oldest first, until full, so
//     a request of 100 texts shares every batch with the requests behind it instead of starving them.
//     The Translator sorts a batch by length before searching it.
//   - A request whose client goes away (its task is cancelled) leaves the queue at once; any of its
//     texts already in a batch are translated and dropped. Nothing of one request reaches another:
//     results are placed by (request, index).
//   - Stopping (graceful shutdown, after the HTTP server has finished its in-flight requests) lets the
//     workers empty the queue, then ends them.
import Dispatch
import Foundation
import S2SDecode
import S2SNet
import S2SText
import ServiceLifecycle

public final class TranslationQueue: Service, @unchecked Sendable {  // mutable state guarded by `condition`
    /// Requests decode together only if they ask for the same search.
    struct SearchKey: Equatable {
        var beam: Int
        var nbest: Int
        var alignment: Bool
    }

    /// One request's texts on their way through the queue (read and written under the queue's lock).
    final class Pending: @unchecked Sendable {
        let key: SearchKey
        let texts: [String]
        let arrived = DispatchTime.now()
        var taken = 0     // texts handed to workers
        var finished = 0  // texts translated
        var results: [Translation?]
        var continuation: CheckedContinuation<[Translation], any Error>?
        var cancelled = false

        init(key: SearchKey, texts: [String]) {
            self.key = key
            self.texts = texts
            results = Array(repeating: nil, count: texts.count)
        }
    }

    private let condition = NSCondition()
    private var waiting: [Pending] = []  // requests with texts not yet taken, oldest first
    private var busyWorkers = 0
    private var queuedTexts = 0
    private var stopping = false
    private let allStopped = DispatchGroup()
    private let translators: [Translator]
    private let batching: BatchingOptions
    private let search: TranslationOptions
    private let metrics: ServeMetrics

    public init(model: Seq2Seq, vocabularies: VocabularySet, batching: BatchingOptions, search: TranslationOptions,
                metrics: ServeMetrics) throws {
        translators = try (0..<max(1, batching.workers)).map { _ in try Translator(model: model, vocabularies: vocabularies) }
        self.batching = batching
        self.search = search
        self.metrics = metrics
    }

    /// Translates `texts` with the given search; the results are in the order of `texts`. Throws
    /// CancellationError if the calling task is cancelled first (its client went away).
    func translate(_ texts: [String], key: SearchKey) async throws -> [Translation] {
        if texts.isEmpty { return [] }
        let pending = Pending(key: key, texts: texts)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                condition.lock()
                if pending.cancelled || stopping {
                    condition.unlock()
                    continuation.resume(throwing: pending.cancelled ? CancellationError()
                        : APIError(.serviceUnavailable, "shutting_down", "the server is shutting down"))
                    return
                }
                pending.continuation = continuation
                waiting.append(pending)
                queuedTexts += texts.count
                metrics.queued.record(queuedTexts)
                condition.broadcast()
                condition.unlock()
            }
        } onCancel: {
            condition.lock()
            pending.cancelled = true
            let continuation = pending.continuation
            pending.continuation = nil
            if let i = waiting.firstIndex(where: { $0 === pending }) {
                queuedTexts -= pending.texts.count - pending.taken
                waiting.remove(at: i)
                metrics.queued.record(queuedTexts)
            }
            condition.unlock()
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Runs the workers until graceful shutdown, then lets them finish what is queued.
    public func run() async throws {
        for (w, translator) in translators.enumerated() {
            allStopped.enter()
            let owned = Owned(translator)
            let thread = Thread { [self] in
                work(owned.value)
                allStopped.leave()
            }
            thread.name = "s2s-decode-\(w)"
            thread.stackSize = 8 << 20
            thread.start()
        }
        try? await gracefulShutdown()
        stop()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            allStopped.notify(queue: .global()) { done.resume() }
        }
    }

    private func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    /// One worker: take a batch, translate it, hand each result to its request; until stopped and empty.
    private func work(_ translator: Translator) {
        let maxWait = UInt64(batching.maxWaitMilliseconds * 1e6)
        condition.lock()
        while true {
            while waiting.isEmpty && !stopping { condition.wait() }
            guard let oldest = waiting.first else { break }  // stopping, and nothing left
            let deadline = oldest.arrived.uptimeNanoseconds + maxWait
            while busyWorkers > 0, !stopping, waiting.first === oldest, available(oldest.key) < batching.maxBatch {
                let now = DispatchTime.now().uptimeNanoseconds
                if now >= deadline { break }
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double(deadline - now) / 1e9))
            }
            guard let first = waiting.first else { continue }  // its client left while we waited
            let batch = take(first.key)
            busyWorkers += 1
            if !waiting.isEmpty { condition.signal() }  // another idle worker may start on the rest
            condition.unlock()

            let start = DispatchTime.now()
            for (pending, _) in batch { metrics.queueWait.recordNanoseconds(Int64(start.uptimeNanoseconds - pending.arrived.uptimeNanoseconds)) }
            metrics.batchSize.record(batch.count)
            var options = search
            options.beam = first.key.beam
            options.nbest = first.key.nbest
            options.attention = first.key.alignment
            options.batchSize = batch.count
            let results = translator.translate(batch.map { $0.pending.texts[$0.index] }, options: options)
            metrics.decodeTime.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds))
            metrics.sentences.increment(by: batch.count)

            var done: [(CheckedContinuation<[Translation], any Error>, [Translation])] = []
            condition.lock()
            busyWorkers -= 1
            for ((pending, index), result) in zip(batch, results) {
                pending.results[index] = result
                pending.finished += 1
                if pending.finished == pending.texts.count, let continuation = pending.continuation {
                    pending.continuation = nil
                    done.append((continuation, pending.results.map { $0! }))
                }
            }
            condition.unlock()
            for (continuation, results) in done { continuation.resume(returning: results) }
            condition.lock()
        }
        condition.unlock()
    }

    /// Texts not yet taken that could join a batch of `key`. Caller holds the lock.
    private func available(_ key: SearchKey) -> Int {
        waiting.reduce(0) { $0 + ($1.key == key ? $1.texts.count - $1.taken : 0) }
    }

    /// Up to maxBatch texts of `key`, one from each waiting request in turn. Caller holds the lock.
    private func take(_ key: SearchKey) -> [(pending: Pending, index: Int)] {
        var batch: [(pending: Pending, index: Int)] = []
        var more = true
        while more && batch.count < batching.maxBatch {
            more = false
            for pending in waiting where pending.key == key && pending.taken < pending.texts.count {
                batch.append((pending, pending.taken))
                pending.taken += 1
                more = true
                if batch.count == batching.maxBatch { break }
            }
        }
        waiting.removeAll { $0.taken == $0.texts.count }
        queuedTexts -= batch.count
        metrics.queued.record(queuedTexts)
        return batch
    }
}

/// A Translator handed to the one thread that will use it.
private struct Owned: @unchecked Sendable {
    let value: Translator
    init(_ value: Translator) { self.value = value }
}
