// The one error type of S2SText. Every message names what is wrong, where (file:line when
// there is a file), and how to fix it; the CLI prints it as a one-line message.

/// An error thrown by S2SText. `description` is the complete one-line message.
public struct TextError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, for code that wants to react to a particular failure.
    public enum Kind: Sendable, Equatable {
        /// A file could not be opened, read, written or renamed.
        case io
        /// A line is not valid UTF-8.
        case invalidUTF8
        /// The two sides of a parallel corpus have different line counts.
        case lineCountMismatch
        /// A vocabulary, merges or manifest file is malformed.
        case badFormat
        /// An option value is out of range (e.g. a vocabulary smaller than its specials).
        case invalidOption
        /// ICU could not be set up (e.g. an unusable locale).
        case icu
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
