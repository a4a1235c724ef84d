// Manually managed Float32 storage. Workspaces keep these alive across batches and grow them only
// when a batch is larger than any before, so the training loop does not allocate.

/// A contiguous, growable Float32 buffer. Growing does not preserve contents.
public final class FloatBuffer: @unchecked Sendable {
    public private(set) var pointer: UnsafeMutablePointer<Float>
    public private(set) var capacity: Int

    public init(capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
        pointer.initialize(repeating: 0, count: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// Makes room for `count` floats; returns the (possibly new) base pointer.
    @discardableResult
    public func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            capacity = max(count, capacity + capacity / 2)
            pointer = .allocate(capacity: capacity)
            pointer.initialize(repeating: 0, count: capacity)
        }
        return pointer
    }

    public func zero(_ count: Int) { pointer.update(repeating: 0, count: min(count, capacity)) }

    public subscript(i: Int) -> Float {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    public func toArray(_ count: Int) -> [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

/// Int32 counterpart, for token ids and row indices.
public final class IntBuffer: @unchecked Sendable {
    public private(set) var pointer: UnsafeMutablePointer<Int32>
    public private(set) var capacity: Int

    public init(capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        pointer = .allocate(capacity: self.capacity)
        pointer.initialize(repeating: 0, count: self.capacity)
    }

    deinit { pointer.deallocate() }

    @discardableResult
    public func reserve(_ count: Int) -> UnsafeMutablePointer<Int32> {
        if count > capacity {
            pointer.deallocate()
            capacity = max(count, capacity + capacity / 2)
            pointer = .allocate(capacity: capacity)
            pointer.initialize(repeating: 0, count: capacity)
        }
        return pointer
    }
}
