// The model file: parameters as safetensors, with the model's configuration, a format version and any
// caller metadata (vocabularies, BPE merges, training state) in `__metadata__`. A checkpoint is the same
// file plus Adam's moments as extra tensors ("adam.m.<name>", "adam.v.<name>"), so one file resumes a run.
// Writes are atomic; reads validate everything (see SafeTensors) before touching the model.
//
// Format 2 (cells as a choice) stores the attention query W_q ("att.wq") and the decoder cell's U ("dec.u")
// as two tensors. Format 1 files are GRUs that stored them side by side as "dec.state" [H, A + 3H] =
// [W_q | U_z | U_r | U_n]; `load` splits that into the two, so old models translate as before.
import Foundation

public enum ModelFile {
    /// Bumped when the layout changes in a way older readers cannot handle.
    public static let formatVersion = 2
    /// The fused-decoder GRU layout (see the header).
    static let legacyDecoderState = "dec.state"

    public enum Key {
        public static let format = "s2s.format"
        public static let config = "s2s.model.config"
        public static let adamStep = "s2s.adam.step"
    }

    public enum LoadError: Error, CustomStringConvertible, Equatable {
        case notAModel(path: String)
        case newerFormat(path: String, found: Int)
        case badConfig(path: String, detail: String)
        case noOptimizerState(path: String)
        case olderCheckpoint(path: String, found: Int)

        public var description: String {
            switch self {
            case .notAModel(let p):
                return "\(p): not an s2s model file (no \(Key.format) entry in its metadata)"
            case .newerFormat(let p, let v):
                return "\(p): written by a newer s2s (model format \(v)); this s2s reads format \(formatVersion) — upgrade s2s"
            case .badConfig(let p, let d):
                return "\(p): unreadable model configuration: \(d)"
            case .olderCheckpoint(let p, let v):
                return "\(p): a checkpoint of an older s2s (model format \(v)); its model still loads and translates, but training cannot resume from it — start a new run"
            case .noOptimizerState(let p):
                return "\(p): holds no optimizer state, so training cannot resume from it (it is a final model, not a checkpoint)"
            }
        }
    }

    /// Writes the model (and, for a checkpoint, the optimizer's moments) to `path` atomically.
    public static func save(_ model: Seq2Seq, metadata: [String: String], optimizer: Adam? = nil, to path: String) throws {
        var meta = metadata
        meta[Key.format] = String(formatVersion)
        meta[Key.config] = String(decoding: try JSONEncoder().encode(model.config), as: UTF8.self)
        let n = model.params.count
        let views = Self.views(model.layout)
        guard let adam = optimizer else {
            try SafeTensors.write(to: path, metadata: meta, views: views,
                                  from: UnsafeBufferPointer(start: model.params.values, count: n))
            return
        }
        meta[Key.adamStep] = String(adam.step)
        let moments = { (prefix: String) in
            views.map { SafeTensorsView(name: prefix + $0.name, offset: $0.offset, shape: $0.shape) }
        }
        try SafeTensors.write(to: path, metadata: meta, parts: [
            (views: views, buffer: UnsafeBufferPointer(start: model.params.values, count: n)),
            (views: moments("adam.m."), buffer: UnsafeBufferPointer(start: adam.m, count: n)),
            (views: moments("adam.v."), buffer: UnsafeBufferPointer(start: adam.v, count: n)),
        ])
    }

    /// Reads a model file: checks the format and configuration, then reads every parameter.
    /// Returns the model and the file's metadata. Optimizer tensors, if present, are not read here.
    public static func load(_ path: String) throws -> (model: Seq2Seq, metadata: [String: String]) {
        let header = try SafeTensorsHeader.read(from: path)
        let (config, version) = try readConfig(header)
        let model: Seq2Seq
        do { model = try Seq2Seq(config: config) } catch { throw LoadError.badConfig(path: path, detail: "\(error)") }
        let layout = model.layout
        let hasOptimizer = header["adam.m." + layout.views[0].name] != nil
        let values = UnsafeMutableBufferPointer(start: model.params.values, count: model.params.count)
        if version >= 2 {
            try SafeTensors.read(from: path, views: views(layout), into: values, allowingExtra: hasOptimizer)
            return (model, header.metadata)
        }
        // Format 1: everything but W_q and U as usual; "dec.state" into scratch, then split by columns.
        let H = config.hidden, A = config.attention, G = 3 * H
        let fused = UnsafeMutableBufferPointer<Float>.allocate(capacity: H * (A + G))
        defer { fused.deallocate() }
        let split: Set = [layout.attQuery.name, layout.decU.name]
        try SafeTensors.read(from: path, parts: [
            (views: views(layout).filter { !split.contains($0.name) }, buffer: values),
            (views: [SafeTensorsView(name: legacyDecoderState, offset: 0, shape: [H, A + G])], buffer: fused),
        ], allowingExtra: hasOptimizer)
        let wq = model.params.value(layout.attQuery), u = model.params.value(layout.decU)
        for row in 0..<H {
            (wq + row * A).update(from: fused.baseAddress! + row * (A + G), count: A)
            (u + row * G).update(from: fused.baseAddress! + row * (A + G) + A, count: G)
        }
        return (model, header.metadata)
    }

    static func views(_ layout: Seq2SeqLayout) -> [SafeTensorsView] {
        layout.views.map { SafeTensorsView(name: $0.name, offset: $0.offset, shape: $0.shape) }
    }

    /// Reads a checkpoint's optimizer moments and step into `adam` (made for `model`).
    public static func loadOptimizer(_ path: String, model: Seq2Seq, into adam: Adam) throws {
        let header = try SafeTensorsHeader.read(from: path)
        guard let stepText = header.metadata[Key.adamStep], let step = Int(stepText) else {
            throw LoadError.noOptimizerState(path: path)
        }
        let version = try readConfig(header).version
        if version < 2 { throw LoadError.olderCheckpoint(path: path, found: version) }
        let n = model.params.count
        for (prefix, buffer) in [("adam.m.", adam.m), ("adam.v.", adam.v)] {
            let views = model.layout.views.map { SafeTensorsView(name: prefix + $0.name, offset: $0.offset, shape: $0.shape) }
            try SafeTensors.read(from: path, views: views, into: UnsafeMutableBufferPointer(start: buffer, count: n),
                                 allowingExtra: true)
        }
        adam.restore(step: step)
    }

    /// The configuration and format version of a model file.
    static func readConfig(_ header: SafeTensorsHeader) throws -> (config: ModelConfig, version: Int) {
        let path = header.path
        guard let versionText = header.metadata[Key.format] else { throw LoadError.notAModel(path: path) }
        guard let version = Int(versionText) else {
            throw LoadError.badConfig(path: path, detail: "format version '\(versionText)' is not a number")
        }
        if version > formatVersion { throw LoadError.newerFormat(path: path, found: version) }
        guard let json = header.metadata[Key.config] else {
            throw LoadError.badConfig(path: path, detail: "no \(Key.config) entry")
        }
        do {
            let config = try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8))
            if version < 2 && config.cell != .gru {
                throw LoadError.badConfig(path: path, detail: "format \(version) files hold GRUs only, but it names the cell '\(config.cell.rawValue)'")
            }
            return (config, version)
        } catch {
            throw LoadError.badConfig(path: path, detail: "\(error)")
        }
    }
}
