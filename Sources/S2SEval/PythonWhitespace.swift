// Python's notion of whitespace, which sacreBLEU relies on through `str.split()` and `str.rstrip()`.
//
// sacreBLEU splits tokens (BLEU) and deletes spaces (chrF) with Python's argument-less
// `str.split()`, whose separator set is CPython's `Py_UNICODE_ISSPACE`. That set is neither
// Swift's `Character.isWhitespace` nor `Unicode.Scalar.Properties.isWhitespace` (it contains
// the ASCII information separators U+001C…U+001F and lacks U+200B…), so we spell it out.
// The list below is `[hex(c) for c in range(0x110000) if chr(c).isspace()]` on CPython 3.11.

/// True when `scalar` is whitespace for Python's `str.split()` / `str.isspace()`.
@inline(__always)
public func isPythonWhitespace(_ scalar: UInt32) -> Bool {
    if scalar < 0x80 {
        // \t \n \v \f \r, the four information separators, and the space.
        return (scalar >= 0x09 && scalar <= 0x0D) || (scalar >= 0x1C && scalar <= 0x20)
    }
    switch scalar {
    case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
        return true
    default:
        return false
    }
}
