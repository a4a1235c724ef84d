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
//   - An idle worker sleeps on its own semaphore; new work wakes the one that went idle last. With one
//     client at a time, the same thread (and core, and cache) serves every request: measured on Tatoeba
//     dev, beam 5, 1 client, a shared condition variable that woke the workers in turn cost ~1 ms a
//     request.
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

public final class TranslationQueue: Service, @unchecked Sendable {  // mutable state guarded by `lock`
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

    private let lock = NSLock()
    /// One per worker, signalled to wake it.
    private let wake: [DispatchSemaphore]
    /// Idle workers, the last to go idle on top.
    private var idle: [Int] = []
    private var waiting: [Pending] = []  // requests with texts not yet taken, oldest first
    private var busyWorkers = 0
    private var queuedTexts = 0
    private var stopping = false
    private let allStopped = DispatchGroup()
    private let translators: [Translator]
    private let batching: BatchingOptions
    private let maxQueuedTexts: Int
    private let search: TranslationOptions
    private let metrics: ServeMetrics

    /// The workers' searches score only the shortlist's target pieces (a model file's own, unless the
    /// search options turn it off).
    public var usesShortlist: Bool { search.shortlist && translators[0].shortlist != nil }

    public init(model: Seq2Seq, vocabularies: VocabularySet, shortlist: Shortlist?, batching: BatchingOptions,
                search: TranslationOptions, maxQueuedTexts: Int, metrics: ServeMetrics) throws {
        self.maxQueuedTexts = maxQueuedTexts
        translators = try (0..<max(1, batching.workers)).map { _ in
            let translator = try Translator(model: model, vocabularies: vocabularies)
            translator.shortlist = shortlist
            return translator
        }
        wake = translators.map { _ in DispatchSemaphore(value: 0) }
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
                lock.lock()
                let refusal: (any Error)? = pending.cancelled ? CancellationError()
                    : stopping ? APIError(.serviceUnavailable, "shutting_down", "the server is shutting down")
                    : queuedTexts + texts.count > maxQueuedTexts
                    ? APIError(.serviceUnavailable, "busy", "the server has \(queuedTexts) texts waiting (at most \(maxQueuedTexts)); retry shortly")
                    : nil
                if let refusal {
                    lock.unlock()
                    continuation.resume(throwing: refusal)
                    return
                }
                pending.continuation = continuation
                waiting.append(pending)
                queuedTexts += texts.count
                metrics.queued.record(queuedTexts)
                if let w = idle.popLast() { wake[w].signal() }
                lock.unlock()
            }
        } onCancel: {
            lock.lock()
            pending.cancelled = true
            let continuation = pending.continuation
            pending.continuation = nil
            if let i = waiting.firstIndex(where: { $0 === pending }) {
                queuedTexts -= pending.texts.count - pending.taken
                waiting.remove(at: i)
                metrics.queued.record(queuedTexts)
            }
            lock.unlock()
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Runs the workers until graceful shutdown, then lets them finish what is queued.
    public func run() async throws {
        for (w, translator) in translators.enumerated() {
            allStopped.enter()
            let owned = Owned(translator)
            let thread = Thread { [self] in
                work(w, owned.value)
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
        lock.lock()
        stopping = true
        lock.unlock()
        for semaphore in wake { semaphore.signal() }
    }

    /// Sleeps worker `w` until woken or `deadline` (uptime nanoseconds). Caller holds the lock; so does
    /// the return. A wake-up may be stale (the worker timed out meanwhile): callers look again.
    private func sleep(_ w: Int, until deadline: UInt64? = nil) {
        idle.append(w)
        lock.unlock()
        _ = wake[w].wait(timeout: deadline.map { DispatchTime(uptimeNanoseconds: $0) } ?? .distantFuture)
        lock.lock()
        idle.removeAll { $0 == w }
    }

    /// Worker `w`: take a batch, translate it, hand each result to its request; until stopped and empty.
    private func work(_ w: Int, _ translator: Translator) {
        let maxWait = UInt64(batching.maxWaitMilliseconds * 1e6)
        lock.lock()
        while true {
            guard let oldest = waiting.first else {
                if stopping { break }
                sleep(w)
                continue
            }
            // Wait for company only while another batch is being decoded (see the header).
            let deadline = oldest.arrived.uptimeNanoseconds + maxWait
            if busyWorkers > 0, !stopping, available(oldest.key) < batching.maxBatch,
               DispatchTime.now().uptimeNanoseconds < deadline {
                sleep(w, until: deadline)
                continue
            }
            let key = oldest.key
            let batch = take(key)
            busyWorkers += 1
            if !waiting.isEmpty, let other = idle.popLast() { wake[other].signal() }  // it may start on the rest
            lock.unlock()

            let start = DispatchTime.now()
            for (pending, _) in batch { metrics.queueWait.recordNanoseconds(Int64(start.uptimeNanoseconds - pending.arrived.uptimeNanoseconds)) }
            metrics.batchSize.record(batch.count)
            var options = search
            options.beam = key.beam
            options.nbest = key.nbest
            options.attention = key.alignment
            options.batchSize = batch.count
            let results = translator.translate(batch.map { $0.pending.texts[$0.index] }, options: options)
            metrics.decodeTime.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds))
            metrics.sentences.increment(by: batch.count)

            var done: [(CheckedContinuation<[Translation], any Error>, [Translation])] = []
            lock.lock()
            busyWorkers -= 1
            for ((pending, index), result) in zip(batch, results) {
                pending.results[index] = result
                pending.finished += 1
                if pending.finished == pending.texts.count, let continuation = pending.continuation {
                    pending.continuation = nil
                    done.append((continuation, pending.results.map { $0! }))
                }
            }
            lock.unlock()
            for (continuation, results) in done { continuation.resume(returning: results) }
            lock.lock()
        }
        lock.unlock()
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
