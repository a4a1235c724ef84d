// Sampling: the seeded random choices shared by all sentence templates — subjects, noun phrases,
// tenses with a matching English form, polarity and time phrases — and `emit`, which realises a
// clause under every tu/vous and ils/elles reading and returns the finished sentence pairs.

struct Pair: Hashable {
    let en: String
    let fr: String
}

extension Array where Element == Pair {
    /// Duplicates removed, first occurrence kept. (Never `Array(Set(...))`: Swift seeds its hashing per
    /// process, so set order — and with it the corpus — would change from run to run.)
    func uniqued() -> [Pair] {
        var seen = Set<Pair>()
        return filter { seen.insert($0).inserted }
    }
}

struct Generator {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    // MARK: subjects

    static let nounSubjects: [SubjectSpec] = {
        var out: [SubjectSpec] = []
        func add(_ en: String, _ fr: String, _ g: Gender, _ pl: Bool = false) {
            out.append(.noun(en: en, fr: fr.split(separator: " ").map(String.init), gender: g, plural: pl))
        }
        add("the boy", "le garçon", .masculine); add("the girl", "la fille", .feminine)
        add("the man", "le homme", .masculine); add("the woman", "la femme", .feminine)
        add("the children", "les enfants", .masculine, true); add("the teacher", "le professeur", .masculine)
        add("the doctor", "le médecin", .masculine); add("the students", "les étudiants", .masculine, true)
        add("my brother", "mon frère", .masculine); add("my sister", "ma sœur", .feminine)
        add("my mother", "ma mère", .feminine); add("my father", "mon père", .masculine)
        add("my parents", "mes parents", .masculine, true); add("my friends", "mes amis", .masculine, true)
        add("our neighbor", "notre voisin", .masculine); add("his wife", "sa femme", .feminine)
        add("her husband", "son mari", .masculine); add("my uncle", "mon oncle", .masculine)
        add("my aunt", "ma tante", .feminine); add("my grandmother", "ma grand-mère", .feminine)
        add("my cousin", "mon cousin", .masculine); add("the baby", "le bébé", .masculine)
        add("Paul and Marie", "Paul et Marie", .masculine, true)
        for (name, g) in Generator.names { add(name, name, g) }
        return out
    }()

    static let names: [(String, Gender)] = [
        ("Paul", .masculine), ("Marie", .feminine), ("Thomas", .masculine), ("Julie", .feminine),
        ("Pierre", .masculine), ("Sophie", .feminine), ("Anne", .feminine), ("Marc", .masculine),
        ("Alice", .feminine), ("Louis", .masculine), ("Emma", .feminine), ("Hugo", .masculine),
        ("Claire", .feminine), ("Lucas", .masculine),
    ]

    static let animalSubjects: [SubjectSpec] = [
        .noun(en: "the dog", fr: ["le", "chien"], gender: .masculine, plural: false),
        .noun(en: "the cat", fr: ["le", "chat"], gender: .masculine, plural: false),
        .noun(en: "the birds", fr: ["les", "oiseaux"], gender: .masculine, plural: true),
        .noun(en: "the horse", fr: ["le", "cheval"], gender: .masculine, plural: false),
        .noun(en: "my cat", fr: ["mon", "chat"], gender: .masculine, plural: false),
        .noun(en: "the cows", fr: ["les", "vaches"], gender: .feminine, plural: true),
    ]

    /// A person subject: mostly pronouns, sometimes a noun phrase or a name.
    mutating func personSubject(pronounShare: Double = 0.7) -> SubjectSpec {
        if rng.chance(pronounShare) {
            let r = rng.below(100)
            let p: Pro = r < 20 ? .i : r < 40 ? .you : r < 53 ? .he : r < 66 ? .she : r < 80 ? .we : .they
            return .pronoun(p)
        }
        return rng.pick(Generator.nounSubjects)
    }

    mutating func animateSubject() -> SubjectSpec {
        rng.chance(0.15) ? rng.pick(Generator.animalSubjects) : personSubject()
    }

    // MARK: noun phrases

    enum ObjectStyle {
        case consume    // eat, drink, buy, have: a/some/the/my/three
        case generic    // like, love, hate: "apples" ↔ "les pommes"
        case specific   // read, open, find: the/a/my/this
    }

    mutating func adjective(for noun: Noun, chance: Double = 0.2) -> Adjective? {
        guard rng.chance(chance) else { return nil }
        let options = Adjectives.attributive(for: noun)
        return options.isEmpty ? nil : rng.pick(options)
    }

    /// Plural person nouns that read naturally ("the children", "my friends"; not "the grandmothers").
    static let pluralPeople: Set<String> = ["child", "friend", "neighbor", "student", "boy", "girl", "brother", "sister",
                                            "cousin"]

    mutating func objectNP(_ nouns: [Noun], _ style: ObjectStyle, allowNumber: Bool = false,
                           largeNumbers: Bool = false, allowKilo: Bool = false) -> NounPhrase {
        let noun = rng.pick(nouns)
        let adj = adjective(for: noun)
        let countable = !noun.mass
        switch style {
        case .generic:
            if rng.chance(0.8) { return NounPhrase(noun: noun, plural: countable, det: .generic, adjective: nil) }
            if rng.chance(0.5) {
                return NounPhrase(noun: noun, plural: countable && rng.chance(0.3), det: .definite, adjective: adj)
            }
            return NounPhrase(noun: noun, plural: countable && rng.chance(0.3),
                              det: .possessive(rng.pick(Possessor.allCases)), adjective: adj)
        case .consume, .specific:
            if style == .consume && rng.chance(0.12) {
                let containers = Container.options(for: noun).filter { allowKilo || $0.en != "kilo" }
                if !containers.isEmpty {
                    let k = rng.chance(0.75) ? 1 : 2 + rng.below(4)
                    return NounPhrase(noun: noun, plural: !noun.mass, det: .quantity(rng.pick(containers), k),
                                      adjective: nil)
                }
            }
            if style == .consume && rng.chance(0.06) {
                return NounPhrase(noun: noun, plural: !noun.mass, det: .aLotOf, adjective: nil)
            }
            let r = rng.below(100)
            let indefShare = style == .consume ? 55 : 30
            if r < indefShare {
                let plural = countable && rng.chance(style == .consume ? 0.55 : 0.3)
                return NounPhrase(noun: noun, plural: plural, det: .indefinite, adjective: adj,
                                  some: (plural || noun.mass) && rng.chance(0.3))
            }
            if r < indefShare + 20 {
                return NounPhrase(noun: noun, plural: countable && rng.chance(0.3), det: .definite, adjective: adj)
            }
            if r < indefShare + 35 || !countable || !allowNumber {
                return NounPhrase(noun: noun, plural: countable && rng.chance(0.3),
                                  det: .possessive(rng.pick(Possessor.allCases)), adjective: adj)
            }
            if r < 95 {
                let k = !largeNumbers || rng.below(100) < 85 ? 2 + rng.below(5) : [10, 12, 20][rng.below(3)]
                return NounPhrase(noun: noun, plural: true, det: .number(k, digits: k > 10 && rng.chance(0.5)),
                                  adjective: adj)
            }
            return NounPhrase(noun: noun, plural: countable && rng.chance(0.3), det: .demonstrative, adjective: adj)
        }
    }

    /// Nouns that are almost always plural in use ("shoes").
    func naturalPlural(_ np: NounPhrase) -> NounPhrase {
        guard np.noun.enSg == "shoe" || (np.noun.has(.person) && np.plural && !Generator.pluralPeople.contains(np.noun.enSg))
        else { return np }
        let plural = np.noun.enSg == "shoe"
        if case .number = np.det { return np }
        return NounPhrase(noun: np.noun, plural: plural, det: np.det, adjective: np.adjective, some: np.some)
    }

    // MARK: tense, English form, polarity, time

    mutating func tense(for v: Verb) -> Tense {
        let weights: [(Tense, Int)] = [(.present, 40), (.passeCompose, 20), (.futur, 12), (.futurProche, 14),
                                       (.imparfait, 14)]
        let allowed = weights.filter { v.tenses.contains($0.0) && !(v.stative && $0.0 == .futurProche) }
        let total = allowed.reduce(0) { $0 + $1.1 }
        var r = rng.below(total)
        for (t, w) in allowed {
            if r < w { return t }
            r -= w
        }
        return .present
    }

    mutating func polarity(_ negShare: Double = 0.35) -> Polarity {
        rng.chance(negShare) ? .negative : .affirmative
    }

    /// A time phrase fitting the tense and the verb, or nil. Stative verbs take none ("I know Paul",
    /// not "I know Paul on Mondays"); clock times and early/late only go with timetable verbs.
    mutating func time(for tense: Tense, verb: Verb, chance: Double = 0.35) -> TimeExpr? {
        guard !verb.stative, rng.chance(chance) else { return nil }
        if verb.timed && rng.chance(0.3) { return Times.at(rng.pick(ClockTime.all())) }
        let options = Times.fitting(tense).filter { t in
            if !verb.timed && (t.en == ["early"] || t.en == ["late"]) { return false }
            // Daily routines happen on days, not in years: no "I got up last year".
            if verb.fr.reflexive && (t.en.contains("year") || t.en.contains("week")) { return false }
            return true
        }
        return options.isEmpty ? nil : rng.pick(options)
    }

    /// The English verb form for a French tense, given the verb and the time phrase.
    mutating func englishForm(_ tense: Tense, _ v: Verb, time: TimeExpr?, polarity: Polarity) -> EnglishForm {
        let habitual = time?.habitual ?? false
        switch tense {
        case .present:
            if !v.progressiveOK || habitual || polarity == .never { return .simplePresent }
            if let t = time, t.en == ["now"] { return .presentProgressive }
            return rng.chance(0.35) ? .presentProgressive : .simplePresent
        case .passeCompose:
            let ambiguousPast = v.en.past == v.en.base
            if ambiguousPast || polarity == .never { return .presentPerfect }
            if v.perfectOK && time == nil && rng.chance(0.3) { return .presentPerfect }
            return .simplePast
        case .futur: return .future
        case .futurProche: return .goingTo
        case .imparfait:
            if v.stative { return .simplePast }
            if habitual || !v.progressiveOK { return .usedTo }
            if time != nil { return .pastProgressive }
            return rng.chance(0.65) ? .usedTo : .pastProgressive
        }
    }

    // MARK: realisation

    /// All pairs for one clause: every English spelling × every French reading and question form.
    mutating func emit(_ c: Clause, _ mood: Mood = .statement, allowElles: Bool? = nil,
                       inversion: Bool? = nil) -> [Pair] {
        var c = c
        // "Do I wash his cup?" is an odd thing to ask; questions go to "you" unless asking permission
        // or obligation ("Can I ...?", "Do I have to ...?").
        if mood != .statement, case .pronoun(.i) = c.subject,
           !["pouvoir", "devoir"].contains(c.frVerb.infinitive) {
            c.subject = .pronoun(.you)
        }
        let elles = allowElles ?? rng.chance(0.4)
        let inv = inversion ?? rng.chance(0.5)
        var readings = [Reading(you: .tu, theyFeminine: false), Reading(you: .vous, theyFeminine: false)]
        if elles { readings.append(Reading(you: .tu, theyFeminine: true)) }
        let punct: Punct = mood == .statement ? .period : .question
        var out: [Pair] = []
        var seen = Set<Pair>()
        for r in readings {
            guard let (ens, frs) = ClauseBuilder.realizeClause(c, mood, r, inversion: inv) else { continue }
            for e in ens {
                for f in frs {
                    let p = Pair(en: English.sentence(e, punct), fr: French.sentence(f, punct))
                    if seen.insert(p).inserted { out.append(p) }
                }
            }
        }
        return out
    }

    /// Pairs from finished word lists, for templates that build their words by hand.
    func pairs(_ en: [[String]], _ fr: [[String]], _ p: Punct) -> [Pair] {
        var out: [Pair] = []
        for e in en { for f in fr { out.append(Pair(en: English.sentence(e, p), fr: French.sentence(f, p))) } }
        return out
    }
}
