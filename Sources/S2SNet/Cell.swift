// The recurrent cell as a choice. A cell is one file (GRU.swift, LSTM.swift, ElmanRNN.swift) holding its
// equations, its fused step kernels and their backward; everything that runs a cell over time — the
// encoder's sequences (Recurrence.swift), the decoder step used by training and by search (Decoder.swift)
// — is written once against this protocol and picks the cell once per step, never per element.
//
// Every cell has the same parameter shapes up to its number of gate blocks G:
//   W_x [In, G·H] (input projection, done by the caller for all steps in one GEMM), b [G·H], U [H, G·H].
// The caller hands a step its input pre-activations xp = W_x x_t + b (+ W_ctx c_t in the decoder); the
// cell adds its own recurrent products, a_k = xp_k + U_k h_{t-1}, normalizes each block a_k when the
// model has layer normalization, and applies its nonlinearities. dxp is dL/da either way: the caller's
// weight gradients of W_x, b and U read it unchanged. Padded steps (mask 0) carry the state through
// unchanged and send no gradient into xp.

/// Which cell a model uses. Stored in the model file; files written before cells were a choice are GRUs.
public enum CellKind: String, Codable, CaseIterable, Sendable {
    case gru, lstm, rnn

    /// The implementation, chosen once per call site (a step), not per element.
    public var cell: any RecurrentCell.Type {
        switch self {
        case .gru: return GRUCell.self
        case .lstm: return LSTMCell.self
        case .rnn: return ElmanCell.self
        }
    }
}

/// Pointers for one step over B rows. Row strides are H unless given.
public struct CellStep {
    /// [B, G·H] input pre-activations, gate blocks in the cell's order.
    public var xp: UnsafePointer<Float>
    /// [H, G·H] recurrent weights, same column order.
    public var u: UnsafePointer<Float>
    /// [B, H] (row stride ldH) the previous state h_{t-1}.
    public var hPrev: UnsafePointer<Float>
    public var ldH: Int
    /// [B, H] the previous memory c_{t-1}; only for cells with memory (LSTM).
    public var cPrev: UnsafePointer<Float>?
    /// [B, H] (row stride ldOut) receives h_t.
    public var hOut: UnsafeMutablePointer<Float>
    public var ldOut: Int
    /// [B, H] receives c_t; only for cells with memory.
    public var cOut: UnsafeMutablePointer<Float>?
    /// [B] 1 for a real step, 0 for padding (the state is carried through unchanged).
    public var mask: UnsafePointer<Float>
    /// Activations kept for backward: part k is [B, H] at saved + k·savedStride.
    public var saved: UnsafeMutablePointer<Float>
    public var savedStride: Int
    /// (G + 1)·B·H floats of scratch.
    public var scratch: UnsafeMutablePointer<Float>
    public var B: Int
    public var H: Int
    /// Layer normalization of each gate block's pre-activation (LayerNorm.swift), when the model has it.
    public var norm: CellNorm? = nil

    @inline(__always) func part(_ k: Int) -> UnsafeMutablePointer<Float> { saved + k * savedStride }
}

/// Gradients for one step's backward, all [B, H] unless given.
public struct CellStepGradients {
    /// dL/dh_t: from above and from step t+1.
    public var g: UnsafePointer<Float>
    /// dL/dc_t from step t+1 (cells with memory).
    public var gc: UnsafePointer<Float>?
    /// [B, G·H] written: dL/dxp.
    public var dxp: UnsafeMutablePointer<Float>
    /// Written: dL/dh_{t-1}.
    public var dhPrev: UnsafeMutablePointer<Float>
    /// Written: dL/dc_{t-1} (cells with memory).
    public var dcPrev: UnsafeMutablePointer<Float>?
}

/// A recurrent cell: its sizes and its step forward/backward pair.
public protocol RecurrentCell {
    /// G: gate blocks of H columns in W_x, b and U.
    static var gates: Int { get }
    /// Whether the cell carries a memory c_t besides h_t.
    static var hasMemory: Bool { get }
    /// How many [B, H] activations a step keeps for backward.
    static var savedParts: Int { get }
    /// Gate blocks of U (from the left) whose product reads h_{t-1} itself. The weight gradient of those
    /// columns is one GEMM over all steps, done by the caller; the rest (the GRU's U_n, which reads
    /// r ∗ h_{t-1}) is `addGatedRecurrentGradient`.
    static var directGates: Int { get }

    static func stepForward(_ s: CellStep)
    /// Backward of `stepForward`, with the same `s` (its saved activations and outputs intact).
    static func stepBackward(_ s: CellStep, _ d: CellStepGradients)
    /// dU[:, directGates·H...] += Σ over `rows` rows of saved inputs ᵀ · dxp. saved has part stride
    /// `savedStride`; rows are contiguous in both saved parts and dxp ([rows, G·H]).
    static func addGatedRecurrentGradient(
        saved: UnsafePointer<Float>, savedStride: Int, dxp: UnsafePointer<Float>, du: UnsafeMutablePointer<Float>,
        rows: Int, H: Int)
    /// The bias b [G·H] at initialisation (zero, but the LSTM's forget gate starts at 1).
    static func initializeBias(_ b: UnsafeMutablePointer<Float>, H: Int)
}

extension RecurrentCell {
    public static func addGatedRecurrentGradient(
        saved: UnsafePointer<Float>, savedStride: Int, dxp: UnsafePointer<Float>, du: UnsafeMutablePointer<Float>,
        rows: Int, H: Int
    ) {}

    public static func initializeBias(_ b: UnsafeMutablePointer<Float>, H: Int) {
        b.update(repeating: 0, count: gates * H)
    }
}

/// a [B, width] ← the columns of xp [B, ·] (row stride ldXP) from `column` on, `width` wide: where a step's recurrent product
/// is then added (GEMM with β = 1), so the sum is formed in one place whether or not it is normalized next.
@inline(__always)
func copyColumns(_ xp: UnsafePointer<Float>, ldXP: Int, column: Int, width: Int, into a: UnsafeMutablePointer<Float>, B: Int) {
    for b in 0..<B { (a + b * width).update(from: xp + b * ldXP + column, count: width) }
}
