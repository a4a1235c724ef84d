// Lexicon of places and time expressions. A place knows how to say "to", "at/in" and "from" it in
// both languages (à la gare, au parc, à l'école, en France, au Canada, aux États-Unis, d'Italie) and
// which activities happen there; a time expression knows which tenses it can go with
// ("yesterday" only with the past, "tomorrow" only with the future).

enum PlaceKind { case city, country, building, outdoors, home, room, event }

struct Place {
    let enTo: [String]       // "to the park", "home", "to France"
    let enAt: [String]       // "at the park", "at home", "in France"
    let enFrom: [String]     // "from the park", "from France"
    let frTo: [String]       // "à le parc" (contracted later to "au parc")
    let frAt: [String]
    let frFrom: [String]     // "de le parc", "de France", "de les États-Unis"
    let kind: PlaceKind
    let key: String
}

/// A building or public place reached with "à" + definite article.
private func venue(_ en: String, _ fr: String, _ g: Gender, kind: PlaceKind = .building, at: String = "at",
                   frAtPrep: String = "à", noArticleEn: Bool = false) -> Place {
    let art = g == .masculine ? "le" : "la"
    let enNP = noArticleEn ? [en] : ["the", en]
    let frAt = frAtPrep == "à" ? ["à", art, fr] : [frAtPrep, art, fr]
    return Place(enTo: ["to"] + enNP, enAt: [at] + enNP, enFrom: ["from"] + enNP,
                 frTo: ["à", art, fr], frAt: frAt, frFrom: ["de", art, fr], kind: kind, key: en)
}

private func city(_ en: String, _ fr: String) -> Place {
    Place(enTo: ["to", en], enAt: ["in", en], enFrom: ["from", en], frTo: ["à", fr], frAt: ["à", fr],
          frFrom: ["de", fr], kind: .city, key: en)
}

/// Countries: en/de for feminine ones and any starting with a vowel, au/du for masculine, aux/des for plural.
private func country(_ en: String, _ fr: String, _ g: Gender, plural: Bool = false) -> Place {
    let to: [String], from: [String]
    if plural { to = ["à", "les", fr]; from = ["de", "les", fr] }
    else if g == .feminine || French.startsWithVowelSound(fr) { to = ["en", fr]; from = ["de", fr] }
    else { to = ["à", "le", fr]; from = ["de", "le", fr] }
    return Place(enTo: ["to"] + en.split(separator: " ").map(String.init),
                 enAt: ["in"] + en.split(separator: " ").map(String.init),
                 enFrom: ["from"] + en.split(separator: " ").map(String.init),
                 frTo: to, frAt: to, frFrom: from, kind: .country, key: en)
}

enum Places {
    static let home = Place(enTo: ["home"], enAt: ["at", "home"], enFrom: ["from", "home"],
                            frTo: ["à", "la", "maison"], frAt: ["à", "la", "maison"], frFrom: ["de", "la", "maison"],
                            kind: .home, key: "home")
    static let school = Place(enTo: ["to", "school"], enAt: ["at", "school"], enFrom: ["from", "school"],
                              frTo: ["à", "la", "école"], frAt: ["à", "la", "école"], frFrom: ["de", "la", "école"],
                              kind: .building, key: "school")
    static let work = Place(enTo: ["to", "work"], enAt: ["at", "work"], enFrom: ["from", "work"],
                            frTo: ["à", "le", "travail"], frAt: ["à", "le", "travail"], frFrom: ["de", "le", "travail"],
                            kind: .building, key: "work")

    static let venues: [Place] = [
        venue("park", "parc", .masculine, kind: .outdoors, at: "in"),
        venue("station", "gare", .feminine),
        venue("market", "marché", .masculine),
        venue("supermarket", "supermarché", .masculine),
        venue("bakery", "boulangerie", .feminine),
        venue("bank", "banque", .feminine),
        venue("post office", "poste", .feminine),
        venue("hospital", "hôpital", .masculine),
        venue("hotel", "hôtel", .masculine),
        venue("museum", "musée", .masculine),
        venue("movies", "cinéma", .masculine),
        venue("restaurant", "restaurant", .masculine),
        venue("library", "bibliothèque", .feminine),
        venue("airport", "aéroport", .masculine),
        venue("beach", "plage", .feminine, kind: .outdoors),
        venue("swimming pool", "piscine", .feminine),
        venue("office", "bureau", .masculine),
        venue("university", "université", .feminine),
        venue("store", "magasin", .masculine),
        venue("party", "fête", .feminine, kind: .event),
        venue("concert", "concert", .masculine, kind: .event),
        venue("garden", "jardin", .masculine, kind: .outdoors, at: "in", frAtPrep: "dans"),
        venue("kitchen", "cuisine", .feminine, kind: .room, at: "in", frAtPrep: "dans"),
    ]

    static let cities: [Place] = [
        city("Paris", "Paris"), city("London", "Londres"), city("Rome", "Rome"), city("Berlin", "Berlin"),
        city("Madrid", "Madrid"), city("Montreal", "Montréal"), city("Brussels", "Bruxelles"),
        city("Geneva", "Genève"), city("Lyon", "Lyon"), city("Tokyo", "Tokyo"), city("New York", "New York"),
        city("Marseille", "Marseille"), city("Quebec City", "Québec"), city("Nice", "Nice"),
    ]

    static let countries: [Place] = [
        country("France", "France", .feminine), country("Canada", "Canada", .masculine),
        country("Japan", "Japon", .masculine), country("Italy", "Italie", .feminine),
        country("Spain", "Espagne", .feminine), country("Germany", "Allemagne", .feminine),
        country("England", "Angleterre", .feminine), country("Belgium", "Belgique", .feminine),
        country("Switzerland", "Suisse", .feminine), country("China", "Chine", .feminine),
        country("Mexico", "Mexique", .masculine), country("Portugal", "Portugal", .masculine),
        country("Brazil", "Brésil", .masculine), country("Morocco", "Maroc", .masculine),
        country("the United States", "États-Unis", .masculine, plural: true),
        country("Russia", "Russie", .feminine), country("Ireland", "Irlande", .feminine),
    ]

    static let all: [Place] = [home, school, work] + venues + cities + countries

    static func named(_ key: String) -> Place {
        guard let p = all.first(where: { $0.key == key }) else { preconditionFailure("no place \(key)") }
        return p
    }

    static func named(_ keys: [String]) -> [Place] { keys.map(named) }
}

struct TimeExpr {
    let en: [String]
    let fr: [String]
    let tenses: Set<Tense>
    /// Habitual ("every day"): English keeps the simple present, never the progressive.
    let habitual: Bool
}

enum Times {
    static let days = [("Monday", "lundi"), ("Tuesday", "mardi"), ("Wednesday", "mercredi"), ("Thursday", "jeudi"),
                       ("Friday", "vendredi"), ("Saturday", "samedi"), ("Sunday", "dimanche")]

    static let all: [TimeExpr] = {
        func t(_ en: String, _ fr: String, _ tenses: Set<Tense>, habitual: Bool = false) -> TimeExpr {
            TimeExpr(en: en.split(separator: " ").map(String.init), fr: fr.split(separator: " ").map(String.init),
                     tenses: tenses, habitual: habitual)
        }
        let future: Set<Tense> = [.futur, .futurProche]
        let habit: Set<Tense> = [.present, .imparfait]
        var out: [TimeExpr] = [
            t("today", "aujourd'hui", [.present, .passeCompose, .futur, .futurProche]),
            t("tomorrow", "demain", future),
            t("yesterday", "hier", [.passeCompose]),
            t("tonight", "ce soir", future),
            t("this morning", "ce matin", [.passeCompose]),
            t("last night", "hier soir", [.passeCompose]),
            t("last week", "la semaine dernière", [.passeCompose]),
            t("next week", "la semaine prochaine", future),
            t("last year", "l'année dernière", [.passeCompose]),
            t("next year", "l'année prochaine", future),
            t("now", "maintenant", [.present, .futurProche]),
            t("early", "tôt", Set(Tense.allCases)),
            t("late", "tard", Set(Tense.allCases)),
            t("every day", "tous les jours", habit, habitual: true),
            t("every morning", "tous les matins", habit, habitual: true),
            t("every evening", "tous les soirs", habit, habitual: true),
            t("every week", "toutes les semaines", habit, habitual: true),
            t("in the morning", "le matin", habit, habitual: true),
            t("in the evening", "le soir", habit, habitual: true),
            t("on weekends", "le week-end", habit, habitual: true),
        ]
        for (en, fr) in days {
            out.append(t("on \(en)s", "le \(fr)", habit, habitual: true))
            out.append(t("on \(en)", fr, [.passeCompose, .futur, .futurProche]))
        }
        return out
    }()

    /// "at eight o'clock" → "à huit heures"; fits every tense.
    static func at(_ c: ClockTime) -> TimeExpr {
        TimeExpr(en: ["at"] + c.english, fr: ["à"] + c.french, tenses: Set(Tense.allCases), habitual: false)
    }

    static func fitting(_ tense: Tense) -> [TimeExpr] { all.filter { $0.tenses.contains(tense) } }
}
