// A growable buffer of plain values in raw memory, for the inner loops of tokenizing and scoring.
//
// Swift arrays check uniqueness and capacity on every append; in the tokenizer's passes that was a
// measurable share of scoring time. Callers reserve an upper bound once per pass and then append
// without checks. The owner frees the memory (`deallocate()`); copies of the struct share it.

struct RawBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int = 64) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    func deallocate() { base.deallocate() }

    /// Makes room for at least `minimum` elements in total, keeping the current ones.
    @inline(__always)
    mutating func reserve(_ minimum: Int) {
        if minimum > capacity { grow(to: minimum) }
    }

    private mutating func grow(to minimum: Int) {
        let newCapacity = max(minimum, 2 * capacity)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends without a capacity check: the caller has reserved room.
    @inline(__always)
    mutating func append(_ element: Element) {
        base[count] = element
        count += 1
    }

    @inline(__always)
    subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }

    var bufferPointer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    var array: [Element] { Array(bufferPointer) }
}
