// All trainable parameters in one flat Float32 buffer, with typed views into it (llm.c style).
// Zeroing gradients, clipping, Adam and saving are each one loop over the flat buffer.

/// A named, shaped window into the flat parameter buffer.
public struct TensorView: Sendable, Equatable {
    public let name: String
    public let offset: Int
    public let shape: [Int]
    public var count: Int { shape.reduce(1, *) }
    public var rows: Int { shape.count == 1 ? 1 : shape[0] }
    public var cols: Int { shape.last ?? 1 }
}

/// Builds the layout: hands out views in order, each offset aligned to 16 floats (64 bytes).
public struct ParameterLayoutBuilder {
    public private(set) var views: [TensorView] = []
    public private(set) var count = 0

    public init() {}

    public mutating func add(_ name: String, _ shape: [Int]) -> TensorView {
        let v = TensorView(name: name, offset: count, shape: shape)
        views.append(v)
        count += (v.count + 15) / 16 * 16
        return v
    }
}

/// Parameter values plus a gradient buffer laid out identically.
public final class ParameterSet: @unchecked Sendable {
    public let views: [TensorView]
    public let count: Int
    public let values: UnsafeMutablePointer<Float>
    public let grads: UnsafeMutablePointer<Float>

    public init(views: [TensorView], count: Int) {
        self.views = views
        self.count = count
        values = .allocate(capacity: count)
        values.initialize(repeating: 0, count: count)
        grads = .allocate(capacity: count)
        grads.initialize(repeating: 0, count: count)
    }

    deinit {
        values.deallocate()
        grads.deallocate()
    }

    @inline(__always) public func value(_ v: TensorView) -> UnsafeMutablePointer<Float> { values + v.offset }
    @inline(__always) public func grad(_ v: TensorView) -> UnsafeMutablePointer<Float> { grads + v.offset }

    public func zeroGrads() { grads.update(repeating: 0, count: count) }

    /// The number of trainable scalars (alignment padding excluded).
    public var parameterCount: Int { views.reduce(0) { $0 + $1.count } }

    public func view(named name: String) -> TensorView? { views.first { $0.name == name } }
}
