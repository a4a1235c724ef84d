// Lexicon of verbs: each French verb (regular or irregular, with its auxiliary) paired with its
// English verb, plus the facts the sentence templates need: stative or not (no "I am liking"),
// which tenses make sense, and whether English may use the present perfect for the passé composé.

struct Verb {
    let fr: FrenchVerb
    let en: EnglishVerb
    /// Stative verbs (like, want, know, have): no progressive, no near future, simple past ↔ imparfait.
    let stative: Bool
    let tenses: Set<Tense>
    /// "I have got up" sounds wrong; such verbs render the passé composé only as the English simple past.
    let perfectOK: Bool

    var id: String { (fr.reflexive ? "se " : "") + fr.infinitive }

    /// No "I am finding", "I am losing": English keeps these verbs in simple forms.
    var progressiveOK: Bool { !stative && !["trouver", "perdre", "oublier", "voir"].contains(fr.infinitive) }

    /// Verbs of daily timetable that sensibly take a clock time or "early"/"late".
    var timed: Bool {
        ["lever", "coucher", "réveiller", "habiller", "arriver", "partir", "rentrer", "sortir", "manger", "travailler",
         "aller", "venir", "prendre"].contains(fr.infinitive)
    }
}

private let allTenses = Set(Tense.allCases)
private let stativeTenses: Set<Tense> = [.present, .imparfait, .futur]

/// Verbs conjugated in the futur simple and the imparfait. Every other verb is used in the present,
/// passé composé and near future only: each extra tense adds five or six French word types per verb, and
/// the corpus must keep a small vocabulary so that a few minutes of training suffice.
private let futurVerbs: Set<String> = [
    "être", "avoir", "aller", "faire", "venir", "parler", "manger", "boire", "aimer", "regarder", "acheter",
    "prendre", "lire", "écrire", "savoir", "travailler", "jouer", "partir", "arriver", "lever", "coucher", "vouloir",
]
private let imparfaitVerbs: Set<String> = [
    "être", "avoir", "aller", "faire", "manger", "boire", "aimer", "regarder", "jouer", "habiter", "travailler",
    "vouloir", "savoir", "lire", "parler",
]

private func v(_ fr: FrenchVerb, _ en: EnglishVerb, stative: Bool = false, tenses: Set<Tense>? = nil,
               perfect: Bool = true) -> Verb {
    var t = tenses ?? (stative ? stativeTenses : allTenses)
    if !futurVerbs.contains(fr.infinitive) { t.remove(.futur) }
    if !imparfaitVerbs.contains(fr.infinitive) { t.remove(.imparfait) }
    if t.isEmpty { t = [.present] }
    return Verb(fr: fr, en: en, stative: stative, tenses: t, perfectOK: perfect)
}

enum Verbs {
    // Irregular French verbs, given by their present tense.
    static let frFaire = irregular("faire", "fais fais fait faisons faites font", pp: "fait", future: "fer")
    static let frPrendre = irregular("prendre", "prends prends prend prenons prenez prennent", pp: "pris", future: "prendr")
    static let frApprendre = irregular("apprendre", "apprends apprends apprend apprenons apprenez apprennent",
                                       pp: "appris", future: "apprendr")
    static let frComprendre = irregular("comprendre",
                                        "comprends comprends comprend comprenons comprenez comprennent",
                                        pp: "compris", future: "comprendr")
    static let frVouloir = irregular("vouloir", "veux veux veut voulons voulez veulent", pp: "voulu", future: "voudr")
    static let frPouvoir = irregular("pouvoir", "peux peux peut pouvons pouvez peuvent", pp: "pu", future: "pourr")
    static let frDevoir = irregular("devoir", "dois dois doit devons devez doivent", pp: "dû", future: "devr")
    static let frBoire = irregular("boire", "bois bois boit buvons buvez boivent", pp: "bu", future: "boir")
    static let frLire = irregular("lire", "lis lis lit lisons lisez lisent", pp: "lu", future: "lir")
    static let frEcrire = irregular("écrire", "écris écris écrit écrivons écrivez écrivent", pp: "écrit", future: "écrir")
    static let frVenir = irregular("venir", "viens viens vient venons venez viennent", pp: "venu", future: "viendr",
                                   etre: true)
    static let frSavoir = irregular("savoir", "sais sais sait savons savez savent", pp: "su", future: "saur",
                                    imperative: ["sache", "sachons", "sachez"])
    static let frConnaitre = irregular("connaître", "connais connais connaît connaissons connaissez connaissent",
                                       pp: "connu", future: "connaîtr")
    static let frVoir = irregular("voir", "vois vois voit voyons voyez voient", pp: "vu", future: "verr")
    static let frPartir = irregular("partir", "pars pars part partons partez partent", pp: "parti", future: "partir",
                                    etre: true)
    static let frSortir = irregular("sortir", "sors sors sort sortons sortez sortent", pp: "sorti", future: "sortir",
                                    etre: true)
    static let frDormir = irregular("dormir", "dors dors dort dormons dormez dorment", pp: "dormi", future: "dormir")
    static let frCourir = irregular("courir", "cours cours court courons courez courent", pp: "couru", future: "courr")
    static let frOuvrir = irregular("ouvrir", "ouvre ouvres ouvre ouvrons ouvrez ouvrent", pp: "ouvert",
                                    future: "ouvrir")
    static let frEnvoyer = irregular("envoyer", "envoie envoies envoie envoyons envoyez envoient", pp: "envoyé",
                                     future: "enverr")
    static let frNaitre = irregular("naître", "nais nais naît naissons naissez naissent", pp: "né", future: "naîtr",
                                    etre: true)
    static let frMettre = irregular("mettre", "mets mets met mettons mettez mettent", pp: "mis", future: "mettr")

    // Transitive verbs (object noun phrases are chosen by the templates).
    static let manger = v(erVerb("manger"), englishVerb("eat", past: "ate", pp: "eaten"))
    static let boire = v(frBoire, englishVerb("drink", past: "drank", pp: "drunk"))
    static let acheter = v(erVerb("acheter", boot: "achèt", future: "achèter"), englishVerb("buy", past: "bought"))
    static let vouloir = v(frVouloir, englishVerb("want"), stative: true, tenses: [.present, .imparfait])
    static let avoir = v(Aux.avoir, englishVerb("have", past: "had", s3: "has"), stative: true)
    static let faire = v(frFaire, englishVerb("make", past: "made"))
    static let faireDo = v(frFaire, englishVerb("do", past: "did", pp: "done", s3: "does"))
    static let aimer = v(erVerb("aimer"), englishVerb("like"), stative: true)
    static let adorer = v(erVerb("adorer"), englishVerb("love"), stative: true)
    static let detester = v(erVerb("détester"), englishVerb("hate"), stative: true)
    static let lire = v(frLire, englishVerb("read", past: "read"))
    static let ecrire = v(frEcrire, englishVerb("write", past: "wrote", pp: "written"))
    static let regarder = v(erVerb("regarder"), englishVerb("watch"))
    static let regarderAt = v(erVerb("regarder"), englishVerb("look", particle: "at"))
    static let ecouter = v(erVerb("écouter"), englishVerb("listen", particle: "to"))
    static let chercher = v(erVerb("chercher"), englishVerb("look", particle: "for"))
    static let trouver = v(erVerb("trouver"), englishVerb("find", past: "found"))
    static let perdre = v(reVerb("perdre"), englishVerb("lose", past: "lost"))
    static let ouvrir = v(frOuvrir, englishVerb("open"))
    static let fermer = v(erVerb("fermer"), englishVerb("close"))
    static let vendre = v(reVerb("vendre"), englishVerb("sell", past: "sold"))
    static let porter = v(erVerb("porter"), englishVerb("wear", past: "wore", pp: "worn"))
    static let laver = v(erVerb("laver"), englishVerb("wash"))
    static let reparer = v(erVerb("réparer"), englishVerb("fix"))
    static let voir = v(frVoir, englishVerb("see", past: "saw", pp: "seen"), tenses: [.present, .passeCompose, .futur])
    static let connaitre = v(frConnaitre, englishVerb("know", past: "knew", pp: "known"), stative: true)
    static let aider = v(erVerb("aider"), englishVerb("help"))
    static let appeler = v(erVerb("appeler", boot: "appell", future: "appeller"), englishVerb("call"))
    static let attendre = v(reVerb("attendre"), englishVerb("wait", particle: "for"))
    /// "attendre" with no object: English "wait" loses its "for".
    static let attendreIntransitive = v(reVerb("attendre"), englishVerb("wait"))
    static let prendre = v(frPrendre, englishVerb("take", past: "took", pp: "taken"))
    static let chanter = v(erVerb("chanter"), englishVerb("sing", past: "sang", pp: "sung"))
    static let oublier = v(erVerb("oublier"), englishVerb("forget", past: "forgot", pp: "forgotten", ing: "forgetting"))
    static let envoyer = v(frEnvoyer, englishVerb("send", past: "sent"))
    static let finir = v(irVerb("finir"), englishVerb("finish"))
    static let apprendre = v(frApprendre, englishVerb("learn"))
    static let comprendre = v(frComprendre, englishVerb("understand", past: "understood"), stative: true)
    static let savoir = v(frSavoir, englishVerb("know", past: "knew", pp: "known"), stative: true)
    static let visiter = v(erVerb("visiter"), englishVerb("visit"))
    static let parler = v(erVerb("parler"), englishVerb("speak", past: "spoke", pp: "spoken"))
    static let etudier = v(erVerb("étudier"), englishVerb("study"))
    static let jouer = v(erVerb("jouer"), englishVerb("play"))
    static let mettre = v(frMettre, englishVerb("put", past: "put", ing: "putting", particle: "on"),
                          tenses: [.present, .futur, .futurProche])

    // Intransitive verbs.
    static let travailler = v(erVerb("travailler"), englishVerb("work"))
    static let dormir = v(frDormir, englishVerb("sleep", past: "slept"))
    static let nager = v(erVerb("nager"), englishVerb("swim", past: "swam", pp: "swum", ing: "swimming"))
    static let courir = v(frCourir, englishVerb("run", past: "ran", pp: "run", ing: "running"))
    static let danser = v(erVerb("danser"), englishVerb("dance"))
    static let cuisiner = v(erVerb("cuisiner"), englishVerb("cook"))
    static let voyager = v(erVerb("voyager"), englishVerb("travel", past: "traveled", ing: "traveling"))
    static let pleurer = v(erVerb("pleurer"), englishVerb("cry"))
    static let habiter = v(erVerb("habiter"), englishVerb("live"), stative: true)
    static let arriver = v(erVerb("arriver", etre: true), englishVerb("arrive"))
    static let partir = v(frPartir, englishVerb("leave", past: "left"))
    static let rester = v(erVerb("rester", etre: true), englishVerb("stay"))
    static let sortir = v(frSortir, englishVerb("go", past: "went", pp: "gone", s3: "goes", particle: "out"))
    static let rentrer = v(erVerb("rentrer", etre: true), englishVerb("come", past: "came", pp: "come", particle: "home"))
    static let tomber = v(erVerb("tomber", etre: true), englishVerb("fall", past: "fell", pp: "fallen"))
    static let venir = v(frVenir, englishVerb("come", past: "came", pp: "come"))
    static let aller = v(Aux.aller, englishVerb("go", past: "went", pp: "gone", s3: "goes"))

    /// English "be" for copula clauses in the future ("will be", "going to be").
    static let enBe = englishVerb("be", past: "was", pp: "been", s3: "is", ing: "being")

    // Modal-like verbs taking an infinitive.
    static let pouvoir = v(frPouvoir, englishVerb("can"), stative: true, tenses: [.present])
    static let devoir = v(frDevoir, englishVerb("must"), stative: true, tenses: [.present])

    // Pronominal verbs (passé composé with être, reflexive pronoun agreeing with the subject).
    static let seLever = v(erVerb("lever", boot: "lèv", future: "lèver", etre: true, reflexive: true),
                           englishVerb("get", past: "got", ing: "getting", particle: "up"), perfect: false)
    static let seCoucher = v(erVerb("coucher", etre: true, reflexive: true),
                             englishVerb("go", past: "went", pp: "gone", s3: "goes", particle: "to bed"),
                             perfect: false)
    static let seReveiller = v(erVerb("réveiller", etre: true, reflexive: true),
                               englishVerb("wake", past: "woke", pp: "woken", particle: "up"), perfect: false)
    static let sHabiller = v(erVerb("habiller", etre: true, reflexive: true),
                             englishVerb("get", past: "got", ing: "getting", particle: "dressed"), perfect: false)
    static let seReposer = v(erVerb("reposer", etre: true, reflexive: true), englishVerb("rest"))
    static let sePromener = v(erVerb("promener", boot: "promèn", future: "promèner", etre: true, reflexive: true),
                              englishVerb("go", past: "went", pp: "gone", s3: "goes", particle: "for a walk"),
                              perfect: false)
}
