// Orthography: turning word lists into finished sentences.
// French: article contractions (à le → au, de les → des), elision (je aime → j'aime, que il → qu'il,
// la école → l'école), sentence-initial capital, and Tatoeba's majority typography: a plain space
// before ? ! : ; and the ASCII apostrophe. English: capital, a/an, no space before punctuation.
// Templates only ever build lowercase word lists; every spelling rule that depends on the next word
// lives here, so no template can forget one.

import Foundation

enum Punct: String {
    case period = "."
    case question = "?"
    case exclamation = "!"
}

enum French {
    /// Words whose final vowel is dropped before a vowel sound. "ce" only elides before forms of être
    /// ("c'est"); the demonstrative determiner becomes "cet" instead, which the noun-phrase code handles.
    static let elidable: Set<String> = ["je", "me", "te", "se", "le", "la", "de", "ne", "que", "jusque", "lorsque", "puisque"]

    /// Initial h that lets elision happen (h muet). Any other word beginning with h is treated as h aspiré.
    static let muteHPrefixes = ["homme", "hôpital", "hôtel", "heure", "hiver", "histoire", "habit", "habill", "huile",
                                "herbe", "hier", "heureu", "humain", "honnête", "horrible"]
    /// Vowel-initial words that nevertheless block elision.
    static let noElision: Set<String> = ["onze", "oui", "yaourt", "yaourts"]

    static func startsWithVowelSound(_ word: String) -> Bool {
        let w = word.lowercased()
        guard let first = w.first else { return false }
        if noElision.contains(w) { return false }
        if "aeiouyàâäéèêëîïôöùûüœæ".contains(first) { return true }
        if first == "h" { return muteHPrefixes.contains { w.hasPrefix($0) } }
        return false
    }

    static let etreFormsForCe: Set<String> = ["est", "était", "étaient"]

    /// Applies contractions and elision. Elided words come back ending in an apostrophe and are
    /// glued to the following word by `join`.
    static func contractAndElide(_ words: [String]) -> [String] {
        var w = words.filter { !$0.isEmpty }
        // Contractions first: "à le parc" → "au parc", but "à le hôtel" stays for elision → "à l'hôtel".
        var out: [String] = []
        var i = 0
        while i < w.count {
            let cur = w[i]
            let next = i + 1 < w.count ? w[i + 1] : nil
            let after = i + 2 < w.count ? w[i + 2] : nil
            if cur == "à" || cur == "de", let n = next {
                if n == "les" {
                    out.append(cur == "à" ? "aux" : "des"); i += 2; continue
                }
                if n == "le", let a = after, !startsWithVowelSound(a) {
                    out.append(cur == "à" ? "au" : "du"); i += 2; continue
                }
            }
            out.append(cur)
            i += 1
        }
        w = out
        // Elision.
        for j in 0..<w.count where j + 1 < w.count {
            let cur = w[j].lowercased()
            let next = w[j + 1]
            if elidable.contains(cur), startsWithVowelSound(next) {
                w[j] = String(w[j].dropLast()) + "'"
            } else if cur == "ce", etreFormsForCe.contains(next) {
                w[j] = "c'"
            } else if cur == "si", next == "il" || next == "ils" {
                w[j] = "s'"
            }
        }
        return w
    }

    static func join(_ words: [String]) -> String {
        var s = ""
        for word in words {
            if word == "," {
                s += ","
            } else if s.isEmpty || s.hasSuffix("'") {
                s += word
            } else {
                s += " " + word
            }
        }
        return s
    }

    /// A finished French sentence: contracted, elided, capitalised, punctuated.
    static func sentence(_ words: [String], _ p: Punct) -> String {
        let body = capitalizeFirst(join(contractAndElide(words)))
        switch p {
        case .period: return body + "."
        case .question, .exclamation: return body + " " + p.rawValue
        }
    }
}

enum English {
    /// "a" or "an" for the word that follows, decided by sound, not spelling.
    static func indefiniteArticle(before word: String) -> String {
        let w = word.lowercased()
        let anExceptions = ["hour", "honest", "heir"]
        let aExceptions = ["uni", "use", "usu", "euro", "one", "once", "ukulele"]
        if anExceptions.contains(where: { w.hasPrefix($0) }) { return "an" }
        if aExceptions.contains(where: { w.hasPrefix($0) }) { return "a" }
        if let f = w.first, "aeiou".contains(f) { return "an" }
        return "a"
    }

    static func join(_ words: [String]) -> String {
        var s = ""
        for word in words where !word.isEmpty {
            if word == "," { s += "," } else if s.isEmpty { s += word } else { s += " " + word }
        }
        return s
    }

    static func sentence(_ words: [String], _ p: Punct) -> String {
        capitalizeFirst(join(words)) + p.rawValue
    }
}

func capitalizeFirst(_ s: String) -> String {
    guard let f = s.first else { return s }
    return f.uppercased() + s.dropFirst()
}
