import Foundation
import Testing

@testable import praas_db
import TestSupport

/// Every documented exit code, triggered through the real binary.
@Suite struct ExitCodeTests {
    /// Runs `arguments` on a fresh demo database and returns the result.
    static func runOnDemo(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try DemoDatabase().run(arguments, environment: environment)
    }

    @Test func successIsZero() throws {
        let result = try Self.runOnDemo(["status"])
        #expect(result.exitCode == ExitCode.success.rawValue)
        #expect(result.exitCode == 0)
        #expect(result.standardError == "")
    }

    @Test func missingToolIsOne() throws {
        // An empty PATH hides Graphviz's dot, which svg needs.
        let result = try Self.runOnDemo(["graph", "--container", "hbo", "--format", "svg", "--output", "hbo.svg"], environment: ["PATH": "/nonexistent"])
        #expect(result.exitCode == 1)
        #expect(result.standardError.hasPrefix("Error: the svg format needs Graphviz's 'dot' program, which is not on PATH; "))
        #expect(result.standardError.contains("sudo apt-get install graphviz"))
    }

    @Test func notFoundIsThree() throws {
        let result = try Self.runOnDemo(["change", "99"])
        #expect(result.exitCode == 3)
        #expect(result.standardError.hasPrefix("Error: "))
    }

    /// A container, node or customer filter that names nothing exits with 3, as
    /// an unknown name given as an argument does, and names a near miss.
    @Test(arguments: [
        (["history", "--container", "ghost"],
         "container \"ghost\" not found in the history; 'praas-db containers' lists the registered containers"),
        (["history", "--container", "Fortnit"], "container \"Fortnit\" not found in the history; did you mean \"Fortnite\"?"),
        (["history", "--node", "N999"], "node \"N999\" not found; the network's 80 nodes are named N0 to N79"),
        (["history", "--node", "n13"], "node \"n13\" not found; did you mean \"N13\"?"),
        (["history", "--customer", "ghost"],
         "customer \"ghost\" not found in the history; 'praas-db containers' lists the customers of the registered containers"),
        (["price", "--customer", "Epic game"], "customer \"Epic game\" not found in the history; did you mean \"Epic games\"?"),
        (["price", "--container", "hbx"], "container \"hbx\" not found; did you mean \"hbo\"?"),
        (["bill", "--from", "2020-01-01", "--to", "2020-02-01", "--customer", "ghost"],
         "customer \"ghost\" not found in the history; 'praas-db containers' lists the customers of the registered containers"),
    ])
    func unknownFilterNameIsThree(arguments: [String], message: String) throws {
        let result = try Self.runOnDemo(arguments)
        #expect(result.exitCode == 3)
        #expect(result.standardOutput == "")
        #expect(result.standardError == "Error: \(message)\n")
    }

    @Test func constraintViolationIsFour() throws {
        let result = try Self.runOnDemo(["register", "huge", "--memory", "100000", "--cpu", "1", "--customer", "Test"])
        #expect(result.exitCode == 4)
        #expect(result.standardError.hasPrefix("Error: change 7 was rejected: "))
    }

    @Test func staleChangeIsFive() throws {
        let demo = try DemoDatabase()
        #expect(try demo.run(["balloon", "hbo", "--depth", "1"]).exitCode == 0)
        #expect(try demo.run(["balloon", "Fortnite", "--depth", "1", "--yes"]).exitCode == 0)
        let result = try demo.run(["approve", "7"])
        #expect(result.exitCode == 5)
        #expect(result.standardError.hasPrefix("Error: "))
    }

    /// The other causes of 5 that the exit-code table lists.
    @Test func existingStateIsFive() throws {
        let demo = try DemoDatabase()
        let initialize = try demo.run(["init", "--topology", "oslo-80"])
        #expect(initialize.exitCode == 5)
        #expect(initialize.standardError.hasPrefix("Error: database 'demo.db' already exists and holds a topology; "))

        #expect(try demo.run(["export", "--output", "state.json"]).exitCode == 0)
        let importing = try demo.run(["import", "state.json"])
        #expect(importing.exitCode == 5)
        #expect(importing.standardError.hasPrefix("Error: database 'demo.db' already holds a topology (80 nodes at revision 7); "))

        #expect(try demo.run(["set-price", "--base", "11", "--from", "2100-01-01"]).exitCode == 0)
        let price = try demo.run(["set-price", "--base", "12", "--from", "2099-01-01"])
        #expect(price.exitCode == 5)
        #expect(price.standardError.hasPrefix("Error: price list 2 takes effect at 2100-01-01T00:00:00.000Z, after 2099-01-01T00:00:00.000Z; "))
    }

    @Test(.enabled(if: Tools.path(of: "sqlite3") != nil))
    func busyIsSix() throws {
        let demo = try DemoDatabase()
        // A second process takes the write lock and keeps it until its input closes.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: Tools.path(of: "sqlite3")!)
        holder.arguments = [demo.path]
        holder.currentDirectoryURL = URL(fileURLWithPath: demo.directory.path)
        let input = Pipe()
        let marker = demo.directory.file("locked")
        holder.standardInput = input
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        // '.output' and '.print' write the marker file only once BEGIN IMMEDIATE holds the lock.
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\n.output \(marker)\n.print locked\n.output stdout\n".utf8))
        let deadline = Date().addingTimeInterval(10)
        while (try? String(contentsOfFile: marker, encoding: .utf8))?.contains("locked") != true, Date() < deadline {
            usleep(20_000)
        }
        #expect(FileManager.default.fileExists(atPath: marker), "sqlite3 did not take the lock")

        let result = try demo.run(["--busy-timeout", "0.2", "balloon", "hbo", "--depth", "1"])
        #expect(result.exitCode == 6)
        #expect(result.standardError.hasPrefix("Error: "))
    }

    @Test func corruptDatabaseIsSeven() throws {
        let directory = TemporaryDirectory()
        directory.write("corrupt.db", String(repeating: "this is not an SQLite database\n", count: 200))
        let result = try CLI.run(["--db", "corrupt.db", "status"], in: directory.path)
        #expect(result.exitCode == 7)
        #expect(result.standardError.hasPrefix("Error: "))
    }

    @Test func usageErrorIsSixtyFour() throws {
        let result = try Self.runOnDemo(["nodes", "--depth", "-1"])
        #expect(result.exitCode == 64)
        #expect(result.standardError.contains("\n  See 'praas-db nodes --help' for more information.\n"))
    }

    @Test func invalidInputIsSixtyFive() throws {
        let directory = TemporaryDirectory()
        directory.write("bad.json", "{\"nodelist\": [}")
        let result = try CLI.run(["import", "bad.json"], in: directory.path)
        #expect(result.exitCode == 65)
        #expect(result.standardError.hasPrefix("Error: "))
    }

    @Test func fileNotFoundIsSixtySix() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["--db", "missing.db", "status"], in: directory.path)
        #expect(result.exitCode == 66)
        #expect(result.standardError.hasPrefix("Error: "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    /// The README's exit-code table lists the same codes as `ExitCode`, in order.
    @Test func readmeTableMatchesExitCodes() throws {
        let readme = try Fixtures.packageFile("README.md")
        let section = readme.components(separatedBy: "## Exit codes").dropFirst().first ?? ""
        let codes = section.split(separator: "\n")
            .prefix { !$0.hasPrefix("## ") }
            .compactMap { line -> Int32? in
                guard line.hasPrefix("| ") else { return nil }
                return Int32(line.dropFirst(2).prefix { $0.isNumber })
            }
        #expect(codes == ExitCode.allCases.map(\.rawValue))
    }
}
