// Self-checks run on every finished pair before anything is written. They catch the mistakes a
// template bug would make across thousands of lines: missed elision ("je aime"), missed contraction
// ("de le", "à les"), "ne" without "pas" or "ne pas" with no verb between, un/une/des/du kept under
// negation, tu/nous/vous/ils with a wrong verb ending, feminine or plural subjects with a masculine
// singular participle, "a apple", "doesn't eats", typography (spaces, apostrophes, final punctuation).

import Foundation

enum Checks {
    /// Words that may legitimately follow "pas" with an article after them: être ("Ce n'est pas un
    /// chat"), venir de ("pas du Canada"), jouer de/à ("pas du piano"), peur de ("pas peur des chiens").
    static let articleAfterPasVerbs: Set<String> = ["est", "sont", "était", "étaient", "sera", "seront", "suis", "es",
                                                    "sommes", "êtes", "étais", "étions", "étiez", "serai", "seras",
                                                    "serons", "serez"]

    static func frenchErrors(_ s: String, participles: ParticipleTable) -> [String] {
        var errs: [String] = []
        errs += typographyErrors(s)
        if !(s.hasSuffix(".") || s.hasSuffix(" ?") || s.hasSuffix(" !")) { errs.append("French final punctuation") }
        if s.contains("’") { errs.append("curly apostrophe") }
        for p in ["?", "!", ":", ";"] where s.contains(p) && !s.contains(" " + p) { errs.append("no space before \(p)") }
        if s.contains(" .") || s.contains(" ,") { errs.append("space before . or ,") }

        let tokens = wordTokens(s)
        let lower = tokens.map { $0.lowercased() }
        for (i, w) in lower.enumerated() where i + 1 < lower.count {
            let next = tokens[i + 1]
            if ["je", "me", "te", "se", "le", "la", "de", "ne", "que"].contains(w), French.startsWithVowelSound(next) {
                errs.append("missing elision: \(w) \(next)")
            }
            if w == "ce", ["est", "était", "étaient"].contains(lower[i + 1]) { errs.append("missing elision: ce \(next)") }
            if w == "si", ["il", "ils"].contains(lower[i + 1]) { errs.append("missing elision: si \(next)") }
            if (w == "de" || w == "à"), lower[i + 1] == "les" { errs.append("missing contraction: \(w) les") }
            if (w == "de" || w == "à"), lower[i + 1] == "le" { errs.append("missing contraction: \(w) le") }
            if (w == "ne" || w == "n'"), ["pas", "jamais"].contains(lower[i + 1]) { errs.append("ne pas without verb") }
            if w == "ce" || w == "cet" || w == "cette" {
                if w == "ce", French.startsWithVowelSound(next), !["est", "était", "étaient"].contains(lower[i + 1]) {
                    errs.append("ce before vowel: \(next)")
                }
            }
        }
        // Negation must be complete: every ne/n' needs a pas/jamais/plus/rien/personne after it.
        if let neIdx = lower.firstIndex(where: { $0 == "ne" || $0 == "n'" }) {
            let rest = lower[(neIdx + 1)...]
            if !rest.contains(where: { ["pas", "jamais", "plus", "rien", "personne"].contains($0) }) {
                errs.append("ne without pas")
            }
        } else if lower.contains("pas") && !["pas mal.", "pas de problème."].contains(s.lowercased()) {
            errs.append("pas without ne")
        }
        // "de" replaces un/une/des/du/de la/de l' after a negated verb (not after être).
        let determinerStarts: Set<String> = ["un", "une", "des", "du", "de", "d'"]
        let takesDe: Set<String> = ["viens", "vient", "venons", "venez", "viennent", "joue", "joues", "jouons", "jouez",
                                    "jouent", "peur", "jouer", "venir", "joué", "venu", "venue", "venus", "venues"]
        for (i, w) in lower.enumerated() where (w == "pas" || w == "jamais") && i + 1 < lower.count {
            let verb = i > 0 ? lower[i - 1] : ""
            let deVerb = { (w: String) in takesDe.contains(w) || w.hasPrefix("jou") || w.hasPrefix("vien") || w.hasPrefix("ven") }
            if articleAfterPasVerbs.contains(verb) || deVerb(verb) { continue }
            var j = i + 1
            let prepositions: Set<String> = ["à", "au", "aux", "en", "dans", "sur", "sous", "avec", "pour", "chez", "près",
                                             "le", "la", "les", "l'", "très", "beaucoup"]
            if prepositions.contains(lower[j]) { continue }
            if !determinerStarts.contains(lower[j]) {
                // A participle or infinitive between "pas" and the object: "pas mangé de", "pas manger de".
                if deVerb(lower[j]) { continue }
                j += 1
            }
            guard j < lower.count else { continue }
            let a = lower[j], b = j + 1 < lower.count ? lower[j + 1] : ""
            if ["un", "une", "des", "du"].contains(a) || (a == "de" && (b == "la" || b == "l'")) {
                if a == "des" && b == "états-unis" { continue }
                errs.append("article kept under negation: pas \(a)")
            }
        }
        // Subject pronoun and verb ending, for the pronoun that opens the clause.
        errs += agreementErrors(lower)
        errs += participleErrors(lower, participles)
        return errs
    }

    static func agreementErrors(_ t: [String]) -> [String] {
        var errs: [String] = []
        let starts = t.indices.filter { i in i == 0 || t[i - 1] == "que" || t[i - 1] == "qu'" }
        for i in starts where i < t.count {
            let subj = t[i]
            guard ["tu", "nous", "vous", "ils", "elles"].contains(subj) else { continue }
            var j = i + 1
            // Skip ne, and the reflexive pronoun (which equals the subject for nous/vous).
            while j < t.count, ["ne", "n'", "me", "m'", "te", "t'", "se", "s'", "nous", "vous", "y"].contains(t[j]) { j += 1 }
            guard j < t.count else { continue }
            let v = t[j]
            if v.contains("-") { continue }   // inversion: "Nous sommes-nous levés ?"
            let ok: Bool
            switch subj {
            case "tu": ok = v.hasSuffix("s") || v.hasSuffix("x")
            case "nous": ok = v.hasSuffix("ons") || v == "sommes"
            case "vous": ok = v.hasSuffix("ez") || ["êtes", "faites", "dites"].contains(v)
            default: ok = v.hasSuffix("ent") || v.hasSuffix("ont")
            }
            if !ok { errs.append("\(subj) + \(v)") }
        }
        return errs
    }

    /// Forms of participles and adjectives that betray the wrong gender or number, for agreement checks.
    struct ParticipleTable {
        /// Masculine forms whose feminine differs: wrong after elle/elles.
        var masculine: Set<String> = []
        /// Feminine forms that differ from the masculine: wrong after je/tu/il/ils/nous (all masculine here).
        var feminine: Set<String> = []
        /// Singular forms whose plural differs: wrong after ils/elles/nous.
        var singular: Set<String> = []
        /// Plural forms that differ from the singular: wrong after je/tu/il/elle.
        var plural: Set<String> = []

        mutating func add(msg: String, fsg: String, mpl: String, fpl: String) {
            if fsg != msg { masculine.insert(msg); feminine.insert(fsg) }
            if fpl != mpl { masculine.insert(mpl); feminine.insert(fpl) }
            if mpl != msg { singular.insert(msg); plural.insert(mpl) }
            if fpl != fsg { singular.insert(fsg); plural.insert(fpl) }
        }
    }

    static func participleErrors(_ t: [String], _ table: ParticipleTable) -> [String] {
        var errs: [String] = []
        let etre: Set<String> = ["suis", "es", "est", "sommes", "sont", "étais", "était", "étions", "étaient", "serai",
                                 "seras", "sera", "serons", "seront", "s'est", "me", "m'", "t'es", "te", "s'", "se"]
        let subjects: Set<String> = ["je", "j'", "tu", "il", "elle", "nous", "ils", "elles"]
        for (i, w) in t.enumerated() where subjects.contains(w) && (i == 0 || t[i - 1] == "que" || t[i - 1] == "qu'") {
            var j = i + 1
            while j < t.count, ["ne", "n'", "se", "s'", "nous", "me", "m'", "te", "t'"].contains(t[j]) { j += 1 }
            guard j < t.count, etre.contains(t[j]) || ["suis", "es", "est", "sommes", "sont"].contains(t[j]) else { continue }
            j += 1
            while j < t.count, ["pas", "jamais", "très"].contains(t[j]) { j += 1 }
            guard j < t.count else { continue }
            let p = t[j]
            let feminineSubject = w == "elle" || w == "elles"
            let pluralSubject = ["nous", "ils", "elles"].contains(w)
            if feminineSubject && table.masculine.contains(p) { errs.append("no feminine agreement: \(w) ... \(p)") }
            if !feminineSubject && table.feminine.contains(p) { errs.append("feminine after \(w): \(p)") }
            if pluralSubject && table.singular.contains(p) { errs.append("no plural agreement: \(w) ... \(p)") }
            if !pluralSubject && table.plural.contains(p) { errs.append("plural after \(w): \(p)") }
        }
        return errs
    }

    static func englishErrors(_ s: String, finiteForms: Set<String>) -> [String] {
        var errs = typographyErrors(s)
        if !(s.hasSuffix(".") || s.hasSuffix("?") || s.hasSuffix("!")) { errs.append("English final punctuation") }
        if s.contains(" ?") || s.contains(" !") || s.contains(" .") || s.contains(" ,") { errs.append("space before punctuation") }
        let tokens = wordTokens(s, french: false)
        for (i, w) in tokens.enumerated() where i + 1 < tokens.count {
            let lw = w.lowercased()
            let next = tokens[i + 1]
            if lw == "a" || lw == "an" {
                let want = English.indefiniteArticle(before: next)
                if want != lw && !(next.first?.isNumber ?? false) && next != "lot" && next != "little" && next != "quarter" {
                    errs.append("\(lw) \(next)")
                }
            }
            if ["does", "did", "doesn't", "didn't", "to", "will", "won't", "can", "cannot", "can't", "must"].contains(lw) {
                // Right after the auxiliary ("doesn't eats"), or after a question's subject ("Did she ate?").
                let window = i == 0 && ["does", "did"].contains(lw) ? 4 : 2
                for k in (i + 1)..<min(i + window, tokens.count) where finiteForms.contains(tokens[k].lowercased()) {
                    errs.append("finite form after \(lw): \(tokens[k])")
                }
            }
            if w == "i" { errs.append("lowercase I") }
        }
        return errs
    }

    static func typographyErrors(_ s: String) -> [String] {
        var errs: [String] = []
        if s.contains("  ") { errs.append("double space") }
        if s.contains("\t") || s.contains("\n") { errs.append("tab or newline") }
        if s != s.trimmingCharacters(in: .whitespaces) { errs.append("leading or trailing space") }
        if let f = s.first, !(f.isUppercase || f.isNumber) { errs.append("no initial capital") }
        if s != s.precomposedStringWithCanonicalMapping { errs.append("not NFC") }
        if s.contains("’") { errs.append("curly apostrophe") }
        return errs
    }

    /// Words with punctuation removed. French splits after an apostrophe ("j'ai" gives "j'" and "ai",
    /// but "aujourd'hui" stays whole); English keeps "don't" whole. "est-ce" stays one word.
    static func wordTokens(_ s: String, french: Bool = true) -> [String] {
        var out: [String] = []
        for raw in s.split(separator: " ") {
            var w = String(raw).trimmingCharacters(in: CharacterSet(charactersIn: ".,?!:;"))
            if w.isEmpty { continue }
            if !french || w.lowercased() == "aujourd'hui" { out.append(w); continue }
            while let r = w.range(of: "'"), r.upperBound < w.endIndex {
                out.append(String(w[..<r.upperBound]))
                w = String(w[r.upperBound...])
            }
            out.append(w)
        }
        return out
    }
}
