// Adam with bias correction, decoupled weight decay (AdamW), and global-norm gradient clipping.
// Each is one loop over the flat parameter buffer; the moment buffers share the parameters' layout.
import Foundation

public struct AdamConfig: Codable, Equatable, Sendable {
    public var learningRate: Float = 1e-3
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var weightDecay: Float = 0  // decoupled: θ −= lr · wd · θ
    public var clipNorm: Float = 5     // global gradient norm limit; 0 disables clipping
    public init() {}
}

public final class Adam: @unchecked Sendable {
    public var config: AdamConfig
    public private(set) var step: Int = 0
    public let m: UnsafeMutablePointer<Float>  // first moments, laid out like the parameters
    public let v: UnsafeMutablePointer<Float>  // second moments
    public let count: Int

    public init(parameterCount count: Int, config: AdamConfig = AdamConfig()) {
        self.config = config
        self.count = count
        m = .allocate(capacity: count)
        m.initialize(repeating: 0, count: count)
        v = .allocate(capacity: count)
        v.initialize(repeating: 0, count: count)
    }

    deinit {
        m.deallocate()
        v.deallocate()
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
        Parallel.ranges(count, minimumPerWorker: 1 << 16) { start, end in
            for i in start..<end {
                let gi = g[i] * clip
                let mi = b1 * m[i] + (1 - b1) * gi
                let vi = b2 * v[i] + (1 - b2) * gi * gi
                m[i] = mi
                v[i] = vi
                p[i] = p[i] * decay - lr * (mi * c1) / ((vi * c2).squareRoot() + eps)
                g[i] = 0
            }
        }
    }

    /// Restores the step count with moments copied in by the caller (for resuming).
    public func restore(step: Int) { self.step = step }
}
