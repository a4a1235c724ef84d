// s2s as a Unix tool: the default model it finds without --model, "-" and /dev/stdin for files, a reader
// that goes away early, help text that reads well at 80 columns, examples that cannot rot, and
// `make install` into a DESTDIR used from a fresh shell.
import Foundation
import XCTest

final class UnixConventionsTests: XCTestCase {
    typealias T = TrainTranslateTests
    var scratch = ""

    override func setUpWithError() throws {
        XCTAssertEqual(T.trained.status, 0, T.trained.stderr)
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("s2s-unix-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch + "/work", withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: scratch) }

    /// A run in an empty working directory with its own XDG data directory and no $S2S_MODEL.
    func run(_ arguments: [String], stdin: String? = nil, env: [String: String?] = [:]) throws -> CommandResult {
        var environment: [String: String?] = ["XDG_DATA_HOME": scratch + "/data", "S2S_MODEL": nil]
        for (k, v) in env { environment[k] = v }
        return try S2SCommand.run(arguments, stdin: stdin, workingDirectory: scratch + "/work", environment: environment)
    }

    /// bash -c script, with `s2s` meaning the binary under test.
    func shell(_ script: String, env: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "s2s() { \"$S2S_TEST_BINARY\" \"$@\"; }\n" + script]
        var environment = ProcessInfo.processInfo.environment
        environment["S2S_TEST_BINARY"] = try S2SCommand.binaryURL().path
        for (k, v) in env { environment[k] = v }
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: scratch + "/work")
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func testDefaultModelIsFoundAndMissingModelSaysWhereItLooked() throws {
        let (src, tgt) = T.corpus()
        let missing = try run(["translate", src[0]])
        XCTAssertNotEqual(missing.status, 0)
        for part in ["no model found", "$S2S_MODEL (not set)", "model.s2s", scratch + "/data/s2s/default.s2s", "make demo", "--model"] {
            XCTAssertTrue(missing.stderr.contains(part), "\(part) missing from: \(missing.stderr)")
        }
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1, "one line: \(missing.stderr)")

        let set = try run(["models", "--set-default", T.path("m.s2s")])
        XCTAssertEqual(set.status, 0, set.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch + "/data/s2s/default.s2s"))
        let found = try run(["translate", src[0]])
        XCTAssertEqual(found.status, 0, found.stderr)
        XCTAssertEqual(found.stdoutLines, [tgt[0]])
        let models = try run(["models"])
        XCTAssertTrue(models.stdout.contains("the default model: \(scratch)/data/s2s/default.s2s (used)"), models.stdout)

        // ./model.s2s comes before the default model, and $S2S_MODEL before both (used as given).
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: scratch + "/work/model.s2s"))
        let local = try run(["translate", src[0]])
        XCTAssertNotEqual(local.status, 0)
        XCTAssertTrue(local.stderr.contains("model.s2s"), local.stderr)
        let fromEnv = try run(["translate", src[0]], env: ["S2S_MODEL": T.path("m.s2s")])
        XCTAssertEqual(fromEnv.stdoutLines, [tgt[0]], fromEnv.stderr)
        let wrongEnv = try run(["evaluate", T.path("train.en"), T.path("train.fr")], env: ["S2S_MODEL": scratch + "/none.s2s"])
        XCTAssertNotEqual(wrongEnv.status, 0)
        XCTAssertTrue(wrongEnv.stderr.contains(scratch + "/none.s2s"), wrongEnv.stderr)
    }

    func testDashAndDevStdinAreStandardStreams() throws {
        let (src, tgt) = T.corpus()
        let hyp = T.path("train.fr"), ref = T.path("train.fr")
        let files = try run(["score", hyp, ref])
        XCTAssertEqual(files.status, 0, files.stderr)
        let text = tgt.joined(separator: "\n") + "\n"
        for arguments in [["score", hyp, "-"], ["score", "/dev/stdin", ref], ["score", "-", ref]] {
            let r = try run(arguments, stdin: text)
            XCTAssertEqual(r.status, 0, "\(arguments): \(r.stderr)")
            XCTAssertEqual(r.stdout, files.stdout, "\(arguments)")
        }
        let twice = try run(["score", "-", "-"], stdin: text)
        XCTAssertNotEqual(twice.status, 0)

        // evaluate: sources from standard input, translations to standard output, scores to standard error.
        let evaluated = try run(["evaluate", "--model", T.path("m.s2s"), "-", ref, "--output", "-"], stdin: src.joined(separator: "\n") + "\n")
        XCTAssertEqual(evaluated.status, 0, evaluated.stderr)
        XCTAssertEqual(evaluated.stdoutLines.count, src.count)
        XCTAssertTrue(evaluated.stderr.contains("BLEU = "), evaluated.stderr)

        // translate --output: a file, or - for standard output.
        let file = scratch + "/out.fr"
        let written = try run(["translate", "--model", T.path("m.s2s"), "--output", file], stdin: src[0] + "\n" + src[1] + "\n")
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertEqual(written.stdout, "")
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), tgt[0] + "\n" + tgt[1] + "\n")
        let dash = try run(["translate", "--model", T.path("m.s2s"), "--output", "-", src[0]])
        XCTAssertEqual(dash.stdoutLines, [tgt[0]])

        // vocab: one side from standard input.
        let vocab = try run(["vocab", "-", T.path("train.fr"), "--out", scratch + "/vocab"], stdin: src.joined(separator: "\n") + "\n")
        XCTAssertEqual(vocab.status, 0, vocab.stderr)
        let sourceVocab = try String(contentsOfFile: scratch + "/vocab/src.vocab", encoding: .utf8)
        XCTAssertTrue(sourceVocab.contains("s3\t"), sourceVocab)
    }

    func testAReaderThatStopsEarlyEndsTheCommandQuietly() throws {
        let r = try shell("""
            set -o pipefail
            for i in $(seq 1 3000); do echo "s1 s2 s3."; done > big.en
            s2s translate --model '\(T.path("m.s2s"))' --beam 1 < big.en | head -1
            """)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 1)
        XCTAssertEqual(r.stderr, "")
    }

    static let commands = ["", "vocab", "train", "translate", "evaluate", "score", "models", "shortlist", "average",
                           "plot", "serve"]

    func help(_ command: String) throws -> String {
        let r = try run((command.isEmpty ? [] : [command]) + ["--help"], env: ["COLUMNS": "80"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout
    }

    /// At 80 columns no line is longer, and no line stops early inside a paragraph: a line whose next line
    /// (same indentation, continuing the sentence) starts with a word that would have fitted (the help
    /// wraps at 79 columns) was broken by hand in the source, and the help wrapped it a second time.
    func testHelpReadsCleanlyAtEightyColumns() throws {
        for command in Self.commands {
            let lines = try help(command).components(separatedBy: "\n")
            for (i, line) in lines.enumerated() {
                XCTAssertLessThanOrEqual(line.count, 80, "s2s \(command) --help: too long: \(line)")
                guard i + 1 < lines.count else { continue }
                let next = lines[i + 1]
                let indent = line.prefix { $0 == " " }.count, nextIndent = next.prefix { $0 == " " }.count
                let trimmed = next.drop { $0 == " " }
                // An indented line (an example, an option's help) that the help had to wrap leaves its
                // tail at the left margin.
                if indent > 0, nextIndent == 0, let initial = trimmed.first, initial.isLowercase {
                    XCTFail("s2s \(command) --help wraps a line:\n\(line)\n\(next)")
                }
                guard indent == nextIndent, !line.trimmingCharacters(in: .whitespaces).isEmpty,
                      let first = trimmed.split(separator: " ").first, let initial = first.first,
                      initial.isLowercase || initial == "(", !trimmed.hasPrefix("s2s "), !line.hasSuffix(":"),
                      !line.drop(while: { $0 == " " }).hasPrefix("s2s ")  // an example, not a paragraph
                else { continue }
                XCTAssertGreaterThan(line.count + 1 + first.count, 79,
                                     "s2s \(command) --help breaks early:\n\(line)\n\(next)")
            }
        }
    }

    /// An example command: its words after "s2s", and the file its standard input comes from, if any.
    struct Example { var words: [String]; var stdin: String? }

    /// The s2s command lines of a text: lines that start with "s2s " (after indentation, "$ " or a pipe),
    /// up to a comment, a redirection or a pipe, split into words (double quotes group).
    static func exampleCommands(in text: String) -> [Example] {
        var out: [Example] = []
        for raw in text.components(separatedBy: "\n") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("$ ") { line.removeFirst(2) }
            var stdin: String?
            if let pipe = line.range(of: "| s2s ") {
                // `producer < file | s2s …`: the producer's input stands in for what it would print.
                stdin = line[..<pipe.lowerBound].components(separatedBy: "< ").dropFirst().first?
                    .split(separator: " ").first.map(String.init)
                line = String(line[line.index(after: pipe.lowerBound)...]).trimmingCharacters(in: .whitespaces)
            }
            guard line.hasPrefix("s2s ") else { continue }
            if stdin == nil, let redirect = line.range(of: " < ") {
                stdin = line[redirect.upperBound...].split(separator: " ").first.map(String.init)
            }
            var words: [String] = [], word = "", quoted = false, started = false
            for c in line.dropFirst(4) {
                if c == "\"" { quoted.toggle(); started = true; continue }
                if !quoted && (c == "#" || c == "<" || c == ">" || c == "|") { break }
                if !quoted && c == " " {
                    if started { words.append(word) }
                    word = ""; started = false
                } else {
                    word.append(c); started = true
                }
            }
            if started { words.append(word) }
            // Usage summaries ("s2s train [SRC TGT] …") are not commands.
            if words.contains(where: { $0.hasPrefix("[") || $0.hasPrefix("<") || $0 == "..." }) { continue }
            out.append(Example(words: words, stdin: stdin))
        }
        return out
    }

    /// Every example command in every --help and in the README works: each is run in a directory that
    /// holds the files it names (the tiny corpus under every name; the tiny model, its checkpoint and its
    /// training log under the names the examples give them). Training examples, which would train for
    /// minutes, are parsed and validated only (S2S_CHECK_ARGUMENTS=1); `make demo` runs a real training.
    func testEveryExampleWorks() throws {
        var examples: [(String, Example)] = []
        for command in Self.commands {
            examples += Self.exampleCommands(in: try help(command)).map { ("s2s \(command) --help", $0) }
        }
        let readme = try String(contentsOfFile: fixturePath("../../README.md"), encoding: .utf8)
        examples += Self.exampleCommands(in: readme).map { ("README.md", $0) }
        XCTAssertGreaterThan(examples.count, 25, "the examples were not found")

        let work = scratch + "/work", fm = FileManager.default
        try fm.createDirectory(atPath: work + "/Corpora/bundled", withIntermediateDirectories: true)
        for side in ["en", "fr"] {
            let corpus = T.path("train.\(side)")
            for name in ["train", "a", "dev", "test", "Corpora/bundled/train", "Corpora/bundled/dev"] {
                try fm.copyItem(atPath: corpus, toPath: "\(work)/\(name).\(side)")
            }
        }
        for name in ["out.fr", "test2.fr"] { try fm.copyItem(atPath: T.path("train.fr"), toPath: work + "/" + name) }
        for name in ["model.s2s", "en-fr.s2s", "step-20k.s2s", "step-25k.s2s"] {
            try fm.copyItem(atPath: T.path("m.s2s"), toPath: work + "/" + name)
        }
        try fm.copyItem(atPath: T.path("m.s2s.ckpt"), toPath: work + "/model.s2s.ckpt")
        for name in ["model", "gru", "lstm"] {
            try fm.copyItem(atPath: T.path("m.s2s.log.jsonl"), toPath: "\(work)/\(name).s2s.log.jsonl")
        }

        var ran = 0
        for (source, example) in examples {
            // Training and serving would run for minutes or for ever: their arguments are only checked.
            let checkOnly = ["train", "serve"].contains(example.words.first)
            let input = try example.stdin.map { try String(contentsOfFile: work + "/" + $0, encoding: .utf8) }
            let r = try run(example.words, stdin: input, env: checkOnly ? ["S2S_CHECK_ARGUMENTS": "1"] : [:])
            XCTAssertEqual(r.status, 0, "\(source): s2s \(example.words.joined(separator: " ")): \(r.stderr)")
            if example.words.first == "serve" {  // `s2s serve` hands its arguments to s2s-serve: check them there
                let server = try S2SCommand.binaryURL().deletingLastPathComponent().appendingPathComponent("s2s-serve").path
                let words = Array(example.words.dropFirst()).map { "'\($0)'" }.joined(separator: " ")
                let checked = try S2SCommand.shell("cd '\(work)' && S2S_CHECK_ARGUMENTS=1 '\(server)' \(words) 2>&1")
                XCTAssertEqual(checked.status, 0, "\(source): s2s \(example.words.joined(separator: " ")): \(checked.stdout)")
            }
            if !checkOnly { ran += 1 }
        }
        XCTAssertGreaterThan(ran, 15, "most examples run for real")
    }

    /// `make install` into a DESTDIR, then a fresh shell with only that bin directory (and the system's)
    /// on its PATH translates with the default model; `make uninstall` removes everything it put there.
    func testMakeInstallIntoDestdir() throws {
        let repository = URL(fileURLWithPath: fixturePath("")).deletingLastPathComponent().deletingLastPathComponent().path
        let destdir = scratch + "/dest", data = scratch + "/data"
        _ = try run(["models", "--set-default", T.path("m.s2s")])
        let install = try shell("make -C '\(repository)' install DESTDIR='\(destdir)' PREFIX=/usr 2>&1",
                                env: ["S2S_SCRATCH_PATH": scratch + "/build"])
        XCTAssertEqual(install.status, 0, install.stdout + install.stderr)
        let root = destdir + "/usr"
        for file in ["bin/s2s", "share/bash-completion/completions/s2s", "share/zsh/site-functions/_s2s",
                     "share/fish/vendor_completions.d/s2s.fish", "share/man/man1/s2s.1", "share/man/man1/s2s-translate.1"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/" + file), "\(file) not installed")
        }
        let bash = try String(contentsOfFile: root + "/share/bash-completion/completions/s2s", encoding: .utf8)
        XCTAssertTrue(bash.contains("translate") && bash.contains("--cell"), "the completions know the commands")
        let man = try String(contentsOfFile: root + "/share/man/man1/s2s-translate.1", encoding: .utf8)
        XCTAssertTrue(man.contains("nbest"), "the man page documents the options")

        let (src, tgt) = T.corpus()
        let fresh = try shell("env -i HOME='\(scratch)' XDG_DATA_HOME='\(data)' PATH='\(root)/bin:/usr/bin:/bin' bash --norc -c 's2s translate \"\(src[0])\"'")
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertEqual(fresh.stdout, tgt[0] + "\n")

        let uninstall = try shell("make -C '\(repository)' uninstall DESTDIR='\(destdir)' PREFIX=/usr 2>&1")
        XCTAssertEqual(uninstall.status, 0, uninstall.stdout)
        let left = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String }
            .filter { !((try? FileManager.default.attributesOfItem(atPath: root + "/" + $0)[.type] as? FileAttributeType) == .typeDirectory) } ?? []
        XCTAssertEqual(left, [], "make uninstall left files behind")
    }
}
