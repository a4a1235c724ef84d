// Numbers and clock times in words: French (vingt et un, soixante-dix, quatre-vingts, une before a
// feminine noun, traditional hyphenation) and English (twenty-one), for 0–1000, plus the clock
// ("huit heures et demie", "midi") used by time phrases.

enum Numbers {
    static let frSmall = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
                          "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"]
    static let frTens = ["", "", "vingt", "trente", "quarante", "cinquante", "soixante"]

    /// French number in words. `feminine` turns a final "un" into "une" (vingt et une pommes).
    static func french(_ n: Int, feminine: Bool = false) -> String {
        precondition(n >= 0 && n <= 1000)
        var s = frenchWords(n)
        if feminine && (s == "un" || s.hasSuffix("-un") || s.hasSuffix(" un")) { s += "e" }
        return s
    }

    private static func frenchWords(_ n: Int) -> String {
        if n < 20 { return frSmall[n] }
        if n < 70 {
            let t = n / 10, u = n % 10
            if u == 0 { return frTens[t] }
            if u == 1 { return frTens[t] + " et un" }
            return frTens[t] + "-" + frSmall[u]
        }
        if n < 80 {
            let r = n - 60
            if r == 11 { return "soixante et onze" }
            return "soixante-" + frSmall[r]
        }
        if n < 100 {
            let r = n - 80
            if r == 0 { return "quatre-vingts" }
            return "quatre-vingt-" + frSmall[r]
        }
        if n == 1000 { return "mille" }
        let h = n / 100, r = n % 100
        let hundreds = h == 1 ? "cent" : frSmall[h] + (r == 0 ? " cents" : " cent")
        return r == 0 ? hundreds : hundreds + " " + frenchWords(r)
    }

    static let enSmall = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                          "nineteen"]
    static let enTens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

    static func english(_ n: Int) -> String {
        precondition(n >= 0 && n <= 1000)
        if n < 20 { return enSmall[n] }
        if n < 100 { return enTens[n / 10] + (n % 10 == 0 ? "" : "-" + enSmall[n % 10]) }
        if n == 1000 { return "one thousand" }
        let h = n / 100, r = n % 100
        return enSmall[h] + " hundred" + (r == 0 ? "" : " " + english(r))
    }
}

/// A time on the clock, written in words on both sides.
struct ClockTime {
    let hour: Int        // 1...12; 12 is noon or midnight
    let minutes: Int     // 0, 15, 30, 45
    let midnight: Bool

    static func all() -> [ClockTime] {
        var out: [ClockTime] = []
        for h in 1...11 { for m in [0, 15, 30, 45] { out.append(ClockTime(hour: h, minutes: m, midnight: false)) } }
        out.append(ClockTime(hour: 12, minutes: 0, midnight: false))
        out.append(ClockTime(hour: 12, minutes: 0, midnight: true))
        return out
    }

    /// "eight o'clock", "half past eight", "a quarter past eight", "a quarter to nine", "noon".
    var english: [String] {
        if hour == 12 { return [midnight ? "midnight" : "noon"] }
        let h = Numbers.english(hour)
        switch minutes {
        case 0: return [h, "o'clock"]
        case 15: return ["a", "quarter", "past", h]
        case 30: return ["half", "past", h]
        default: return ["a", "quarter", "to", Numbers.english(hour % 12 + 1)]
        }
    }

    /// "huit heures", "une heure", "huit heures et demie", "neuf heures moins le quart", "midi".
    var french: [String] {
        if hour == 12 { return [midnight ? "minuit" : "midi"] }
        func hours(_ h: Int) -> [String] {
            if h == 12 { return ["midi"] }
            return [Numbers.french(h, feminine: true), h == 1 ? "heure" : "heures"]
        }
        switch minutes {
        case 0: return hours(hour)
        case 15: return hours(hour) + ["et", "quart"]
        case 30: return hours(hour) + ["et", "demie"]
        default: return hours(hour % 12 + 1) + ["moins", "le", "quart"]
        }
    }
}
