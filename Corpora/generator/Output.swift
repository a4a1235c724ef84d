// Output: validation of every pair, the train/dev/test split, writing the six line-aligned files, and
// the statistics printed for the README. The split groups pairs that share an English or a French
// sentence (so "You eat." with "Tu manges." and "Vous mangez." land together), which guarantees that no
// dev or test English sentence appears in train. The anchor pairs are always kept in train.

import Foundation

struct SplitSizes {
    var dev = 1_000
    var test = 1_000
}

enum Output {
    static func participleTable() -> Checks.ParticipleTable {
        var t = Checks.ParticipleTable()
        for a in Adjectives.all { t.add(msg: a.msg, fsg: a.fsg, mpl: a.mpl, fpl: a.fpl) }
        let etreVerbs = [Verbs.arriver, Verbs.partir, Verbs.rester, Verbs.sortir, Verbs.rentrer, Verbs.tomber,
                         Verbs.venir, Verbs.aller] + Uses.reflexives
        for v in etreVerbs.map(\.fr) + [Verbs.frNaitre] {
            t.add(msg: v.participle, fsg: v.participle(agreeingWith: .feminine, plural: false),
                  mpl: v.participle(agreeingWith: .masculine, plural: true),
                  fpl: v.participle(agreeingWith: .feminine, plural: true))
        }
        for p in Describe.professions { t.add(msg: p.m, fsg: p.f, mpl: frenchPlural(p.m), fpl: frenchPlural(p.f)) }
        for n in Describe.nationalities { t.add(msg: n.m, fsg: n.f, mpl: frenchPlural(n.m), fpl: frenchPlural(n.f)) }
        return t
    }

    /// English verb forms that must not follow do/does/did/to/will/can (plural nouns spelled alike removed).
    static func finiteForms() -> Set<String> {
        var verbs: [EnglishVerb] = Uses.transitive.map(\.verb.en) + Uses.activities.map(\.verb.en)
            + Uses.reflexives.map(\.en)
        verbs += [Verbs.faireDo.en, Verbs.avoir.en, Verbs.enBe]
        var forms = Set<String>()
        for v in verbs {
            if v.s3 != v.base { forms.insert(v.s3) }
            if v.past != v.base { forms.insert(v.past) }
        }
        forms.formUnion(["is", "are", "was", "were", "am"])
        for n in Nouns.all { forms.remove(n.enPl) }
        for p in Describe.professions { forms.remove(p.enPl) }
        return forms
    }

    /// Every problem found, as "family: English ||| French: what is wrong".
    static func validate(_ pairs: [(Pair, String)]) -> [String] {
        let table = participleTable()
        let finite = finiteForms()
        var problems: [String] = []
        for (p, fam) in pairs {
            let errs = Checks.frenchErrors(p.fr, participles: table).map { "fr " + $0 }
                + Checks.englishErrors(p.en, finiteForms: finite).map { "en " + $0 }
            for e in errs { problems.append("\(fam): \(p.en) ||| \(p.fr): \(e)") }
        }
        return problems
    }

    /// Splits into train/dev/test by connected groups of shared English or French sentences.
    static func split(_ pairs: [Pair], seed: UInt64, sizes: SplitSizes)
        -> (train: [Pair], dev: [Pair], test: [Pair]) {
        var parent = Array(0..<pairs.count)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var byEn: [String: Int] = [:], byFr: [String: Int] = [:]
        for (i, p) in pairs.enumerated() {
            if let j = byEn[p.en] { parent[find(i)] = find(j) } else { byEn[p.en] = i }
            if let j = byFr[p.fr] { parent[find(i)] = find(j) } else { byFr[p.fr] = i }
        }
        var groups: [Int: [Int]] = [:]
        for i in pairs.indices { groups[find(i), default: []].append(i) }
        let anchors = Set(Phrasebook.anchors)
        var roots = groups.keys.sorted()
        var rng = SplitMix64(seed: seed ^ 0x5EED_5EED)
        rng.shuffle(&roots)
        var dev: [Int] = [], test: [Int] = [], train: [Int] = []
        for r in roots {
            let members = groups[r]!
            let held = members.contains { anchors.contains(pairs[$0]) }
            // Small groups only in dev/test, so they sample many different sentences.
            if !held && members.count <= 8 && test.count < sizes.test { test += members }
            else if !held && members.count <= 8 && dev.count < sizes.dev { dev += members }
            else { train += members }
        }
        var trainPairs = train.map { pairs[$0] }
        rng.shuffle(&trainPairs)
        return (trainPairs, dev.sorted().map { pairs[$0] }, test.sorted().map { pairs[$0] })
    }

    static func write(_ pairs: [Pair], to dir: URL, name: String) throws {
        let en = pairs.map(\.en).joined(separator: "\n") + "\n"
        let fr = pairs.map(\.fr).joined(separator: "\n") + "\n"
        try Data(en.utf8).write(to: dir.appendingPathComponent("\(name).en"), options: .atomic)
        try Data(fr.utf8).write(to: dir.appendingPathComponent("\(name).fr"), options: .atomic)
    }

    /// Lower-cased word types for the README's vocabulary figures: punctuation stripped, split at
    /// spaces and hyphens, and in French after apostrophes ("parlez-vous" is "parlez" + "vous",
    /// "l'école" is "l'" + "école"), which is roughly what a word tokenizer will see.
    static func vocabulary(_ lines: [String], french: Bool) -> Set<String> {
        var v = Set<String>()
        for l in lines {
            for w in Checks.wordTokens(l, french: french) {
                for part in w.lowercased().split(separator: "-") { v.insert(String(part)) }
            }
        }
        return v
    }
}
