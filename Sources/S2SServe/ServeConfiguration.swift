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

/// How the queue forms batches. Defaults measured with `make bench` (Scripts/bench.sh, the load test).
public struct BatchingOptions: Sendable, Equatable {
    /// Decoding workers, each with its own Translator state and one core (single-threaded BLAS).
    public var workers = 2
    /// Most sentences decoded together.
    public var maxBatch = 32
    /// Longest a sentence waits for others to join its batch, in milliseconds. Only taken while another
    /// batch is being decoded: with every worker idle, the queue already holds all there is.
    public var maxWaitMilliseconds = 5.0
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
    public init() {}
}
