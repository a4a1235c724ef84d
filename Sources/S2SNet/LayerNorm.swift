// Layer normalization (Ba, Kiros & Hinton 2016), forward and backward, and where a cell keeps it.
//
//   y = γ ∗ (a − μ) / σ + β        μ, σ² = mean and variance of a row's W columns, σ = √(σ² + ε)
//
// Recurrent cells normalize each gate block's summed pre-activation a_k = W_k x_t + U_k h_{t-1} + b_k
// (one μ, σ per row and block), as TensorFlow's LayerNormBasicLSTMCell does with its gates (it also
// normalizes the LSTM's memory c_t, which this does not). Nematus normalizes W x and U h apart, which
// needs the two products kept apart, while here the caller forms W x + b for all steps in one GEMM.
// Normalizing removes each block's constant part, so a cell's bias b_k acts only through its
// differences between units, and the LSTM's open forget gate at the start is β_f = 1 (Seq2Seq.initialize).
// Normalizing keeps every gate's input at the same scale whatever the size of h, which is what lets a
// recurrent network take large steps early in training. The readout normalizes its pre-activation too.
// Weight decay (--weight-decay, off by default) pulls γ towards 0 like any other parameter.
//
// Backward, with x̂ = (a − μ)/σ and g = dL/dy ∗ γ:
//   dL/da = (g − mean(g) − x̂ ∗ mean(g ∗ x̂)) / σ,   dL/dγ += Σ_rows dL/dy ∗ x̂,   dL/dβ += Σ_rows dL/dy.

let layerNormEpsilon: Float = 1e-5

/// y = γ ∗ x̂ + β over `rows` rows of `width` columns, in place: a [rows, width] (row stride ldA) holds a
/// on entry and y on return. Keeps x̂ [rows, width] (row stride ldXhat) and 1/σ [rows] (stride ldRstd)
/// for backward when given.
func layerNormForward(
    _ a: UnsafeMutablePointer<Float>, ldA: Int, gain: UnsafePointer<Float>, shift: UnsafePointer<Float>,
    xhat: UnsafeMutablePointer<Float>?, ldXhat: Int, rstd: UnsafeMutablePointer<Float>?, ldRstd: Int,
    rows: Int, width: Int
) {
    let inverseWidth = 1 / Float(width)
    for r in 0..<rows {
        let x = a + r * ldA
        var sum: Float = 0
        for k in 0..<width { sum += x[k] }
        let mean = sum * inverseWidth
        var squares: Float = 0
        for k in 0..<width { let d = x[k] - mean; squares += d * d }
        let inverse = 1 / (squares * inverseWidth + layerNormEpsilon).squareRoot()
        rstd?[r * ldRstd] = inverse
        if let xhat {
            let xh = xhat + r * ldXhat
            for k in 0..<width {
                let v = (x[k] - mean) * inverse
                xh[k] = v
                x[k] = gain[k] * v + shift[k]
            }
        } else {
            for k in 0..<width { x[k] = gain[k] * ((x[k] - mean) * inverse) + shift[k] }
        }
    }
}

/// Backward of `layerNormForward`, in place: d [rows, width] (row stride ldD) holds dL/dy on entry and
/// dL/da on return. Adds dL/dγ and dL/dβ [width] into dGain and dShift.
func layerNormBackward(
    _ d: UnsafeMutablePointer<Float>, ldD: Int, gain: UnsafePointer<Float>,
    xhat: UnsafePointer<Float>, ldXhat: Int, rstd: UnsafePointer<Float>, ldRstd: Int,
    dGain: UnsafeMutablePointer<Float>, dShift: UnsafeMutablePointer<Float>, rows: Int, width: Int
) {
    let inverseWidth = 1 / Float(width)
    for r in 0..<rows {
        let dy = d + r * ldD, xh = xhat + r * ldXhat
        var sumG: Float = 0, sumGX: Float = 0
        for k in 0..<width {
            let g = dy[k] * gain[k]
            sumG += g
            sumGX += g * xh[k]
            dGain[k] += dy[k] * xh[k]
            dShift[k] += dy[k]
        }
        let meanG = sumG * inverseWidth, meanGX = sumGX * inverseWidth, inverse = rstd[r * ldRstd]
        for k in 0..<width { dy[k] = (dy[k] * gain[k] - meanG - xh[k] * meanGX) * inverse }
    }
}

/// γ, β [W] of one normalization and, in backward, where their gradients go.
public struct NormParameters {
    var gain: UnsafePointer<Float>, shift: UnsafePointer<Float>
    var dGain: UnsafeMutablePointer<Float>?, dShift: UnsafeMutablePointer<Float>?
}

extension Seq2Seq {
    /// The parameters of `weights` (nil without layer norm), with gradients when `gradients` is given.
    func normParameters(_ weights: LayerNormWeights?, gradients: UnsafeMutablePointer<Float>?) -> NormParameters? {
        guard let weights else { return nil }
        return NormParameters(gain: params.value(weights.gain), shift: params.value(weights.shift),
                              dGain: gradients.map { $0 + weights.gain.offset }, dShift: gradients.map { $0 + weights.shift.offset })
    }
}

/// Layer normalization inside one step of a cell with G gate blocks of H columns, over B rows: the
/// parameters γ, β [G·H], the step's saved x̂ [B, G·H] and 1/σ [B, G] (nil in search, which has no
/// backward), and in training the gradients of γ and β.
public struct CellNorm {
    var gain: UnsafePointer<Float>, shift: UnsafePointer<Float>
    var xhat: UnsafeMutablePointer<Float>?, rstd: UnsafeMutablePointer<Float>?
    var dGain: UnsafeMutablePointer<Float>?, dShift: UnsafeMutablePointer<Float>?
    /// G: gate blocks.
    var gates: Int

    init(_ p: NormParameters, xhat: UnsafeMutablePointer<Float>?, rstd: UnsafeMutablePointer<Float>?, gates: Int) {
        gain = p.gain; shift = p.shift; dGain = p.dGain; dShift = p.dShift
        self.xhat = xhat; self.rstd = rstd; self.gates = gates
    }

    /// Normalizes gate blocks `blocks` of a [B, ·] (row stride ld), which starts at block blocks.lowerBound.
    @inline(__always)
    func forward(_ a: UnsafeMutablePointer<Float>, ld: Int, blocks: Range<Int>, B: Int, H: Int) {
        for k in blocks {
            let column = k * H
            layerNormForward(
                a + (k - blocks.lowerBound) * H, ldA: ld, gain: gain + column, shift: shift + column,
                xhat: xhat.map { $0 + column }, ldXhat: gates * H, rstd: rstd.map { $0 + k }, ldRstd: gates, rows: B, width: H)
        }
    }

    /// Backward of `forward`, in place on d [B, ·] (row stride ld), which starts at block blocks.lowerBound.
    @inline(__always)
    func backward(_ d: UnsafeMutablePointer<Float>, ld: Int, blocks: Range<Int>, B: Int, H: Int) {
        for k in blocks {
            let column = k * H
            layerNormBackward(
                d + (k - blocks.lowerBound) * H, ldD: ld, gain: gain + column, xhat: xhat! + column, ldXhat: gates * H,
                rstd: rstd! + k, ldRstd: gates, dGain: dGain! + column, dShift: dShift! + column, rows: B, width: H)
        }
    }
}

/// The γ and β of one layer normalization, [width] each.
public struct LayerNormWeights: Sendable {
    public let gain: TensorView
    public let shift: TensorView
}
