// What `s2s serve` is told: where the model is, where to listen, how to batch, and what it refuses.
// One typed value, filled by the command line and read by the server, the queue and the request parser.
import S2SDecode

public struct ServeConfiguration: Sendable {
    public var modelPath: String
    public var host = "127.0.0.1"
    /// 0 asks the system for a free port (tests do); the server prints the one it got.
    public var port = 8080
    public var batching = BatchingOptions()
    public var limits = ServeLimits()
    /// Search settings a request cannot change (it may set beam, nbest and alignment).
    public var search = TranslationOptions()

    public init(modelPath: String) { self.modelPath = modelPath }
}

/// How the queue forms batches. The defaults were measured with wrk on the Tatoeba model (2 cores, beam 5,
/// one-sentence requests from 8 and 64 clients, 15 s per setting, two sweeps; README, "Serving"):
/// batches of 16–32 served 5–25% more sentences/s than 8 or 64; waits of 2, 5 and 10 ms served fewer
/// than none (1 ms was within the noise), because while one worker decodes the queue fills for the
/// next: the batch forms by itself. A wait may pay with more cores than clients' bursts can fill.
public struct BatchingOptions: Sendable, Equatable {
    /// Decoding workers, each with its own Translator state and one core (single-threaded BLAS).
    public var workers = 2
    /// Most sentences decoded together.
    public var maxBatch = 16
    /// Longest a sentence waits for others to join its batch, in milliseconds. Only taken while another
    /// batch is being decoded: with every worker idle, the queue already holds all there is.
    public var maxWaitMilliseconds = 0.0
    public init() {}
}

/// What a request may ask for. Anything over is refused with 413 or 400, never truncated.
public struct ServeLimits: Sendable, Equatable {
    /// Largest request body, in bytes.
    public var maxBodyBytes = 1 << 20
    /// Most texts in one request.
    public var maxTexts = 100
    /// Most characters (Unicode scalars) in one text.
    public var maxCharacters = 5_000
    /// Widest beam a request may ask for.
    public var maxBeam = 32
    /// Most texts waiting in the queue; a request that would go over gets 503 with Retry-After, so an
    /// overloaded server answers at once instead of letting latency grow without bound. At least maxTexts.
    public var maxQueuedTexts = 10_000
    public init() {}
}
