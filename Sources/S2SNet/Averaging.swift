// Checkpoint averaging (Marian's and OpenNMT's average_models): the element-wise mean of the parameters of
// several models of one architecture, usually the last few checkpoints of one run. Like the exponentially
// smoothed parameters (Adam.swift) the mean sits nearer the minimum than any one of them; unlike them it
// can also combine files saved at any points, or by separate runs that started from the same model.

extension Seq2Seq {
    /// A new model whose every parameter is the mean of that parameter in `models` (at least one, all of
    /// the same configuration). Summed in Double, so a mean of Float32 values loses nothing to the sum.
    public static func average(_ models: [Seq2Seq]) throws -> Seq2Seq {
        guard let first = models.first else { throw ModelError.invalidConfig("nothing to average: no models given") }
        for (i, m) in models.enumerated() where m.config != first.config {
            throw ModelError.shapeMismatch("model \(i + 1) has another configuration than model 1 (\(m.config) vs \(first.config)); only models of one architecture and vocabulary can be averaged")
        }
        let mean = try Seq2Seq(config: first.config)
        let n = first.params.count, scale = 1 / Double(models.count)
        let out = mean.params.values
        Parallel.ranges(n, minimumPerWorker: 1 << 16) { start, end in
            for i in start..<end {
                var sum = 0.0
                for m in models { sum += Double(m.params.values[i]) }
                out[i] = Float(sum * scale)
            }
        }
        return mean
    }
}
