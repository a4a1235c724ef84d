// Training on several cores: the batch is split into interleaved parts (sentence k goes to worker
// k mod W, so parts have similar lengths), each worker runs forward and backward on its part with
// single-threaded BLAS into its own gradient buffer, and the buffers are summed.
//
// Why not let BLAS use the cores instead: most of the step is the recurrences, whose GEMMs have only B
// rows; measured here, OpenBLAS gains nothing from a second thread on [64, 256]·[256, 768], while two
// workers each on half the batch keep both cores busy through the recurrences, the elementwise code and
// the output layer alike.
import Dispatch

public final class DataParallelStep: @unchecked Sendable {
    public let model: Seq2Seq
    public let workers: Int
    let workspaces: [Workspace]
    let extraGradients: [UnsafeMutablePointer<Float>]  // workers 1..<W; worker 0 writes the model's

    public init(model: Seq2Seq, workers: Int) {
        self.model = model
        self.workers = max(1, workers)
        var spaces: [Workspace] = []
        var extra: [UnsafeMutablePointer<Float>] = []
        for w in 0..<self.workers {
            let ws = Workspace(model: model)
            ws.threads = self.workers == 1 ? Parallel.workers : 1
            if w > 0 {
                let g = UnsafeMutablePointer<Float>.allocate(capacity: model.params.count)
                g.initialize(repeating: 0, count: model.params.count)
                ws.gradients = g
                extra.append(g)
            }
            spaces.append(ws)
        }
        workspaces = spaces
        extraGradients = extra
    }

    deinit { for g in extraGradients { g.deallocate() } }

    /// Forward and backward over the batch given as id sequences; on return model.params.grads holds the
    /// gradient of the mean loss per target token over the whole batch (added to what was there, which
    /// should be zero). Returns the summed losses.
    public func run(sources: [[Int32]], targets: [[Int32]], options: PassOptions, rng: inout Rng) -> LossSums {
        let total = targets.reduce(0) { $0 + $1.count + 1 }
        let scale = 1 / Float(max(total, 1))
        let W = min(workers, sources.count)
        gradientNorm = nil
        if W <= 1 {
            let batch = Batch(sources: sources, targets: targets)
            let sums = model.forward(batch, workspace: workspaces[0], options: options, rng: &rng, lossScale: scale)
            model.backward(workspaces[0])
            return sums
        }
        let parts = (0..<W).map { w in Batch(sources: stride(from: w, to: sources.count, by: W).map { sources[$0] },
                                             targets: stride(from: w, to: targets.count, by: W).map { targets[$0] }) }
        let seeds = (0..<W).map { _ in rng.next() }
        let results = UnsafeMutablePointer<LossSums>.allocate(capacity: W)
        results.initialize(repeating: LossSums(), count: W)
        defer { results.deallocate() }
        let previousThreads = BLAS.threads
        BLAS.setThreads(1)
        let box = Unchecked(workspaces: workspaces, results: results)
        DispatchQueue.concurrentPerform(iterations: W) { w in
            var local = Rng(seed: seeds[w])
            box.results[w] = self.model.forward(parts[w], workspace: box.workspaces[w], options: options, rng: &local, lossScale: scale)
            self.model.backward(box.workspaces[w])
        }
        BLAS.setThreads(previousThreads)
        reduceGradients()
        var sums = LossSums()
        for w in 0..<W {
            sums.loss += results[w].loss
            sums.nll += results[w].nll
            sums.tokens += results[w].tokens
        }
        return sums
    }

    /// The L2 norm of the summed gradient, when the last `run` computed it while reducing (several
    /// workers); nil after a single-worker run, where nothing was reduced.
    public private(set) var gradientNorm: Double?

    /// model grads += each worker's grads, which are zeroed for the next step, and the norm of the sum:
    /// one parallel pass, so the optimizer need not read the gradients again to clip them.
    func reduceGradients() {
        let g = model.params.grads, n = model.params.count
        let extra = extraGradients
        let partial = UnsafeMutablePointer<Double>.allocate(capacity: 64)
        partial.initialize(repeating: 0, count: 64)
        defer { partial.deallocate() }
        Parallel.indexedRanges(n, minimumPerWorker: 1 << 16) { worker, start, end in
            for e in extra {
                for i in start..<end {
                    g[i] += e[i]
                    e[i] = 0
                }
            }
            partial[worker] = sumOfSquares(g + start, end - start)
        }
        var total = 0.0
        for k in 0..<64 { total += partial[k] }
        gradientNorm = total.squareRoot()
    }

    private struct Unchecked: @unchecked Sendable {
        let workspaces: [Workspace]
        let results: UnsafeMutablePointer<LossSums>
    }
}
