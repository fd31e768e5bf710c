import Foundation
import Testing
import TestSupport

@Suite struct ExportCommandTests {
    @Test func exportToFileReportsRevision() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let result = try CLI.run(["export", "--output", "out.json"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardOutput == "Exported revision 1 (5 nodes, 2 containers) to 'out.json'.\n")
        #expect(result.standardError == "")

        let stdout = try CLI.run(["export"], in: directory.path)
        #expect(stdout.exitCode == 0)
        #expect(try String(contentsOfFile: directory.file("out.json"), encoding: .utf8) == stdout.standardOutput)
    }

    @Test func exportNormalisesValueForms() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let exported = try CLI.run(["export", "-o", "out.json"], in: directory.path)
        #expect(exported.exitCode == 0)
        let text = try String(contentsOfFile: directory.file("out.json"), encoding: .utf8)

        // N3 as the prototype reads it: whole CPU as a string, used values as numbers.
        #expect(
            text.contains(
                """
                        {
                            "capacity_cpu": "1",
                            "capacity_cpu_used": 0.7,
                            "capacity_mem": "1024",
                            "capacity_mem_used": 768,
                            "children": [],
                            "containers": [
                                "hbo",
                                "Fortnite"
                            ],
                            "depth": "2",
                            "households": [
                                "h3"
                            ],
                            "leaf": "true",
                            "name": "N3",
                            "parent": "N1"
                        },
                """))
        // N4 has 2.5 cores, which the prototype can pass through int() only as a number.
        #expect(text.contains("\"capacity_cpu\": 2.5,"))

        // The export imports into a new database and exports to the same bytes.
        let reimport = try CLI.run(["--db", "again.db", "import", "out.json"], in: directory.path)
        #expect(reimport.exitCode == 0)
        let again = try CLI.run(["--db", "again.db", "export"], in: directory.path)
        #expect(again.standardOutput == text)
    }

    @Test func initThenExportGivesTopologyFile() throws {
        let directory = TemporaryDirectory()
        let created = try CLI.run(["init", "--topology", "oslo-80"], in: directory.path)
        #expect(created.exitCode == 0)
        let result = try CLI.run(["export"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardOutput == (try Fixtures.packageFile("Topologies/oslo-80.json")))
    }

    @Test func missingDatabaseIsExitSixtySix() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["export"], in: directory.path)
        #expect(result.exitCode == 66)
        #expect(result.standardOutput == "")
        #expect(
            result.standardError
                == "Error: database 'praas.db' does not exist; create it with 'praas-db init' or 'praas-db import FILE', "
                + "or point --db (or PRAAS_DB) at an existing database\n")
        #expect(!FileManager.default.fileExists(atPath: directory.file("praas.db")))
    }

    /// The sqlite3 shell leaves foreign keys off, so it can add a placement of a
    /// container that does not exist.
    @Test func danglingPlacementIsExitSeven() throws {
        let directory = TemporaryDirectory()
        try CLI.run(["init", "--topology", "oslo-80"], in: directory.path)
        let sqlite3 = try #require(ProcessRunner.path(of: "sqlite3"))
        let insert = "INSERT INTO placements (container_id, node_id, model) VALUES (999, 1, 'micro')"
        #expect(try ProcessRunner.run(sqlite3, ["praas.db", insert], in: directory.path).exitCode == 0)

        let result = try CLI.run(["export", "--output", "out.json"], in: directory.path)
        #expect(result.exitCode == 7)
        #expect(
            result.standardError
                == "Error: a placement on node N1 refers to container id 999, which does not exist; run 'praas-db "
                + "check' for every such problem, and restore the database from a backup\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.filter { !$0.hasPrefix("praas.db") } == [])
    }

    @Test func foreignFileIsExitSeven() throws {
        let directory = TemporaryDirectory()
        directory.write("notes.db", "not a database at all, but long enough to have a header\n")
        let result = try CLI.run(["--db", "notes.db", "export"], in: directory.path)
        #expect(result.exitCode == 7)
        #expect(
            result.standardError
                == "Error: 'notes.db' is not an SQLite database (it lacks SQLite's file header); point --db (or "
                + "PRAAS_DB) at a praas-db database, or restore this file from a backup if it was one\n")
    }
}
