// Serializing a safetensors header: the 8-byte length prefix plus compact JSON, padded with
// spaces to a multiple of 8 like the reference writer, so the data section starts 8-aligned.
// Tensors are laid out contiguously in the order given; metadata keys are sorted so the same
// model always produces the same bytes.

enum SafeTensorsWriter {
    /// Returns the length prefix and padded header, ready to be followed by the tensors' data
    /// in the order of `tensors`.
    static func encodeHeader(path: String, metadata: [String: String],
                             tensors: [(name: String, shape: [Int])]) throws(SafeTensorsError) -> [UInt8] {
        func bad(_ detail: String) -> SafeTensorsError {
            SafeTensorsError(path: path, problem: .invalidArgument(detail))
        }
        var json: [UInt8] = [UInt8(ascii: "{")]
        var first = true
        func separator() {
            if !first { json.append(UInt8(ascii: ",")) }
            first = false
        }
        if !metadata.isEmpty {
            separator()
            appendString("__metadata__", to: &json)
            json.append(contentsOf: ":{".utf8)
            for (i, key) in metadata.keys.sorted().enumerated() {
                if i > 0 { json.append(UInt8(ascii: ",")) }
                appendString(key, to: &json)
                json.append(UInt8(ascii: ":"))
                appendString(metadata[key]!, to: &json)
            }
            json.append(UInt8(ascii: "}"))
        }
        var names = Set<String>()
        var offset = 0
        for (name, shape) in tensors {
            guard name != "__metadata__" else { throw bad("\"__metadata__\" is reserved and cannot name a tensor") }
            guard names.insert(name).inserted else { throw bad("tensor \(SafeTensorsError.quote(name)) appears twice") }
            guard let count = SafeTensors.elementCount(shape) else {
                throw bad("tensor \(SafeTensorsError.quote(name)) has invalid shape \(shape)")
            }
            let (end, overflow) = offset.addingReportingOverflow(count * 4)
            guard !overflow else { throw bad("tensors are too large to address") }
            separator()
            appendString(name, to: &json)
            json.append(contentsOf: ":{\"dtype\":\"F32\",\"shape\":[".utf8)
            json.append(contentsOf: shape.map(String.init).joined(separator: ",").utf8)
            json.append(contentsOf: "],\"data_offsets\":[\(offset),\(end)]}".utf8)
            offset = end
        }
        json.append(UInt8(ascii: "}"))
        json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8))
        guard json.count <= SafeTensors.maxHeaderLength else {
            throw bad("header would be \(json.count) bytes, over the \(SafeTensors.maxHeaderLength)-byte safetensors limit; store less metadata")
        }
        var out: [UInt8] = []
        out.reserveCapacity(8 + json.count)
        let length = UInt64(json.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: length >> (8 * UInt64(i)))) }
        out.append(contentsOf: json)
        return out
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, everything
    /// else as raw UTF-8 (valid JSON, and what serde_json emits too).
    static func appendString(_ string: String, to json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): json.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): json.append(contentsOf: "\\\\".utf8)
            case 0x0A: json.append(contentsOf: "\\n".utf8)
            case 0x0D: json.append(contentsOf: "\\r".utf8)
            case 0x09: json.append(contentsOf: "\\t".utf8)
            case 0x08: json.append(contentsOf: "\\b".utf8)
            case 0x0C: json.append(contentsOf: "\\f".utf8)
            case 0x00..<0x20:
                let hex = String(byte, radix: 16)
                json.append(contentsOf: ("\\u00" + (hex.count == 1 ? "0" : "") + hex).utf8)
            default: json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }
}
