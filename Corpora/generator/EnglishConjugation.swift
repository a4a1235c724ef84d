// English verb phrases: a verb's five forms, and the auxiliary system built on them — do-support in
// questions and negation, be/have/will auxiliaries, "going to", "used to", and the two spellings of
// every auxiliary so the corpus has both "does not" and "doesn't", "I am" and "I'm".

struct EnglishVerb {
    let base: String, s3: String, past: String, pp: String, ing: String
    /// Word after the verb form: "listen *to*", "look *for*", "get *up*".
    let particle: String?
}

func englishVerb(_ base: String, past: String? = nil, pp: String? = nil, s3: String? = nil, ing: String? = nil,
                 particle: String? = nil) -> EnglishVerb {
    let vowels = "aeiou"
    let third: String
    if let s3 { third = s3 } else if base.hasSuffix("s") || base.hasSuffix("sh") || base.hasSuffix("ch")
                || base.hasSuffix("x") || base.hasSuffix("o") || base.hasSuffix("z") {
        third = base + "es"
    } else if base.hasSuffix("y"), let c = base.dropLast().last, !vowels.contains(c) {
        third = String(base.dropLast()) + "ies"
    } else { third = base + "s" }
    let regularPast: String
    if base.hasSuffix("e") { regularPast = base + "d" } else if base.hasSuffix("y"), let c = base.dropLast().last,
        !vowels.contains(c) { regularPast = String(base.dropLast()) + "ied" } else { regularPast = base + "ed" }
    let gerund: String
    if let ing { gerund = ing } else if base.hasSuffix("ie") { gerund = String(base.dropLast(2)) + "ying" }
    else if base.hasSuffix("e") && !base.hasSuffix("ee") && base.count > 2 { gerund = String(base.dropLast()) + "ing" }
    else { gerund = base + "ing" }
    let p = past ?? regularPast
    return EnglishVerb(base: base, s3: third, past: p, pp: pp ?? p, ing: gerund, particle: particle)
}

/// The English grammatical subject, as far as the verb cares.
struct EnglishSubject {
    let text: String          // "I", "you", "she", "the boy", "Paul"
    let person: Int           // 1, 2, 3
    let plural: Bool
    let isPronoun: Bool

    var isThirdSingular: Bool { person == 3 && !plural }
    var isI: Bool { person == 1 && !plural }
}

enum Polarity { case affirmative, negative, never }

/// What the English verb phrase looks like, chosen from the French tense plus the verb's aspect.
enum EnglishForm {
    case simplePresent, presentProgressive, simplePast, presentPerfect, future, goingTo, usedTo,
         pastProgressive
    case copula(past: Bool)            // is/are/was/were with no other verb
    case modal(String)                 // "can" + base
}

/// A built English verb phrase, split where questions need it: `finite` moves before the subject.
struct EnglishVP {
    var finite: String?
    var rest: [String]
}

enum EnglishGrammar {
    static func be(_ s: EnglishSubject, past: Bool) -> String {
        if past { return (s.isI || s.isThirdSingular) ? "was" : "were" }
        if s.isI { return "am" }
        return s.isThirdSingular ? "is" : "are"
    }

    /// The verb phrase without subject, in uncontracted spelling.
    /// `needsAux` is true for questions and negation (do-support).
    static func vp(_ v: EnglishVerb?, _ form: EnglishForm, _ s: EnglishSubject, polarity: Polarity,
                   question: Bool) -> EnglishVP? {
        let needsAux = question || polarity == .negative
        let particle = v?.particle.map { [$0] } ?? []
        let never = polarity == .never ? ["never"] : []
        switch form {
        case .simplePresent:
            guard let v else { return nil }
            if needsAux { return EnglishVP(finite: s.isThirdSingular ? "does" : "do", rest: [v.base] + particle) }
            return EnglishVP(finite: nil, rest: never + [s.isThirdSingular ? v.s3 : v.base] + particle)
        case .simplePast:
            guard let v else { return nil }
            if polarity == .never { return nil }
            if needsAux { return EnglishVP(finite: "did", rest: [v.base] + particle) }
            return EnglishVP(finite: nil, rest: [v.past] + particle)
        case .presentProgressive:
            guard let v, polarity != .never else { return nil }
            return EnglishVP(finite: be(s, past: false), rest: [v.ing] + particle)
        case .pastProgressive:
            guard let v, polarity != .never else { return nil }
            return EnglishVP(finite: be(s, past: true), rest: [v.ing] + particle)
        case .presentPerfect:
            guard let v else { return nil }
            return EnglishVP(finite: s.isThirdSingular ? "has" : "have", rest: never + [v.pp] + particle)
        case .future:
            guard let v else { return nil }
            return EnglishVP(finite: "will", rest: never + [v.base] + particle)
        case .goingTo:
            guard let v, polarity != .never else { return nil }
            return EnglishVP(finite: be(s, past: false), rest: ["going", "to", v.base] + particle)
        case .usedTo:
            guard let v, !question, polarity != .never else { return nil }
            if polarity == .negative { return EnglishVP(finite: "did", rest: ["use", "to", v.base] + particle) }
            return EnglishVP(finite: nil, rest: ["used", "to", v.base] + particle)
        case .copula(let past):
            guard polarity != .never else { return nil }
            return EnglishVP(finite: be(s, past: past), rest: [])
        case .modal(let m):
            guard let v, polarity != .never else { return nil }
            return EnglishVP(finite: m, rest: [v.base] + particle)
        }
    }

    static let negContraction: [String: String] = [
        "do": "don't", "does": "doesn't", "did": "didn't", "is": "isn't", "are": "aren't", "was": "wasn't",
        "were": "weren't", "have": "haven't", "has": "hasn't", "will": "won't", "can": "can't",
    ]

    static func pronounContraction(_ subject: String, _ aux: String) -> String? {
        let s = subject
        switch aux {
        case "am": return s == "I" ? "I'm" : nil
        case "is": return ["he", "she", "it", "He", "She", "It", "that", "there"].contains(s) ? s + "'s" : nil
        case "are": return ["you", "we", "they"].contains(s.lowercased()) ? s + "'re" : nil
        case "will": return ["I", "you", "he", "she", "it", "we", "they"].contains(s) ? s + "'ll" : nil
        case "have": return ["I", "you", "we", "they"].contains(s) ? s + "'ve" : nil
        case "has": return ["he", "she", "it"].contains(s) ? s + "'s" : nil
        default: return nil
        }
    }

    /// Declarative clause "subject + verb phrase" in its spellings: uncontracted first, then contracted
    /// when a contraction exists ("She does not" / "She doesn't", "I am" / "I'm", "I will not" / "I won't").
    static func declarative(_ s: EnglishSubject, _ vp: EnglishVP, polarity: Polarity) -> [[String]] {
        guard let fin = vp.finite else {
            return [[s.text] + vp.rest]
        }
        if polarity == .negative {
            let full = fin == "can" ? [s.text, "cannot"] + vp.rest : [s.text, fin, "not"] + vp.rest
            var contracted: [String]
            if fin == "am" { contracted = ["I'm", "not"] + vp.rest }
            else if let c = negContraction[fin] { contracted = [s.text, c] + vp.rest }
            else { return [full] }
            return [full, contracted]
        }
        let full = [s.text, fin] + vp.rest
        if s.isPronoun, let c = pronounContraction(s.text, fin) { return [full, [c] + vp.rest] }
        return [full]
    }

    /// Yes/no question: auxiliary first ("Does she eat apples?").
    static func question(_ s: EnglishSubject, _ vp: EnglishVP) -> [String] {
        guard let fin = vp.finite else { preconditionFailure("question without auxiliary") }
        return [fin, s.text] + vp.rest
    }
}
