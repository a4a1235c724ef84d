// Noun phrases in both languages: determiners (the/a/some/my/this/three), French articles
// (definite, indefinite, partitive), "de" replacing un/une/des/du/de la under negation, "de" before a
// plural adjective placed before its noun, possessive agreement (mon/ma/mes, ma → mon before a vowel,
// ton/votre chosen by the tu/vous reading of "you"), demonstratives (ce/cet/cette/ces), and adjective
// agreement and placement.

enum YouForm { case tu, vous }

enum Possessor: CaseIterable {
    case my, your, his, her, our, their

    var english: String {
        switch self {
        case .my: return "my"
        case .your: return "your"
        case .his: return "his"
        case .her: return "her"
        case .our: return "our"
        case .their: return "their"
        }
    }

    /// French possessive determiner: [masc sg, fem sg, plural].
    func french(_ you: YouForm) -> [String] {
        switch self {
        case .my: return ["mon", "ma", "mes"]
        case .your: return you == .tu ? ["ton", "ta", "tes"] : ["votre", "votre", "vos"]
        case .his, .her: return ["son", "sa", "ses"]
        case .our: return ["notre", "notre", "nos"]
        case .their: return ["leur", "leur", "leurs"]
        }
    }
}

enum Determiner {
    case definite                 // the apple → la pomme
    case indefinite               // an apple / apples / some apples / water → une pomme / des pommes / de l'eau
    case generic                  // (I like) apples / coffee → les pommes / le café
    case possessive(Possessor)    // my apples → mes pommes
    case number(Int, digits: Bool) // three apples → trois pommes; 25 apples → 25 pommes
    case demonstrative            // this car → cette voiture
    case quantity(Container, Int) // a glass of water → un verre d'eau; two kilos of apples → deux kilos de pommes
    case aLotOf                   // a lot of apples → beaucoup de pommes (unchanged under negation)
}

/// Measures of food and drink: "a cup of tea" ↔ "une tasse de thé".
struct Container {
    let en: String, enPl: String, fr: String, frPl: String, gender: Gender

    static let glass = Container(en: "glass", enPl: "glasses", fr: "verre", frPl: "verres", gender: .masculine)
    static let cup = Container(en: "cup", enPl: "cups", fr: "tasse", frPl: "tasses", gender: .feminine)
    static let bottle = Container(en: "bottle", enPl: "bottles", fr: "bouteille", frPl: "bouteilles", gender: .feminine)
    static let piece = Container(en: "piece", enPl: "pieces", fr: "morceau", frPl: "morceaux", gender: .masculine)
    static let kilo = Container(en: "kilo", enPl: "kilos", fr: "kilo", frPl: "kilos", gender: .masculine)
    static let slice = Container(en: "slice", enPl: "slices", fr: "tranche", frPl: "tranches", gender: .feminine)

    /// Containers that make sense for this noun.
    static func options(for n: Noun) -> [Container] {
        var out: [Container] = []
        if n.has(.drink) {
            out.append(.glass); out.append(.bottle)
            if ["coffee", "tea", "milk"].contains(n.enSg) { out.append(.cup) }
            if ["coffee", "tea"].contains(n.enSg) { out.removeAll { $0.en == "bottle" } }
        }
        if ["cake", "pie", "bread", "cheese", "chocolate", "meat"].contains(n.enSg) { out.append(.piece) }
        if ["bread", "cheese", "meat", "cake"].contains(n.enSg) { out.append(.slice) }
        if n.has(.food) && n.has(.sellable) && !["cake", "croissant", "cookie", "ice cream", "chocolate", "bread", "jam",
                                                  "honey", "egg"].contains(n.enSg) {
            out.append(.kilo)
        }
        return out
    }
}

/// Where a noun phrase stands, as far as its spelling is concerned.
struct NPContext {
    /// Direct object of a negated verb (not être): indefinite and partitive articles become "de".
    var negated = false
    var question = false
    var you: YouForm = .tu
    /// The clause's subject, for predicates that agree with it ("Elle est fatiguée").
    var subjectGender: Gender = .masculine
    var subjectPlural = false
}

struct NounPhrase {
    let noun: Noun
    let plural: Bool
    let det: Determiner
    let adjective: Adjective?
    /// English uses "some"/"any" for an indefinite plural or mass noun instead of nothing.
    var some = false

    var usesPossessive: Possessor? {
        if case .possessive(let p) = det { return p }
        return nil
    }

    /// True if this phrase is an indefinite or partitive (the kind that becomes "de" under negation).
    var isIndefinite: Bool {
        if case .indefinite = det { return true }
        return false
    }

    var englishIsPlural: Bool { plural && !noun.mass }

    func english(_ ctx: NPContext) -> [String] {
        let person = noun.has(.person)
        var head: [String] = []
        if let a = adjective { head.append(a.english(forPerson: person)) }
        head.append(plural ? noun.enPl : noun.enSg)
        switch det {
        case .definite: return ["the"] + head
        case .generic: return head
        case .indefinite:
            if !plural && !noun.mass { return [English.indefiniteArticle(before: head[0])] + head }
            if some { return [(ctx.negated || ctx.question) ? "any" : "some"] + head }
            return head
        case .possessive(let p): return [p.english] + head
        case .number(let k, let digits): return [digits ? String(k) : Numbers.english(k)] + head
        case .demonstrative: return [plural ? "these" : "this"] + head
        case .quantity(let c, let k):
            let measure = k == 1 ? [English.indefiniteArticle(before: c.en), c.en]
                                 : [Numbers.english(k), c.enPl]
            let what = noun.mass || c.en == "piece" || c.en == "slice" ? noun.enSg : noun.enPl
            return measure + ["of", what]
        case .aLotOf:
            return ["a", "lot", "of"] + head
        }
    }

    func french(_ ctx: NPContext) -> [String] {
        let g = noun.gender
        if case .quantity(let c, let k) = det {
            let what = noun.mass || c.en == "piece" || c.en == "slice" ? noun.frSg : noun.frPl
            let measure: [String]
            if k == 1 { measure = ctx.negated ? ["de", c.fr] : [c.gender == .masculine ? "un" : "une", c.fr] }
            else { measure = [Numbers.french(k, feminine: c.gender == .feminine), c.frPl] }
            return measure + ["de", what]
        }
        let nounForm = plural ? noun.frPl : noun.frSg
        let pre = adjective.map { $0.prenominal } ?? false
        // The word right after the determiner decides elision-type choices (cet, mon amie, bel).
        let adjForm: String? = adjective.map {
            $0.form(g, plural: plural, beforeVowel: pre && French.startsWithVowelSound(nounForm))
        }
        let words: [String]
        if let adjForm { words = pre ? [adjForm, nounForm] : [nounForm, adjForm] } else { words = [nounForm] }
        let first = words[0]
        let vowel = French.startsWithVowelSound(first)

        let det: [String]
        switch self.det {
        case .definite, .generic:
            det = plural ? ["les"] : [g == .masculine ? "le" : "la"]
        case .indefinite:
            if ctx.negated {
                det = ["de"]
            } else if plural {
                det = [pre ? "de" : "des"]
            } else if noun.mass {
                det = ["de", g == .masculine ? "le" : "la"]   // → du / de la / de l'
            } else {
                det = [g == .masculine ? "un" : "une"]
            }
        case .possessive(let p):
            let forms = p.french(ctx.you)
            if plural { det = [forms[2]] } else if g == .masculine || vowel { det = [forms[0]] } else { det = [forms[1]] }
        case .number(let k, let digits):
            det = [digits ? String(k) : Numbers.french(k, feminine: g == .feminine)]
        case .demonstrative:
            if plural { det = ["ces"] } else if g == .feminine { det = ["cette"] } else { det = [vowel ? "cet" : "ce"] }
        case .aLotOf:
            det = ["beaucoup", "de"]
        case .quantity:
            preconditionFailure("handled above")
        }
        return det + words
    }
}
