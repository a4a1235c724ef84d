// Seeded random numbers: one small generator whose whole state is two words, so checkpoints can store it
// and a resumed run draws exactly the numbers the uninterrupted run would have drawn.
import Foundation

/// xoroshiro128+ seeded through SplitMix64.
public struct Rng: RandomNumberGenerator, Sendable, Equatable, Codable {
    public var s0: UInt64
    public var s1: UInt64

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        if s0 == 0 && s1 == 0 { s1 = 1 }
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let a = s0
        var b = s1
        let r = a &+ b
        b ^= a
        s0 = ((a << 24) | (a >> 40)) ^ b ^ (b << 16)
        s1 = (b << 37) | (b >> 27)
        return r
    }

    /// Uniform in [0, 1).
    @inline(__always)
    public mutating func uniform() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Float {
        let u1 = max(Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0), 1e-300)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}

