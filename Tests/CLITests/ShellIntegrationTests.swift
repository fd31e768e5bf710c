import Foundation
import Testing

@testable import praas_db
import TestSupport

/// `names`, `completions` and `man`, through the real binary and real shells.
@Suite struct ShellIntegrationTests {
    // MARK: - names

    @Test func namesListsNodesByPrefix() throws {
        let demo = try DemoDatabase()
        let result = try demo.run(["names", "nodes", "--prefix", "N1"])
        #expect(result.exitCode == 0)
        #expect(result.standardError == "")
        #expect(result.standardOutput == (["N1"] + (10...19).map { "N\($0)" }).map { $0 + "\n" }.joined())
    }

    @Test func namesListsEveryKind() throws {
        let demo = try DemoDatabase()
        #expect(try demo.run(["names", "containers"]).standardOutput == "hbo\nLillestrom\nFortnite\n")
        #expect(try demo.run(["names", "containers", "--prefix", "L"]).standardOutput == "Lillestrom\n")
        #expect(try demo.run(["names", "changes", "--limit", "2"]).standardOutput == "6\n5\n")
        #expect(try demo.run(["names", "nodes", "--limit", "3"]).standardOutput == "N0\nN1\nN2\n")
        #expect(try demo.run(["names", "nodes", "--prefix", "X"]).standardOutput == "")
    }

    @Test func namesOfTopologiesNeedNoDatabase() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["names", "topologies"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.split(separator: "\n").contains("oslo-80"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func namesHonoursEnvironmentDatabase() throws {
        let demo = try DemoDatabase()
        let result = try CLI.run(["names", "containers", "--prefix", "h"], in: demo.directory.path, environment: ["PRAAS_DB": "demo.db"])
        #expect(result.standardOutput == "hbo\n")
    }

    @Test func namesWithoutDatabaseFails() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["--db", "missing.db", "names", "nodes"], in: directory.path)
        #expect(result.exitCode == 66)
        #expect(result.standardOutput == "")
    }

    // MARK: - completions

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptIsValid(shell: String) throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["completions", shell], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardError == "")
        #expect(result.standardOutput.contains("praas-db"))
        let script = directory.write("praas-db.\(shell)", result.standardOutput)

        // zsh and fish are checked only where they are installed; .ci/run installs both.
        guard Tools.path(of: shell) != nil else { return }
        let check = try Tools.run(shell, ["-n", script], in: directory.path)
        #expect(check.exitCode == 0, "\(shell) -n: \(check.standardError)")
        #expect(check.standardError == "")
    }

    /// Runs the bash completion function on `words`, completing the last one,
    /// and returns the candidates.
    static func bashCompletions(_ words: [String], in demo: DemoDatabase) throws -> [String] {
        let script = try CLI.run(["completions", "bash"], in: demo.directory.path).standardOutput
        demo.directory.write("completion.bash", script)
        let quoted = ([CLI.binary] + words).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let driver = """
            source ./completion.bash
            COMP_WORDS=(\(quoted.joined(separator: " ")))
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            COMPREPLY=()
            _praas_db
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        demo.directory.write("driver.bash", driver)
        let result = try Tools.run("bash", ["driver.bash"], in: demo.directory.path)
        #expect(result.exitCode == 0, "bash: \(result.standardError)")
        return result.standardOutput.split(separator: "\n").map(String.init)
    }

    @Test func bashCompletesCommandName() throws {
        let demo = try DemoDatabase()
        #expect(try Self.bashCompletions(["bal"], in: demo) == ["balloon"])
        #expect(try Self.bashCompletions(["--db", "demo.db", "help", "tr"], in: demo) == ["tree"])
    }

    @Test func bashCompletesNodeNameFromDatabase() throws {
        let demo = try DemoDatabase()
        let nodes = try Self.bashCompletions(["--db", "demo.db", "tree", "--root", "N2"], in: demo)
        #expect(nodes == ["N2"] + (20...29).map { "N\($0)" })
    }

    @Test func bashCompletesContainerArgument() throws {
        let demo = try DemoDatabase()
        #expect(try Self.bashCompletions(["--db", "demo.db", "balloon", "Fo"], in: demo) == ["Fortnite"])
        #expect(try Self.bashCompletions(["--db", "demo.db", "balloon", "hbo", "--depth", "2", "--from"], in: demo) == [])
    }

    @Test func bashCompletesOptionsAndChoices() throws {
        let demo = try DemoDatabase()
        #expect(try Self.bashCompletions(["tree", "--as"], in: demo) == ["--ascii"])
        #expect(try Self.bashCompletions(["tree", "--color", "a"], in: demo) == ["auto", "always"])
        #expect(try Self.bashCompletions(["completions", "z"], in: demo) == ["zsh"])
        #expect(try Self.bashCompletions(["--db", "de"], in: demo) == ["demo.db"])
    }

    @Test(.enabled(if: Tools.path(of: "fish") != nil))
    func fishCompletesNodeName() throws {
        let demo = try DemoDatabase()
        let script = try CLI.run(["completions", "fish"], in: demo.directory.path).standardOutput
        demo.directory.write("praas-db.fish", script)
        let folder = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().path
        let path = folder + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try Tools.run(
            "fish", ["--no-config", "-c", "source praas-db.fish; complete -C 'praas-db --db demo.db tree --root N3'"],
            in: demo.directory.path, environment: ["PATH": path])
        #expect(result.exitCode == 0, "fish: \(result.standardError)")
        let candidates = result.standardOutput.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        #expect(candidates == ["N3", "N30", "N31", "N32", "N33", "N34", "N35", "N36", "N37", "N38", "N39"])
    }

    @Test(.enabled(if: Tools.path(of: "zsh") != nil))
    func zshScriptLoadsAfterCompinit() throws {
        let directory = TemporaryDirectory()
        directory.write("_praas-db", try CLI.run(["completions", "zsh"], in: directory.path).standardOutput)
        let result = try Tools.run(
            "zsh", ["-f", "-c", "autoload -U compinit && compinit -u -d ./zcompdump && source ./_praas-db && print ${_comps[praas-db]}"],
            in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardError == "")
        #expect(result.standardOutput == "_praas_db\n")
    }

    // MARK: - man

    @Test func manPageIsCurrent() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["man"], in: directory.path)
        #expect(result.exitCode == 0)
        let committed = try Fixtures.packageFile("docs/praas-db.1")
        #expect(
            result.standardOutput == committed,
            "docs/praas-db.1 is stale; regenerate it with 'swift run praas-db man > docs/praas-db.1'")
    }

    @Test func manPageCoversEveryCommand() throws {
        let directory = TemporaryDirectory()
        let page = try CLI.run(["man"], in: directory.path).standardOutput
        for command in Program.commands.map(\.spec.name) {
            #expect(page.contains("\\fBpraas\\-db \(command.replacingOccurrences(of: "-", with: "\\-"))\\fR\n"), "\(command)")
        }
    }

    @Test(.enabled(if: Tools.path(of: "man") != nil))
    func manPageRenders() throws {
        let directory = TemporaryDirectory()
        let page = Fixtures.packageRoot.appendingPathComponent("docs/praas-db.1").path
        let result = try Tools.run("man", ["-l", page], in: directory.path, environment: ["MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "80"])
        #expect(result.exitCode == 0, "man: \(result.standardError)")
        #expect(result.standardOutput.contains("PRAAS-DB(1)"))
        #expect(result.standardOutput.contains("praas-db tree"))
        #expect(result.standardOutput.contains("EXIT CODES"))
    }

    @Test(.enabled(if: Tools.path(of: "groff") != nil))
    func manPageHasNoRoffWarnings() throws {
        let directory = TemporaryDirectory()
        let page = Fixtures.packageRoot.appendingPathComponent("docs/praas-db.1").path
        let result = try Tools.run("groff", ["-man", "-ww", "-z", "-Tutf8", page], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardError == "")
    }
}
