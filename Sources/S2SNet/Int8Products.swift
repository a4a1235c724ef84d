// The output layer's product in 8-bit integers, through oneDNN's u8·s8 → s32 GEMM (the other products stay
// float32 on OpenBLAS), and its float32 product for steps of few rows, which oneDNN does without packing the
// whole matrix. The readout t = tanh(…) lies in [-1, 1], so it quantizes with one fixed scale and no
// calibration: a = round(127·t) + 128 (unsigned, offset 128). Each column c of W_out gets its own scale,
// s_c = max_k |W[k, c]| / 127, and q[k, c] = round(W[k, c] / s_c). Then
//   logits[r, c] ≈ Σ_k (a[r, k] − 128) · q[k, c] · s_c / 127 + b_c.
// With AVX-512 VNNI (or AVX-VNNI) the products of u8·s8 pairs accumulate in 32 bits; CPUs without it add
// pairs in 16 bits first, where they can saturate, so int8 is used only where oneDNN reports VNNI.
// Measured on Tatoeba dev (README): faster search for a BLEU change within the 0.3.
import CDNNL
#if canImport(Glibc)
import Glibc
#endif

/// Which arithmetic search uses for the output layer.
public enum OutputPrecision: String, Sendable, Equatable, CaseIterable, Codable {
    /// int8 where the CPU has VNNI, else float32.
    case auto
    case float32
    case int8

    /// Throws when this CPU cannot do what `self` asks (int8 without VNNI).
    public func checkAvailable() throws {
        if self == .int8 && !Int8Products.available {
            throw ModelError.unsupported("--precision int8 needs a CPU with VNNI instructions (AVX-512 VNNI or AVX-VNNI), which this one lacks; use auto or float32")
        }
    }

    /// What `self` means on this CPU.
    public var resolved: OutputPrecision {
        switch self {
        case .auto: return Int8Products.available ? .int8 : .float32
        default: return self
        }
    }
}

public enum Int8Products {
    /// The CPU has VNNI instructions (as oneDNN detects them), so u8·s8 products cannot saturate.
    public static let available: Bool = {
        let isa = dnnl_get_effective_cpu_isa().rawValue
        let vnni = dnnl_cpu_isa_avx512_core_vnni.rawValue, avxVNNI = dnnl_cpu_isa_avx2_vnni.rawValue
        return isa & vnni == vnni || isa & avxVNNI == avxVNNI
    }()

    /// The CPU's instruction set as oneDNN names it (e.g. 231 = avx512_core_bf16), for reports.
    public static var isaCode: UInt32 { dnnl_get_effective_cpu_isa().rawValue }

    /// OpenMP's omp_set_num_threads, from the libgomp oneDNN loaded: oneDNN runs on OpenMP, and each thread
    /// that calls it must set its own team size (one when searches run side by side). Looked up rather than
    /// linked, since libgomp's link-time file comes only with GCC's development package.
    static let setOpenMPThreads: (@convention(c) (Int32) -> Void)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "omp_set_num_threads") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Void).self)
    }()
}

/// A [K, N] float matrix as int8 with one scale per column.
public final class QuantizedColumns: @unchecked Sendable {
    public let rows: Int, columns: Int        // K, N
    let values: Buffer<Int8>                  // [K, N]
    let scales: FloatBuffer                   // [N] s_c / 127: one integer product unit in logits

    /// Quantizes w [K, N] (row stride N).
    public init(_ w: UnsafePointer<Float>, rows K: Int, columns N: Int) {
        rows = K
        columns = N
        values = Buffer<Int8>(capacity: K * N)
        scales = FloatBuffer(capacity: N)
        var largest = [Float](repeating: 0, count: N)
        for k in 0..<K {
            let row = w + k * N
            for c in 0..<N { largest[c] = max(largest[c], abs(row[c])) }
        }
        var inverse = [Float](repeating: 0, count: N)
        for c in 0..<N {
            let s = largest[c] / 127
            inverse[c] = s > 0 && s.isFinite ? 1 / s : 0
            scales[c] = s / 127
        }
        let q = values.pointer
        for k in 0..<K {
            let row = w + k * N, out = q + k * N
            for c in 0..<N {
                let q = row[c] * inverse[c]
                out[c] = q.isFinite ? Int8(clamping: Int(q.rounded())) : 0   // a non-finite weight traps nothing
            }
        }
    }
}

/// y [M, N] = x [M, K] · w + b with x in [-1, 1] (a tanh output), w quantized. `xq` [M, K] and `acc` [M, N]
/// are scratch. oneDNN runs on the calling thread only: its OpenMP threads spin after each product and,
/// left at one per core, fought OpenBLAS's (measured: one-sentence search 2.9 → 5 ms).
public func int8LinearForward(
    x: UnsafePointer<Float>, w: QuantizedColumns, b: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
    M: Int, xq: UnsafeMutablePointer<UInt8>, acc: UnsafeMutablePointer<Int32>
) {
    let K = w.rows, N = w.columns
    if M == 0 || N == 0 { return }
    for i in 0..<(M * K) {
        // NaN (never from a finite model) quantizes to 0 rather than trapping in the conversion.
        let v = x[i].isNaN ? 0 : min(max(x[i], -1), 1)
        xq[i] = UInt8(truncatingIfNeeded: Int32((v * 127).rounded()) + 128)
    }
    Int8Products.setOpenMPThreads?(1)
    var offset: Int32 = 0
    let status = dnnl_gemm_u8s8s32(
        CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "F")), Int64(M), Int64(N), Int64(K),
        1, xq, Int64(K), 128, w.values.pointer, Int64(N), 0, 0, acc, Int64(N), &offset)
    precondition(status == dnnl_success, "oneDNN's int8 GEMM failed (status \(status.rawValue)) for [\(M), \(K)]·[\(K), \(N)]")
    let scales = w.scales.pointer
    for r in 0..<M {
        let a = acc + r * N, out = y + r * N
        for c in 0..<N { out[c] = Float(a[c]) * scales[c] + b[c] }
    }
}

/// y [M, N] = x [M, K] · w [K, N] + b in float32 through oneDNN, for few rows: OpenBLAS packs all of w for
/// every product, however few rows x has, which for the whole output layer and one sentence's beam costs
/// more than the arithmetic (measured, one thread, K 256: M 5, N 8000: OpenBLAS 619 µs, oneDNN 122 µs;
/// M 80, N 1500: 363 and 300 µs; M 5, N 300: 8 and 19 µs, so it is used only for wide products).
public func fewRowsLinearForward(
    x: UnsafePointer<Float>, w: UnsafePointer<Float>, b: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
    M: Int, K: Int, N: Int
) {
    if M == 0 || N == 0 { return }
    for r in 0..<M { (y + r * N).update(from: b, count: N) }
    Int8Products.setOpenMPThreads?(1)
    let status = dnnl_sgemm(CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "N")), Int64(M), Int64(N), Int64(K), 1,
                            x, Int64(K), w, Int64(N), 1, y, Int64(N))
    precondition(status == dnnl_success, "oneDNN's sgemm failed (status \(status.rawValue)) for [\(M), \(K)]·[\(K), \(N)]")
}

/// Whether `fewRowsLinearForward` beats OpenBLAS for an [M, K]·[K, N] product (see its measurements).
public func prefersFewRowsProduct(M: Int, N: Int) -> Bool { M <= 16 && N >= 2048 }
