// Lexicon of adjectives: the four French forms (plus bel/nouvel/vieil before a masculine vowel),
// whether the adjective goes before the noun (petit, grand, bon, beau...) or after (most others),
// the English gloss, and which nouns and subjects it may describe.

struct Adjective {
    let msg: String, fsg: String, mpl: String, fpl: String
    /// Masculine singular before a vowel sound: "un bel appartement", "un nouvel ordinateur".
    let msgBeforeVowel: String?
    /// Goes before the noun ("une petite maison") rather than after ("une voiture rouge").
    let prenominal: Bool
    let en: String
    /// English gloss when describing a person, if different ("tall" rather than "big").
    let enPerson: String?
    /// Noun tags it may describe attributively and as a predicate of a thing.
    let thingTags: Set<Tag>
    /// May describe a person (predicate "She is tired." and attributive "a tired boy").
    let forPeople: Bool
    /// May stand before a noun at all (some are only predicates: "prêt", "occupé").
    let attributive: Bool

    /// A passing state ("tired", "open") rather than a lasting property ("young", "red"): only these go
    /// with time phrases and the future ("I will be tired tomorrow", never "The car will be old tonight").
    var temporary: Bool { Adjectives.temporaryStates.contains(msg) }
    /// "nouveau" after être means something else ("neuf"); keep it before nouns only.
    var predicative: Bool { msg != "nouveau" }
    /// Adjectives that make sense on a mass noun ("delicious bread", "hot coffee"; not "small cheese").
    var forMass: Bool { ["bon", "mauvais", "délicieux", "chaud", "froid"].contains(msg) }

    func form(_ g: Gender, plural: Bool, beforeVowel: Bool = false) -> String {
        switch (g, plural) {
        case (.masculine, false): return beforeVowel ? (msgBeforeVowel ?? msg) : msg
        case (.feminine, false): return fsg
        case (.masculine, true): return mpl
        case (.feminine, true): return fpl
        }
    }

    func english(forPerson: Bool) -> String { forPerson ? (enPerson ?? en) : en }

    func fits(_ noun: Noun) -> Bool {
        if noun.has(.person) { return forPeople }
        return !thingTags.isDisjoint(with: noun.tags)
    }
}

/// Regular agreement: +e, +s, +es (with "e"-final adjectives unchanged in the feminine).
private func a(_ msg: String, _ en: String, pre: Bool = false, things: Set<Tag> = [], people: Bool = false,
               attributive: Bool = true, enPerson: String? = nil,
               f: String? = nil, mpl: String? = nil, fpl: String? = nil, beforeVowel: String? = nil) -> Adjective {
    let fsg = f ?? (msg.hasSuffix("e") ? msg : msg + "e")
    let mp = mpl ?? ((msg.hasSuffix("s") || msg.hasSuffix("x")) ? msg : msg + "s")
    let fp = fpl ?? fsg + "s"
    return Adjective(msg: msg, fsg: fsg, mpl: mp, fpl: fp, msgBeforeVowel: beforeVowel, prenominal: pre, en: en,
                     enPerson: enPerson, thingTags: things, forPeople: people, attributive: attributive)
}

enum Adjectives {
    static let coloured: Set<Tag> = [.clothing, .vehicle, .portable, .furniture, .building]

    static let all: [Adjective] = [
        a("petit", "small", pre: true, things: [.clothing, .vehicle, .portable, .furniture, .building, .room, .animal, .food],
          people: true, enPerson: "short"),
        a("grand", "big", pre: true, things: [.vehicle, .furniture, .building, .room, .animal, .container],
          people: true, enPerson: "tall"),
        a("bon", "good", pre: true, things: [.food, .drink, .film, .readable, .music], people: false, f: "bonne"),
        a("mauvais", "bad", pre: true, things: [.food, .drink, .film, .readable, .music], f: "mauvaise"),
        a("beau", "beautiful", pre: true, things: [.building, .clothing, .picture, .vehicle, .animal],
          f: "belle", mpl: "beaux", beforeVowel: "bel"),
        a("joli", "pretty", pre: true, things: [.building, .clothing, .picture, .music, .room]),
        a("jeune", "young", pre: true, things: [.animal], people: true),
        a("vieux", "old", pre: true, things: [.building, .vehicle, .clothing, .readable, .animal, .furniture],
          people: true, f: "vieille", mpl: "vieux", beforeVowel: "vieil"),
        a("nouveau", "new", pre: true, things: [.vehicle, .clothing, .building, .readable, .fixable, .film, .music],
          f: "nouvelle", mpl: "nouveaux", beforeVowel: "nouvel"),
        a("rouge", "red", things: coloured),
        a("bleu", "blue", things: coloured),
        a("vert", "green", things: coloured),
        a("noir", "black", things: coloured.union([.animal])),
        a("blanc", "white", things: coloured.union([.animal]), f: "blanche"),
        a("jaune", "yellow", things: coloured),
        a("gris", "gray", things: coloured.union([.animal])),
        a("délicieux", "delicious", things: [.food, .drink], f: "délicieuse", mpl: "délicieux"),
        a("chaud", "hot", things: [.drink]),
        a("froid", "cold", things: [.drink]),
        a("cher", "expensive", things: [.clothing, .vehicle, .fixable, .building, .picture], f: "chère"),
        a("intéressant", "interesting", things: [.readable, .film], people: true),
        a("propre", "clean", things: [.clothing, .room, .vehicle, .washable]),
        a("sale", "dirty", things: [.clothing, .room, .vehicle, .washable]),
        a("rapide", "fast", things: [.vehicle, .animal]),
        a("lourd", "heavy", things: [.furniture, .container]),
        a("vide", "empty", things: [.room, .container], attributive: false),
        a("fatigué", "tired", things: [.animal], people: true),
        a("heureux", "happy", people: true, f: "heureuse", mpl: "heureux"),
        a("triste", "sad", people: true),
        a("malade", "sick", things: [.animal], people: true),
        a("occupé", "busy", people: true, attributive: false),
        a("prêt", "ready", people: true, attributive: false),
        a("gentil", "kind", people: true, f: "gentille"),
        a("intelligent", "smart", people: true),
        a("drôle", "funny", things: [.film, .readable], people: true),
        a("timide", "shy", people: true),
        a("célèbre", "famous", things: [.picture, .film], people: true),
        a("ouvert", "open", things: [.openable], attributive: false),
        a("fermé", "closed", things: [.closable], attributive: false),
        a("cassé", "broken", things: [.breakable], attributive: false),
    ]

    static let temporaryStates: Set<String> = ["fatigué", "heureux", "triste", "malade", "occupé", "prêt", "chaud",
                                               "froid", "propre", "sale", "vide", "ouvert", "fermé", "cassé"]

    /// Adjectives that may describe this noun before or after it inside a noun phrase.
    static func attributive(for noun: Noun) -> [Adjective] {
        all.filter { $0.attributive && $0.fits(noun) && (!noun.mass || $0.forMass) }
    }

    /// Adjectives that may follow "is/are" with this noun as subject.
    static func predicate(for noun: Noun) -> [Adjective] {
        all.filter { $0.predicative && $0.fits(noun) && (!noun.mass || $0.forMass) }
    }

    static let forPeople: [Adjective] = all.filter { $0.forPeople && $0.predicative }
}
