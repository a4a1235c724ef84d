// The gradient exchange of training over several processes, timed on its own (`--collectives`, under
// mpirun): allreduce of the flat gradient and Adam on every parameter, against reduce-scatter, Adam on
// this rank's shard, and allgather of the parameters. Training uses the second, faster for the default
// model (see ShardedAdam.swift for the figures and the one case measured the other way).
import Foundation
import S2SNet
import S2STrain

func benchCollectives(parameters count: Int, adam config: AdamConfig) throws {
    let grads = FloatBuffer(capacity: count), values = FloatBuffer(capacity: count)
    for i in 0..<count { grads[i] = Float(i % 17) * 1e-3; values[i] = Float(i % 11) * 1e-2 }
    let shard = comm.shard(of: count)
    let shardGrads = FloatBuffer(capacity: shard.count)
    let full = Adam(parameterCount: count, config: config), part = Adam(parameterCount: shard.count, config: config)
    let repeats = 20
    func time(_ body: () throws -> Void) throws -> Double {
        var best = Double.infinity
        for _ in 0..<repeats {
            var barrier = [0.0]
            try comm.sum(&barrier)
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return best
    }
    let allreduce = try time { try comm.sum(grads.pointer, count: count) }
    let adamAll = try time { full.update(values: values.pointer, grads: grads.pointer, learningRate: 1e-3, gradientNorm: 1) }
    let scatter = try time { try comm.sumScattered(grads.pointer, count: count, into: shardGrads.pointer) }
    let adamShard = try time { part.update(values: values.pointer + shard.lowerBound, grads: shardGrads.pointer, learningRate: 1e-3, gradientNorm: 1) }
    let gather = try time { try comm.gather(values.pointer, count: count) }
    guard comm.isRoot else { return }
    let bytes = Double(count * 4), n = Double(comm.size)
    // Bus bandwidth: what each link carries in a ring allreduce, 2(N−1)/N × bytes, per second.
    let busGBs = 2 * (n - 1) / n * bytes / allreduce / 1e9
    print(String(format: "%d ranks, %d threads each (OpenBLAS %@); gradient %d floats = %.1f MB; best of %d", comm.size, Parallel.workers, BLAS.coreName, count, bytes / 1e6, repeats))
    print(String(format: "  allreduce %.2f ms (bus bandwidth %.2f GB/s) + Adam on all %.2f ms = %.2f ms", allreduce * 1e3, busGBs, adamAll * 1e3, (allreduce + adamAll) * 1e3))
    print(String(format: "  reduce-scatter %.2f ms + Adam on 1/%d %.2f ms + allgather %.2f ms = %.2f ms", scatter * 1e3, comm.size, adamShard * 1e3, gather * 1e3, (scatter + adamShard + gather) * 1e3))
}
