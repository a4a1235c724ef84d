// The model file: save → load gives bit-identical parameters and outputs; checkpoints carry the optimizer;
// truncated, corrupted, wrong-shape and newer-format files are refused with their errors.
import Foundation
import XCTest
@testable import S2SNet

final class ModelFileTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-modelfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func trainedTinyModel(layerNorm: Bool = false) throws -> (Seq2Seq, Adam) {
        var config = tinyConfig(layers: 2)
        config.layerNorm = layerNorm
        let model = try Seq2Seq(config: config)
        model.initialize(seed: 3)
        let adam = Adam(parameterCount: model.params.count)
        let ws = Workspace(model: model)
        var rng = Rng(seed: 1)
        for _ in 0..<3 {
            model.forwardBackward(paddedBatch(), workspace: ws, options: PassOptions(dropout: 0.1), rng: &rng)
            adam.update(model.params, learningRate: 0.01)
        }
        return (model, adam)
    }

    func outputs(_ model: Seq2Seq) -> [Float] {
        let encoded = model.encode([[4, 5, 6], [7, 8]])
        let ws = StepWorkspace(config: model.config)
        let sentence: [Int32] = [0, 1], previous: [Int32] = [SpecialIds.bos, SpecialIds.bos]
        model.decodeStep(encoded, sentence: sentence, previous: previous, state: encoded.initialState, workspace: ws)
        return ws.logits.toArray(2 * model.config.targetVocabSize) + ws.logZ.toArray(2)
    }

    /// Writes `model`'s tensors with the given format version and configuration in the metadata, as a
    /// damaged or foreign writer might.
    func writeRaw(_ model: Seq2Seq, format: String, config: ModelConfig, to path: String) throws {
        try SafeTensors.write(
            to: path, metadata: [ModelFile.Key.format: format, ModelFile.Key.config: String(decoding: try JSONEncoder().encode(config), as: UTF8.self)],
            views: model.layout.views.map { SafeTensorsView(name: $0.name, offset: $0.offset, shape: $0.shape) },
            from: UnsafeBufferPointer(start: model.params.values, count: model.params.count))
    }

    func testSaveLoadIsBitIdenticalAndKeepsMetadata() throws {
        let (model, _) = try trainedTinyModel()
        let path = dir.appendingPathComponent("m.s2s").path
        try ModelFile.save(model, metadata: ["note": "ça va\n\"quoted\""], to: path)
        let (loaded, meta) = try ModelFile.load(path)
        XCTAssertEqual(loaded.config, model.config)
        XCTAssertEqual(meta["note"], "ça va\n\"quoted\"")
        for i in 0..<model.params.count {
            XCTAssertEqual(loaded.params.values[i].bitPattern, model.params.values[i].bitPattern)
        }
        XCTAssertEqual(outputs(loaded).map(\.bitPattern), outputs(model).map(\.bitPattern))
    }

    /// A layer-normalized model's file says so and holds its γ and β (trained away from 1 and 0): the loaded
    /// model translates exactly as the saved one.
    func testLayerNormModelIsSelfContained() throws {
        let (model, _) = try trainedTinyModel(layerNorm: true)
        let path = dir.appendingPathComponent("ln.s2s").path
        try ModelFile.save(model, metadata: [:], to: path)
        let (loaded, _) = try ModelFile.load(path)
        XCTAssertTrue(loaded.config.layerNorm)
        let gain = try XCTUnwrap(loaded.layout.decNorm?.gain)
        XCTAssertTrue((0..<gain.count).contains { loaded.params.value(gain)[$0] != 1 }, "γ was trained")
        XCTAssertEqual(outputs(loaded).map(\.bitPattern), outputs(model).map(\.bitPattern))
        XCTAssertNotEqual(outputs(loaded), try outputs(trainedTinyModel(layerNorm: false).0))
        // Format 3, which an older s2s refuses rather than running the model without its normalization;
        // models without it stay format 2, and a format-2 file claiming it is refused.
        let header = try SafeTensorsHeader.read(from: path)
        XCTAssertEqual(header.metadata[ModelFile.Key.format], "3")
        let plain = dir.appendingPathComponent("plain.s2s").path
        try ModelFile.save(try trainedTinyModel().0, metadata: [:], to: plain)
        XCTAssertEqual(try SafeTensorsHeader.read(from: plain).metadata[ModelFile.Key.format], "2")
        let claimed = dir.appendingPathComponent("claimed.s2s").path
        try writeRaw(model, format: "2", config: model.config, to: claimed)
        XCTAssertThrowsError(try ModelFile.load(claimed)) { XCTAssertTrue("\($0)".contains("no layer normalization"), "\($0)") }
        let deep = try Seq2Seq(config: { var c = tinyConfig(layers: 1); c.decoderDepth = 2; return c }())
        XCTAssertEqual(ModelFile.format(of: deep.config), 3)
        try writeRaw(deep, format: "2", config: deep.config, to: claimed)
        XCTAssertThrowsError(try ModelFile.load(claimed)) { XCTAssertTrue("\($0)".contains("deep transition"), "\($0)") }
    }

    func testCheckpointRestoresOptimizer() throws {
        let (model, adam) = try trainedTinyModel()
        let path = dir.appendingPathComponent("c.s2s").path
        try ModelFile.save(model, metadata: [:], optimizer: adam, to: path)
        let (loaded, _) = try ModelFile.load(path)
        let adam2 = Adam(parameterCount: loaded.params.count)
        try ModelFile.loadOptimizer(path, model: loaded, into: adam2)
        XCTAssertEqual(adam2.step, adam.step)
        for i in 0..<model.params.count {
            XCTAssertEqual(adam2.m[i], adam.m[i])
            XCTAssertEqual(adam2.v[i], adam.v[i])
        }
        // A final model (no optimizer) cannot be resumed from.
        let finalPath = dir.appendingPathComponent("f.s2s").path
        try ModelFile.save(model, metadata: [:], to: finalPath)
        XCTAssertThrowsError(try ModelFile.loadOptimizer(finalPath, model: loaded, into: adam2)) {
            XCTAssertTrue("\($0)".contains("cannot resume"), "\($0)")
        }
    }

    func testDamagedFilesAreRefused() throws {
        let (model, _) = try trainedTinyModel()
        let path = dir.appendingPathComponent("m.s2s").path
        try ModelFile.save(model, metadata: [:], to: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        func refuse(_ data: Data, _ expect: String?, file: StaticString = #filePath, line: UInt = #line) {
            let p = dir.appendingPathComponent("bad-\(UUID().uuidString).s2s").path
            XCTAssertTrue(FileManager.default.createFile(atPath: p, contents: data))
            XCTAssertThrowsError(try ModelFile.load(p), file: file, line: line) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(p), "error should name the file: \(text)", file: file, line: line)
                if let expect {
                    XCTAssertTrue(text.lowercased().contains(expect), "expected '\(expect)' in: \(text)", file: file, line: line)
                }
                XCTAssertFalse(text.contains("\n"), "one line: \(text)", file: file, line: line)
            }
        }
        for cut in [0, 4, 9, 40, good.count / 2, good.count - 1] {
            refuse(good.prefix(cut), "truncated")
        }
        var corrupt = good
        corrupt[10] = UInt8(ascii: "#")  // inside the JSON header
        refuse(corrupt, nil)
        // Newer format version and missing format entry.
        let newer = dir.appendingPathComponent("newer.s2s").path
        try writeRaw(model, format: "99", config: model.config, to: newer)
        XCTAssertThrowsError(try ModelFile.load(newer)) { XCTAssertTrue("\($0)".contains("newer s2s"), "\($0)") }
        let foreign = dir.appendingPathComponent("foreign.s2s").path
        try SafeTensors.write(to: foreign, metadata: [:], views: [SafeTensorsView(name: "x", offset: 0, shape: [2])],
                              from: UnsafeBufferPointer(start: model.params.values, count: 2))
        XCTAssertThrowsError(try ModelFile.load(foreign)) { XCTAssertTrue("\($0)".contains("not an s2s model"), "\($0)") }
        // A configuration that disagrees with the tensor shapes.
        var wrong = model.config
        wrong.hidden += 1
        let mismatched = dir.appendingPathComponent("shape.s2s").path
        try writeRaw(model, format: "1", config: wrong, to: mismatched)
        XCTAssertThrowsError(try ModelFile.load(mismatched)) { XCTAssertTrue("\($0)".contains("shape"), "\($0)") }
    }

    /// A file of a few hundred bytes whose header claims a model of many gigabytes is refused from its
    /// header alone, naming the field, before anything the claimed size is allocated.
    func testAbsurdSizesInTheHeaderAreRefusedBeforeAllocating() throws {
        let model = try Seq2Seq(config: tinyConfig(layers: 1))
        func claim(_ edit: (inout ModelConfig) -> Void, name: String, tensor: String = "src.embedding") throws -> String {
            var config = model.config
            edit(&config)
            let path = dir.appendingPathComponent(name).path
            // One tiny tensor under the real name of the source embedding: the file is a few hundred bytes.
            try SafeTensors.write(to: path, metadata: [ModelFile.Key.format: "2", ModelFile.Key.config: String(decoding: try JSONEncoder().encode(config), as: UTF8.self)],
                                  views: [SafeTensorsView(name: tensor, offset: 0, shape: [2, 2])],
                                  from: UnsafeBufferPointer(start: model.params.values, count: 4))
            XCTAssertLessThan(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int, 1000)
            return path
        }
        let cases: [(String, (inout ModelConfig) -> Void, String)] = [
            ("vocab-2^31.s2s", { $0.sourceVocabSize = 1 << 31 }, "sourcevocabsize"),
            ("hidden-1e6.s2s", { $0.hidden = 1_000_000 }, "hidden size 1000000"),
            // Within every bound, 16M × 4096 floats is 256 GB: only the header's shapes can refuse it.
            ("vocab-2^24.s2s", { $0.sourceVocabSize = 1 << 24; $0.embed = 4096 }, "sourcevocabsize (16777216)"),
        ]
        // The same claim with none of the tensors it needs: refused for the first one missing.
        let bare = try claim({ $0.sourceVocabSize = 1 << 24; $0.embed = 4096 }, name: "bare.s2s", tensor: "unrelated")
        XCTAssertThrowsError(try ModelFile.load(bare)) { XCTAssertTrue("\($0)".contains("tensor 'src.embedding', which its configuration needs, is missing"), "\($0)") }
        for (name, edit, expect) in cases {
            let path = try claim(edit, name: name)
            XCTAssertThrowsError(try ModelFile.load(path)) { error in
                XCTAssertTrue("\(error)".lowercased().contains(expect), "\(name): \(error)")
                XCTAssertTrue("\(error)".contains(path), "\(error)")
            }
        }
    }

    /// NaN or infinite weights would make every translation empty: refused at load, naming the tensor.
    func testNonFiniteWeightsAreRefusedNamingTheTensor() throws {
        let (model, _) = try trainedTinyModel()
        for (value, label) in [(Float.nan, "nan"), (Float.infinity, "inf")] {
            let view = model.layout.outW
            let saved = model.params.values[view.offset + 7]
            model.params.values[view.offset + 7] = value
            let path = dir.appendingPathComponent("\(label).s2s").path
            try ModelFile.save(model, metadata: [:], to: path)
            model.params.values[view.offset + 7] = saved
            XCTAssertThrowsError(try ModelFile.load(path)) { error in
                XCTAssertTrue("\(error)".contains("tensor 'out.w' holds \(value) (element 7)"), "\(error)")
            }
        }
        let path = dir.appendingPathComponent("finite.s2s").path
        try ModelFile.save(model, metadata: [:], to: path)
        XCTAssertNoThrow(try ModelFile.load(path))
    }
}
