// GET /v1/model: what is being served, read from the model file's own metadata — the configuration (cell,
// sizes), the vocabularies (units, languages, sizes), and the training summary and recipe if the file was
// written by `s2s train`, and its lexical shortlist — plus the server's search defaults (the output layer's
// precision among them) and limits.
import Foundation
import S2SDecode
import S2SNet
import S2SText

enum ModelInfo {
    static func json(_ translator: Translator, path: String, config: ServeConfiguration, shortlistInUse: Bool) throws -> Data {
        let metadata = translator.metadata
        func object(_ key: String) -> Any? {
            metadata[key].flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        }
        let model = translator.model.config
        var vocabulary: [String: Any] = ["source_size": model.sourceVocabSize, "target_size": model.targetVocabSize]
        if let manifest = object(VocabularySet.MetadataKey.manifest) as? [String: Any] {
            vocabulary["units"] = manifest["units"]
            vocabulary["bpe_merges"] = manifest["bpeMerges"]
            vocabulary["source"] = manifest["source"]
            vocabulary["target"] = manifest["target"]
        }
        var info: [String: Any] = [
            "path": path,
            "format": Int(metadata[ModelFile.Key.format] ?? "") ?? 0,
            "cell": model.cell.rawValue,
            "config": object(ModelFile.Key.config) ?? [:],
            "parameters": translator.model.params.count,
            "vocabulary": vocabulary,
            "search": ["beam": config.search.beam, "alpha": config.search.alpha,
                       "max_length_ratio": config.search.maxLengthRatio, "max_length": config.search.maxSourceLength,
                       "output_precision": config.search.precision.resolved.rawValue,
                       "shortlist": shortlistInUse],
            // The lexical shortlist stored in the model file (s2s shortlist), if any.
            "shortlist": translator.shortlist.map { ["pieces_per_source_piece": $0.pieces, "frequent": $0.frequentCount] as [String: Any] }
                ?? NSNull(),
            "limits": ["max_body_bytes": config.limits.maxBodyBytes, "max_texts": config.limits.maxTexts,
                       "max_characters": config.limits.maxCharacters, "max_beam": config.limits.maxBeam,
                       "max_queued_texts": config.limits.maxQueuedTexts],
            "batching": ["workers": config.batching.workers, "max_batch": config.batching.maxBatch,
                         "max_wait_ms": config.batching.maxWaitMilliseconds],
        ]
        // Written by `s2s train`: how far it trained (steps, epochs, train seconds, best dev BLEU…) and the
        // recipe (the training configuration); the keys are S2STrain's Checkpoint.Key.summary and .config.
        if var training = object("s2s.training.summary") as? [String: Any] {
            training["recipe"] = object("s2s.training.config")
            info["training"] = training
        }
        return try JSONSerialization.data(withJSONObject: info, options: [.sortedKeys])
    }
}
