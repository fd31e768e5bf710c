import Foundation
import Testing
import TestSupport

@Suite struct UsageErrorTests {
    /// Returns the usage line that `praas-db COMMAND --help` prints, without its `USAGE: ` label.
    static func usageLine(of command: String, in directory: TemporaryDirectory) throws -> String {
        let help = try CLI.run([command, "--help"], in: directory.path).standardOutput
        let line = help.split(separator: "\n").first { $0.hasPrefix("USAGE: ") } ?? ""
        return String(line.dropFirst("USAGE: ".count))
    }

    static let programUsage = "praas-db [--db <path>] [--busy-timeout <seconds>] [--verbose] <command> [<options>]"

    @Test func missingArgumentIsExact() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["import"], in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardOutput == "")
        #expect(
            result.standardError == """
                Error: Missing expected argument '<file>'.
                Usage: praas-db import <file>
                  See 'praas-db import --help' for more information.

                """)
    }

    @Test(arguments: [
        (["nodes", "--depth", "-1"], "nodes", "Invalid value '-1' for '--depth <d>': expected a whole number of at least 0."),
        (["nodes", "--format", "xml"], "nodes", "Invalid value 'xml' for '--format <format>': expected one of 'table', 'json', 'csv'."),
        (["nodes", "--dept", "1"], "nodes", "Unknown option '--dept'. Did you mean '--depth'?"),
        (["status", "extra"], "status", "Unexpected argument 'extra'."),
        (["export", "--output"], "export", "Missing value for '--output <file>'."),
        (["--db", "a.db", "status", "--db", "b.db"], "status", "'--db' was given more than once; give it once."),
        (["containers", "--json=yes"], "containers", "The flag '--json' takes no value."),
        (["status", "--json", "--format", "csv"], "status",
         "'--json' and '--format csv' cannot be combined, because --json means --format json; give one of them"),
        (["tree", "--format", "table", "--json"], "tree",
         "'--json' and '--format table' cannot be combined, because --json means --format json; give one of them"),
        (["balloon", "hbo", "--depth", "1", "--json", "--format", "table"], "balloon",
         "'--json' and '--format table' cannot be combined, because --json means --format json; give one of them"),
        (["sql", "SELECT 1", "--format", "csv", "--json"], "sql",
         "'--json' and '--format csv' cannot be combined, because --json means --format json; give one of them"),
    ])
    func commandUsageErrorIsReported(arguments: [String], command: String, message: String) throws {
        let directory = TemporaryDirectory()
        let usage = try Self.usageLine(of: command, in: directory)
        #expect(usage.hasPrefix("praas-db \(command)"))

        let result = try CLI.run(arguments, in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardOutput == "")
        #expect(
            result.standardError
                == "Error: \(message)\nUsage: \(usage)\n  See 'praas-db \(command) --help' for more information.\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test(arguments: [
        (["--busy-timeout", "soon", "status"],
         "Invalid value 'soon' for '--busy-timeout <seconds>': expected a number of seconds from 0 to 86400."),
        (["--busy-timeout", "86401", "status"],
         "Invalid value '86401' for '--busy-timeout <seconds>': expected a number of seconds from 0 to 86400."),
        ([], "No command given. Run 'praas-db help' to list the commands."),
        (["frobnicate"], "Unknown command 'frobnicate'. Run 'praas-db help' to list the commands."),
        (["ballon"], "Unknown command 'ballon'. Did you mean 'balloon'?"),
        (["help", "stauts"], "Unknown command 'stauts'. Did you mean 'status'?"),
        (["--depth", "1", "nodes"], "Unknown option '--depth'; give it after the command's name."),
    ])
    func programUsageErrorIsReported(arguments: [String], message: String) throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(arguments, in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardOutput == "")
        #expect(
            result.standardError
                == "Error: \(message)\nUsage: \(Self.programUsage)\n  See 'praas-db --help' for more information.\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
