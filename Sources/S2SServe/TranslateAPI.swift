// The JSON of POST /v1/translate: what a request may say, how it is checked, and what comes back.
//
//   request:  {"text": "…"} or {"texts": ["…", …]}, with optional "beam" (1…limit), "nbest" (1…beam) and
//             "alignment" (bool)
//   response: {"translations": [{"text", "score", "nbest"?: [{"text", "score"}], "alignment"?: {"source",
//             "target", "weights"}}], "time_ms"}, one entry per text, in request order
//
// Checking happens here, before anything is queued, so every refusal names the field at fault.
import Foundation
import S2SDecode

/// A request as sent: every field optional, so a missing one and a wrong one get their own messages.
struct TranslateBody: Decodable {
    var text: String?
    var texts: [String]?
    var beam: Int?
    var nbest: Int?
    var alignment: Bool?
}

/// A checked request: its texts and the search it asks for.
struct TranslateRequest: Equatable {
    var texts: [String]
    var single: Bool  // sent as "text": still answered as a list of one
    var beam: Int
    var nbest: Int
    var alignment: Bool

    /// Parses and checks a body against `limits`; `defaultBeam` applies when "beam" is absent.
    static func parse(_ data: Data, limits: ServeLimits, defaultBeam: Int) throws(APIError) -> TranslateRequest {
        let body: TranslateBody
        do {
            body = try JSONDecoder().decode(TranslateBody.self, from: data)
        } catch let error as DecodingError {
            throw APIError.badJSON(error)
        } catch {
            throw APIError(.badRequest, "invalid_json", "the body is not JSON: \(error)")
        }
        let texts: [String], single: Bool
        switch (body.text, body.texts) {
        case (let text?, nil): (texts, single) = ([text], true)
        case (nil, let list?): (texts, single) = (list, false)
        case (nil, nil): throw APIError(.badRequest, "missing_field", "give \"text\" (a string) or \"texts\" (a list of strings)")
        case (_?, _?): throw APIError(.badRequest, "invalid_field", "give \"text\" or \"texts\", not both")
        }
        if texts.count > limits.maxTexts {
            throw APIError(.contentTooLarge, "too_many_texts", "\"texts\" has \(texts.count) entries; the limit is \(limits.maxTexts)")
        }
        for (i, text) in texts.enumerated() where text.unicodeScalars.count > limits.maxCharacters {
            let field = single ? "text" : "texts[\(i)]"
            throw APIError(.badRequest, "text_too_long", "\"\(field)\" has \(text.unicodeScalars.count) characters; the limit is \(limits.maxCharacters)")
        }
        let beam = body.beam ?? defaultBeam
        guard (1...limits.maxBeam).contains(beam) else {
            throw APIError(.badRequest, "invalid_field", "\"beam\" must be between 1 and \(limits.maxBeam), not \(beam)")
        }
        let nbest = body.nbest ?? 1
        guard (1...beam).contains(nbest) else {
            throw APIError(.badRequest, "invalid_field", "\"nbest\" must be between 1 and the beam (\(beam)), not \(nbest)")
        }
        return TranslateRequest(texts: texts, single: single, beam: beam, nbest: nbest, alignment: body.alignment ?? false)
    }
}

struct TranslateResponse: Encodable {
    struct Candidate: Encodable {
        var text: String
        var score: Float
    }
    struct Weights: Encodable {
        var source: [String]
        var target: [String]
        /// [target pieces (+ </s>), source pieces (+ </s>)]
        var weights: [[Float]]
    }
    struct Item: Encodable {
        var text: String
        var score: Float
        var nbest: [Candidate]?
        var alignment: Weights?
    }
    var translations: [Item]
    var time_ms: Double

    init(_ results: [Translation], request: TranslateRequest, milliseconds: Double) {
        translations = results.map { t in
            Item(text: t.text, score: t.score,
                 nbest: request.nbest > 1 ? t.candidates.map { Candidate(text: $0.text, score: $0.score) } : nil,
                 alignment: request.alignment
                    ? t.alignment.map { Weights(source: $0.sourcePieces, target: $0.targetPieces, weights: $0.weights) }
                        ?? Weights(source: [], target: [], weights: [])
                    : nil)
        }
        time_ms = milliseconds
    }
}
