// Where the commands that read a model (translate, evaluate) find one when no --model is given, and the
// user's default model that `make demo`, `s2s models --set-default` and `s2s train --set-default` install.
// Looked at in order:
//   1. $S2S_MODEL
//   2. ./model.s2s (what `s2s train` writes by default)
//   3. the default model: $XDG_DATA_HOME/s2s/default.s2s, or ~/.local/share/s2s/default.s2s
import Foundation
import S2SNet

enum ModelLocation {
    /// The user's default model file (it need not exist).
    static var defaultModel: String {
        let env = ProcessInfo.processInfo.environment
        let data: String
        if let xdg = env["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            data = xdg
        } else {
            data = (env["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        }
        return data + "/s2s/default.s2s"
    }

    /// The places looked at, in order, with what each is.
    static var candidates: [(place: String, path: String?)] {
        [("$S2S_MODEL", ProcessInfo.processInfo.environment["S2S_MODEL"].flatMap { $0.isEmpty ? nil : $0 }),
         ("./model.s2s", "model.s2s"),
         ("the default model", defaultModel)]
    }

    /// `given` when there is one, else the first candidate that exists. $S2S_MODEL, once set, is used as
    /// it is (a wrong path there is an error, not a reason to look elsewhere).
    static func resolve(_ given: String?) throws -> String {
        if let given { return given }
        let places = candidates
        if let env = places[0].path { return env }
        for (_, path) in places.dropFirst() {
            if let path, FileManager.default.fileExists(atPath: path) { return path }
        }
        let looked = places.map { $0.path.map { "\($0)" } ?? "$S2S_MODEL (not set)" }.joined(separator: ", ")
        throw ModelNotFound(looked: looked)
    }

    /// Writes `model` (read and checked in full) to the default location, atomically; returns that path.
    static func setDefault(_ model: String) throws -> String {
        let (loaded, metadata) = try ModelFile.load(model)
        let target = defaultModel
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try ModelFile.save(loaded, metadata: metadata, to: target)
        return target
    }
}

struct ModelNotFound: Error, CustomStringConvertible {
    let looked: String
    var description: String {
        "no model found (looked at \(looked)); get one with `make demo` (installs the demo model as your default), train one with `s2s train … --set-default`, or give --model PATH"
    }
}
