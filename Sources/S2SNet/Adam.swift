// Adam with bias correction, decoupled weight decay (AdamW), and global-norm gradient clipping, plus an
// exponentially smoothed copy of the parameters (Marian's --exponential-smoothing). All of it is one loop
// over the flat parameter buffer; the moment buffers and the smoothed copy share the parameters' layout.
//
// Why smooth: Adam's iterates jitter around the minimum the learning rate lets them reach; their moving
// average sits nearer it, so it validates better than any one iterate (measured in the README). It costs
// one more buffer, and on every `smoothingInterval`-th step one more read and write per parameter in the
// loop that already touches all of them (the loop is memory-bound, so smoothing every step would slow
// training by a few percent; the average of every fourth iterate is as good an average).
import Foundation

public struct AdamConfig: Codable, Equatable, Sendable {
    public var learningRate: Float = 1e-3
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var weightDecay: Float = 0  // decoupled: θ −= lr · wd · θ
    public var clipNorm: Float = 5     // global gradient norm limit; 0 disables clipping
    /// The smoothed copy moves this fraction of the way to the new parameters each step (0: no copy).
    public var smoothing: Float = 0
    public init() {}

    enum CodingKeys: String, CodingKey { case learningRate, beta1, beta2, epsilon, weightDecay, clipNorm, smoothing }

    // Checkpoints written before smoothing existed have no "smoothing": they had none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        learningRate = try c.decode(Float.self, forKey: .learningRate)
        beta1 = try c.decode(Float.self, forKey: .beta1)
        beta2 = try c.decode(Float.self, forKey: .beta2)
        epsilon = try c.decode(Float.self, forKey: .epsilon)
        weightDecay = try c.decode(Float.self, forKey: .weightDecay)
        clipNorm = try c.decode(Float.self, forKey: .clipNorm)
        smoothing = try c.decodeIfPresent(Float.self, forKey: .smoothing) ?? 0
    }

    /// The step's smoothing weight: 10/(9 + step) until that falls to `smoothing`. So the copy starts as
    /// the parameters themselves and then averages over about the last tenth of the run, which keeps it
    /// from dragging early, random parameters along, until the window reaches 1/smoothing steps.
    public func smoothingWeight(step: Int) -> Float { max(smoothing, 10 / (9 + Float(step))) }

    /// Steps between updates of the smoothed copy (and the first step).
    public static let smoothingInterval = 4

    /// The weight of the update at `step`, nil on steps that skip it: 1 − (1 − a)^interval, the weight
    /// `interval` updates of weight a would have given the latest parameters together.
    public func smoothingUpdate(step: Int) -> Float? {
        guard smoothing > 0, step == 1 || step % Self.smoothingInterval == 0 else { return nil }
        return 1 - powf(1 - smoothingWeight(step: step), Float(Self.smoothingInterval))
    }
}

public final class Adam: @unchecked Sendable {
    public var config: AdamConfig
    public private(set) var step: Int = 0
    public let m: UnsafeMutablePointer<Float>  // first moments, laid out like the parameters
    public let v: UnsafeMutablePointer<Float>  // second moments
    /// [count] the smoothed parameters (config.smoothing > 0), else nil.
    public let smoothed: UnsafeMutablePointer<Float>?
    public let count: Int

    public init(parameterCount count: Int, config: AdamConfig = AdamConfig()) {
        self.config = config
        self.count = count
        m = .allocate(capacity: count)
        m.initialize(repeating: 0, count: count)
        v = .allocate(capacity: count)
        v.initialize(repeating: 0, count: count)
        if config.smoothing > 0 {
            let s = UnsafeMutablePointer<Float>.allocate(capacity: count)
            s.initialize(repeating: 0, count: count)  // the first step's weight is 1: it becomes the parameters
            smoothed = s
        } else {
            smoothed = nil
        }
    }

    deinit {
        m.deallocate()
        v.deallocate()
        smoothed?.deallocate()
    }

    /// The L2 norm of all gradients.
    public static func gradientNorm(_ params: ParameterSet) -> Double {
        sumOfSquares(params.grads, count: params.count).squareRoot()
    }

    /// Σ x² over x [count], across cores.
    public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
        Parallel.sum(count, minimumPerWorker: 1 << 16) { start, end in SIMD2(S2SNet.sumOfSquares(x + start, end - start), 0) }[0]
    }

    /// Clips, then updates the parameters with learning rate `lr`, and zeroes the gradients for the next
    /// step (fused here to save a pass over memory). Pass `gradientNorm` when the caller has computed it.
    /// Returns the gradient norm before clipping.
    @discardableResult
    public func update(_ params: ParameterSet, learningRate lr: Float, gradientNorm known: Double? = nil) -> Double {
        precondition(params.count == count, "optimizer and parameters disagree on size")
        let norm = known ?? Adam.gradientNorm(params)
        update(values: params.values, grads: params.grads, learningRate: lr, gradientNorm: norm)
        return norm
    }

    /// The update of `update(_:)` over any slice of the parameters this optimizer's moments describe:
    /// values [count], grads [count] (zeroed). With several training processes, each rank owns one
    /// contiguous shard of the flat parameter buffer and updates only that (Communicator.shard).
    public func update(values p: UnsafeMutablePointer<Float>, grads g: UnsafeMutablePointer<Float>,
                       learningRate lr: Float, gradientNorm norm: Double) {
        let clip: Float = config.clipNorm > 0 && norm > Double(config.clipNorm) ? Float(Double(config.clipNorm) / norm) : 1
        step += 1
        let b1 = config.beta1, b2 = config.beta2, eps = config.epsilon
        let c1 = 1 / (1 - powf(b1, Float(step))), c2 = 1 / (1 - powf(b2, Float(step)))
        let decay = 1 - lr * config.weightDecay
        let m = self.m, v = self.v
        let weight = config.smoothingUpdate(step: step)
        let s = weight == nil ? nil : smoothed, a = weight ?? 0
        Parallel.ranges(count, minimumPerWorker: 1 << 16) { start, end in
            for i in start..<end {
                let gi = g[i] * clip
                let mi = b1 * m[i] + (1 - b1) * gi
                let vi = b2 * v[i] + (1 - b2) * gi * gi
                m[i] = mi
                v[i] = vi
                let pi = p[i] * decay - lr * (mi * c1) / ((vi * c2).squareRoot() + eps)
                p[i] = pi
                g[i] = 0
                if let s { s[i] += a * (pi - s[i]) }
            }
        }
    }

    /// Exchanges the parameters' values [count] with the smoothed copy, so validation and saving see the
    /// smoothed model; calling it again swaps back. Without smoothing it does nothing.
    /// Before the first step the copy holds nothing yet, and this does nothing either.
    public func swapSmoothed(with values: UnsafeMutablePointer<Float>) {
        guard let s = smoothed, step > 0 else { return }
        Parallel.ranges(count, minimumPerWorker: 1 << 16) { start, end in
            for i in start..<end { swap(&s[i], &values[i]) }
        }
    }

    /// Restores the step count with moments copied in by the caller (for resuming).
    public func restore(step: Int) { self.step = step }
}
