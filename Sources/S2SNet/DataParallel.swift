// Training on several cores: the batch is split into interleaved parts (sentence k goes to part k mod G,
// G = workers × training processes, so parts have similar lengths), each worker runs forward and backward on its part with
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

    /// Forward and backward over this process's share of the batch given as id sequences; on return
    /// model.params.grads holds the gradient of the mean loss per target token over the whole batch
    /// (added to what was there, which should be zero), restricted to the sentences of this share.
    /// Returns the summed losses of the share.
    ///
    /// `share`: this process's rank among `ranks` training processes (Communicator). The batch is cut
    /// into G = ranks × workers interleaved parts (sentence k goes to part k mod G); rank r runs parts
    /// r·W ..< (r+1)·W, and part g draws its random numbers from the g-th seed taken from `rng`. So every
    /// rank consumes `rng` identically, and 2 ranks × 1 worker compute exactly what 1 rank × 2 workers do.
    public func run(sources: [[Int32]], targets: [[Int32]], options: PassOptions, rng: inout Rng,
                    share: (rank: Int, ranks: Int) = (0, 1)) -> LossSums {
        // The scale is the whole batch's: every rank's gradient is a term of the same mean.
        let total = targets.reduce(0) { $0 + $1.count + 1 }
        let scale = 1 / Float(max(total, 1))
        let G = min(workers * share.ranks, sources.count)
        gradientNorm = nil
        if workers == 1 && share.ranks == 1 {
            let batch = Batch(sources: sources, targets: targets)
            let sums = model.forward(batch, workspace: workspaces[0], options: options, rng: &rng, lossScale: scale)
            model.backward(workspaces[0])
            return sums
        }
        let seeds = (0..<max(G, 1)).map { _ in rng.next() }
        let mine = Array(min(G, share.rank * workers)..<min(G, (share.rank + 1) * workers))
        if mine.isEmpty { return LossSums() }  // fewer sentences than parts: nothing for this rank
        let parts = mine.map { g in Batch(sources: stride(from: g, to: sources.count, by: G).map { sources[$0] },
                                          targets: stride(from: g, to: targets.count, by: G).map { targets[$0] }) }
        let W = parts.count
        if W == 1 {
            var local = Rng(seed: seeds[mine[0]])
            let sums = model.forward(parts[0], workspace: workspaces[0], options: options, rng: &local, lossScale: scale)
            model.backward(workspaces[0])
            return sums
        }
        let results = UnsafeMutablePointer<LossSums>.allocate(capacity: W)
        results.initialize(repeating: LossSums(), count: W)
        defer { results.deallocate() }
        let previousThreads = BLAS.threads
        BLAS.setThreads(1)
        let box = Unchecked(workspaces: workspaces, results: results)
        DispatchQueue.concurrentPerform(iterations: W) { w in
            var local = Rng(seed: seeds[mine[w]])
            box.results[w] = self.model.forward(parts[w], workspace: box.workspaces[w], options: options, rng: &local, lossScale: scale)
            self.model.backward(box.workspaces[w])
        }
        BLAS.setThreads(previousThreads)
        reduceGradients(workers: W)
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
    func reduceGradients(workers W: Int) {
        let g = model.params.grads, n = model.params.count
        let extra = Array(extraGradients.prefix(W - 1))
        let total = Parallel.sum(n, minimumPerWorker: 1 << 16) { start, end in
            for e in extra {
                for i in start..<end {
                    g[i] += e[i]
                    e[i] = 0
                }
            }
            return SIMD2(sumOfSquares(g + start, end - start), 0)
        }[0]
        gradientNorm = total.squareRoot()
    }

    private struct Unchecked: @unchecked Sendable {
        let workspaces: [Workspace]
        let results: UnsafeMutablePointer<LossSums>
    }
}
