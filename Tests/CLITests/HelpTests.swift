import Foundation
import Testing

@testable import praas_db
import TestSupport

/// Help, discovery and near-miss suggestions, through the real binary.
@Suite struct HelpTests {
    /// The command names in the program's help, in the order it lists them.
    static func commandNames(inHelp help: String) -> [String] {
        var names: [String] = []
        var inCommandList = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasSuffix(":"), !line.hasPrefix(" ") {
                inCommandList = !["USAGE:", "GLOBAL OPTIONS:", "ENVIRONMENT:", "EXIT CODES:"].contains(String(line))
                    && !line.hasPrefix("OVERVIEW")
                continue
            }
            guard inCommandList, line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first else { continue }
            names.append(String(name))
        }
        return names
    }

    @Test func helpListsEveryCommand() throws {
        let directory = TemporaryDirectory()
        let help = try CLI.run(["help"], in: directory.path).standardOutput
        // Help lists the commands by group, each group where its first command is.
        var groups: [String] = []
        for command in Program.commands where !groups.contains(command.spec.group) {
            groups.append(command.spec.group)
        }
        let expected = groups.flatMap { group in Program.commands.filter { $0.spec.group == group }.map(\.spec.name) }
        #expect(Self.commandNames(inHelp: help) == expected)
    }

    @Test func everyCommandHasSummaryAndExample() throws {
        #expect(Program.commands.count >= 30)
        for command in Program.commands.map(\.spec) {
            #expect(!command.summary.isEmpty, "\(command.name) has no summary")
            #expect(command.summary.hasSuffix("."), "\(command.name): the summary is a sentence")
            #expect(!command.examples.isEmpty, "\(command.name) has no example")
            for example in command.examples {
                #expect(example.commandLine.hasPrefix("praas-db "), "\(command.name): \(example.commandLine)")
                #expect(!example.explanation.isEmpty, "\(command.name): \(example.commandLine) has no explanation")
            }
            for option in command.options {
                #expect(!option.help.isEmpty, "\(command.name) \(option.name) has no help")
            }
        }
    }

    @Test func everyCommandHelpShowsExamples() throws {
        let directory = TemporaryDirectory()
        for command in Program.commands.map(\.spec) {
            let result = try CLI.run([command.name, "--help"], in: directory.path)
            #expect(result.exitCode == 0, "\(command.name)")
            #expect(result.standardError == "")
            #expect(result.standardOutput.hasPrefix("OVERVIEW: "), "\(command.name)")
            #expect(result.standardOutput.contains("\nUSAGE: praas-db \(command.name)"), "\(command.name)")
            #expect(result.standardOutput.contains("\nEXAMPLES:\n  praas-db "), "\(command.name) has no example")
            for option in command.options where option.isRequired {
                #expect(result.standardOutput.contains("(required)"), "\(command.name) \(option.name) is not marked required")
            }
        }
    }

    /// Lines of help text fit 80 columns. Usage lines and example command lines are
    /// exempt: they are copied, not read, and a break would change them.
    @Test func helpFitsEightyColumns() throws {
        let directory = TemporaryDirectory()
        var texts = [("help", try CLI.run(["help"], in: directory.path).standardOutput)]
        for command in Program.commands.map(\.spec) {
            texts.append((command.name, try CLI.run([command.name, "--help"], in: directory.path).standardOutput))
        }
        for (name, text) in texts {
            for line in text.split(separator: "\n") where line.count > 80 {
                let exempt = line.hasPrefix("USAGE: ") || line.hasPrefix("  praas-db ")
                #expect(exempt, "\(name): \(line.count) columns: \(line)")
            }
            #expect(!text.contains("(default:\n"), "\(name): a default is split across lines")
            #expect(!text.split(separator: "\n").contains { $0.hasSuffix("(default:") }, "\(name)")
        }
    }

    @Test func exitCodesInHelpMatchTable() throws {
        let directory = TemporaryDirectory()
        let help = try CLI.run(["help"], in: directory.path).standardOutput
        for code in ExitCode.allCases {
            let number = String(code.rawValue)
            let prefix = "\n  " + number + String(repeating: " ", count: 6 - number.count)
            #expect(help.contains(prefix + code.meaning.prefix(20)), "exit code \(number)")
        }
    }

    // MARK: - Parser behaviour through the binary

    @Test func doubleDashBeforeCommand() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["--", "topologies"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.hasPrefix("NAME "))
    }

    @Test func versionAfterCommand() throws {
        let directory = TemporaryDirectory()
        let before = try CLI.run(["--version"], in: directory.path)
        let after = try CLI.run(["status", "--version"], in: directory.path)
        #expect(after.exitCode == 0)
        #expect(after.standardOutput == before.standardOutput)
    }

    @Test func repeatedFlagIsUsageError() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["--verbose", "tree", "--verbose"], in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardError.hasPrefix("Error: '--verbose' was given more than once; give it once.\nUsage: praas-db tree "))
    }

    // MARK: - Near-miss suggestions

    @Test(arguments: [
        (["ballon", "hbo"], "Error: Unknown command 'ballon'. Did you mean 'balloon'?"),
        (["help", "grpah"], "Error: Unknown command 'grpah'. Did you mean 'graph'?"),
        (["tree", "--contianer", "hbo"], "Error: Unknown option '--contianer'. Did you mean '--container'?"),
        (["graph", "--proximty"], "Error: Unknown option '--proximty'. Did you mean '--proximity'?"),
    ])
    func commandAndOptionSuggestions(arguments: [String], firstLine: String) throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(arguments, in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardError.split(separator: "\n").first.map(String.init) == firstLine)
    }

    @Test(arguments: [
        (["tree", "--root", "n13"], "Error: node \"n13\" not found; did you mean \"N13\"?"),
        (["tree", "--container", "fortnite"], "Error: container \"fortnite\" not found; did you mean \"Fortnite\"?"),
        (["balloon", "hbbo", "--depth", "2"], "Error: container \"hbbo\" not found; did you mean \"hbo\"?"),
        (["fog", "Fortnite", "--node", "n76"], "Error: node \"n76\" not found; did you mean \"N76\"?"),
    ])
    func nameSuggestions(arguments: [String], message: String) throws {
        let demo = try DemoDatabase()
        let result = try demo.run(arguments)
        #expect(result.exitCode == 3)
        #expect(result.standardError.hasPrefix(message + "\n"), "\(result.standardError)")
    }
}
