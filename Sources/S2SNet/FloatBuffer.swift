// Manually managed storage for Float32 activations and Int32 ids. Workspaces keep these alive across
// batches and grow them only when a batch is larger than any before, so the training loop does not allocate.

/// A contiguous, growable buffer. Growing does not preserve contents (new memory is zeroed).
public final class Buffer<Element: Numeric>: @unchecked Sendable {
    public private(set) var pointer: UnsafeMutablePointer<Element>
    public private(set) var capacity: Int

    public init(capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
        pointer.initialize(repeating: 0, count: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// Makes room for `count` elements; returns the (possibly new) base pointer.
    @discardableResult
    public func reserve(_ count: Int) -> UnsafeMutablePointer<Element> {
        if count > capacity {
            pointer.deallocate()
            capacity = max(count, capacity + capacity / 2)
            pointer = .allocate(capacity: capacity)
            pointer.initialize(repeating: 0, count: capacity)
        }
        return pointer
    }

    public func zero(_ count: Int) { pointer.update(repeating: 0, count: min(count, capacity)) }

    public subscript(i: Int) -> Element {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    public func toArray(_ count: Int) -> [Element] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

public typealias FloatBuffer = Buffer<Float>
public typealias IntBuffer = Buffer<Int32>
