// Adam's update rule, clipping and smoothing, determinism under a seed, teacher forcing below 1, and
// word dropout.
import XCTest
@testable import S2SNet

final class TrainingBehaviourTests: XCTestCase {
    func testAdamFirstStepsFollowTheFormulaAndClip() throws {
        let set = ParameterSet(views: [TensorView(name: "w", offset: 0, shape: [3])], count: 3)
        set.values.update(from: [1, -2, 0.5], count: 3)
        var cfg = AdamConfig()
        cfg.clipNorm = 1
        cfg.weightDecay = 0.1
        let adam = Adam(parameterCount: 3, config: cfg)
        let grads: [Float] = [3, 4, 0]  // norm 5 → clipped to norm 1: [0.6, 0.8, 0]
        set.grads.update(from: grads, count: 3)
        let norm = adam.update(set, learningRate: 0.1)
        XCTAssertEqual(norm, 5, accuracy: 1e-9)
        // Step 1 with bias correction: m̂ = g, v̂ = g², so the step is lr · g / (|g| + eps) = ±lr.
        XCTAssertEqual(set.values[0], 1 * (1 - 0.01) - 0.1, accuracy: 1e-6)
        XCTAssertEqual(set.values[1], -2 * (1 - 0.01) - 0.1, accuracy: 1e-6)
        XCTAssertEqual(set.values[2], 0.5 * (1 - 0.01), accuracy: 1e-6)
        // Gradients are left zero for the next accumulation.
        XCTAssertEqual(Array(UnsafeBufferPointer(start: set.grads, count: 3)), [0, 0, 0])
        // Step 2 with the same (unclipped) gradient direction: m = 0.9·0.1g... check against the formula.
        set.grads.update(from: [0.6, 0, 0], count: 3)
        let before = set.values[0]
        adam.update(set, learningRate: 0.1)
        let m = 0.9 * 0.1 * 0.6 + 0.1 * 0.6, v = 0.999 * 0.001 * 0.36 + 0.001 * 0.36
        let mHat = m / (1 - 0.81), vHat = v / (1 - 0.998001)
        let expected = Double(before) * (1 - 0.01) - 0.1 * mHat / (vHat.squareRoot() + 1e-8)
        XCTAssertEqual(Double(set.values[0]), expected, accuracy: 1e-6)
    }

    func testSameSeedSameGradientsAndTeacherForcingChangesInputs() throws {
        let model = try Seq2Seq(config: tinyConfig())
        model.initialize(seed: 1)
        let ws = Workspace(model: model)
        let batch = paddedBatch()
        func run(_ options: PassOptions, seed: UInt64) -> ([Float], LossSums) {
            var rng = Rng(seed: seed)
            let s = model.forwardBackward(batch, workspace: ws, options: options, rng: &rng)
            return (Array(UnsafeBufferPointer(start: model.params.grads, count: model.params.count)), s)
        }
        let dropout = PassOptions(dropout: 0.3)
        let (g1, s1) = run(dropout, seed: 5)
        let (g2, s2) = run(dropout, seed: 5)
        XCTAssertEqual(g1, g2)
        XCTAssertEqual(s1, s2)
        let (_, s3) = run(dropout, seed: 6)
        XCTAssertNotEqual(s1.loss, s3.loss, "a different seed should draw different dropout masks")

        // teacherForcing 0: every step after the first reads the model's own greedy choice.
        let (_, full) = run(PassOptions(), seed: 1)
        let (_, own) = run(PassOptions(teacherForcing: 0), seed: 1)
        XCTAssertNotEqual(full.loss, own.loss)
        var changed = 0
        for i in batch.B..<(batch.T * batch.B) where batch.targetIn[i] != SpecialIds.pad {
            if ws.tgtIn.pointer[i] != batch.targetIn[i] { changed += 1 }
        }
        XCTAssertGreaterThan(changed, 0, "no decoder input was replaced by a prediction")
        // Padding is never replaced.
        for i in 0..<(batch.T * batch.B) where batch.targetIn[i] == SpecialIds.pad {
            XCTAssertEqual(ws.tgtIn.pointer[i], SpecialIds.pad)
        }
    }

    /// The smoothed copy starts as the first step's parameters, then every fourth step follows
    /// s += w·(p − s) with w = 1 − (1 − a)⁴, a = max(smoothing, 10/(9 + step)); swapping exchanges it with the
    /// parameters, twice restores.
    func testSmoothedParametersFollowTheirFormula() {
        let set = ParameterSet(views: [TensorView(name: "w", offset: 0, shape: [2])], count: 2)
        set.values.update(from: [1, -1], count: 2)
        var cfg = AdamConfig()
        cfg.smoothing = 0.05
        let adam = Adam(parameterCount: 2, config: cfg)
        var expected: [Double] = []
        for step in 1...300 {
            set.grads.update(from: [Float(step % 3) - 1, 0.5], count: 2)
            adam.update(set, learningRate: 0.01)
            let p = (0..<2).map { Double(set.values[$0]) }
            let a = max(0.05, 10 / (9 + Double(step))), w = 1 - pow(1 - a, 4)
            if step == 1 { expected = p } else if step % 4 == 0 { expected = (0..<2).map { expected[$0] + w * (p[$0] - expected[$0]) } }
            if step == 1 { XCTAssertEqual(adam.smoothed![0], set.values[0]) }
        }
        XCTAssertEqual(cfg.smoothingWeight(step: 10), 10 / 19)
        XCTAssertEqual(cfg.smoothingWeight(step: 1000), 0.05)
        XCTAssertNil(cfg.smoothingUpdate(step: 3))
        XCTAssertEqual(cfg.smoothingUpdate(step: 1), 1)
        for i in 0..<2 { XCTAssertEqual(Double(adam.smoothed![i]), expected[i], accuracy: 1e-5) }
        XCTAssertGreaterThan(abs(Double(set.values[1]) - expected[1]), 1e-3, "the copy lags the parameters")
        let raw = [set.values[0], set.values[1]], smooth = [adam.smoothed![0], adam.smoothed![1]]
        adam.swapSmoothed(with: set.values)
        XCTAssertEqual([set.values[0], set.values[1]], smooth)
        adam.swapSmoothed(with: set.values)
        XCTAssertEqual([set.values[0], set.values[1]], raw)
        XCTAssertNil(Adam(parameterCount: 2).smoothed, "no copy unless asked for")
    }

    /// Word dropout turns words (never <pad>, <bos> or </s>) into <unk>, on both sides, at about its rate,
    /// and leaves the labels alone.
    func testWordDropoutReplacesInputsNotLabels() throws {
        let model = try Seq2Seq(config: tinyConfig())
        model.initialize(seed: 1)
        let ws = Workspace(model: model)
        var sources: [[Int32]] = [], targets: [[Int32]] = []
        var gen = Rng(seed: 2)
        for _ in 0..<40 {
            sources.append((0..<8).map { _ in Int32(4 + gen.next() % 7) })
            targets.append((0..<8).map { _ in Int32(4 + gen.next() % 9) })
        }
        let batch = Batch(sources: sources, targets: targets)
        var rng = Rng(seed: 3)
        _ = model.forward(batch, workspace: ws, options: PassOptions(wordDropout: 0.25), rng: &rng)
        var srcDropped = 0, tgtDropped = 0
        for i in 0..<(batch.S * batch.B) where batch.source[i] != SpecialIds.pad {
            let id = ws.srcIds.pointer[i]
            XCTAssertTrue(id == batch.source[i] || id == SpecialIds.unk)
            if batch.source[i] == SpecialIds.eos { XCTAssertEqual(id, SpecialIds.eos) }
            if id != batch.source[i] { srcDropped += 1 }
        }
        for i in 0..<(batch.T * batch.B) {
            let id = ws.tgtIn.pointer[i], original = batch.targetIn[i]
            if original == SpecialIds.pad || original == SpecialIds.bos { XCTAssertEqual(id, original) }
            if id != original { XCTAssertEqual(id, SpecialIds.unk); tgtDropped += 1 }
        }
        // 320 source and 320 target words at 0.25: about 80 each.
        XCTAssertTrue((45...115).contains(srcDropped), "\(srcDropped) source words dropped")
        XCTAssertTrue((40...110).contains(tgtDropped), "\(tgtDropped) target inputs dropped")
        var n = 0
        for i in 0..<(batch.T * batch.B) where batch.targetOut[i] != SpecialIds.pad {
            XCTAssertEqual(ws.targets.pointer[n], batch.targetOut[i])
            n += 1
        }
        var again = Rng(seed: 3)
        _ = model.forward(batch, workspace: ws, options: PassOptions(), rng: &again)
        for i in 0..<(batch.S * batch.B) { XCTAssertEqual(ws.srcIds.pointer[i], batch.source[i]) }
    }
}

final class DataParallelTests: XCTestCase {
    /// Splitting the batch across workers gives the gradient of the whole batch's mean loss.
    func testWorkersSumToTheWholeBatchGradient() throws {
        let model = try Seq2Seq(config: tinyConfig(layers: 2))
        model.initialize(seed: 4)
        let sources: [[Int32]] = [[4, 5, 6, 7], [8, 9], [10, 4, 5], [6], [7, 8, 9, 10, 4]]
        let targets: [[Int32]] = [[4, 5], [6, 7, 8, 9, 10], [11, 12, 4], [5, 5], [9]]
        var rng = Rng(seed: 1)
        model.forwardBackward(Batch(sources: sources, targets: targets), workspace: Workspace(model: model),
                              options: PassOptions(labelSmoothing: 0.1), rng: &rng)
        let whole = Array(UnsafeBufferPointer(start: model.params.grads, count: model.params.count))
        for workers in [1, 2, 3] {
            model.params.zeroGrads()
            let step = DataParallelStep(model: model, workers: workers)
            var r = Rng(seed: 1)
            let sums = step.run(sources: sources, targets: targets, options: PassOptions(labelSmoothing: 0.1), rng: &r)
            XCTAssertEqual(sums.tokens, targets.reduce(0) { $0 + $1.count + 1 })
            var worst: Float = 0
            for i in 0..<model.params.count { worst = max(worst, abs(model.params.grads[i] - whole[i])) }
            // Only the summation order differs: float rounding, far below any gradient's size.
            XCTAssertLessThan(worst, 1e-6, "workers \(workers)")
            for g in step.extraGradients {
                XCTAssertTrue(UnsafeBufferPointer(start: g, count: model.params.count).allSatisfy { $0 == 0 })
            }
        }
    }
}

final class DataParallelNormTests: XCTestCase {
    /// The norm computed while reducing equals the norm of the reduced gradient read afresh.
    func testReducedNormMatchesAFreshNorm() throws {
        let model = try Seq2Seq(config: tinyConfig())
        model.initialize(seed: 2)
        let step = DataParallelStep(model: model, workers: 2)
        var rng = Rng(seed: 1)
        _ = step.run(sources: [[4, 5], [6, 7, 8], [9]], targets: [[4], [5, 6], [7, 8, 9]], options: PassOptions(), rng: &rng)
        let fused = try XCTUnwrap(step.gradientNorm)
        XCTAssertEqual(fused, Adam.gradientNorm(model.params), accuracy: 1e-9 * max(fused, 1))
        XCTAssertGreaterThan(fused, 0)
        let single = DataParallelStep(model: model, workers: 1)
        _ = single.run(sources: [[4, 5]], targets: [[4]], options: PassOptions(), rng: &rng)
        XCTAssertNil(single.gradientNorm)
    }
}

/// More workers than the old fixed 64 slots for partial sums: every partial sum is counted once, and
/// nothing is written outside its slot (ASan would catch it), for the loss, the gradient norm and the
/// reduction of the workers' gradients.
final class ManyWorkersTests: XCTestCase {
    func testLossSumsWithAHundredWorkersMatchOneWorker() throws {
        let N = 1000, V = 17
        var rng = Rng(seed: 5)
        let logits = randomArray(N * V, &rng, scale: 3)
        let targets = (0..<N).map { Int32($0 % V) }
        func run(_ threads: Int) -> LossSums {
            var copy = logits
            return copy.withUnsafeMutableBufferPointer { p in
                crossEntropyForwardBackward(logits: p.baseAddress!, targets: targets, N: N, V: V, smoothing: 0.1, scale: 1, threads: threads)
            }
        }
        let one = run(1), hundred = run(100)
        XCTAssertEqual(hundred.tokens, one.tokens)
        XCTAssertEqual(hundred.loss, one.loss, accuracy: 1e-9 * one.loss)
        XCTAssertEqual(hundred.nll, one.nll, accuracy: 1e-9 * one.nll)
    }

    func testGradientNormAndReductionWithAHundredWorkersMatchOneWorker() throws {
        let saved = Parallel.workers
        defer { Parallel.workers = saved }
        // Enough elements that 100 workers each get their minimum share of 65,536.
        let n = 100 << 16
        let set = ParameterSet(views: [TensorView(name: "g", offset: 0, shape: [n])], count: n)
        var rng = Rng(seed: 9)
        for i in 0..<n { set.grads[i] = rng.uniform() - 0.5 }
        Parallel.workers = 1
        let one = Adam.gradientNorm(set)
        Parallel.workers = 100
        let hundred = Adam.gradientNorm(set)
        XCTAssertEqual(hundred, one, accuracy: 1e-9 * one)
        XCTAssertEqual(one, (Double(n) / 12).squareRoot(), accuracy: 0.01 * one, "uniform(−½, ½) has variance 1/12")
    }

    func testAHundredDataParallelWorkersComputeOneWorkersGradient() throws {
        let saved = Parallel.workers
        defer { Parallel.workers = saved }
        Parallel.workers = 100
        let model = try Seq2Seq(config: tinyConfig())
        model.initialize(seed: 4)
        let sources = (0..<150).map { k in (0..<(1 + k % 5)).map { Int32(4 + ($0 + k) % 7) } }
        let targets = (0..<150).map { k in (0..<(1 + k % 4)).map { Int32(4 + ($0 * 3 + k) % 9) } }
        var rng = Rng(seed: 1)
        let wide = DataParallelStep(model: model, workers: 100)
        let sumsWide = wide.run(sources: sources, targets: targets, options: PassOptions(), rng: &rng)
        let gradWide = Array(UnsafeBufferPointer(start: model.params.grads, count: model.params.count))
        model.params.zeroGrads()
        let single = DataParallelStep(model: model, workers: 1)
        let sumsOne = single.run(sources: sources, targets: targets, options: PassOptions(), rng: &rng)
        XCTAssertEqual(sumsWide.tokens, sumsOne.tokens)
        XCTAssertEqual(sumsWide.loss, sumsOne.loss, accuracy: 1e-5 * sumsOne.loss)
        var num = 0.0, den = 0.0
        for i in 0..<model.params.count {
            let d = Double(gradWide[i] - model.params.grads[i])
            num += d * d
            den += Double(model.params.grads[i]) * Double(model.params.grads[i])
        }
        XCTAssertGreaterThan(den, 0)
        XCTAssertLessThan((num / den).squareRoot(), 1e-5)
        XCTAssertEqual(try XCTUnwrap(wide.gradientNorm), den.squareRoot(), accuracy: 1e-4 * den.squareRoot())
    }
}
