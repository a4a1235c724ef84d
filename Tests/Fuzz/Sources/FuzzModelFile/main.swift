// Fuzz target: model files from strangers. The input is written to a file and opened as a translator
// would open it (safetensors header, offsets, shapes, dtypes, metadata, model configuration, vocabularies,
// BPE merges, weights). It must load or be refused with an error; a model that loads has finite weights.
import Foundation
import FuzzDriver
import S2SDecode
import S2SNet

let path = NSTemporaryDirectory() + "/s2s-fuzz-model-\(getpid()).s2s"

func fuzzModelFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else { return 0 }
    guard let translator = try? Translator(modelPath: path) else { return 0 }
    let params = translator.model.params
    for i in 0..<params.count where !params.values[i].isFinite {
        fatalError("a model with a non-finite weight (element \(i)) was loaded")
    }
    // A loaded model also reads its optimizer state, if any, without crashing.
    let adam = Adam(parameterCount: params.count)
    try? ModelFile.loadOptimizer(path, model: translator.model, into: adam)
    return 0
}

runFuzzer { data, size in fuzzModelFile(data, size) }
