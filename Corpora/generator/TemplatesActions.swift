// Sentence templates built on action verbs: transitive clauses ("She does not eat apples." ↔ "Elle
// ne mange pas de pommes."), languages ("I speak French."), going and coming ("Je suis allée au
// parc."), activities at a place, verbs with an infinitive ("Je ne veux pas manger de viande."),
// pronominal daily routine ("Je me lève à sept heures."), wh-questions and imperatives.

/// A verb with the objects it takes. `fixed` objects are whole phrases ("TV" ↔ "la télévision").
struct TransitiveUse {
    let verb: Verb
    let nouns: [Noun]
    let style: Generator.ObjectStyle
    var fixed: [([String], [String])] = []
    var people = false        // may take a person as object ("I know Paul", "I'm helping my mother")
    var animals = false       // subject may be an animal ("The cat drinks milk.")
    var askWhat = false       // natural as "What do you ...?"
    var imperative = true
}

/// A verb used without object, with the places where it happens.
struct ActivityUse {
    let verb: Verb
    let places: [Place]
    var placeRequired = false
    var placeForm: PlaceForm = .at
    var animals = false
    var skill = false         // "I know how to swim."
}

enum PlaceForm { case at, to, from }

enum Uses {
    static let n = Nouns.self
    static func t(_ tag: Tag) -> [Noun] { Nouns.tagged(tag) }
    static func fx(_ en: String, _ fr: String) -> ([String], [String]) {
        (en.split(separator: " ").map(String.init), fr.split(separator: " ").map(String.init))
    }

    static let sellableNonFood = Nouns.things.filter { $0.has(.sellable) }
    static let wantable = Nouns.food + Nouns.drinks + Nouns.things.filter { $0.has(.portable) || $0.has(.vehicle) }
        + Nouns.animals.filter { $0.has(.pet) }

    static let transitive: [TransitiveUse] = [
        TransitiveUse(verb: Verbs.manger, nouns: n.food, style: .consume, animals: true, askWhat: true),
        TransitiveUse(verb: Verbs.boire, nouns: n.drinks, style: .consume, animals: true, askWhat: true),
        TransitiveUse(verb: Verbs.acheter, nouns: t(.sellable), style: .consume, askWhat: true),
        TransitiveUse(verb: Verbs.vouloir, nouns: wantable, style: .consume, askWhat: true, imperative: false),
        TransitiveUse(verb: Verbs.avoir, nouns: t(.portable) + t(.vehicle) + t(.pet) + t(.building),
                      style: .consume, imperative: false),
        TransitiveUse(verb: Verbs.faire, nouns: t(.cookable), style: .consume),
        TransitiveUse(verb: Verbs.aimer, nouns: n.food + n.drinks + n.animals + t(.music) + t(.film) + t(.readable),
                      style: .generic, imperative: false),
        TransitiveUse(verb: Verbs.adorer, nouns: n.food + n.drinks + n.animals + t(.music) + t(.film),
                      style: .generic, imperative: false),
        TransitiveUse(verb: Verbs.detester, nouns: n.food + n.drinks + n.animals + t(.film), style: .generic,
                      imperative: false),
        TransitiveUse(verb: Verbs.lire, nouns: t(.readable), style: .specific, askWhat: true),
        TransitiveUse(verb: Verbs.ecrire, nouns: t(.writable), style: .specific, askWhat: true),
        TransitiveUse(verb: Verbs.regarder, nouns: t(.film), style: .specific,
                      fixed: [fx("TV", "la télévision"), fx("the game", "le match"), fx("the news", "les informations")],
                      askWhat: true),
        TransitiveUse(verb: Verbs.regarderAt, nouns: t(.picture) + [Nouns.named("map")], style: .specific,
                      people: true, askWhat: true),
        TransitiveUse(verb: Verbs.ecouter, nouns: t(.music), style: .specific, fixed: [fx("the radio", "la radio")],
                      people: true, askWhat: true),
        TransitiveUse(verb: Verbs.chercher, nouns: t(.portable), style: .specific, people: true, askWhat: true),
        TransitiveUse(verb: Verbs.trouver, nouns: t(.portable), style: .specific, imperative: false),
        TransitiveUse(verb: Verbs.perdre, nouns: t(.portable), style: .specific, imperative: false),
        TransitiveUse(verb: Verbs.oublier, nouns: t(.portable), style: .specific),
        TransitiveUse(verb: Verbs.ouvrir, nouns: t(.openable), style: .specific),
        TransitiveUse(verb: Verbs.fermer, nouns: t(.closable), style: .specific),
        TransitiveUse(verb: Verbs.vendre, nouns: sellableNonFood, style: .specific, askWhat: true),
        TransitiveUse(verb: Verbs.porter, nouns: t(.clothing), style: .specific),
        TransitiveUse(verb: Verbs.mettre, nouns: t(.clothing), style: .specific),
        TransitiveUse(verb: Verbs.laver, nouns: t(.washable), style: .specific),
        TransitiveUse(verb: Verbs.reparer, nouns: t(.fixable), style: .specific),
        TransitiveUse(verb: Verbs.voir, nouns: n.animals + t(.film) + t(.building) + t(.vehicle), style: .specific,
                      people: true, askWhat: true, imperative: false),
        TransitiveUse(verb: Verbs.connaitre, nouns: [], style: .specific,
                      fixed: [fx("Paris", "Paris"), fx("London", "Londres"), fx("this song", "cette chanson"),
                              fx("the answer", "la réponse")],
                      people: true, imperative: false),
        TransitiveUse(verb: Verbs.aider, nouns: [], style: .specific, people: true),
        TransitiveUse(verb: Verbs.appeler, nouns: [], style: .specific, fixed: [fx("a taxi", "un taxi")], people: true),
        TransitiveUse(verb: Verbs.attendre, nouns: [], style: .specific,
                      fixed: [fx("the bus", "le bus"), fx("the train", "le train")], people: true),
        TransitiveUse(verb: Verbs.prendre, nouns: t(.portable), style: .specific,
                      fixed: [fx("the bus", "le bus"), fx("the train", "le train"), fx("a taxi", "un taxi"),
                              fx("a picture", "une photo"), fx("a shower", "une douche")]),
        TransitiveUse(verb: Verbs.chanter, nouns: [Nouns.named("song")], style: .specific),
        TransitiveUse(verb: Verbs.envoyer, nouns: ["letter", "message", "gift", "photo"].map(Nouns.named),
                      style: .specific, askWhat: true),
        TransitiveUse(verb: Verbs.finir, nouns: t(.readable) + t(.writable), style: .specific),
        TransitiveUse(verb: Verbs.visiter, nouns: [], style: .specific,
                      fixed: [fx("the museum", "le musée"), fx("Paris", "Paris"), fx("Rome", "Rome"),
                              fx("London", "Londres"), fx("France", "la France"), fx("Canada", "le Canada"),
                              fx("Italy", "la Italie"), fx("Japan", "le Japon"), fx("Spain", "la Espagne"),
                              fx("the city", "la ville"), fx("the castle", "le château")],
                      imperative: false),
        TransitiveUse(verb: Verbs.jouer, nouns: [], style: .specific,
                      fixed: [fx("soccer", "à le football"), fx("tennis", "à le tennis"), fx("chess", "à les échecs"),
                              fx("cards", "à les cartes"), fx("the piano", "de le piano"),
                              fx("the guitar", "de la guitare"), fx("the violin", "de le violon")]),
    ]

    static let venuesBy: (String) -> Place = Places.named
    static func places(_ keys: String) -> [Place] {
        keys.split(separator: ",").map { Places.named(String($0).trimmingCharacters(in: .whitespaces)) }
    }

    static let activities: [ActivityUse] = [
        ActivityUse(verb: Verbs.travailler, places: places("hospital, office, bank, restaurant, school, library, store, bakery, home, post office, hotel, airport, museum, supermarket")
                    + Places.cities),
        ActivityUse(verb: Verbs.dormir, places: places("home, hotel"), animals: true),
        ActivityUse(verb: Verbs.nager, places: places("swimming pool, beach"), animals: true, skill: true),
        ActivityUse(verb: Verbs.courir, places: places("park, beach"), animals: true),
        ActivityUse(verb: Verbs.danser, places: places("party, home"), skill: true),
        ActivityUse(verb: Verbs.chanter, places: places("party, home, concert"), skill: true),
        ActivityUse(verb: Verbs.jouer, places: places("garden, park, beach, school"), animals: true),
        ActivityUse(verb: Verbs.etudier, places: places("library, school, university, home")),
        ActivityUse(verb: Verbs.lire, places: places("library, home, garden, park"), skill: true),
        ActivityUse(verb: Verbs.ecrire, places: places("home, library"), skill: true),
        ActivityUse(verb: Verbs.manger, places: places("restaurant, home, kitchen, school, garden"), animals: true),
        ActivityUse(verb: Verbs.cuisiner, places: places("kitchen, home, restaurant"), skill: true),
        ActivityUse(verb: Verbs.attendreIntransitive, places: places("station, airport, home, post office, bank, hospital, hotel")),
        ActivityUse(verb: Verbs.voyager, places: Places.countries, placeForm: .to),
        ActivityUse(verb: Verbs.pleurer, places: []),
        ActivityUse(verb: Verbs.habiter, places: Places.cities + Places.countries, placeRequired: true),
        ActivityUse(verb: Verbs.rester, places: places("home, hotel") + Places.cities),
        ActivityUse(verb: Verbs.arriver, places: places("station, airport, school, work, hotel") + Places.cities),
        ActivityUse(verb: Verbs.partir, places: []),
        ActivityUse(verb: Verbs.sortir, places: []),
        ActivityUse(verb: Verbs.rentrer, places: []),
        ActivityUse(verb: Verbs.tomber, places: [], animals: true),
        ActivityUse(verb: Verbs.aller, places: Places.all.filter { $0.kind != .home && $0.kind != .room },
                    placeRequired: true, placeForm: .to),
        ActivityUse(verb: Verbs.venir, places: places("party, concert, park, beach, restaurant, movies"),
                    placeRequired: true, placeForm: .to),
    ]

    static let languages: [(en: String, fr: String)] = [
        ("French", "français"), ("English", "anglais"), ("Spanish", "espagnol"), ("German", "allemand"),
        ("Italian", "italien"), ("Chinese", "chinois"), ("Japanese", "japonais"), ("Russian", "russe"),
        ("Arabic", "arabe"), ("Portuguese", "portugais"),
    ]

    static let modals: [(verb: Verb, frame: InfinitiveFrame)] = [
        (Verbs.vouloir, .to), (Verbs.pouvoir, .bare), (Verbs.devoir, .bare), (Verbs.savoir, .howTo),
        (Verbs.aimer, .to), (Verbs.adorer, .to), (Verbs.detester, .to),
    ]

    static let reflexives: [Verb] = [Verbs.seLever, Verbs.seCoucher, Verbs.seReveiller, Verbs.sHabiller,
                                     Verbs.seReposer, Verbs.sePromener]
}

extension Generator {
    // MARK: pieces

    mutating func personObject() -> Complement {
        if rng.chance(0.4) {
            let name = rng.pick(Generator.names).0
            return .words([name], [name])
        }
        let noun = rng.pick(Nouns.people)
        let plural = rng.chance(0.25) && Generator.pluralPeople.contains(noun.enSg)
        let det: Determiner = rng.chance(0.5) ? .definite : .possessive(rng.pick(Possessor.allCases))
        return .np(NounPhrase(noun: noun, plural: plural, det: det, adjective: nil))
    }

    /// An object for a transitive use; under `allowIndefinite: false` only the/my/this (used where
    /// "de" under negation would be doubtful, e.g. after "aimer + infinitive").
    mutating func object(for use: TransitiveUse, allowIndefinite: Bool = true) -> Complement {
        var choices = 0
        if !use.nouns.isEmpty { choices += 6 }
        if !use.fixed.isEmpty { choices += use.nouns.isEmpty ? 4 : 1 }
        if use.people { choices += 3 }
        var r = rng.below(max(choices, 1))
        if !use.nouns.isEmpty {
            if r < 6 {
                let counts = use.style == .consume && ["acheter", "avoir", "vouloir", "manger", "faire"].contains(use.verb.fr.infinitive)
                var np = naturalPlural(objectNP(use.nouns, use.style, allowNumber: counts,
                                                largeNumbers: ["acheter", "avoir"].contains(use.verb.fr.infinitive),
                                                allowKilo: ["acheter", "vouloir"].contains(use.verb.fr.infinitive)))
                if !allowIndefinite, np.isIndefinite || { if case .number = np.det { return true }; return false }() {
                    np = NounPhrase(noun: np.noun, plural: np.plural, det: .definite, adjective: np.adjective)
                }
                return .np(np)
            }
            r -= 6
        }
        if !use.fixed.isEmpty {
            let fixedWeight = use.nouns.isEmpty ? 4 : 1
            if r < fixedWeight {
                let f = rng.pick(use.fixed)
                let indefinite = f.1.first == "un" || f.1.first == "une"
                if !allowIndefinite && indefinite { return .words(["the", "bus"], ["le", "bus"]) }
                if indefinite {
                    // "a taxi" ↔ "un taxi", but "pas de taxi" under negation.
                    return Complement { ctx in (f.0, ctx.negated ? ["de"] + f.1.dropFirst() : f.1) }
                }
                return .words(f.0, f.1)
            }
        }
        return personObject()
    }

    mutating func place(_ use: ActivityUse) -> Complement? {
        guard !use.places.isEmpty, use.placeRequired || rng.chance(0.5) else { return nil }
        let p = rng.pick(use.places)
        switch use.placeForm {
        case .at: return .words(p.enAt, p.frAt)
        case .to: return .words(p.enTo, p.frTo)
        case .from: return .words(p.enFrom, p.frFrom)
        }
    }

    mutating func mood(questionShare: Double = 0.3) -> Mood { rng.chance(questionShare) ? .yesNo : .statement }

    /// Builds tense, time, English form and polarity for a verb into a clause.
    mutating func clause(_ subject: SubjectSpec, _ v: Verb, _ comp: Complement, allowNever: Bool = true) -> Clause {
        let tense = self.tense(for: v)
        var pol = polarity()
        if allowNever && pol == .affirmative && rng.chance(0.06)
            && [.present, .passeCompose, .futur].contains(tense) && (tense != .passeCompose || v.perfectOK) {
            pol = .never
        }
        var time = self.time(for: tense, verb: v)
        if pol == .never && tense == .passeCompose { time = nil }
        let form = englishForm(tense, v, time: time, polarity: pol)
        if case .presentPerfect = form { time = nil }
        var c = Clause(subject: subject, frVerb: v.fr, enVerb: v.en, tense: tense, enForm: form, polarity: pol,
                       complement: comp, time: time)
        c.needsSubjectAgreement = tense == .passeCompose && (v.fr.auxiliaryEtre || v.fr.reflexive)
        return c
    }

    // MARK: templates

    mutating func transitiveSentence() -> [Pair] {
        let use = rng.pick(Uses.transitive)
        let subject = use.animals ? animateSubject() : personSubject()
        // "never" reads naturally with habits ("I never eat meat"), not with particular things.
        var c = clause(subject, use.verb, object(for: use), allowNever: use.style != .specific)
        if case .noun(let en, _, _, _) = subject, en.hasPrefix("the dog") || en.hasPrefix("the cat") || en.hasPrefix("my cat")
            || en.hasPrefix("the horse") || en.hasPrefix("the birds") || en.hasPrefix("the cows") {
            // Animals eat and drink plain food: no possessives, numbers or adjectives to keep it sensible.
            let animalFood = ["meat", "fish", "bread", "chicken", "carrot", "apple", "cheese", "water", "milk"]
            let np = objectNP(use.nouns.filter { animalFood.contains($0.enSg) }, .consume)
            c.complement = .np(NounPhrase(noun: np.noun, plural: !np.noun.mass && rng.chance(0.6), det: .indefinite,
                                          adjective: nil))
        }
        return emit(c, mood())
    }

    /// The simplest sentences, enumerated rather than sampled so every close variant of the demo
    /// sentences is present: "She eats apples." / "She does not eat apples." / "I speak French." /
    /// "Do you speak French?" for every pronoun, food or drink, and language.
    mutating func coreSentences() -> [Pair] {
        var out: [Pair] = []
        let pronouns: [Pro] = [.i, .you, .he, .she, .we, .they]
        let foods = ["apple", "banana", "orange", "strawberry", "tomato", "carrot", "egg", "bread", "cheese", "meat",
                     "fish", "rice", "chocolate", "cake"].map(Nouns.named)
        let drinks = ["water", "coffee", "tea", "milk", "wine", "orange juice"].map(Nouns.named)
        for p in pronouns {
            for pol in [Polarity.affirmative, .negative] {
                for (verb, nouns) in [(Verbs.manger, foods), (Verbs.boire, drinks)] {
                    for noun in nouns {
                        let np = NounPhrase(noun: noun, plural: !noun.mass && noun.enSg != "cake", det: .indefinite,
                                            adjective: nil)
                        let c = Clause(subject: .pronoun(p), frVerb: verb.fr, enVerb: verb.en, tense: .present,
                                       enForm: .simplePresent, polarity: pol, complement: .np(np))
                        out += emit(c, .statement, allowElles: true, inversion: false)
                        let liked = NounPhrase(noun: noun, plural: !noun.mass, det: .generic, adjective: nil)
                        let l = Clause(subject: .pronoun(p), frVerb: Verbs.aimer.fr, enVerb: Verbs.aimer.en,
                                       tense: .present, enForm: .simplePresent, polarity: pol, complement: .np(liked))
                        out += emit(l, .statement, allowElles: true, inversion: false)
                    }
                }
                for lang in Uses.languages {
                    let c = Clause(subject: .pronoun(p), frVerb: Verbs.parler.fr, enVerb: Verbs.parler.en,
                                   tense: .present, enForm: .simplePresent, polarity: pol,
                                   complement: .words([lang.en], [lang.fr]))
                    out += emit(c, .statement, allowElles: true, inversion: false)
                    if pol == .affirmative && p != .i {
                        out += emit(c, .yesNo, allowElles: true, inversion: true)
                    }
                }
            }
        }
        return out
    }

    mutating func languageSentence() -> [Pair] {
        let lang = rng.pick(Uses.languages)
        let r = rng.below(10)
        let v: Verb = r < 5 ? Verbs.parler : r < 7 ? Verbs.apprendre : r < 9 ? Verbs.comprendre : Verbs.etudier
        var comp: Complement
        if v.id == "parler" {
            let q = rng.below(10)
            if q < 7 { comp = .words([lang.en], [lang.fr]) }
            else if q < 9 { comp = .words(["a", "little", lang.en], ["un", "peu", lang.fr]) }
            else { comp = .words([lang.en, "well"], ["bien", lang.fr]) }
        } else {
            comp = .words([lang.en], ["le", lang.fr])
        }
        let subject = personSubject()
        var c = clause(subject, v, comp, allowNever: false)
        if c.polarity != .affirmative && v.id == "parler" { c.complement = .words([lang.en], [lang.fr]) }
        if v.id == "parler" || v.id == "comprendre" {
            // Speaking and understanding a language are states: keep the simple forms.
            c.tense = v.id == "parler" && rng.chance(0.2) ? .futur : .present
            c.time = nil
            c.enForm = c.tense == .present ? .simplePresent : .future
            c.needsSubjectAgreement = false
        }
        return emit(c, mood(questionShare: 0.35), inversion: rng.chance(0.6))
    }

    mutating func activitySentence(motion: Bool) -> [Pair] {
        let pool = Uses.activities.filter { motion == ($0.verb.fr.auxiliaryEtre) }
        let use = rng.pick(pool)
        let animal = use.animals && rng.chance(0.3)
        let subject = animal ? rng.pick(Generator.animalSubjects) : personSubject()
        let comp = animal ? .none : (place(use) ?? .none)
        var c = clause(subject, use.verb, comp, allowNever: false)
        if use.verb.id == "venir" && c.tense == .imparfait { c.tense = .present; c.enForm = .simplePresent; c.time = nil }
        return emit(c, mood(questionShare: 0.25))
    }

    mutating func originSentence() -> [Pair] {
        let p = rng.pick(Places.countries + Places.cities)
        let subject = personSubject()
        let comeFrom = Clause(subject: subject, frVerb: Verbs.venir.fr, enVerb: Verbs.venir.en, tense: .present,
                              enForm: .simplePresent, polarity: polarity(0.2), complement: .words(p.enFrom, p.frFrom))
        let mood = comeFrom.polarity == .affirmative ? self.mood(questionShare: 0.25) : .statement
        let elles = rng.chance(0.4), inv = rng.chance(0.5)
        // "I am from France." is the same French sentence as "I come from France."
        var beFrom = comeFrom
        beFrom.enVerb = nil
        beFrom.enForm = .copula(past: false)
        return emit(comeFrom, mood, allowElles: elles, inversion: inv) + emit(beFrom, mood, allowElles: elles, inversion: inv)
    }

    mutating func infinitiveSentence() -> [Pair] {
        let m = rng.pick(Uses.modals)
        let subject = personSubject()
        let likeFrame = ["aimer", "adorer", "détester"].contains(m.verb.fr.infinitive)
        // The infinitive phrase: an action with its object, an activity, or going somewhere.
        var inf: Verb
        var comp: Complement
        let r = rng.below(10)
        if m.verb.id == "savoir" {
            let skills = Uses.activities.filter { $0.skill }
            if rng.chance(0.7) {
                inf = rng.pick(skills).verb
                comp = .none
            } else if rng.chance(0.5) {
                inf = Verbs.jouer
                let f = rng.pick(Array(Uses.transitive.first { $0.verb.id == "jouer" }!.fixed.suffix(3)))
                comp = .words(f.0, f.1)
            } else {
                inf = Verbs.parler
                let l = rng.pick(Uses.languages)
                comp = .words([l.en], [l.fr])
            }
        } else if r < 5 && !likeFrame {
            let use = rng.pick(Uses.transitive.filter { !$0.verb.stative })
            inf = use.verb
            comp = object(for: use)
        } else if r < 7 {
            let use = rng.pick(Uses.activities.filter {
                likeFrame ? !$0.verb.fr.auxiliaryEtre && $0.verb.id != "attendre" && $0.verb.id != "pleurer"
                          : !$0.placeRequired
            })
            inf = use.verb
            comp = place(use) ?? .none
        } else if r < 8 {
            inf = Verbs.parler
            let l = rng.pick(Uses.languages)
            comp = .words([l.en], [l.fr])
        } else {
            let use = rng.pick(Uses.activities.filter { $0.verb.id == "aller" })
            inf = use.verb
            comp = place(use) ?? .none
        }
        let tense: Tense = m.verb.tenses.contains(.imparfait) && rng.chance(0.2) ? .imparfait : .present
        var pol = polarity(0.35)
        if m.verb.id == "devoir" { pol = .affirmative }
        var frame = m.frame
        if likeFrame && rng.chance(0.5) { frame = .ing }
        var enVerb: EnglishVerb? = m.verb.en
        var form: EnglishForm = tense == .present ? .simplePresent : .simplePast
        if m.verb.id == "pouvoir" { form = .modal("can"); enVerb = nil }
        var clauses: [Clause] = []
        var c = Clause(subject: subject, frVerb: m.verb.fr, enVerb: enVerb, tense: tense, enForm: form, polarity: pol,
                       infinitive: Infinitive(fr: inf.fr, en: inf.en, frame: frame), complement: comp)
        if m.verb.id == "devoir" {
            c.enForm = .modal("must")
            c.enVerb = nil
            clauses.append(c)
            var haveTo = c
            haveTo.enVerb = Verbs.avoir.en
            haveTo.enForm = .simplePresent
            haveTo.infinitive = Infinitive(fr: inf.fr, en: inf.en, frame: .to)
            clauses.append(haveTo)
        } else {
            clauses.append(c)
        }
        var mood = self.mood(questionShare: 0.3)
        if m.verb.id == "devoir" && mood == .yesNo { clauses.removeFirst() }
        if likeFrame && tense == .imparfait { mood = .statement }
        if pol != .affirmative { mood = .statement }
        let inv = rng.chance(0.5)
        var out: [Pair] = []
        for cl in clauses { out += emit(cl, mood, inversion: inv) }
        return out
    }

    mutating func reflexiveSentence() -> [Pair] {
        let v = rng.pick(Uses.reflexives)
        let subject = personSubject()
        var c = clause(subject, v, .none, allowNever: false)
        if c.time == nil && rng.chance(0.5) {
            let clock = rng.pick(ClockTime.all().filter { $0.hour != 12 })
            c.time = Times.at(clock)
            c.enForm = englishForm(c.tense, v, time: c.time, polarity: c.polarity)
        }
        return emit(c, mood(questionShare: 0.25))
    }

    // MARK: wh-questions

    mutating func whQuestion() -> [Pair] {
        let kind = rng.below(100)
        let subject: SubjectSpec = rng.chance(0.8) ? .pronoun(rng.pick([.you, .you, .you, .he, .she, .we, .they]))
            : rng.pick(Generator.nounSubjects)
        if kind < 25 {
            // What ... ? — the object is the gap.
            let use = rng.pick(Uses.transitive.filter { $0.askWhat } + [TransitiveUse(verb: Verbs.faireDo, nouns: [],
                                                                                        style: .specific)])
            var c = clause(subject, use.verb, .none, allowNever: false)
            c.polarity = .affirmative
            if c.tense == .imparfait { return [] }
            c.enForm = englishForm(c.tense, use.verb, time: c.time, polarity: .affirmative)
            return emit(c, .wh(en: ["what"], fr: ["que"], isQue: true))
        }
        if kind < 45 {
            // Where ... ?
            let use = rng.pick(Uses.activities.filter { ["travailler", "habiter", "dormir", "manger", "étudier", "aller",
                                                         "nager", "attendre"].contains($0.verb.fr.infinitive) })
            var c = clause(subject, use.verb, .none, allowNever: false)
            c.polarity = .affirmative
            if c.tense == .imparfait { return [] }
            c.enForm = englishForm(c.tense, use.verb, time: c.time, polarity: .affirmative)
            return emit(c, .wh(en: ["where"], fr: ["où"], isQue: false))
        }
        if kind < 60 {
            // When / What time ... ?
            let verbs = [Verbs.arriver, Verbs.partir, Verbs.rentrer, Verbs.sortir, Verbs.travailler] + Uses.reflexives
            let v = rng.pick(verbs)
            var c = clause(subject, v, .none, allowNever: false)
            c.polarity = .affirmative
            c.time = nil
            if c.tense == .imparfait { return [] }
            c.enForm = englishForm(c.tense, v, time: nil, polarity: .affirmative)
            if case .presentPerfect = c.enForm { c.enForm = .simplePast }
            let whatTime = rng.chance(0.5)
            return emit(c, whatTime ? .wh(en: ["what", "time"], fr: ["à", "quelle", "heure"], isQue: false)
                                    : .wh(en: ["when"], fr: ["quand"], isQue: false))
        }
        if kind < 72 {
            // Why ... ?
            let r = rng.below(3)
            var c: Clause
            if r == 0 {
                let v = rng.pick([Verbs.pleurer, Verbs.partir, Verbs.rester, Verbs.dormir])
                c = clause(subject, v, .none, allowNever: false)
            } else if r == 1 {
                let l = rng.pick(Uses.languages)
                c = clause(subject, rng.pick([Verbs.apprendre, Verbs.etudier]), .words([l.en], ["le", l.fr]),
                           allowNever: false)
            } else {
                let use = rng.pick(Uses.transitive.filter { !$0.verb.stative })
                c = clause(subject, use.verb, object(for: use), allowNever: false)
            }
            c.polarity = .affirmative
            if c.tense == .imparfait { return [] }
            c.enForm = englishForm(c.tense, Verb(fr: c.frVerb, en: c.enVerb!, stative: false, tenses: [], perfectOK: true),
                                   time: c.time, polarity: .affirmative)
            if case .presentPerfect = c.enForm { c.enForm = .simplePast }
            return emit(c, .wh(en: ["why"], fr: ["pourquoi"], isQue: false))
        }
        if kind < 86 {
            // Who ... ? — the subject is the question word; no do-support, no inversion.
            let use = rng.pick(Uses.transitive)
            let who = SubjectSpec.noun(en: "who", fr: ["qui"], gender: .masculine, plural: false)
            var c = clause(who, use.verb, object(for: use), allowNever: false)
            c.polarity = .affirmative
            if c.tense == .imparfait { return [] }
            c.enForm = englishForm(c.tense, use.verb, time: c.time, polarity: .affirmative)
            return emit(c, .statement).map { p in
                Pair(en: String(p.en.dropLast()) + "?", fr: String(p.fr.dropLast()) + " ?")
            }
        }
        // How many / how much ... ?
        let r = rng.below(3)
        let v = [Verbs.avoir, Verbs.vouloir, Verbs.acheter][r]
        let nouns: [Noun]
        switch r {
        case 0: nouns = Nouns.people.filter { $0.has(.family) && $0.enSg != "husband" } + Nouns.animals.filter { $0.has(.pet) }
            + Nouns.things.filter { $0.has(.portable) }
        case 1: nouns = Nouns.food + Nouns.drinks
        default: nouns = Nouns.food + Nouns.drinks + Nouns.things.filter { $0.has(.sellable) && $0.has(.portable) }
        }
        let noun = rng.pick(nouns)
        let en = noun.mass ? ["how", "much", noun.enSg] : ["how", "many", noun.enPl]
        let fr = ["combien", "de", noun.mass ? noun.frSg : noun.frPl]
        var c = clause(subject, v, .none, allowNever: false)
        c.polarity = .affirmative
        // No passé composé: "Combien de pommes as-tu achetées ?" would need agreement with the fronted object.
        c.tense = v.stative ? .present : rng.pick([.present, .futurProche])
        c.time = nil
        c.enForm = englishForm(c.tense, v, time: nil, polarity: .affirmative)
        if case .presentProgressive = c.enForm { c.enForm = .simplePresent }
        if case .presentPerfect = c.enForm { c.enForm = .simplePast }
        c.needsSubjectAgreement = false
        return emit(c, .wh(en: en, fr: fr, isQue: false))
    }

    // MARK: imperatives

    /// Objects for commands: "the/your/my" things, or "some"/bare food and drink ("Drink some water.").
    mutating func imperativeObject(for use: TransitiveUse) -> Complement {
        if use.nouns.isEmpty || (use.people && rng.chance(0.3)) { return object(for: use) }
        let noun = rng.pick(use.nouns)
        if use.style == .consume && (noun.mass || rng.chance(0.5)) {
            return .np(NounPhrase(noun: noun, plural: !noun.mass, det: .indefinite, adjective: nil, some: rng.chance(0.4)))
        }
        let det: Determiner = rng.chance(0.55) ? .definite : .possessive(rng.pick([.your, .your, .my, .his, .her, .our]))
        return .np(naturalPlural(NounPhrase(noun: noun, plural: !noun.mass && rng.chance(0.25), det: det, adjective: nil)))
    }

    mutating func imperativeSentence() -> [Pair] {
        let form = rng.below(10)   // 0-4 tu, 5-8 vous, 9 nous ("let's")
        let negative = form < 9 && rng.chance(0.3)
        var enWords: [String]
        var frVerb: FrenchVerb
        var comp: Complement
        var en: EnglishVerb
        if rng.chance(0.7) {
            var use = rng.pick(Uses.transitive.filter { $0.imperative })
            if negative && rng.chance(0.2) { use = rng.pick(Uses.transitive.filter { ["oublier", "perdre"].contains($0.verb.fr.infinitive) }) }
            frVerb = use.verb.fr; en = use.verb.en
            comp = imperativeObject(for: use)
        } else {
            let use = rng.pick(Uses.activities.filter { ["aller", "venir", "attendre", "manger", "travailler", "danser",
                                                         "chanter", "rester", "dormir", "courir"].contains($0.verb.fr.infinitive) })
            frVerb = use.verb.fr; en = use.verb.en
            let here = rng.chance(0.3) && ["venir", "attendre", "rester"].contains(frVerb.infinitive)
            comp = here ? .words(["here"], ["ici"]) : (place(use) ?? .none)
        }
        let you: YouForm = form < 5 ? .tu : .vous
        let parts = comp.build(NPContext(negated: negative, question: false, you: you))
        if form == 9 {
            enWords = ["let's", en.base] + (en.particle.map { [$0] } ?? []) + parts.en
            return pairs([enWords], [[frVerb.imperative(1)] + parts.fr], .period)
        }
        let verbWords = [en.base] + (en.particle.map { [$0] } ?? []) + parts.en
        var enVariants: [[String]] = negative ? [["do", "not"] + verbWords, ["don't"] + verbWords] : [verbWords]
        let imp = frVerb.imperative(you == .tu ? 0 : 2)
        var fr: [String] = negative ? ["ne", imp, "pas"] + parts.fr : [imp] + parts.fr
        if rng.chance(0.3) {
            let please: [String] = you == .tu ? [",", "s'il", "te", "plaît"] : [",", "s'il", "vous", "plaît"]
            fr += please
            enVariants = enVariants.flatMap { [$0 + [",", "please"], ["please"] + $0] }
        }
        return pairs(enVariants, [fr], .period)
    }
}
