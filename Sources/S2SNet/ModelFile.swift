// The model file: parameters as safetensors, with the model's configuration, a format version and any
// caller metadata (vocabularies, BPE merges, training state) in `__metadata__`. A checkpoint is the same
// file plus Adam's moments as extra tensors ("adam.m.<name>", "adam.v.<name>"), so one file resumes a run.
// Writes are atomic; reads validate everything (see SafeTensors) before touching the model.
import Foundation

public enum ModelFile {
    /// Bumped when the layout changes in a way older readers cannot handle.
    public static let formatVersion = 1

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

        public var description: String {
            switch self {
            case .notAModel(let p):
                return "\(p): not an s2s model file (no \(Key.format) entry in its metadata)"
            case .newerFormat(let p, let v):
                return "\(p): written by a newer s2s (model format \(v)); this s2s reads format \(formatVersion) — upgrade s2s"
            case .badConfig(let p, let d):
                return "\(p): unreadable model configuration: \(d)"
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
        let views = model.layout.views.map { SafeTensorsView(name: $0.name, offset: $0.offset, shape: $0.shape) }
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
        let config = try readConfig(header)
        let model: Seq2Seq
        do { model = try Seq2Seq(config: config) } catch { throw LoadError.badConfig(path: path, detail: "\(error)") }
        let views = model.layout.views.map { SafeTensorsView(name: $0.name, offset: $0.offset, shape: $0.shape) }
        let hasOptimizer = header["adam.m." + model.layout.views[0].name] != nil
        try SafeTensors.read(from: path, views: views,
                             into: UnsafeMutableBufferPointer(start: model.params.values, count: model.params.count),
                             allowingExtra: hasOptimizer)
        return (model, header.metadata)
    }

    /// Reads a checkpoint's optimizer moments and step into `adam` (made for `model`).
    public static func loadOptimizer(_ path: String, model: Seq2Seq, into adam: Adam) throws {
        let header = try SafeTensorsHeader.read(from: path)
        guard let stepText = header.metadata[Key.adamStep], let step = Int(stepText) else {
            throw LoadError.noOptimizerState(path: path)
        }
        let n = model.params.count
        for (prefix, buffer) in [("adam.m.", adam.m), ("adam.v.", adam.v)] {
            let views = model.layout.views.map { SafeTensorsView(name: prefix + $0.name, offset: $0.offset, shape: $0.shape) }
            try SafeTensors.read(from: path, views: views, into: UnsafeMutableBufferPointer(start: buffer, count: n),
                                 allowingExtra: true)
        }
        adam.restore(step: step)
    }

    static func readConfig(_ header: SafeTensorsHeader) throws -> ModelConfig {
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
            return try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8))
        } catch {
            throw LoadError.badConfig(path: path, detail: "\(error)")
        }
    }
}
