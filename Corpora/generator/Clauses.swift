// Clauses: a subject, a verb in a tense, polarity, an optional infinitive ("want to eat"), a
// complement and a time phrase, realised as English and French word lists. This is where do-support
// meets ne ... pas, where the passé composé picks avoir or être and agrees, where "Est-ce que" and
// inversion ("Parlez-vous français ?", "Mange-t-elle ... ?") are built, and where one English "you"
// becomes both "tu" and "vous".

enum Pro { case i, you, he, she, we, they }

enum SubjectSpec {
    case pronoun(Pro)
    case noun(en: String, fr: [String], gender: Gender, plural: Bool)
}

/// One French reading of an English sentence: "you" as tu or vous, "they" as ils or elles.
struct Reading: Hashable {
    var you: YouForm
    var theyFeminine: Bool
}

struct RealizedSubject {
    let en: EnglishSubject
    let fr: [String]
    let person: PersonIndex
    /// The subject pronoun, when inversion is possible (not for je or noun subjects).
    let invertible: String?
    let gender: Gender
    let plural: Bool
    /// False for vous, whose number and gender English does not tell us (so "fatigué(e)(s)" is unknown).
    let agreementKnown: Bool
}

func realize(_ s: SubjectSpec, _ r: Reading) -> RealizedSubject {
    func es(_ t: String, _ p: Int, _ pl: Bool, pronoun: Bool = true) -> EnglishSubject {
        EnglishSubject(text: t, person: p, plural: pl, isPronoun: pronoun)
    }
    switch s {
    case .pronoun(.i):
        return RealizedSubject(en: es("I", 1, false), fr: ["je"], person: 0, invertible: nil, gender: .masculine,
                               plural: false, agreementKnown: true)
    case .pronoun(.you):
        if r.you == .tu {
            return RealizedSubject(en: es("you", 2, false), fr: ["tu"], person: 1, invertible: "tu",
                                   gender: .masculine, plural: false, agreementKnown: true)
        }
        return RealizedSubject(en: es("you", 2, false), fr: ["vous"], person: 4, invertible: "vous",
                               gender: .masculine, plural: true, agreementKnown: false)
    case .pronoun(.he):
        return RealizedSubject(en: es("he", 3, false), fr: ["il"], person: 2, invertible: "il", gender: .masculine,
                               plural: false, agreementKnown: true)
    case .pronoun(.she):
        return RealizedSubject(en: es("she", 3, false), fr: ["elle"], person: 2, invertible: "elle",
                               gender: .feminine, plural: false, agreementKnown: true)
    case .pronoun(.we):
        return RealizedSubject(en: es("we", 1, true), fr: ["nous"], person: 3, invertible: "nous",
                               gender: .masculine, plural: true, agreementKnown: true)
    case .pronoun(.they):
        let f = r.theyFeminine
        return RealizedSubject(en: es("they", 3, true), fr: [f ? "elles" : "ils"], person: 5,
                               invertible: f ? "elles" : "ils", gender: f ? .feminine : .masculine, plural: true,
                               agreementKnown: true)
    case .noun(let en, let fr, let g, let pl):
        return RealizedSubject(en: es(en, 3, pl, pronoun: false), fr: fr, person: pl ? 5 : 2, invertible: nil,
                               gender: g, plural: pl, agreementKnown: true)
    }
}

/// Words after the verb in each language. Built late, because their spelling depends on the
/// clause: negation ("de pommes") and the tu/vous reading ("ton livre" / "votre livre").
struct Complement {
    let build: (NPContext) -> (en: [String], fr: [String])

    static let none = Complement { _ in ([], []) }

    static func words(_ en: [String], _ fr: [String]) -> Complement { Complement { _ in (en, fr) } }

    static func np(_ n: NounPhrase) -> Complement { Complement { ctx in (n.english(ctx), n.french(ctx)) } }

    func then(_ other: Complement) -> Complement {
        Complement { ctx in
            let a = self.build(ctx), b = other.build(ctx)
            return (a.en + b.en, a.fr + b.fr)
        }
    }
}

/// How English attaches an infinitive: "can eat", "want to eat", "like eating", "know how to swim".
enum InfinitiveFrame { case bare, to, ing, howTo }

struct Infinitive {
    let fr: FrenchVerb
    let en: EnglishVerb
    let frame: InfinitiveFrame
}

enum Mood: Equatable {
    case statement
    case yesNo
    /// A question word standing before the clause: "où", "quand", "pourquoi", "à quelle heure",
    /// "que" (object; the complement is then the gap), "combien de pommes".
    case wh(en: [String], fr: [String], isQue: Bool)
}

struct Clause {
    var subject: SubjectSpec
    var frVerb: FrenchVerb
    var enVerb: EnglishVerb?
    var tense: Tense
    var enForm: EnglishForm
    var polarity: Polarity = .affirmative
    var infinitive: Infinitive? = nil
    var complement: Complement = .none
    var time: TimeExpr? = nil
    /// Objects after a negated verb take "de" — except after être ("Ce n'est pas un chat").
    var negationTouchesObject = true
    /// The participle or a predicate adjective must agree with the subject.
    var needsSubjectAgreement = false
}

struct FrenchVerbGroup {
    var reflexiveBeforeFinite: String?
    var finite: String
    var nonfinite: [String]
}

enum ClauseBuilder {
    static func verbGroup(_ v: FrenchVerb, _ tense: Tense, _ s: RealizedSubject) -> FrenchVerbGroup {
        let p = s.person
        let refl = v.reflexive ? reflexivePronouns[p] : nil
        switch tense {
        case .present: return FrenchVerbGroup(reflexiveBeforeFinite: refl, finite: v.presentForm(p), nonfinite: [])
        case .futur: return FrenchVerbGroup(reflexiveBeforeFinite: refl, finite: v.futureForm(p), nonfinite: [])
        case .imparfait: return FrenchVerbGroup(reflexiveBeforeFinite: refl, finite: v.imperfectForm(p), nonfinite: [])
        case .passeCompose:
            let etre = v.auxiliaryEtre || v.reflexive
            let aux = etre ? Aux.etre : Aux.avoir
            let pp = etre ? v.participle(agreeingWith: s.gender, plural: s.plural) : v.participle
            return FrenchVerbGroup(reflexiveBeforeFinite: refl, finite: aux.presentForm(p), nonfinite: [pp])
        case .futurProche:
            return FrenchVerbGroup(reflexiveBeforeFinite: nil, finite: Aux.aller.presentForm(p),
                                   nonfinite: (refl.map { [$0] } ?? []) + [v.infinitive])
        }
    }

    /// "mange-t-elle", "parlez-vous", "as-tu".
    static func inverted(_ finite: String, _ pronoun: String) -> String {
        let needsT = (pronoun == "il" || pronoun == "elle" || pronoun == "on")
            && (finite.hasSuffix("e") || finite.hasSuffix("a"))
        return finite + (needsT ? "-t-" : "-") + pronoun
    }

    /// English and French renderings of one clause under one reading; nil when this reading cannot
    /// be rendered unambiguously (vous with an agreeing participle or adjective).
    static func realizeClause(_ c: Clause, _ mood: Mood, _ r: Reading, inversion: Bool)
        -> (en: [[String]], fr: [[String]])? {
        let s = realize(c.subject, r)
        if c.needsSubjectAgreement && !s.agreementKnown { return nil }
        let question: Bool = mood != .statement
        if question && c.polarity != .affirmative { return nil }
        let ctx = NPContext(negated: c.polarity != .affirmative && c.negationTouchesObject, question: question,
                            you: r.you, subjectGender: s.gender, subjectPlural: s.plural)
        var comp = c.complement.build(ctx)
        if case .wh(_, _, let isQue) = mood, isQue { comp = ([], []) }
        let timeEn = c.time?.en ?? [], timeFr = c.time?.fr ?? []

        // ---- English
        var enVerbForVP = c.enVerb
        var infWords: [String] = []
        let form = c.enForm
        if let inf = c.infinitive {
            let particle = inf.en.particle.map { [$0] } ?? []
            switch inf.frame {
            case .bare: enVerbForVP = inf.en
            case .to: infWords = ["to", inf.en.base] + particle
            case .ing: infWords = [inf.en.ing] + particle
            case .howTo: infWords = ["how", "to", inf.en.base] + particle
            }
        }
        guard let vp = EnglishGrammar.vp(enVerbForVP, form, s.en, polarity: c.polarity, question: question) else {
            return nil
        }
        let tail = infWords + comp.en + timeEn
        var en: [[String]] = []
        switch mood {
        case .statement:
            en = EnglishGrammar.declarative(s.en, EnglishVP(finite: vp.finite, rest: vp.rest + tail), polarity: c.polarity)
        case .yesNo:
            guard vp.finite != nil else { return nil }
            en = [EnglishGrammar.question(s.en, EnglishVP(finite: vp.finite, rest: vp.rest + tail))]
        case .wh(let w, _, _):
            guard vp.finite != nil else { return nil }
            en = [w + EnglishGrammar.question(s.en, EnglishVP(finite: vp.finite, rest: vp.rest + tail))]
        }

        // ---- French
        var g = verbGroup(c.frVerb, c.tense, s)
        if let inf = c.infinitive {
            if inf.fr.reflexive { g.nonfinite.append(reflexivePronouns[s.person]) }
            g.nonfinite.append(inf.fr.infinitive)
        }
        let negWord: String? = c.polarity == .negative ? "pas" : (c.polarity == .never ? "jamais" : nil)
        let after = g.nonfinite + comp.fr + timeFr
        var declarative = s.fr
        if negWord != nil { declarative.append("ne") }
        if let rf = g.reflexiveBeforeFinite { declarative.append(rf) }
        declarative.append(g.finite)
        if let n = negWord { declarative.append(n) }
        declarative += after

        var fr: [[String]] = []
        var invertedWords: [String]? = nil
        if inversion, let pron = s.invertible {
            var w: [String] = []
            if let rf = g.reflexiveBeforeFinite { w.append(rf) }
            w.append(inverted(g.finite, pron))
            invertedWords = w + after
        }
        switch mood {
        case .statement:
            fr = [declarative]
        case .yesNo:
            fr = [["est-ce", "que"] + declarative]
            if let iw = invertedWords { fr.append(iw) }
        case .wh(_, let w, let isQue):
            if isQue { fr = [["que", "est-ce", "que"] + declarative] } else { fr = [w + ["est-ce", "que"] + declarative] }
            if let iw = invertedWords { fr.append((isQue ? ["que"] : w) + iw) }
        }
        return (en, fr)
    }
}
