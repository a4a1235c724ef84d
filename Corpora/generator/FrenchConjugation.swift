// French conjugation: a verb's stored principal parts (present forms, participle, future stem,
// imperfect stem, auxiliary) and the rules that derive every other form from them — regular -er
// verbs with their spelling changes (mangeons, commençons, achète, préfère, appelle), regular -ir
// (finir) and -re (vendre) verbs, and irregular verbs given by their present tense.

enum Tense: CaseIterable {
    case present
    case passeCompose
    case futur
    case imparfait
    case futurProche   // aller + infinitive
}

/// Person index used throughout: 0 je, 1 tu, 2 il/elle, 3 nous, 4 vous, 5 ils/elles.
typealias PersonIndex = Int

struct FrenchVerb {
    let infinitive: String
    let present: [String]
    let participle: String
    let futureStem: String
    /// The imperfect stem, normally the nous-form of the present without -ons ("mange", "finiss", "buv").
    let imperfectStem: String
    let auxiliaryEtre: Bool
    /// Pronominal verb ("se lever"): the infinitive is stored without "se".
    let reflexive: Bool
    /// Imperative overrides for être, avoir, savoir: tu, nous, vous.
    let imperativeOverride: [String]?

    func presentForm(_ p: PersonIndex) -> String { present[p] }

    func futureForm(_ p: PersonIndex) -> String {
        futureStem + ["ai", "as", "a", "ons", "ez", "ont"][p]
    }

    func imperfectForm(_ p: PersonIndex) -> String {
        let ending = ["ais", "ais", "ait", "ions", "iez", "aient"][p]
        var stem = imperfectStem
        // Soft g and ç are only needed before a and o: mangeais but mangions, commençais but commencions.
        if ending.hasPrefix("i") {
            if stem.hasSuffix("ge") { stem.removeLast() }
            if stem.hasSuffix("ç") { stem = String(stem.dropLast()) + "c" }
        }
        return stem + ending
    }

    /// Imperative for tu (0), nous (1), vous (2). The tu form drops the final s of -es and "vas".
    func imperative(_ i: Int) -> String {
        if let o = imperativeOverride { return o[i] }
        switch i {
        case 0:
            let tu = present[1]
            if tu.hasSuffix("es") || tu == "vas" { return String(tu.dropLast()) }
            return tu
        case 1: return present[3]
        default: return present[4]
        }
    }

    /// Past participle agreeing with the subject (être auxiliary, pronominal verbs).
    func participle(agreeingWith g: Gender, plural: Bool) -> String {
        var p = participle
        if g == .feminine { p += "e" }
        if plural && !p.hasSuffix("s") { p += "s" }
        return p
    }
}

/// Regular -er verb. `boot` is the stem for je/tu/il/ils when it changes (achèt-, préfèr-, appell-);
/// `future` is the future stem when it is not the infinitive (achèter-, appeller-).
func erVerb(_ inf: String, boot: String? = nil, future: String? = nil, etre: Bool = false,
            reflexive: Bool = false) -> FrenchVerb {
    let stem = String(inf.dropLast(2))
    var nous = stem
    if stem.hasSuffix("g") { nous += "e" }
    if stem.hasSuffix("c") { nous = String(stem.dropLast()) + "ç" }
    let b = boot ?? stem
    return FrenchVerb(infinitive: inf,
                      present: [b + "e", b + "es", b + "e", nous + "ons", stem + "ez", b + "ent"],
                      participle: stem + "é", futureStem: future ?? inf, imperfectStem: nous,
                      auxiliaryEtre: etre, reflexive: reflexive, imperativeOverride: nil)
}

/// Regular -ir verb of the finir type.
func irVerb(_ inf: String) -> FrenchVerb {
    let s = String(inf.dropLast(2))
    return FrenchVerb(infinitive: inf,
                      present: [s + "is", s + "is", s + "it", s + "issons", s + "issez", s + "issent"],
                      participle: s + "i", futureStem: inf, imperfectStem: s + "iss",
                      auxiliaryEtre: false, reflexive: false, imperativeOverride: nil)
}

/// Regular -re verb of the vendre type.
func reVerb(_ inf: String, etre: Bool = false) -> FrenchVerb {
    let s = String(inf.dropLast(2))
    return FrenchVerb(infinitive: inf,
                      present: [s + "s", s + "s", s, s + "ons", s + "ez", s + "ent"],
                      participle: s + "u", futureStem: String(inf.dropLast()), imperfectStem: s,
                      auxiliaryEtre: etre, reflexive: false, imperativeOverride: nil)
}

/// Irregular verb from its six present forms (space separated), participle and future stem.
/// The imperfect stem defaults to the nous form without -ons.
func irregular(_ inf: String, _ present: String, pp: String, future: String, imperfect: String? = nil,
               etre: Bool = false, imperative: [String]? = nil) -> FrenchVerb {
    let forms = present.split(separator: " ").map(String.init)
    precondition(forms.count == 6, "\(inf): six present forms expected")
    let imp = imperfect ?? String(forms[3].dropLast(3))
    return FrenchVerb(infinitive: inf, present: forms, participle: pp, futureStem: future, imperfectStem: imp,
                      auxiliaryEtre: etre, reflexive: false, imperativeOverride: imperative)
}

enum Aux {
    static let etre = irregular("être", "suis es est sommes êtes sont", pp: "été", future: "ser", imperfect: "ét",
                                imperative: ["sois", "soyons", "soyez"])
    static let avoir = irregular("avoir", "ai as a avons avez ont", pp: "eu", future: "aur",
                                 imperative: ["aie", "ayons", "ayez"])
    static let aller = irregular("aller", "vais vas va allons allez vont", pp: "allé", future: "ir", etre: true)
}

let reflexivePronouns = ["me", "te", "se", "nous", "vous", "se"]
