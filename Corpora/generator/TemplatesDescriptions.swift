// Sentence templates that describe rather than act: être + adjective with agreement ("Elles sont
// fatiguées."), professions and nationalities without article ("Il est médecin."), being somewhere,
// avoir idioms ("J'ai faim.", "J'ai vingt ans."), "il y a" with "de" under negation, c'est / ce sont,
// "Où est ... ?", prices, birth dates, schedules, weather, the clock, days and requests.

struct Profession {
    let en: String, enPl: String
    let m: String, f: String
}

struct Nationality {
    let en: String
    let m: String, f: String
}

enum Describe {
    static let professions: [Profession] = [
        Profession(en: "student", enPl: "students", m: "étudiant", f: "étudiante"),
        Profession(en: "doctor", enPl: "doctors", m: "médecin", f: "médecin"),
        Profession(en: "lawyer", enPl: "lawyers", m: "avocat", f: "avocate"),
        Profession(en: "nurse", enPl: "nurses", m: "infirmier", f: "infirmière"),
        Profession(en: "actor", enPl: "actors", m: "acteur", f: "actrice"),
        Profession(en: "singer", enPl: "singers", m: "chanteur", f: "chanteuse"),
        Profession(en: "cook", enPl: "cooks", m: "cuisinier", f: "cuisinière"),
        Profession(en: "journalist", enPl: "journalists", m: "journaliste", f: "journaliste"),
        Profession(en: "musician", enPl: "musicians", m: "musicien", f: "musicienne"),
        Profession(en: "police officer", enPl: "police officers", m: "policier", f: "policière"),
        Profession(en: "pilot", enPl: "pilots", m: "pilote", f: "pilote"),
        Profession(en: "waiter", enPl: "waiters", m: "serveur", f: "serveuse"),
    ]

    static let nationalities: [Nationality] = [
        Nationality(en: "French", m: "français", f: "française"),
        Nationality(en: "English", m: "anglais", f: "anglaise"),
        Nationality(en: "American", m: "américain", f: "américaine"),
        Nationality(en: "Canadian", m: "canadien", f: "canadienne"),
        Nationality(en: "Italian", m: "italien", f: "italienne"),
        Nationality(en: "Spanish", m: "espagnol", f: "espagnole"),
        Nationality(en: "German", m: "allemand", f: "allemande"),
        Nationality(en: "Japanese", m: "japonais", f: "japonaise"),
        Nationality(en: "Chinese", m: "chinois", f: "chinoise"),
        Nationality(en: "Belgian", m: "belge", f: "belge"),
        Nationality(en: "Swiss", m: "suisse", f: "suisse"),
        Nationality(en: "Russian", m: "russe", f: "russe"),
    ]

    static let avoirIdioms: [(en: String, fr: String, gradable: Bool)] = [
        ("hungry", "faim", true), ("thirsty", "soif", true), ("cold", "froid", true), ("hot", "chaud", true),
        ("afraid", "peur", true), ("sleepy", "sommeil", true), ("right", "raison", false), ("wrong", "tort", false),
    ]

    static let gradable: Set<String> = ["fatigué", "heureux", "triste", "malade", "occupé", "gentil", "intelligent",
                                        "drôle", "timide", "célèbre", "grand", "petit", "beau", "joli", "jeune",
                                        "vieux", "cher", "intéressant", "propre", "sale", "rapide", "lourd",
                                        "délicieux", "chaud", "froid", "bon", "mauvais"]

    /// Where things can be: (English, French, which nouns fit).
    static let thingLocations: [(en: String, fr: String, tags: Set<Tag>)] = [
        ("on the table", "sur la table", [.food, .drink, .portable, .readable]),
        ("in the bag", "dans le sac", [.portable, .readable]),
        ("in the box", "dans la boîte", [.portable]),
        ("in the kitchen", "dans la cuisine", [.food, .drink, .pet, .furniture]),
        ("in the fridge", "dans le frigo", [.food, .drink]),
        ("in the garden", "dans le jardin", [.animal, .person, .vehicle]),
        ("in the park", "dans le parc", [.animal, .person]),
        ("in the street", "dans la rue", [.animal, .person, .vehicle]),
        ("in my room", "dans ma chambre", [.furniture, .portable, .readable, .clothing, .pet]),
        ("in the house", "dans la maison", [.animal, .person, .furniture]),
        ("under the bed", "sous le lit", [.pet, .portable, .clothing]),
        ("on the chair", "sur la chaise", [.portable, .clothing, .readable, .pet]),
        ("in the car", "dans la voiture", [.portable, .person, .pet]),
        ("near the door", "près de la porte", [.portable, .furniture, .person, .pet]),
    ]

    static let buildings: [(en: String, fr: String, g: Gender)] = [
        ("bank", "banque", .feminine), ("bakery", "boulangerie", .feminine), ("hotel", "hôtel", .masculine),
        ("restaurant", "restaurant", .masculine), ("museum", "musée", .masculine), ("school", "école", .feminine),
        ("pharmacy", "pharmacie", .feminine), ("supermarket", "supermarché", .masculine), ("park", "parc", .masculine),
        ("library", "bibliothèque", .feminine), ("hospital", "hôpital", .masculine), ("church", "église", .feminine),
    ]

    static let buildingSpots: [(en: String, fr: String)] = [
        ("near the station", "près de la gare"), ("in this city", "dans cette ville"),
        ("in this street", "dans cette rue"), ("near here", "près d'ici"), ("in the village", "dans le village"),
        ("near my house", "près de ma maison"),
    ]

    static let months = [("January", "janvier"), ("February", "février"), ("March", "mars"), ("April", "avril"),
                         ("May", "mai"), ("June", "juin"), ("July", "juillet"), ("August", "août"),
                         ("September", "septembre"), ("October", "octobre"), ("November", "novembre"),
                         ("December", "décembre")]
}

private func words(_ s: String) -> [String] { s.split(separator: " ").map(String.init) }

extension Generator {
    // MARK: être + adjective, profession, nationality, place

    /// Present, imparfait or futur for a copula clause, with the matching English form.
    mutating func copulaTense() -> (Tense, EnglishForm) {
        let r = rng.below(100)
        if r < 65 { return (.present, .copula(past: false)) }
        if r < 85 { return (.imparfait, .copula(past: true)) }
        return (.futur, .future)
    }

    mutating func copulaTime(_ t: Tense) -> TimeExpr? {
        guard rng.chance(0.2) else { return nil }
        let keys: [String]
        switch t {
        case .present: keys = ["today", "now"]
        case .imparfait: keys = ["yesterday", "last night", "this morning", "last week"]
        default: keys = ["tomorrow", "tonight", "next week"]
        }
        let k = rng.pick(keys)
        let tx = Times.all.first { $0.en.joined(separator: " ") == k }!
        return TimeExpr(en: tx.en, fr: tx.fr, tenses: [t], habitual: false)
    }

    /// A thing as subject: "the car", "my keys", "this house".
    mutating func thingSubject(_ noun: Noun, plural: Bool) -> SubjectSpec {
        let r = rng.below(10)
        let det: Determiner = r < 6 ? .definite : r < 9 ? .possessive(rng.pick([.my, .his, .her, .our, .their]))
            : .demonstrative
        let np = NounPhrase(noun: noun, plural: plural || noun.enSg == "shoe", det: det, adjective: nil)
        let ctx = NPContext()
        return .noun(en: English.join(np.english(ctx)), fr: np.french(ctx), gender: noun.gender, plural: np.plural)
    }

    mutating func copulaClause(_ subject: SubjectSpec, _ comp: Complement, agreement: Bool) -> Clause {
        let (tense, form) = copulaTense()
        var c = Clause(subject: subject, frVerb: Aux.etre, enVerb: Verbs.enBe, tense: tense, enForm: form,
                       polarity: polarity(0.3), complement: comp, time: copulaTime(tense))
        c.negationTouchesObject = false
        c.needsSubjectAgreement = agreement
        return c
    }

    /// Lasting properties ("young", "red") stay in the present or imparfait with no time phrase.
    func settle(_ c: inout Clause, _ adj: Adjective) {
        guard !adj.temporary else { return }
        c.time = nil
        if c.tense == .futur { c.tense = .present; c.enForm = .copula(past: false) }
    }

    mutating func adjectiveSentence() -> [Pair] {
        let very = rng.chance(0.2)
        if rng.chance(0.55) {
            let adj = rng.pick(Adjectives.forPeople)
            let v = very && Describe.gradable.contains(adj.msg)
            let comp = Complement { ctx in
                ((v ? ["very"] : []) + [adj.english(forPerson: true)],
                 (v ? ["très"] : []) + [adj.form(ctx.subjectGender, plural: ctx.subjectPlural)])
            }
            var c = copulaClause(personSubject(), comp, agreement: true)
            settle(&c, adj)
            return emit(c, mood(questionShare: 0.3))
        }
        let candidates = Nouns.all.filter { !$0.has(.person) && !Adjectives.predicate(for: $0).isEmpty }
        let noun = rng.pick(candidates)
        let adj = rng.pick(Adjectives.predicate(for: noun))
        let v = very && Describe.gradable.contains(adj.msg)
        let plural = !noun.mass && rng.chance(0.3)
        let comp = Complement { ctx in
            ((v ? ["very"] : []) + [adj.english(forPerson: false)],
             (v ? ["très"] : []) + [adj.form(ctx.subjectGender, plural: ctx.subjectPlural)])
        }
        var c = copulaClause(thingSubject(noun, plural: plural), comp, agreement: true)
        settle(&c, adj)
        return emit(c, mood(questionShare: 0.25))
    }

    mutating func identitySentence() -> [Pair] {
        let subject = personSubject()
        if rng.chance(0.55) {
            let p = rng.pick(Describe.professions)
            let comp = Complement { ctx in
                let fr = ctx.subjectGender == .feminine ? p.f : p.m
                if ctx.subjectPlural {
                    return ([p.enPl], [frenchPlural(fr)])
                }
                return ([English.indefiniteArticle(before: p.en), p.en], [fr])
            }
            var c = copulaClause(subject, comp, agreement: true)
            c.time = nil
            return emit(c, mood(questionShare: 0.25))
        }
        let n = rng.pick(Describe.nationalities)
        let comp = Complement { ctx in
            let base = ctx.subjectGender == .feminine ? n.f : n.m
            return ([n.en], [ctx.subjectPlural ? frenchPlural(base) : base])
        }
        var c = copulaClause(subject, comp, agreement: true)
        c.time = nil
        c.tense = .present
        c.enForm = .copula(past: false)
        return emit(c, mood(questionShare: 0.25))
    }

    mutating func whereaboutsSentence() -> [Pair] {
        if rng.chance(0.5) {
            let p = rng.pick([Places.home, Places.school, Places.work] + Places.venues + Places.cities + Places.countries)
            return emit(copulaClause(personSubject(), .words(p.enAt, p.frAt), agreement: false), mood(questionShare: 0.3))
        }
        let loc = rng.pick(Describe.thingLocations)
        let nouns = Nouns.all.filter { !$0.tags.isDisjoint(with: loc.tags) && !$0.has(.room) && !$0.has(.building) }
        let noun = rng.pick(nouns)
        let plural = !noun.mass && rng.chance(0.35)
        let subject = noun.has(.person) ? personSubject(pronounShare: 0.3) : thingSubject(noun, plural: plural)
        var c = copulaClause(subject, .words(words(loc.en), words(loc.fr)), agreement: false)
        if c.tense == .futur { c.tense = .present; c.enForm = .copula(past: false); c.time = nil }
        return emit(c, mood(questionShare: 0.25))
    }

    /// "Where is my key?" ↔ "Où est ma clé ?"
    mutating func whereIsQuestion() -> [Pair] {
        let r = rng.below(10)
        var en: [String], fr: [String]
        var plural = false
        if r < 6 {
            let noun = rng.pick(Nouns.things.filter { $0.has(.portable) || $0.has(.vehicle) } + Nouns.people
                                + Nouns.animals.filter { $0.has(.pet) })
            plural = rng.chance(0.35) && (!noun.has(.person) || Generator.pluralPeople.contains(noun.enSg))
            let det: Determiner = rng.chance(0.4) ? .definite : .possessive(rng.pick(Possessor.allCases))
            let np = NounPhrase(noun: noun, plural: plural, det: det, adjective: nil)
            var out: [Pair] = []
            for you in [YouForm.tu, .vous] {
                let ctx = NPContext(you: you)
                en = np.english(ctx); fr = np.french(ctx)
                let verbEn = plural ? [["where", "are"]] : [["where", "is"], ["where's"]]
                out += pairs(verbEn.map { $0 + en }, [["où", plural ? "sont" : "est"] + fr], .question)
            }
            return out.uniqued()
        }
        if r < 9 {
            let b = rng.pick(Describe.buildings)
            let np = ["the", b.en]
            let frNP = [b.g == .masculine ? "le" : "la", b.fr]
            return pairs([["where", "is"] + np, ["where's"] + np], [["où", "est"] + frNP], .question)
        }
        let name = rng.pick(Generator.names).0
        return pairs([["where", "is", name], ["where's", name]], [["où", "est", name]], .question)
    }

    // MARK: avoir idioms and age

    mutating func avoirIdiomSentence() -> [Pair] {
        let idiom = rng.pick(Describe.avoirIdioms)
        let v = idiom.gradable && rng.chance(0.2)
        var en = (v ? ["very"] : []) + [idiom.en]
        var fr = (v ? ["très"] : []) + [idiom.fr]
        if idiom.fr == "peur" && rng.chance(0.5) {
            let fears: [([String], [String])] = [
                (["of", "dogs"], ["de", "les", "chiens"]), (["of", "the", "dark"], ["de", "le", "noir"]),
                (["of", "spiders"], ["de", "les", "araignées"]), (["of", "cats"], ["de", "les", "chats"]),
                (["of", "horses"], ["de", "les", "chevaux"]), (["of", "the", "sea"], ["de", "la", "mer"]),
                (["of", "my", "father"], ["de", "mon", "père"]), (["of", "the", "teacher"], ["de", "le", "professeur"]),
            ]
            let f = rng.pick(fears)
            en += f.0; fr += f.1
        }
        let (tense, form) = copulaTense()
        var c = Clause(subject: personSubject(), frVerb: Aux.avoir, enVerb: Verbs.enBe, tense: tense, enForm: form,
                       polarity: polarity(0.3), complement: .words(en, fr),
                       time: idiom.gradable ? copulaTime(tense) : nil)
        c.negationTouchesObject = false
        return emit(c, mood(questionShare: 0.3))
    }

    mutating func ageSentence() -> [Pair] {
        let subject = personSubject(pronounShare: 0.6)
        if rng.chance(0.2) {
            // "How old are you?" ↔ "Quel âge as-tu ?"
            var out: [Pair] = []
            for reading in [Reading(you: .tu, theyFeminine: false), Reading(you: .vous, theyFeminine: false),
                            Reading(you: .tu, theyFeminine: true)] {
                let s = realize(subject, reading)
                let be = EnglishGrammar.be(s.en, past: false)
                let form = Aux.avoir.presentForm(s.person)
                let fr: [String]
                if let pron = s.invertible { fr = ["quel", "âge", ClauseBuilder.inverted(form, pron)] }
                else if s.person == 0 { return [] }
                else { fr = ["quel", "âge"] + [form] + s.fr }
                out += pairs([["how", "old", be, s.en.text]], [fr], .question)
            }
            return out.uniqued()
        }
        let isBaby: Bool = { if case .noun(let en, _, _, _) = subject { return en.hasSuffix("baby") }; return false }()
        let isChild: Bool = {
            if case .noun(let en, _, _, _) = subject { return ["boy", "girl", "children"].contains { en.hasSuffix($0) } }
            return false
        }()
        let isOld: Bool = { if case .noun(let en, _, _, _) = subject { return en.contains("grand") }; return false }()
        let isAdult: Bool = { if case .noun = subject { return !isBaby && !isChild }; return false }()
        let n = isBaby ? 1 + rng.below(2) : isChild ? 3 + rng.below(13) : isOld ? 60 + rng.below(35)
            : isAdult ? 25 + rng.below(50) : rng.chance(0.7) ? 5 + rng.below(30) : 35 + rng.below(55)
        let digits = n <= 50 && rng.chance(0.3)
        let enN = digits ? String(n) : Numbers.english(n)
        let frN = digits ? String(n) : Numbers.french(n)
        let years = n == 1 ? "year" : "years"
        var ens: [[String]] = [[enN, years, "old"]]
        if n > 1 && rng.chance(0.3) { ens = [[enN]] }
        let fr = [frN, n == 1 ? "an" : "ans"]
        let r = rng.below(10)
        let tense: Tense = r < 8 ? .present : r < 9 ? .imparfait : .futur
        let form: EnglishForm = tense == .present ? .copula(past: false) : tense == .imparfait ? .copula(past: true) : .future
        var out: [Pair] = []
        let elles = rng.chance(0.4)
        for e in ens {
            var c = Clause(subject: subject, frVerb: Aux.avoir, enVerb: Verbs.enBe, tense: tense, enForm: form,
                           complement: .words(e, fr))
            if tense == .futur && rng.chance(0.5) {
                c.time = TimeExpr(en: ["next", "year"], fr: ["l'année", "prochaine"], tenses: [.futur], habitual: false)
            }
            out += emit(c, .statement, allowElles: elles)
        }
        return out
    }

    // MARK: il y a

    mutating func thereIsSentence() -> [Pair] {
        var noun: Noun
        var where_: ([String], [String])
        if rng.chance(0.2) {
            let b = rng.pick(Describe.buildings)
            noun = Noun(frSg: b.fr, frPl: frenchPlural(b.fr), gender: b.g, enSg: b.en, enPl: englishPlural(b.en),
                        mass: false, tags: [.building])
            let s = rng.pick(Describe.buildingSpots)
            where_ = (words(s.en), words(s.fr))
        } else {
            let loc = rng.pick(Describe.thingLocations)
            let nouns = Nouns.all.filter {
                !$0.tags.isDisjoint(with: loc.tags) && !$0.has(.room) && !$0.has(.building)
                    && !loc.en.hasSuffix(" " + $0.enSg) && !$0.has(.readable)
                    && (!$0.has(.person) || ["man", "woman", "boy", "girl", "child", "student"].contains($0.enSg))
            }
            noun = rng.pick(nouns)
            where_ = (words(loc.en), words(loc.fr))
        }
        let plural = !noun.mass && rng.chance(0.45)
        let pol = polarity(0.35)
        let question = pol == .affirmative && rng.chance(0.3)
        let numbered = plural && pol == .affirmative && rng.chance(0.35)
        let k = 2 + rng.below(noun.has(.person) || noun.has(.building) ? 4 : 11)
        let det: Determiner = numbered ? .number(k, digits: false) : .indefinite
        let np = NounPhrase(noun: noun, plural: plural, det: det, adjective: pol == .affirmative ? adjective(for: noun, chance: 0.15) : nil,
                            some: question || pol == .negative)
        let ctx = NPContext(negated: pol == .negative, question: question)
        let enNP = np.english(ctx), frNP = np.french(ctx)
        let englishPl = plural
        let r = rng.below(10)
        let tense = r < 7 ? 0 : r < 9 ? 1 : 2   // present, past, future
        let frVerb = ["a", "avait", "aura"][tense]
        let enBe = tense == 0 ? (englishPl ? "are" : "is") : tense == 1 ? (englishPl ? "were" : "was") : "will"
        let tail = enNP + where_.0
        var en: [[String]] = []
        var fr: [[String]] = []
        if question {
            en = tense == 2 ? [["will", "there", "be"] + tail] : [[enBe, "there"] + tail]
            fr = [["est-ce", "que", "il", "y", frVerb] + frNP + where_.1,
                  ["y", ClauseBuilder.inverted(frVerb, "il")] + frNP + where_.1]
        } else if pol == .negative {
            // "There is no cat" / "There isn't a cat" / "There aren't any apples"
            let noNP = NounPhrase(noun: noun, plural: plural, det: .indefinite, adjective: nil).english(NPContext())
            let bare = noNP.first == "a" || noNP.first == "an" ? Array(noNP.dropFirst()) : noNP
            if tense == 2 {
                en = [["there", "will", "be", "no"] + bare + where_.0, ["there", "won't", "be"] + tail]
            } else {
                en = [["there", enBe, "no"] + bare + where_.0, ["there", enBe + "n't"] + tail]
                if tense == 0 && !englishPl { en.append(["there's", "no"] + bare + where_.0) }
            }
            fr = [["il", "ne", "y", frVerb, "pas"] + frNP + where_.1]
        } else {
            en = tense == 2 ? [["there", "will", "be"] + tail] : [["there", enBe] + tail]
            if tense == 0 && !englishPl { en.append(["there's"] + tail) }
            fr = [["il", "y", frVerb] + frNP + where_.1]
        }
        return pairs(en, fr, question ? .question : .period)
    }

    // MARK: c'est / ce sont

    mutating func demonstrativeSentence() -> [Pair] {
        let noun = rng.pick(Nouns.all.filter { !$0.has(.room) })
        let person = noun.has(.person)
        let plural = !noun.mass && rng.chance(0.3) && (!person || Generator.pluralPeople.contains(noun.enSg))
        let r = rng.below(10)
        // People are introduced by relation ("This is my uncle."), not classified ("These are aunts.").
        let det: Determiner = r < 5 || (person && !["man", "woman", "boy", "girl", "child", "baby"].contains(noun.enSg))
            ? .possessive(rng.pick(Possessor.allCases)) : r < 9 && !noun.mass ? .indefinite : .definite
        let np = NounPhrase(noun: noun, plural: plural, det: det,
                            adjective: det.isIndefiniteDet ? adjective(for: noun, chance: 0.35) : nil)
        let pol = polarity(0.3)
        let question = pol == .affirmative && rng.chance(0.25)
        let past = !question && rng.chance(0.15)
        var out: [Pair] = []
        for you in [YouForm.tu, .vous] {
            let ctx = NPContext(negated: false, question: question, you: you)
            let en = np.english(ctx), fr = np.french(ctx)
            let useIt = !plural && rng.chance(0.4)
            let subj = plural ? "these" : (useIt ? "it" : "this")
            let be = plural ? (past ? "were" : "are") : (past ? "was" : "is")
            var ens: [[String]]
            var frs: [[String]]
            let frBe = plural ? (past ? "étaient" : "sont") : (past ? "était" : "est")
            if question {
                ens = [[be, subj] + en]
                frs = [["est-ce", "que", "ce", frBe] + fr]
                if !plural && !past { frs.append(["est-ce"] + fr) }
            } else if pol == .negative {
                ens = [[subj, be, "not"] + en, [subj, be + "n't"] + en]
                if useIt && !past { ens.append(["it's", "not"] + en) }
                frs = [["ce", "ne", frBe, "pas"] + fr]
            } else {
                ens = [[subj, be] + en]
                if useIt && !past { ens.append(["it's"] + en) }
                frs = [["ce", frBe] + fr]
            }
            out += pairs(ens, frs, question ? .question : .period)
        }
        return out.uniqued()
    }

    // MARK: numbers: prices, birth, schedules

    /// Believable prices for a noun.
    static func prices(_ n: Noun) -> [Int] {
        if n.has(.food) { return Array(1...9) }
        if n.has(.vehicle) { return [100, 150, 200, 250, 300, 500] }
        if n.has(.building) { return [] }
        if n.has(.breakable) && n.has(.fixable) && n.enSg != "chair" && n.enSg != "lamp" {
            return [50, 80, 100, 150, 200, 250, 300, 500, 1000]
        }
        if n.has(.clothing) { return [15, 20, 25, 30, 40, 50, 60, 80, 100] }
        if n.has(.furniture) || n.has(.picture) { return [20, 30, 40, 50, 60, 80, 100, 150, 200] }
        return Array(1...20)
    }

    mutating func priceSentence() -> [Pair] {
        let noun = rng.pick((Nouns.things.filter { $0.has(.sellable) } + Nouns.food.filter { $0.has(.sellable) && !$0.mass })
            .filter { !Generator.prices($0).isEmpty })
        let plural = rng.chance(0.3) || noun.enSg == "shoe"
        let det: Determiner = rng.chance(0.6) ? .definite : .demonstrative
        let np = NounPhrase(noun: noun, plural: plural, det: det, adjective: nil)
        let ctx = NPContext()
        let en = np.english(ctx), fr = np.french(ctx)
        let currency = rng.chance(0.75) ? ("euro", "euros", "euro", "euros") : ("dollar", "dollars", "dollar", "dollars")
        if rng.chance(0.3) {
            // "How much does the book cost?" ↔ "Combien coûte le livre ?"
            let enQ: [[String]] = plural ? [["how", "much", "do"] + en + ["cost"], ["how", "much", "are"] + en]
                                         : [["how", "much", "does"] + en + ["cost"], ["how", "much", "is"] + en]
            return pairs(enQ, [["combien", plural ? "coûtent" : "coûte"] + fr], .question)
        }
        let k = rng.pick(Generator.prices(noun))
        let digits = k > 20 ? (k % 10 == 0 || k == 99) && rng.chance(0.6) : rng.chance(0.2)
        let enN = digits ? String(k) : Numbers.english(k)
        let frN = digits ? String(k) : Numbers.french(k)
        let enCur = k == 1 ? currency.0 : currency.1
        let frCur = k == 1 ? currency.2 : currency.3
        return pairs([en + [plural ? "cost" : "costs", enN, enCur]], [fr + [plural ? "coûtent" : "coûte", frN, frCur]], .period)
    }

    mutating func birthSentence() -> [Pair] {
        let subject = personSubject()
        let r = rng.below(3)
        let comp: ([String], [String])
        if r == 0 { let y = 1950 + 5 * rng.below(15); comp = (["in", String(y)], ["en", String(y)]) }
        else if r == 1 { let m = rng.pick(Describe.months); comp = (["in", m.0], ["en", m.1]) }
        else { let p = rng.pick(Places.cities + Places.countries); comp = (p.enAt, p.frAt) }
        var out: [Pair] = []
        for reading in [Reading(you: .tu, theyFeminine: false), Reading(you: .tu, theyFeminine: true)] {
            let s = realize(subject, reading)
            let was = EnglishGrammar.be(s.en, past: true)
            let be = Aux.etre.presentForm(s.person)
            let ne = Verbs.frNaitre.participle(agreeingWith: s.gender, plural: s.plural)
            out += pairs([[s.en.text, was, "born"] + comp.0], [s.fr + [be, ne] + comp.1], .period)
            if case .pronoun(.you) = subject, r != 1 {
                let wh = r == 0 ? ["when"] : ["where"]
                out += pairs([wh + [was, "you", "born"]], [[r == 0 ? "quand" : "où", "es-tu", "né"]], .question)
            }
        }
        return out.uniqued()
    }

    mutating func scheduleSentence() -> [Pair] {
        let events: [(en: String, fr: [String], verbs: [Int])] = [
            ("the train", ["le", "train"], [0, 1]), ("the bus", ["le", "bus"], [0, 1]),
            ("the plane", ["le", "avion"], [0, 1]), ("the movie", ["le", "film"], [2, 3]),
            ("the concert", ["le", "concert"], [2, 3]), ("the class", ["le", "cours"], [2, 3]),
            ("the store", ["le", "magasin"], [4, 5]), ("the bank", ["la", "banque"], [4, 5]),
            ("the museum", ["le", "musée"], [4, 5]), ("the party", ["la", "fête"], [2, 3]),
        ]
        let verbs: [(en: String, en3: String, fr: String)] = [
            ("leave", "leaves", "part"), ("arrive", "arrives", "arrive"), ("start", "starts", "commence"),
            ("end", "ends", "finit"), ("open", "opens", "ouvre"), ("close", "closes", "ferme"),
        ]
        let e = rng.pick(events)
        let v = verbs[rng.pick(e.verbs)]
        if rng.chance(0.3) {
            return pairs([["what", "time", "does", e.en, v.en]],
                         [["à", "quelle", "heure", v.fr] + e.fr, ["à", "quelle", "heure", "est-ce", "que"] + e.fr + [v.fr]],
                         .question)
        }
        let clock = rng.pick(ClockTime.all())
        var ens: [[String]] = [[e.en, v.en3, "at"] + clock.english]
        var frs: [[String]] = [e.fr + [v.fr, "à"] + clock.french]
        if clock.hour != 12 && rng.chance(0.3) {
            // Digits: "at 8:30" ↔ "à 8 h 30"
            let h = clock.hour, m = clock.minutes
            ens = [[e.en, v.en3, "at", "\(h):" + (m == 0 ? "00" : String(m))]]
            frs = [e.fr + [v.fr, "à", String(h), "h"] + (m == 0 ? [] : [String(m)])]
        }
        return pairs(ens, frs, .period)
    }

    // MARK: weather, clock, days

    mutating func weatherSentence() -> [Pair] {
        // kind: 0 hot, 1 cold, 2 nice, 3 bad, 4 rain, 5 snow, 6 wind, 7 sun
        let kind = rng.below(8)
        let faireAdj = ["chaud", "froid", "beau", "mauvais"]
        let enAdj = ["hot", "cold", "nice", "bad"]
        let r = rng.below(10)
        let tense: Tense = r < 4 ? .present : r < 6 ? .futur : r < 8 ? .futurProche : r < 9 ? .imparfait : .passeCompose
        let neg = rng.chance(0.25)
        let question = !neg && rng.chance(0.2)
        var extra: ([String], [String]) = ([], [])
        let x = rng.below(10)
        if x < 2 { let c = rng.pick(Places.cities); extra = (c.enAt, c.frAt) }
        else if x < 4 {
            let s = rng.pick([(["in", "winter"], ["en", "hiver"]), (["in", "summer"], ["en", "été"]),
                              (["in", "spring"], ["à", "le", "printemps"]), (["in", "the", "fall"], ["en", "automne"])])
            extra = (s.0, s.1)
        }
        let timeOptions: [Tense: [([String], [String])]] = [
            .futur: [(["tomorrow"], ["demain"]), (["tonight"], ["ce", "soir"])],
            .futurProche: [(["tomorrow"], ["demain"]), (["this", "afternoon"], ["cet", "après-midi"])],
            .imparfait: [(["yesterday"], ["hier"])],
            .passeCompose: [(["yesterday"], ["hier"]), (["last", "night"], ["hier", "soir"])],
        ]
        if extra.0.isEmpty, let opts = timeOptions[tense], rng.chance(0.5) { extra = rng.pick(opts) }
        if tense == .passeCompose && kind != 4 && kind != 5 { return [] }
        var en: [[String]] = [], fr: [[String]] = []
        let notEn = neg ? ["not"] : []
        switch kind {
        case 0...3:
            let subj = kind >= 2 ? ["the", "weather"] : ["it"]
            let frInf = ["faire", faireAdj[kind]]
            let frFinite = ["present": "fait", "futur": "fera", "futurProche": "va", "imparfait": "faisait"]
            let key = tense == .present ? "present" : tense == .futur ? "futur" : tense == .futurProche ? "futurProche" : "imparfait"
            var frWords: [String]
            if tense == .futurProche { frWords = neg ? ["il", "ne", "va", "pas"] + frInf : ["il", "va"] + frInf }
            else { frWords = neg ? ["il", "ne", frFinite[key]!, "pas", faireAdj[kind]] : ["il", frFinite[key]!, faireAdj[kind]] }
            let a = enAdj[kind]
            let subjIsIt = subj == ["it"]
            switch tense {
            case .present:
                if question { en = [["is"] + subj + [a]] }
                else { en = [subj + ["is"] + notEn + [a]]; if subjIsIt { en.append(["it's"] + notEn + [a]) }
                       if neg { en.append(subj + ["isn't", a]) } }
            case .imparfait:
                if question { return [] }
                en = [subj + ["was"] + notEn + [a]]; if neg { en.append(subj + ["wasn't", a]) }
            case .futur:
                if question { en = [["will"] + subj + ["be", a]] }
                else { en = [subj + ["will"] + notEn + ["be", a]]; if neg { en.append(subj + ["won't", "be", a]) } }
            default:
                if question { en = [["is"] + subj + ["going", "to", "be", a]] }
                else { en = [subj + ["is"] + notEn + ["going", "to", "be", a]]; if subjIsIt { en.append(["it's"] + notEn + ["going", "to", "be", a]) } }
            }
            if question {
                fr = [["est-ce", "que"] + frWords]
                if tense != .futurProche { fr.append([ClauseBuilder.inverted(frFinite[key]!, "il"), faireAdj[kind]]) }
            } else { fr = [frWords] }
        case 4, 5:
            let rain = kind == 4
            let enV = rain ? ("rain", "rains", "raining", "rained") : ("snow", "snows", "snowing", "snowed")
            let frForms = rain ? ["pleut", "pleuvra", "pleuvoir", "pleuvait", "plu"] : ["neige", "neigera", "neiger", "neigeait", "neigé"]
            var frWords: [String]
            switch tense {
            case .present: frWords = neg ? ["il", "ne", frForms[0], "pas"] : ["il", frForms[0]]
            case .futur: frWords = neg ? ["il", "ne", frForms[1], "pas"] : ["il", frForms[1]]
            case .futurProche: frWords = neg ? ["il", "ne", "va", "pas", frForms[2]] : ["il", "va", frForms[2]]
            case .imparfait: frWords = neg ? ["il", "ne", frForms[3], "pas"] : ["il", frForms[3]]
            case .passeCompose: frWords = neg ? ["il", "ne", "a", "pas", frForms[4]] : ["il", "a", frForms[4]]
            }
            let habitual = tense == .present && !extra.0.isEmpty && extra.0.first == "in"
            switch tense {
            case .present:
                if habitual {
                    if question { en = [["does", "it", enV.0]] } else {
                        en = neg ? [["it", "does", "not", enV.0], ["it", "doesn't", enV.0]] : [["it", enV.1]] }
                    if !neg && !question && rng.chance(0.5) {
                        en = [["it", enV.1, "a", "lot"]]
                        frWords.append("beaucoup")
                    }
                } else if question { en = [["is", "it", enV.2]] }
                else { en = neg ? [["it", "is", "not", enV.2], ["it", "isn't", enV.2], ["it's", "not", enV.2]]
                                : [["it", "is", enV.2], ["it's", enV.2]] }
            case .futur:
                en = question ? [["will", "it", enV.0]] : neg ? [["it", "will", "not", enV.0], ["it", "won't", enV.0]]
                                                                : [["it", "will", enV.0], ["it'll", enV.0]]
            case .futurProche:
                en = question ? [["is", "it", "going", "to", enV.0]]
                    : neg ? [["it", "is", "not", "going", "to", enV.0], ["it's", "not", "going", "to", enV.0]]
                          : [["it", "is", "going", "to", enV.0], ["it's", "going", "to", enV.0]]
            case .imparfait:
                if question { return [] }
                en = neg ? [["it", "was", "not", enV.2], ["it", "wasn't", enV.2]] : [["it", "was", enV.2]]
            case .passeCompose:
                if question { en = [["did", "it", enV.0]] } else {
                    en = neg ? [["it", "did", "not", enV.0], ["it", "didn't", enV.0]] : [["it", enV.3]] }
            }
            if question {
                fr = [["est-ce", "que"] + frWords]
                if tense == .present || tense == .futur { fr.append([ClauseBuilder.inverted(frWords[1], "il")]) }
            } else { fr = [frWords] }
        default:
            let wind = kind == 6
            let enA = wind ? "windy" : "sunny"
            let frN = wind ? ["de", "le", "vent"] : ["de", "le", "soleil"]
            let frNNeg = wind ? ["de", "vent"] : ["de", "soleil"]
            let frV = ["present": "a", "futur": "aura", "imparfait": "avait"]
            if tense == .futurProche || tense == .passeCompose { return [] }
            let key = tense == .present ? "present" : tense == .futur ? "futur" : "imparfait"
            if question { return [] }
            fr = [neg ? ["il", "ne", "y", frV[key]!, "pas"] + frNNeg : ["il", "y", frV[key]!] + frN]
            switch tense {
            case .present: en = neg ? [["it", "is", "not", enA], ["it", "isn't", enA], ["it's", "not", enA]]
                                    : [["it", "is", enA], ["it's", enA]]
            case .futur: en = neg ? [["it", "will", "not", "be", enA], ["it", "won't", "be", enA]]
                                  : [["it", "will", "be", enA]]
            default: en = neg ? [["it", "was", "not", enA], ["it", "wasn't", enA]] : [["it", "was", enA]]
            }
        }
        en = en.map { $0 + extra.0 }
        fr = fr.map { $0 + extra.1 }
        return pairs(en, fr, question ? .question : .period)
    }

    /// All clock and day sentences; small enough to enumerate.
    func clockAndDaySentences() -> [Pair] {
        var out: [Pair] = []
        for c in ClockTime.all() {
            out += pairs([["it", "is"] + c.english, ["it's"] + c.english], [["il", "est"] + c.french], .period)
        }
        for h in 1...12 {
            for m in [10, 15, 20, 30, 45] {
                let mm = m < 10 ? "0\(m)" : "\(m)"
                out += pairs([["it", "is", "\(h):\(mm)"], ["it's", "\(h):\(mm)"]],
                             [["il", "est", String(h), "h", mm]], .period)
            }
        }
        for (i, d) in Times.days.enumerated() {
            out += pairs([["today", "is", d.0]], [["aujourd'hui", ",", "c'est", d.1]], .period)
            out += pairs([["tomorrow", "is", d.0]], [["demain", ",", "c'est", d.1]], .period)
            out += pairs([["yesterday", "was", d.0]], [["hier", ",", "c'était", d.1]], .period)
            let next = Times.days[(i + 1) % 7]
            out += pairs([["if", "today", "is", d.0, ",", "tomorrow", "is", next.0]],
                         [["si", "aujourd'hui", "c'est", d.1, ",", "demain", "c'est", next.1]], .period)
            for ev in [("the party", ["la", "fête"]), ("the exam", ["le", "examen"]), ("the meeting", ["la", "réunion"]),
                       ("the wedding", ["le", "mariage"]), ("the concert", ["le", "concert"])] {
                out += pairs([words(ev.0) + ["is", "on", d.0]], [ev.1 + ["est", d.1]], .period)
            }
        }
        for m in Describe.months {
            for p in Possessor.allCases {
                for you in [YouForm.tu, .vous] {
                    let det = p.french(you)[0]
                    out += pairs([[p.english, "birthday", "is", "in", m.0]], [[det, "anniversaire", "est", "en", m.1]],
                                 .period)
                }
            }
            out += pairs([["my", "birthday", "is", "in", m.0, "too"]], [["mon", "anniversaire", "est", "aussi", "en", m.1]],
                         .period)
        }
        return out.uniqued()
    }

    // MARK: requests

    mutating func requestSentence() -> [Pair] {
        let noun = rng.pick(Nouns.food + Nouns.drinks)
        var np: NounPhrase
        let containers = Container.options(for: noun)
        if !containers.isEmpty && rng.chance(0.4) {
            np = NounPhrase(noun: noun, plural: !noun.mass, det: .quantity(rng.pick(containers), rng.chance(0.8) ? 1 : 2),
                            adjective: nil)
        } else if noun.has(.drink) && ["coffee", "tea", "beer", "lemonade", "orange juice"].contains(noun.enSg) && rng.chance(0.6) {
            // "a coffee" ↔ "un café": drinks ordered by the cup are countable.
            let count = Noun(frSg: noun.frSg, frPl: noun.frPl, gender: noun.gender, enSg: noun.enSg, enPl: noun.enPl,
                             mass: false, tags: noun.tags)
            np = NounPhrase(noun: count, plural: false, det: .indefinite, adjective: nil)
        } else {
            np = NounPhrase(noun: noun, plural: !noun.mass && rng.chance(0.6), det: .indefinite, adjective: nil,
                            some: rng.chance(0.5))
        }
        let we = rng.chance(0.2)
        let r = rng.below(10)   // 0-4 "I would like", 5-6 bare, 7-9 "Can I have"
        // Offers and requests keep "some" in questions ("Can I have some water?").
        let ctx = NPContext(negated: false, question: false, you: .vous)
        let en = np.english(ctx), fr = np.french(ctx)
        let please = [",", "please"], svp = [",", "s'il", "vous", "plaît"]
        if r < 5 {
            let enS = we ? [["we", "would", "like"] + en + please, ["we'd", "like"] + en + please]
                         : [["I", "would", "like"] + en + please, ["I'd", "like"] + en + please]
            return pairs(enS, [[we ? "nous" : "je", we ? "voudrions" : "voudrais"] + fr + svp], .period)
        }
        if r < 7 {
            return pairs([en + please], [fr + svp], .period)
        }
        let enQ: [[String]] = we ? [["can", "we", "have"] + en] : [["can", "I", "have"] + en]
        return pairs(enQ, [["est-ce", "que", we ? "nous" : "je", we ? "pouvons" : "peux", "avoir"] + fr], .question)
    }
}

extension Determiner {
    var isIndefiniteDet: Bool {
        if case .indefinite = self { return true }
        return false
    }
}
