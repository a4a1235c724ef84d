// Elementwise kernels: exp, sigmoid, tanh, softmax, log-sum-exp, the small vector helpers the layers use,
// and a tiled transpose.
// They take unsafe pointers and contain no allocation, calls or traps in their loops, so the compiler
// vectorises them. exp is a Cephes-style range reduction plus polynomial (max relative error about 2e-7);
// sigmoid and tanh are built on it.
import Foundation

/// e^x for x in float range; inputs below -87.3 give 0 (or a tiny value), above 88.3 saturate to about 2e38.
@inline(__always)
public func fastExp(_ xIn: Float) -> Float {
    let x = min(max(xIn, -87.3), 88.3)
    // n = round(x / ln 2), found with the 1.5·2^23 trick so no float→int conversion can trap.
    let magic: Float = 12_582_912
    let t = x * 1.442_695_04 + magic
    let n = t - magic
    let r = (x - n * 0.693_359_375) + n * 2.121_944_4e-4  // x − n·ln2, ln2 split in two parts
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_6e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_1e-1
    let er = (p * r * r + r) + 1
    let nBits = Int32(bitPattern: t.bitPattern &- magic.bitPattern)  // n as an integer
    let scale = Float(bitPattern: UInt32(bitPattern: (nBits &+ 127) &<< 23))
    return er * scale
}

@inline(__always)
public func fastSigmoid(_ x: Float) -> Float { 1 / (1 + fastExp(-x)) }

@inline(__always)
public func fastTanh(_ x: Float) -> Float {
    // tanh x = 1 − 2 / (e^{2x} + 1); for |x| < 0.0625 a short series keeps relative accuracy near 0.
    let big = 1 - 2 / (fastExp(2 * x) + 1)
    let x2 = x * x
    let small = x * (1 + x2 * (-0.333_333_33 + x2 * 0.133_333_33))
    return abs(x) < 0.0625 ? small : big
}

/// `fastTanh` on four lanes at once (the same arithmetic, so the same results).
@inline(__always)
public func fastTanh4(_ x: SIMD4<Float>) -> SIMD4<Float> {
    let big = 1 - 2 / (fastExp4(2 * x) + 1)
    let x2 = x * x
    let small = x * (1 + x2 * (-0.333_333_33 + x2 * 0.133_333_33))
    let magnitude = x.replacing(with: -x, where: x .< 0)
    return big.replacing(with: small, where: magnitude .< 0.0625)
}

/// Σ v[i]·tanh(q[i] + k[i]): one additive-attention score. Four lanes at a time; this is the innermost loop
/// of every decoder step. `keeping`, when given, receives the n values tanh(q + k) (training keeps them for
/// backward; search does not need them).
@inline(__always)
public func tanhDot(
    _ q: UnsafePointer<Float>, _ k: UnsafePointer<Float>, _ v: UnsafePointer<Float>, _ n: Int,
    keeping: UnsafeMutablePointer<Float>? = nil
) -> Float {
    let rq = UnsafeRawPointer(q), rk = UnsafeRawPointer(k), rv = UnsafeRawPointer(v)
    var acc = SIMD4<Float>()
    var i = 0
    while i + 4 <= n {
        let o = i &* 4
        let t = fastTanh4(rq.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
                          + rk.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self))
        if let keeping { UnsafeMutableRawPointer(keeping).storeBytes(of: t, toByteOffset: o, as: SIMD4<Float>.self) }
        acc += t * rv.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
        i &+= 4
    }
    var s = acc.sum()
    while i < n {
        let t = fastTanh(q[i] + k[i])
        keeping?[i] = t
        s += v[i] * t
        i &+= 1
    }
    return s
}

/// y[i] = tanh(x[i]) for i < n (in place allowed).
public func tanhForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { y[i] = fastTanh(x[i]) }
}

/// dx[i] = dy[i] · (1 − y[i]²), given the tanh output y (in place allowed).
public func tanhBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { dx[i] = dy[i] * (1 - y[i] * y[i]) }
}

/// y[i] = σ(x[i]).
public func sigmoidForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { y[i] = fastSigmoid(x[i]) }
}

// Reductions use explicit SIMD accumulators: Swift keeps float addition strictly ordered, so a plain
// `s += x[i]` loop would never vectorise.

/// Σ x[i].
@inline(__always)
public func vectorSum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    let raw = UnsafeRawPointer(x)
    var a0 = SIMD4<Float>(), a1 = SIMD4<Float>()
    var i = 0
    while i + 8 <= n {
        a0 += raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Float>.self)
        a1 += raw.loadUnaligned(fromByteOffset: (i &+ 4) &* 4, as: SIMD4<Float>.self)
        i &+= 8
    }
    var s = (a0 + a1).sum()
    while i < n { s += x[i]; i &+= 1 }
    return s
}

/// max_i x[i] (−greatestFiniteMagnitude for n = 0).
@inline(__always)
public func vectorMax(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    let raw = UnsafeRawPointer(x)
    var a0 = SIMD4<Float>(repeating: -Float.greatestFiniteMagnitude), a1 = a0
    var i = 0
    while i + 8 <= n {
        a0 = pointwiseMax(a0, raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Float>.self))
        a1 = pointwiseMax(a1, raw.loadUnaligned(fromByteOffset: (i &+ 4) &* 4, as: SIMD4<Float>.self))
        i &+= 8
    }
    var m = pointwiseMax(a0, a1).max()
    while i < n { m = max(m, x[i]); i &+= 1 }
    return m
}

/// Σ x[i]·y[i].
@inline(__always)
public func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
    let rx = UnsafeRawPointer(x), ry = UnsafeRawPointer(y)
    var a0 = SIMD4<Float>(), a1 = SIMD4<Float>()
    var i = 0
    while i + 8 <= n {
        a0 += rx.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Float>.self)
            * ry.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Float>.self)
        a1 += rx.loadUnaligned(fromByteOffset: (i &+ 4) &* 4, as: SIMD4<Float>.self)
            * ry.loadUnaligned(fromByteOffset: (i &+ 4) &* 4, as: SIMD4<Float>.self)
        i &+= 8
    }
    var s = (a0 + a1).sum()
    while i < n { s += x[i] * y[i]; i &+= 1 }
    return s
}

/// Σ exp(x[i] − shift) without writing anything: four lanes of the same exp as `fastExp`.
@inline(__always)
public func sumExpShifted(_ x: UnsafePointer<Float>, _ n: Int, shift: Float) -> Float {
    let raw = UnsafeRawPointer(x)
    var acc = SIMD4<Float>()
    var i = 0
    while i + 4 <= n {
        acc += fastExp4(raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Float>.self) - shift)
        i &+= 4
    }
    var s = acc.sum()
    while i < n { s += fastExp(x[i] - shift); i &+= 1 }
    return s
}

/// `fastExp` on four lanes at once.
@inline(__always)
public func fastExp4(_ xIn: SIMD4<Float>) -> SIMD4<Float> {
    // Clamped with masked replacement: the generic pointwiseMin/Max are not inlined here.
    let lo = SIMD4<Float>(repeating: -87.3), hi = SIMD4<Float>(repeating: 88.3)
    let x = xIn.replacing(with: lo, where: xIn .< lo).replacing(with: hi, where: xIn .> hi)
    let magic = SIMD4<Float>(repeating: 12_582_912)
    let t = x * 1.442_695_04 + magic
    let n = t - magic
    let r = (x - n * 0.693_359_375) + n * 2.121_944_4e-4
    var p = SIMD4<Float>(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_6e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_1e-1
    let er = (p * r * r + r) + 1
    let nBits = unsafeBitCast(t, to: SIMD4<Int32>.self) &- unsafeBitCast(magic, to: SIMD4<Int32>.self)
    let scale = unsafeBitCast((nBits &+ 127) &<< 23, to: SIMD4<Float>.self)
    return er * scale
}

/// Row softmax in place over `n` entries; returns log Σ exp(x) of the row (its log-partition).
@inline(__always)
@discardableResult
public func softmaxInPlace(_ x: UnsafeMutablePointer<Float>, _ n: Int) -> Float {
    let m = vectorMax(x, n)
    for i in 0..<n { x[i] = fastExp(x[i] - m) }
    let s = vectorSum(x, n)
    let inv = 1 / s
    for i in 0..<n { x[i] *= inv }
    return m + logf(s)
}

/// y[i] += a·x[i].
@inline(__always)
public func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { y[i] += a * x[i] }
}

/// y[i] += x[i].
@inline(__always)
public func addInPlace(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { y[i] += x[i] }
}

/// Copies `rows` rows of `cols` floats between strided matrices.
@inline(__always)
public func copyRows(
    _ src: UnsafePointer<Float>, ldSrc: Int, _ dst: UnsafeMutablePointer<Float>, ldDst: Int, rows: Int, cols: Int
) {
    for r in 0..<rows { (dst + r * ldDst).update(from: src + r * ldSrc, count: cols) }
}

/// Σ x[i]² in double precision, for gradient norms.
public func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
    var s0: Float = 0, total: Double = 0
    var i = 0
    while i < n {  // float blocks vectorise; double accumulation across blocks keeps precision
        let end = min(n, i + 4096)
        s0 = 0
        for j in i..<end { s0 += x[j] * x[j] }
        total += Double(s0)
        i = end
    }
    return total
}

/// y [cols, rows] = x [rows, cols]ᵀ, in 32×32 tiles so both sides stay in cache.
func transpose(_ x: UnsafePointer<Float>, rows: Int, cols: Int, into y: UnsafeMutablePointer<Float>) {
    let tile = 32
    for r0 in stride(from: 0, to: rows, by: tile) {
        for c0 in stride(from: 0, to: cols, by: tile) {
            for r in r0..<min(r0 + tile, rows) {
                for c in c0..<min(c0 + tile, cols) { y[c * rows + r] = x[r * cols + c] }
            }
        }
    }
}
