import Foundation
import PraaSDB
import Testing
import TestSupport

@Suite struct VersionAndHelpTests {
    @Test func versionNamesSchemaAndSQLite() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["--version"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(
            result.standardOutput
                == "praas-db \(PraaSDB.version) (schema version \(Migration.latestVersion), SQLite \(Database.sqliteVersion))\n")
        #expect(result.standardError == "")
    }

    @Test func helpGoesToStandardOutput() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["--help"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardError == "")
        #expect(
            result.standardOutput.hasPrefix(
                "OVERVIEW: The source of truth for where containers run in an ISP's access\n          network.\n"))
        #expect(
            result.standardOutput.contains(
                "\nUSAGE: praas-db [--db <path>] [--busy-timeout <seconds>] [--verbose] <command> [<options>]\n"))
        for command in ["init", "import", "export", "topologies", "topology", "schema", "status", "nodes", "containers"] {
            #expect(result.standardOutput.contains("\n  \(command) "), "\(command)")
        }
        #expect(result.standardOutput.contains("\n  --busy-timeout <seconds>\n"))
        #expect(result.standardOutput.contains("(default: 30)"))
        #expect(result.standardOutput.contains("\n  65    An invalid state file or JSON input.\n"))
        #expect(result.standardOutput.hasSuffix("\nSee 'praas-db help <command>' for a command's options and examples.\n"))
    }

    @Test func helpFormsAgree() throws {
        let directory = TemporaryDirectory()
        let long = try CLI.run(["--help"], in: directory.path)
        let short = try CLI.run(["-h"], in: directory.path)
        let word = try CLI.run(["help"], in: directory.path)
        #expect(short.standardOutput == long.standardOutput)
        #expect(word.standardOutput == long.standardOutput)
    }

    @Test func helpHelpShowsItsUsage() throws {
        let directory = TemporaryDirectory()
        for arguments in [["help", "help"], ["help", "--help"], ["help", "-h"]] {
            let result = try CLI.run(arguments, in: directory.path)
            #expect(result.exitCode == 0, "\(arguments)")
            #expect(result.standardError == "", "\(arguments)")
            #expect(
                result.standardOutput.hasPrefix(
                    """
                    OVERVIEW: Show help for the program or a command.

                    Without a command, lists every command and the global options. 'praas-db help
                    COMMAND' is the same as 'praas-db COMMAND --help'.

                    USAGE: praas-db help [<command>]

                    """), "\(arguments)")
            #expect(result.standardOutput.hasSuffix("  praas-db help demo\n      Show the options and examples of demo.\n"), "\(arguments)")
        }
    }

    @Test func commandHelpIsExact() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["topology", "--help"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardError == "")
        #expect(
            result.standardOutput == """
                OVERVIEW: Write a built-in topology to standard output as a state file.

                USAGE: praas-db topology <name>

                ARGUMENTS:
                  <name>                  The topology, such as oslo-80.

                OPTIONS:
                  -h, --help              Show this help.

                GLOBAL OPTIONS:
                  --db <path>             The database file. Falls back to $PRAAS_DB, then to
                                          praas.db in the working directory.
                  --busy-timeout <seconds>
                                          How long to wait for another process's lock on the
                                          database before giving up, in seconds from 0 to 86400
                                          (one day), such as 30 or 0.5. (default: 30)
                  --verbose               Print each SQL statement and its run time, in
                                          milliseconds to the microsecond, to standard error.

                EXAMPLES:
                  praas-db topology oslo-80 > oslo-80.json
                      Save the Oslo network as a state file to edit or import.

                """)
        let word = try CLI.run(["help", "topology"], in: directory.path)
        #expect(word.standardOutput == result.standardOutput)
    }

    @Test func everyCommandHasSummaryAndExample() throws {
        let directory = TemporaryDirectory()
        let help = try CLI.run(["--help"], in: directory.path).standardOutput
        let commands = help.split(separator: "\n")
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") && !$0.hasPrefix("  -") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.allSatisfy { $0.isLowercase || $0 == "-" } && !$0.isEmpty }
        #expect(commands.count >= 9)
        for command in commands where !["PRAAS_DB", "PRAAS_DB_USER", "NO_COLOR"].contains(command) {
            let result = try CLI.run([command, "--help"], in: directory.path)
            #expect(result.exitCode == 0, "\(command)")
            #expect(result.standardOutput.hasPrefix("OVERVIEW: "), "\(command)")
            #expect(result.standardOutput.contains("\nEXAMPLES:\n  praas-db "), "\(command) has no example")
        }
    }
}
