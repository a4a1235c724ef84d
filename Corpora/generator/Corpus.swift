// The corpus plan: which sentence families exist and how many distinct pairs each contributes.
// Families are sampled until they reach their quota (or stop producing new pairs), so the mix of
// sentence types is fixed by this table rather than by how productive each template happens to be.

struct Family {
    let name: String
    let quota: Int
    let make: (inout Generator) -> [Pair]
}

enum CorpusPlan {
    static let families: [Family] = [
        Family(name: "transitive", quota: 12_000) { $0.transitiveSentence() },
        Family(name: "language", quota: 1_800) { $0.languageSentence() },
        Family(name: "activity", quota: 3_500) { $0.activitySentence(motion: false) },
        Family(name: "motion", quota: 3_500) { $0.activitySentence(motion: true) },
        Family(name: "origin", quota: 900) { $0.originSentence() },
        Family(name: "infinitive", quota: 4_500) { $0.infinitiveSentence() },
        Family(name: "reflexive", quota: 2_000) { $0.reflexiveSentence() },
        Family(name: "wh-question", quota: 3_500) { $0.whQuestion() },
        Family(name: "imperative", quota: 1_800) { $0.imperativeSentence() },
        Family(name: "adjective", quota: 3_500) { $0.adjectiveSentence() },
        Family(name: "identity", quota: 1_500) { $0.identitySentence() },
        Family(name: "whereabouts", quota: 1_500) { $0.whereaboutsSentence() },
        Family(name: "where-is", quota: 700) { $0.whereIsQuestion() },
        Family(name: "avoir-idiom", quota: 1_200) { $0.avoirIdiomSentence() },
        Family(name: "age", quota: 800) { $0.ageSentence() },
        Family(name: "there-is", quota: 1_800) { $0.thereIsSentence() },
        Family(name: "demonstrative", quota: 1_500) { $0.demonstrativeSentence() },
        Family(name: "price", quota: 700) { $0.priceSentence() },
        Family(name: "birth", quota: 400) { $0.birthSentence() },
        Family(name: "schedule", quota: 500) { $0.scheduleSentence() },
        Family(name: "weather", quota: 400) { $0.weatherSentence() },
        Family(name: "request", quota: 600) { $0.requestSentence() },
    ]

    /// Runs every family to its quota. Returns pairs in generation order with each pair's family.
    static func build(seed: UInt64) -> [(Pair, String)] {
        var g = Generator(seed: seed)
        var seen = Set<Pair>()
        var out: [(Pair, String)] = []
        func add(_ p: Pair, _ family: String) -> Bool {
            let n = Pair(en: p.en.precomposedStringWithCanonicalMapping, fr: p.fr.precomposedStringWithCanonicalMapping)
            guard seen.insert(n).inserted else { return false }
            out.append((n, family))
            return true
        }
        for p in Phrasebook.pairs() { _ = add(p, "phrasebook") }
        for p in g.clockAndDaySentences() { _ = add(p, "clock-and-days") }
        for p in g.coreSentences() { _ = add(p, "core") }
        for f in families {
            var count = 0, attempts = 0
            while count < f.quota && attempts < f.quota * 30 {
                attempts += 1
                // A sampled meaning keeps all its variants, so a family may end a few pairs over quota.
                for p in f.make(&g) where add(p, f.name) { count += 1 }
            }
        }
        return out
    }
}
