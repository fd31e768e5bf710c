import Foundation
import PraaSDB
import Testing
import TestSupport

@Suite struct GenerateCommandTests {
    static let usage =
        "Usage: praas-db generate --nodes <n> [--depth <d>] [--fanout <f>] [--seed <s>] [--households <h>] "
        + "[--output <file>]\n  See 'praas-db generate --help' for more information.\n"

    @Test func outputFileAndStandardOutputAgree() throws {
        let directory = TemporaryDirectory()
        let toFile = try CLI.run(
            ["generate", "--nodes", "80", "--depth", "6", "--seed", "7", "--output", "lab.json"], in: directory.path)
        #expect(toFile.exitCode == 0)
        #expect(toFile.standardOutput == "Generated 80 nodes of depth 0 to 6 (40 leaves, 160 households) in 'lab.json'.\n")
        #expect(toFile.standardError == "")

        let toStandardOutput = try CLI.run(["generate", "--nodes", "80", "--depth", "6", "--seed", "7"], in: directory.path)
        #expect(toStandardOutput.exitCode == 0)
        #expect(toStandardOutput.standardError == "")
        let written = try String(contentsOfFile: directory.file("lab.json"), encoding: .utf8)
        #expect(toStandardOutput.standardOutput == written)
    }

    @Test func sameArgumentsGiveSameFile() throws {
        let directory = TemporaryDirectory()
        let first = try CLI.run(["generate", "--nodes", "500", "--seed", "3", "--households", "4000"], in: directory.path)
        let second = try CLI.run(["generate", "--nodes", "500", "--seed", "3", "--households", "4000"], in: directory.path)
        let otherSeed = try CLI.run(["generate", "--nodes", "500", "--seed", "4", "--households", "4000"], in: directory.path)
        #expect(first.exitCode == 0)
        #expect(first.standardOutput == second.standardOutput)
        #expect(first.standardOutput != otherSeed.standardOutput)
    }

    @Test func generatedFileImportsAndExportsUnchanged() throws {
        let directory = TemporaryDirectory()
        let generated = try CLI.run(["generate", "--nodes", "3000", "--output", "net.json"], in: directory.path)
        #expect(generated.exitCode == 0)

        let imported = try CLI.run(["--db", "net.db", "import", "net.json"], in: directory.path)
        #expect(imported.exitCode == 0)
        #expect(imported.standardOutput == "Imported 'net.json' into 'net.db': 3000 nodes, 0 containers, 0 placements; revision 1.\n")
        // Standard error is a file here, not a terminal, so no progress bar is drawn.
        #expect(imported.standardError == "")

        let exported = try CLI.run(["--db", "net.db", "export", "--output", "back.json"], in: directory.path)
        #expect(exported.exitCode == 0)
        #expect(exported.standardError == "")
        let original = try Data(contentsOf: URL(fileURLWithPath: directory.file("net.json")))
        let roundTripped = try Data(contentsOf: URL(fileURLWithPath: directory.file("back.json")))
        #expect(original == roundTripped)

        let streamed = try CLI.run(["--db", "net.db", "export"], in: directory.path)
        #expect(streamed.standardError == "")
        #expect(Data(streamed.standardOutput.utf8) == original)
    }

    @Test(arguments: [
        (["--nodes", "0"], "Invalid value '0' for '--nodes <n>': expected a whole number of at least 1."),
        (
            ["--nodes", "10000001"],
            "Invalid value '10000001' for '--nodes <n>': expected a whole number of at most 10000000."
        ),
        (["--nodes", "ten"], "Invalid value 'ten' for '--nodes <n>': expected a whole number."),
        (["--nodes", "10", "--fanout", "1"], "Invalid value '1' for '--fanout <f>': expected a whole number of at least 2."),
        (["--nodes", "10", "--depth", "101"], "Invalid value '101' for '--depth <d>': expected a whole number of at most 100."),
        (
            ["--nodes", "10", "--seed", "-1"],
            "Invalid value '-1' for '--seed <s>': expected a whole number from 0 to 18446744073709551615."
        ),
        (
            ["--nodes", "10", "--households", "100000001"],
            "Invalid value '100000001' for '--households <h>': expected a whole number of at most 100000000."
        ),
        (
            ["--nodes", "1000", "--depth", "2", "--fanout", "4"],
            "--depth 2 is too small for 1000 nodes with --fanout 4: a tree of depth 2 holds at most 17 nodes; "
                + "raise --depth to at least 8 or --fanout to at least 36"
        ),
        (
            ["--nodes", "5", "--depth", "10"],
            "--depth 10 needs at least 11 nodes, one per depth from 0 to 10; raise --nodes to 11 or lower --depth to 4"
        ),
    ])
    func invalidArgumentExitsWithUsage(arguments: [String], message: String) throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["generate"] + arguments + ["--output", "never.json"], in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardOutput == "")
        #expect(result.standardError == "Error: \(message)\n" + Self.usage)
        #expect(!FileManager.default.fileExists(atPath: directory.file("never.json")))
    }

    @Test func missingNodesIsUsageError() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["generate"], in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardOutput == "")
        #expect(result.standardError.hasPrefix("Error: "))
        #expect(result.standardError.contains("--nodes"))
        #expect(result.standardError.hasSuffix(Self.usage))
    }

    @Test func helpShowsDefaultsAndExamples() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["generate", "--help"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("(default: 32)"))
        #expect(result.standardOutput.contains("(default: 2 per node)"))
        #expect(result.standardOutput.contains("praas-db generate --nodes 1000000 --output national.json"))
    }

    /// Runs `command` under `script`, which gives it a pseudo-terminal for standard
    /// error, and returns what the terminal showed.
    static func runOnTerminal(_ command: String, in directory: String) throws -> String? {
        let candidates = ["/usr/bin/script", "/bin/script"]
        guard let script = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = ["--quiet", "--return", "--command", command, "typescript"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ["PATH": "/usr/bin:/bin", "TERM": "xterm", "USER": "tester"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return try String(contentsOfFile: directory + "/typescript", encoding: .utf8)
    }

    @Test func terminalShowsBarAndClearsIt() throws {
        let directory = TemporaryDirectory()
        let command = "'\(CLI.binary)' generate --nodes 20000 --output big.json"
        guard let screen = try Self.runOnTerminal(command, in: directory.path) else {
            // NOTE: without util-linux's `script`, only the rendering tests cover the bar.
            return
        }
        #expect(screen.contains("\rGenerating nodes  ["))
        #expect(screen.contains(" of 20,000 nodes\u{1B}[K"))
        // The bar is erased before the summary line.
        #expect(screen.contains("\r\u{1B}[KGenerated 20000 nodes"))
    }
}
