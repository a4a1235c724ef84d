// Checkpoints: the model file plus Adam's moments, the training state and the training configuration,
// so `s2s train --resume` continues exactly where a run stopped (same batches, same random numbers).
import Foundation
import S2SNet

public enum Checkpoint {
    public enum Key {
        public static let state = "s2s.training.state"
        public static let config = "s2s.training.config"
        /// The data files and their fingerprints (DataSettings), so a resume can reuse or check them.
        public static let data = "s2s.training.data"
        /// In a saved model: how far it was trained (TrainingSummary), for `s2s serve`'s GET /v1/model.
        public static let summary = "s2s.training.summary"
    }

    /// Writes a checkpoint of `trainer` atomically; `metadata` carries the rest (e.g. vocabularies).
    public static func save(_ trainer: Trainer, metadata: [String: String], to path: String) throws {
        var meta = metadata
        meta[Key.state] = try json(trainer.state)
        meta[Key.config] = try json(trainer.config)
        try ModelFile.save(trainer.model, metadata: meta, optimizer: trainer.adam, to: path)
    }

    /// What a saved model records of its training: the state when it was saved.
    public struct TrainingSummary: Codable, Equatable {
        public var steps: Int
        public var epochs: Int
        public var trainSeconds: Double
        public var bestDevBLEU: Double?
        public var targetTokens: Int
        public var sentencePairs: Int

        public init(_ state: TrainingState) {
            steps = state.step
            epochs = state.epoch
            trainSeconds = state.trainSeconds
            bestDevBLEU = state.bestScore
            targetTokens = state.targetTokens
            sentencePairs = state.sentencePairs
        }
    }

    /// Reads a checkpoint back: the model, its optimizer, the state and configuration, and all metadata.
    public static func load(_ path: String) throws
        -> (model: Seq2Seq, adam: Adam, state: TrainingState, config: TrainingConfig, metadata: [String: String])
    {
        let (model, metadata) = try ModelFile.load(path)
        // Checkpoints from before cells were a choice hold another training configuration: say so plainly.
        if let version = metadata[ModelFile.Key.format].flatMap(Int.init), version < ModelFile.firstCheckpointFormat,
           metadata[Key.state] != nil {
            throw ModelFile.LoadError.olderCheckpoint(path: path, found: version)
        }
        guard let stateText = metadata[Key.state], let configText = metadata[Key.config] else {
            throw TrainingError(description: "\(path): not a training checkpoint (no training state); it can be used to translate but not to resume")
        }
        let decoder = JSONDecoder()
        let state: TrainingState, config: TrainingConfig
        do {
            state = try decoder.decode(TrainingState.self, from: Data(stateText.utf8))
            config = try decoder.decode(TrainingConfig.self, from: Data(configText.utf8))
        } catch {
            throw TrainingError(description: "\(path): unreadable training state: \(error)")
        }
        let adam = Adam(parameterCount: model.params.count, config: config.adam)
        try ModelFile.loadOptimizer(path, model: model, into: adam)
        return (model, adam, state, config, metadata)
    }

    /// The data a checkpoint's run was trained on, if it records it (those of 2026-12 and later also hold
    /// the files' fingerprints; older ones only the paths).
    public static func recordedData(_ metadata: [String: String], path: String) throws -> DataSettings? {
        guard let text = metadata[Key.data] else { return nil }
        do {
            return try JSONDecoder().decode(DataSettings.self, from: Data(text.utf8))
        } catch {
            throw TrainingError(description: "\(path): unreadable record of the training data: \(error)")
        }
    }

    /// The data settings recorded in the checkpoint at `path`, reading only its header.
    public static func recordedData(atPath path: String) throws -> DataSettings? {
        try recordedData(SafeTensorsHeader.read(from: path).metadata, path: path)
    }

    public static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
