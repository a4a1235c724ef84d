// The model file: parameters as safetensors, with the model's configuration, a format version and any
// caller metadata (vocabularies, BPE merges, training state) in `__metadata__`. A checkpoint is the same
// file plus Adam's moments as extra tensors ("adam.m.<name>", "adam.v.<name>", and with exponential
// smoothing the smoothed parameters "adam.smoothed.<name>"), so one file resumes a run.
// Writes are atomic; reads validate everything (see SafeTensors) before touching the model.
//
// Format 2 (cells as a choice) stores the attention query W_q ("att.wq") and the decoder cell's U ("dec.u")
// as two tensors. Format 1 files are GRUs that stored them side by side as "dec.state" [H, A + 3H] =
// [W_q | U_z | U_r | U_n]; `load` splits that into the two, so old models translate as before.
// Format 3 adds layer normalization ("….ln.gain", "….ln.shift") and deep-transition decoders
// ("dec.transition.k.*"); only models with either are written as format 3, so that an older s2s refuses
// them ("upgrade s2s") instead of running them without, while it still reads every other file.
import Foundation

public enum ModelFile {
    /// Bumped when the layout changes in a way older readers cannot handle: the newest format this reads.
    public static let formatVersion = 3
    /// The first format of checkpoints this s2s resumes (cells as a choice).
    public static let firstCheckpointFormat = 2

    /// The oldest format that holds `config`, which is what `save` writes.
    public static func format(of config: ModelConfig) -> Int { config.layerNorm || config.decoderDepth > 1 ? 3 : 2 }
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
        case sizeMismatch(path: String, tensor: String, field: String, file: [Int], config: [Int])
        case nonFinite(path: String, tensor: String, value: Float, index: Int)

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
            case let .sizeMismatch(p, tensor, field, file, config):
                return "\(p): its configuration's \(field) makes tensor '\(tensor)' \(config), but the file holds \(file): the header is corrupt or was edited; refused before reading the weights"
            case let .nonFinite(p, tensor, value, index):
                return "\(p): tensor '\(tensor)' holds \(value) (element \(index)): the weights are corrupt, or were saved from a diverged run; refused, since every translation would come out empty"
            case .noOptimizerState(let p):
                return "\(p): holds no optimizer state, so training cannot resume from it (it is a final model, not a checkpoint)"
            }
        }
    }

    /// Writes the model (and, for a checkpoint, the optimizer's moments) to `path` atomically. A tied
    /// model's output layer is first made the copy of its embedding that readers expect (TiedEmbeddings.swift).
    public static func save(_ model: Seq2Seq, metadata: [String: String], optimizer: Adam? = nil, to path: String) throws {
        model.tieWeights()
        var meta = metadata
        meta[Key.format] = String(format(of: model.config))
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
        var parts = [
            (views: views, buffer: UnsafeBufferPointer(start: model.params.values, count: n)),
            (views: moments("adam.m."), buffer: UnsafeBufferPointer(start: adam.m, count: n)),
            (views: moments("adam.v."), buffer: UnsafeBufferPointer(start: adam.v, count: n)),
        ]
        if let s = adam.smoothed { parts.append((views: moments(smoothedPrefix), buffer: UnsafeBufferPointer(start: s, count: n))) }
        try SafeTensors.write(to: path, metadata: meta, parts: parts)
    }

    /// Reads a model file: checks the format and configuration, then reads every parameter.
    /// Returns the model and the file's metadata. Optimizer tensors, if present, are not read here.
    public static func load(_ path: String) throws -> (model: Seq2Seq, metadata: [String: String]) {
        let header = try SafeTensorsHeader.read(from: path)
        let (config, version) = try readConfig(header)
        do { try config.validate() } catch { throw LoadError.badConfig(path: path, detail: "\(error)") }
        // Before allocating anything the size of the model: the configuration must agree with the tensors
        // the header describes (whose extents were checked against the file's size when it was read).
        try checkShapes(Seq2SeqLayout(config), config: config, against: header)
        let model: Seq2Seq
        do { model = try Seq2Seq(config: config) } catch { throw LoadError.badConfig(path: path, detail: "\(error)") }
        let layout = model.layout
        let hasOptimizer = header["adam.m." + layout.views[0].name] != nil
        let values = UnsafeMutableBufferPointer(start: model.params.values, count: model.params.count)
        if version >= 2 {
            try SafeTensors.read(from: path, views: views(layout), into: values, allowingExtra: hasOptimizer)
            try checkFinite(model, path: path)
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
        try checkFinite(model, path: path)
        return (model, header.metadata)
    }

    /// Every tensor the layout needs and the header lists has the layout's shape; the first that does not
    /// is named, with the configuration field that sized it.
    static func checkShapes(_ layout: Seq2SeqLayout, config: ModelConfig, against header: SafeTensorsHeader) throws {
        // Format 1 keeps W_q and U fused in one tensor (see load).
        let fused: Set = [layout.attQuery.name, layout.decU.name]
        for view in layout.views {
            guard let entry = header[view.name] else {
                if fused.contains(view.name) && header[legacyDecoderState] != nil { continue }
                throw LoadError.badConfig(path: header.path, detail: "tensor '\(view.name)', which its configuration needs, is missing; refused before reading the weights")
            }
            guard entry.shape != view.shape else { continue }
            let field: String
            switch view.name {
            case "src.embedding": field = entry.shape.first != view.shape.first ? "sourceVocabSize (\(config.sourceVocabSize))" : "embed (\(config.embed))"
            case "tgt.embedding", "out.w", "out.b":
                field = entry.shape.last != view.shape.last || view.name == "tgt.embedding" && entry.shape.first != view.shape.first
                    ? "targetVocabSize (\(config.targetVocabSize))" : "sizes (embed \(config.embed), readout \(config.readout))"
            default: field = "sizes (embed \(config.embed), hidden \(config.hidden), attention \(config.attention), readout \(config.readout), cell \(config.cell.rawValue))"
            }
            throw LoadError.sizeMismatch(path: header.path, tensor: view.name, field: field, file: entry.shape, config: view.shape)
        }
    }

    /// A NaN or an infinity anywhere makes every translation empty: refuse the file, naming the tensor.
    static func checkFinite(_ model: Seq2Seq, path: String) throws {
        let p = model.params.values
        for view in model.layout.views {
            for i in 0..<view.count where !p[view.offset + i].isFinite {
                throw LoadError.nonFinite(path: path, tensor: view.name, value: p[view.offset + i], index: i)
            }
        }
    }

    static func views(_ layout: Seq2SeqLayout) -> [SafeTensorsView] {
        layout.views.map { SafeTensorsView(name: $0.name, offset: $0.offset, shape: $0.shape) }
    }

    static let smoothedPrefix = "adam.smoothed."

    /// Reads a checkpoint's optimizer moments and step into `adam` (made for `model`). An optimizer that
    /// smooths, resuming a checkpoint that did not, starts its smoothed copy from the parameters.
    public static func loadOptimizer(_ path: String, model: Seq2Seq, into adam: Adam) throws {
        let header = try SafeTensorsHeader.read(from: path)
        guard let stepText = header.metadata[Key.adamStep], let step = Int(stepText) else {
            throw LoadError.noOptimizerState(path: path)
        }
        let version = try readConfig(header).version
        if version < firstCheckpointFormat { throw LoadError.olderCheckpoint(path: path, found: version) }
        let n = model.params.count
        var buffers = [("adam.m.", adam.m), ("adam.v.", adam.v)]
        if let s = adam.smoothed {
            if header[smoothedPrefix + model.layout.views[0].name] != nil {
                buffers.append((smoothedPrefix, s))
            } else {
                s.update(from: model.params.values, count: n)
            }
        }
        for (prefix, buffer) in buffers {
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
            if version < 3 && (config.layerNorm || config.decoderDepth > 1) {
                throw LoadError.badConfig(path: path, detail: "format \(version) files have no layer normalization or deep transition, but its configuration asks for it")
            }
            return (config, version)
        } catch {
            throw LoadError.badConfig(path: path, detail: "\(error)")
        }
    }
}
