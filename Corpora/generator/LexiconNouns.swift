// Lexicon of nouns: every noun the generator may use, with French gender and plural, English
// singular and plural, whether English treats it as a mass noun ("water", "bread"), and semantic
// tags that decide which verbs and adjectives may combine with it (so we never eat a chair).

enum Gender { case masculine, feminine }

enum Tag: Hashable {
    case food          // something one eats
    case drink         // something one drinks
    case cookable      // something one makes or prepares in a kitchen
    case readable, writable
    case clothing
    case openable, closable
    case portable      // small enough to carry, lose, find, take
    case fixable, washable, sellable
    case container     // bag, box, cup: can be full, empty, heavy
    case breakable
    case vehicle
    case person, family, animal, pet
    case music, film, picture
    case furniture, building, room
}

struct Noun {
    let frSg: String
    let frPl: String
    let gender: Gender
    let enSg: String
    let enPl: String
    /// English mass noun: "I drink water", "some bread"; French takes the partitive du/de la/de l'.
    let mass: Bool
    let tags: Set<Tag>

    func has(_ t: Tag) -> Bool { tags.contains(t) }
}

func frenchPlural(_ w: String) -> String {
    if w.hasSuffix("s") || w.hasSuffix("x") || w.hasSuffix("z") { return w }
    if w.hasSuffix("eau") || w.hasSuffix("eu") { return w + "x" }
    if w.hasSuffix("al") { return String(w.dropLast(2)) + "aux" }
    return w + "s"
}

func englishPlural(_ w: String) -> String {
    if w.hasSuffix("s") || w.hasSuffix("x") || w.hasSuffix("ch") || w.hasSuffix("sh") { return w + "es" }
    if w.hasSuffix("y"), let c = w.dropLast().last, !"aeiou".contains(c) { return String(w.dropLast()) + "ies" }
    return w + "s"
}

private func n(_ fr: String, _ g: Gender, _ en: String, _ tags: Set<Tag>,
               frPl: String? = nil, enPl: String? = nil, mass: Bool = false) -> Noun {
    Noun(frSg: fr, frPl: frPl ?? frenchPlural(fr), gender: g, enSg: en, enPl: enPl ?? englishPlural(en),
         mass: mass, tags: tags)
}

enum Nouns {
    static let food: [Noun] = [
        n("pomme", .feminine, "apple", [.food, .sellable]),
        n("banane", .feminine, "banana", [.food, .sellable]),
        n("orange", .feminine, "orange", [.food, .sellable]),
        n("poire", .feminine, "pear", [.food, .sellable]),
        n("fraise", .feminine, "strawberry", [.food, .sellable]),
        n("tomate", .feminine, "tomato", [.food, .sellable], enPl: "tomatoes"),
        n("carotte", .feminine, "carrot", [.food, .sellable]),
        n("citron", .masculine, "lemon", [.food, .sellable]),
        n("œuf", .masculine, "egg", [.food, .sellable]),
        n("gâteau", .masculine, "cake", [.food, .cookable, .sellable]),
        n("sandwich", .masculine, "sandwich", [.food, .cookable], frPl: "sandwichs", enPl: "sandwiches"),
        n("biscuit", .masculine, "cookie", [.food, .sellable]),
        n("pizza", .feminine, "pizza", [.food, .cookable]),
        n("croissant", .masculine, "croissant", [.food, .sellable]),
        n("tarte", .feminine, "pie", [.food, .cookable]),
        // Mass nouns: English has no article, French the partitive.
        n("pain", .masculine, "bread", [.food, .sellable], mass: true),
        n("fromage", .masculine, "cheese", [.food, .sellable], mass: true),
        n("riz", .masculine, "rice", [.food, .cookable, .sellable], mass: true),
        n("viande", .feminine, "meat", [.food, .sellable], mass: true),
        n("soupe", .feminine, "soup", [.food, .cookable], mass: true),
        n("chocolat", .masculine, "chocolate", [.food, .sellable], mass: true),
        n("poisson", .masculine, "fish", [.food, .cookable, .sellable], mass: true),
        n("poulet", .masculine, "chicken", [.food, .cookable, .sellable], mass: true),
        n("salade", .feminine, "salad", [.food, .cookable], mass: true),
        n("confiture", .feminine, "jam", [.food, .sellable], mass: true),
        n("miel", .masculine, "honey", [.food, .sellable], mass: true),
        n("glace", .feminine, "ice cream", [.food, .sellable], mass: true),
    ]

    static let drinks: [Noun] = [
        n("eau", .feminine, "water", [.drink, .sellable], mass: true),
        n("café", .masculine, "coffee", [.drink, .cookable, .sellable], mass: true),
        n("thé", .masculine, "tea", [.drink, .cookable, .sellable], mass: true),
        n("lait", .masculine, "milk", [.drink, .sellable], mass: true),
        n("jus d'orange", .masculine, "orange juice", [.drink, .sellable], mass: true),
        n("vin", .masculine, "wine", [.drink, .sellable], mass: true),
        n("bière", .feminine, "beer", [.drink, .sellable], mass: true),
        n("limonade", .feminine, "lemonade", [.drink, .sellable], mass: true),
    ]

    static let things: [Noun] = [
        n("livre", .masculine, "book", [.readable, .writable, .portable, .openable, .closable, .sellable]),
        n("journal", .masculine, "newspaper", [.readable, .portable, .sellable]),
        n("lettre", .feminine, "letter", [.readable, .writable, .portable, .openable]),
        n("magazine", .masculine, "magazine", [.readable, .portable, .sellable]),
        n("histoire", .feminine, "story", [.readable, .writable]),
        n("chanson", .feminine, "song", [.writable, .music]),
        n("musique", .feminine, "music", [.music], mass: true),
        n("message", .masculine, "message", [.readable, .writable]),
        n("stylo", .masculine, "pen", [.portable, .sellable]),
        n("crayon", .masculine, "pencil", [.portable, .sellable]),
        n("cahier", .masculine, "notebook", [.portable, .openable, .closable, .sellable]),
        n("sac", .masculine, "bag", [.container, .portable, .openable, .closable, .sellable, .washable]),
        n("clé", .feminine, "key", [.portable]),
        n("téléphone", .masculine, "phone", [.breakable, .portable, .fixable, .sellable]),
        n("ordinateur", .masculine, "computer", [.breakable, .fixable, .sellable]),
        n("montre", .feminine, "watch", [.breakable, .portable, .fixable, .sellable]),
        n("parapluie", .masculine, "umbrella", [.portable, .openable, .closable, .sellable]),
        n("billet", .masculine, "ticket", [.portable]),
        n("carte", .feminine, "map", [.portable, .sellable]),
        n("photo", .feminine, "photo", [.picture, .portable]),
        n("tableau", .masculine, "painting", [.picture, .sellable]),
        n("boîte", .feminine, "box", [.container, .portable, .openable, .closable]),
        n("tasse", .feminine, "cup", [.container, .breakable, .washable, .portable, .sellable]),
        n("verre", .masculine, "glass", [.container, .breakable, .washable, .portable, .sellable]),
        n("assiette", .feminine, "plate", [.breakable, .washable, .sellable]),
        n("cadeau", .masculine, "gift", [.portable, .openable]),
        n("ballon", .masculine, "ball", [.portable, .sellable]),
        n("lampe", .feminine, "lamp", [.breakable, .furniture, .fixable, .sellable]),
        n("chaise", .feminine, "chair", [.breakable, .furniture, .fixable, .sellable]),
        n("table", .feminine, "table", [.furniture, .fixable, .sellable, .washable]),
        n("lit", .masculine, "bed", [.furniture, .sellable]),
        n("porte", .feminine, "door", [.openable, .closable, .fixable]),
        n("fenêtre", .feminine, "window", [.openable, .closable, .washable]),
        n("voiture", .feminine, "car", [.vehicle, .fixable, .sellable, .washable]),
        n("vélo", .masculine, "bike", [.vehicle, .fixable, .sellable]),
        n("film", .masculine, "movie", [.film]),
        n("chapeau", .masculine, "hat", [.clothing, .sellable]),
        n("chemise", .feminine, "shirt", [.clothing, .sellable, .washable]),
        n("robe", .feminine, "dress", [.clothing, .sellable, .washable]),
        n("manteau", .masculine, "coat", [.clothing, .sellable]),
        n("pull", .masculine, "sweater", [.clothing, .sellable, .washable]),
        n("chaussure", .feminine, "shoe", [.clothing, .sellable]),
        n("maison", .feminine, "house", [.building, .sellable]),
        n("appartement", .masculine, "apartment", [.building, .sellable]),
        n("chambre", .feminine, "bedroom", [.room]),
        n("cuisine", .feminine, "kitchen", [.room]),
    ]

    static let people: [Noun] = [
        n("homme", .masculine, "man", [.person], enPl: "men"),
        n("femme", .feminine, "woman", [.person], enPl: "women"),
        n("garçon", .masculine, "boy", [.person]),
        n("fille", .feminine, "girl", [.person]),
        n("enfant", .masculine, "child", [.person], enPl: "children"),
        n("ami", .masculine, "friend", [.person]),
        n("voisin", .masculine, "neighbor", [.person]),
        n("professeur", .masculine, "teacher", [.person]),
        n("médecin", .masculine, "doctor", [.person]),
        n("étudiant", .masculine, "student", [.person]),
        n("bébé", .masculine, "baby", [.person]),
        n("frère", .masculine, "brother", [.person, .family]),
        n("sœur", .feminine, "sister", [.person, .family]),
        n("mère", .feminine, "mother", [.person, .family]),
        n("père", .masculine, "father", [.person, .family]),
        n("fils", .masculine, "son", [.person, .family]),
        n("oncle", .masculine, "uncle", [.person, .family]),
        n("tante", .feminine, "aunt", [.person, .family]),
        n("cousin", .masculine, "cousin", [.person, .family]),
        n("grand-mère", .feminine, "grandmother", [.person, .family], frPl: "grands-mères"),
        n("grand-père", .masculine, "grandfather", [.person, .family], frPl: "grands-pères"),
        n("mari", .masculine, "husband", [.person, .family]),
    ]

    static let animals: [Noun] = [
        n("chien", .masculine, "dog", [.animal, .pet, .washable]),
        n("chat", .masculine, "cat", [.animal, .pet]),
        n("oiseau", .masculine, "bird", [.animal, .pet]),
        n("cheval", .masculine, "horse", [.animal]),
        n("vache", .feminine, "cow", [.animal]),
        n("lapin", .masculine, "rabbit", [.animal, .pet]),
        n("souris", .feminine, "mouse", [.animal], enPl: "mice"),
        n("canard", .masculine, "duck", [.animal]),
    ]

    static let all: [Noun] = food + drinks + things + people + animals

    static func tagged(_ t: Tag) -> [Noun] { all.filter { $0.has(t) } }

    static func named(_ en: String) -> Noun {
        guard let x = all.first(where: { $0.enSg == en }) else { preconditionFailure("no noun \(en)") }
        return x
    }
}
