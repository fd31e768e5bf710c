import Foundation
import Testing

@testable import praas_db
import TestSupport

/// Runs every example of every command's help, and the README's first session,
/// as a reader would type them: through bash, in a fresh folder holding a demo
/// database as ./praas.db.
@Suite struct ExamplesTests {
    /// Examples that are not run, and why.
    static let notRun: [String: String] = [
        "praas-db generate --nodes 1000000 --output national.json": "writes about 600 MB",
    ]

    /// Examples that fail on the demo database on purpose, with the exit code.
    static let intendedFailures: [String: Int32] = [
        // hbo runs on 64 nodes in the demo; the example is for a container that runs nowhere.
        "praas-db unregister hbo --yes": 4
    ]

    /// Commands whose examples create a database, so they run where none exists yet.
    static let creatingDatabase: Set = ["init", "import"]

    /// Command lines run before a command's examples, so that the change or the
    /// placement an example names exists: the demo leaves revision 7 and changes 1
    /// to 6, so the next change is 7.
    static let setup: [String: [String]] = [
        "approve": ["praas-db balloon hbo --depth 1"],
        "deploy": ["praas-db balloon hbo --depth 1", "praas-db approve 7"],
        "reject": ["praas-db balloon hbo --depth 1"],
        "remove": ["praas-db place Fortnite --node N77 --yes"],
        "move": ["praas-db place Fortnite --node N77 --yes"],
        "check": ["praas-db backup praas-$(date +%F).db"],
    ]

    /// A folder as a reader has it after the quick start: praas.db from the demo,
    /// copies named as the examples name them, a state file, a home folder, and
    /// the prototype's model where it is in the repository.
    static func prepareFolder() throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        let demo = try CLI.run(["demo", "--db", "praas.db"], in: directory.path)
        guard demo.exitCode == 0 else {
            throw Fixtures.FixtureError(description: "praas-db demo failed: \(demo.standardError)")
        }
        for copy in ["city.db"] {
            try FileManager.default.copyItem(atPath: directory.file("praas.db"), toPath: directory.file(copy))
        }
        try CLI.run(["export", "--output", "state.json"], in: directory.path)
        try FileManager.default.createDirectory(atPath: directory.file("home/.config/fish/completions"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory.file("Tests/Prototype"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: PrototypeModel.script, toPath: directory.file("Tests/Prototype/praas_prototype.py"))
        return directory
    }

    /// Runs `commandLine` with bash in `directory`, with `praas-db` on PATH and
    /// HOME inside the folder.
    static func runCommandLine(
        _ commandLine: String, in directory: TemporaryDirectory, environment: [String: String] = [:]
    ) throws -> CommandResult {
        let binaryFolder = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().path
        var variables = [
            "PATH": binaryFolder + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "HOME": directory.file("home"), "PRAAS_DB": "", "USER": "tester", "NO_COLOR": "1",
        ]
        variables.merge(environment) { _, new in new }
        return try Tools.run("bash", ["-o", "pipefail", "-c", commandLine], in: directory.path, environment: variables)
    }

    static let commandsWithExamples = Program.commands.map(\.spec).filter { !$0.examples.isEmpty }.map(\.name)

    /// The examples of one command run in order in one fresh folder, so a later
    /// example may use what an earlier one wrote.
    @Test(arguments: commandsWithExamples)
    func helpExamplesRun(command: String) throws {
        let spec = try #require(Program.spec.command(named: command))
        let directory = try Self.prepareFolder()
        if Self.creatingDatabase.contains(command) {
            for file in ["praas.db", "city.db"] {
                try FileManager.default.removeItem(atPath: directory.file(file))
            }
        }
        for commandLine in Self.setup[command] ?? [] {
            let result = try Self.runCommandLine(commandLine, in: directory)
            #expect(result.exitCode == 0, "setup '\(commandLine)': \(result.standardError)")
        }
        for example in spec.examples where Self.notRun[example.commandLine] == nil {
            let result = try Self.runCommandLine(example.commandLine, in: directory)
            let expected = Self.intendedFailures[example.commandLine] ?? 0
            #expect(
                result.exitCode == expected,
                "'\(example.commandLine)' exited with \(result.exitCode): \(result.standardError)")
        }
    }

    /// Returns the README's section under `## title`, up to the next section.
    static func readmeSection(_ title: String) throws -> String {
        let readme = try Fixtures.packageFile("README.md")
        return readme.components(separatedBy: "## \(title)\n").dropFirst().first?.components(separatedBy: "\n## ").first ?? ""
    }

    /// Returns the commands of the `sh` blocks in `text`. A line that starts in
    /// the first column starts a command, and an indented line continues it.
    static func shellCommands(in text: String) -> [String] {
        var commands: [String] = []
        var inBlock = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inBlock = line == "```sh"
                continue
            }
            guard inBlock, !line.isEmpty else { continue }
            if line.hasPrefix(" "), !commands.isEmpty {
                commands[commands.count - 1] += "\n" + line
            } else {
                commands.append(String(line))
            }
        }
        return commands
    }

    /// Returns the `$ praas-db ...` lines of the `console` blocks in `text`, each
    /// with the output lines shown after it. Blank lines and the `  ...` that stands for
    /// left-out lines are dropped.
    static func consoleTranscripts(in text: String) -> [(commandLine: String, output: [String])] {
        var transcripts: [(commandLine: String, output: [String])] = []
        var inBlock = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inBlock = line == "```console"
                continue
            }
            guard inBlock else { continue }
            if line.hasPrefix("$ ") {
                transcripts.append((String(line.dropFirst(2)), []))
            } else if !line.isEmpty, line != "  ...", !transcripts.isEmpty {
                transcripts[transcripts.count - 1].output.append(String(line))
            }
        }
        return transcripts
    }

    /// Returns the lines of `shown` that are missing from `actual`, which must
    /// hold them in the same order, with UTC timestamps compared as `<time>`.
    static func linesMissing(_ shown: [String], from actual: String) -> [String] {
        func normalized(_ line: some StringProtocol) -> String {
            String(line).replacingOccurrences(
                of: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z"#, with: "<time>", options: .regularExpression)
        }
        var remaining = actual.split(separator: "\n", omittingEmptySubsequences: false).map(normalized)[...]
        var missing: [String] = []
        for line in shown.map(normalized) {
            if let index = remaining.firstIndex(of: line) {
                remaining = remaining[(index + 1)...]
            } else {
                missing.append(line)
            }
        }
        return missing
    }

    /// The README's first session, run in order in an empty folder as user alice:
    /// each command succeeds and prints the lines the README shows.
    @Test func readmeFirstSessionMatchesBinary() throws {
        let transcripts = Self.consoleTranscripts(in: try Self.readmeSection("A first session"))
        #expect(transcripts.count == 6)
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("home"), withIntermediateDirectories: true)
        for (commandLine, shown) in transcripts {
            let result = try Self.runCommandLine(commandLine, in: directory, environment: ["PRAAS_DB_USER": "alice"])
            #expect(result.exitCode == 0, "'\(commandLine)' exited with \(result.exitCode): \(result.standardError)")
            #expect(!shown.isEmpty, "'\(commandLine)' shows no output in the README")
            #expect(Self.linesMissing(shown, from: result.standardOutput) == [], "'\(commandLine)' prints other lines")
        }
    }

    /// Every README command that names the demo's database runs as written in a
    /// folder where `praas-db demo` ran, and none creates ./praas.db. Each `sql`
    /// query prints the same rows as the `sqlite3` command after it. The graph
    /// commands run only where Graphviz's `dot` is installed.
    @Test(.enabled(if: Tools.path(of: "sqlite3") != nil))
    func readmeDemoExamplesRun() throws {
        let readme = try Fixtures.packageFile("README.md")
        let commands = Self.shellCommands(in: readme).filter { $0.contains("praas-demo.db") }
        #expect(commands.count == 12)
        let directory = TemporaryDirectory()
        let demo = try Self.runCommandLine("praas-db demo", in: directory)
        #expect(demo.exitCode == 0, "\(demo.standardError)")
        // The graph examples write the README's pictures to docs/images.
        try FileManager.default.createDirectory(atPath: directory.file("docs/images"), withIntermediateDirectories: true)

        var lastQueryRows: [String]?
        for commandLine in commands {
            if commandLine.contains(" graph "), Tools.path(of: "dot") == nil {
                continue
            }
            let result = try Self.runCommandLine(commandLine, in: directory)
            #expect(result.exitCode == 0, "'\(commandLine)' exited with \(result.exitCode): \(result.standardError)")
            #expect(result.standardError == "", "'\(commandLine)'")
            #expect(!result.standardOutput.isEmpty, "'\(commandLine)' printed nothing")
            let lines = result.standardOutput.split(separator: "\n").map(String.init)
            if commandLine.hasPrefix("praas-db --db praas-demo.db sql ") {
                // The table's columns are two or more spaces apart; no value here contains two spaces.
                lastQueryRows = lines.dropFirst().map {
                    $0.replacingOccurrences(of: " {2,}", with: "|", options: .regularExpression)
                }
            } else if commandLine.hasPrefix("sqlite3 ") {
                #expect(lines == lastQueryRows, "'\(commandLine)' and the sql command before it differ")
                lastQueryRows = nil
            }
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("praas.db")))
    }

    /// The README's tree of the demo database is what `tree` prints.
    @Test func readmeTreeMatchesBinary() throws {
        let transcripts = Self.consoleTranscripts(in: try Self.readmeSection("Seeing the network"))
        #expect(transcripts.count == 1)
        let directory = TemporaryDirectory()
        let demo = try Self.runCommandLine("praas-db demo", in: directory)
        #expect(demo.exitCode == 0, "\(demo.standardError)")
        for (commandLine, shown) in transcripts {
            let result = try Self.runCommandLine(commandLine, in: directory)
            #expect(result.exitCode == 0, "'\(commandLine)': \(result.standardError)")
            #expect(result.standardOutput == shown.joined(separator: "\n") + "\n")
        }
    }
}
