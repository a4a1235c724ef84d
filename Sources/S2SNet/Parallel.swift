// Splitting elementwise work across cores. BLAS already runs its products on every core; the loops
// around them (softmax over the vocabulary, Adam, the gradient norm) would otherwise run on one core
// while the others wait.
import Dispatch
import Foundation

public enum Parallel {
    /// How many cores s2s may use; set once at start-up (`--threads`), before any work.
    nonisolated(unsafe) public static var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls body(start, end) on disjoint ranges covering 0..<count, one per worker, concurrently when
    /// there is enough work.
    @inline(__always)
    public static func ranges(_ count: Int, minimumPerWorker: Int = 4096, workers: Int = Parallel.workers,
                              _ body: (Int, Int) -> Void) {
        let w = max(1, min(workers, count / max(minimumPerWorker, 1)))
        if w <= 1 {
            body(0, count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedBody(run: body)
            DispatchQueue.concurrentPerform(iterations: w) { k in
                box.run(count * k / w, count * (k + 1) / w)
            }
        }
    }

    /// Like `ranges`, also passing each worker its index (0..<workers), e.g. to pick its own scratch.
    @inline(__always)
    public static func indexedRanges(_ count: Int, minimumPerWorker: Int = 4096, workers: Int = Parallel.workers,
                                     _ body: (Int, Int, Int) -> Void) {
        let w = max(1, min(workers, count / max(minimumPerWorker, 1)))
        if w <= 1 {
            body(0, 0, count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedIndexedBody(run: body)
            DispatchQueue.concurrentPerform(iterations: w) { k in
                box.run(k, count * k / w, count * (k + 1) / w)
            }
        }
    }

    /// Σ body(start, end) over disjoint ranges covering 0..<count: each worker writes its partial sum
    /// to a slot of its own (one per worker, however many there are) and the slots are added in order.
    public static func sum(_ count: Int, minimumPerWorker: Int = 4096, workers: Int = Parallel.workers,
                           _ body: (Int, Int) -> SIMD2<Double>) -> SIMD2<Double> {
        let w = max(1, min(workers, count / max(minimumPerWorker, 1)))
        let partial = UnsafeMutablePointer<SIMD2<Double>>.allocate(capacity: w)
        partial.initialize(repeating: .zero, count: w)
        defer { partial.deallocate() }
        indexedRanges(count, minimumPerWorker: minimumPerWorker, workers: w) { k, start, end in
            partial[k] = body(start, end)
        }
        var total = SIMD2<Double>.zero
        for k in 0..<w { total += partial[k] }
        return total
    }
}

private struct UncheckedIndexedBody: @unchecked Sendable {
    let run: (Int, Int, Int) -> Void
}

/// The workers touch disjoint ranges of raw buffers, which the compiler cannot see; this says so.
private struct UncheckedBody: @unchecked Sendable {
    let run: (Int, Int) -> Void

}
