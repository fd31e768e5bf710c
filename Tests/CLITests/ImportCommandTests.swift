import Foundation
import Testing
import TestSupport

@Suite struct ImportCommandTests {
    @Test func importCreatesDatabase() throws {
        let directory = TemporaryDirectory()
        directory.write("small.json", Fixtures.smallTree)
        let result = try CLI.run(["import", "small.json"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardOutput == "Imported 'small.json' into 'praas.db': 5 nodes, 2 containers, 5 placements; revision 1.\n")
        #expect(result.standardError == "")
        #expect(FileManager.default.fileExists(atPath: directory.file("praas.db")))
    }

    @Test func importIntoEmptyInitialisedDatabase() throws {
        let directory = TemporaryDirectory()
        let created = try CLI.run(["--db", "lab.db", "init"], in: directory.path)
        #expect(created.exitCode == 0)
        #expect(created.standardOutput == "Created empty database 'lab.db'. Load nodes with 'praas-db import FILE'.\n")

        directory.write("small.json", Fixtures.smallTree)
        let result = try CLI.run(["import", "small.json"], in: directory.path, environment: ["PRAAS_DB": "lab.db"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput == "Imported 'small.json' into 'lab.db': 5 nodes, 2 containers, 5 placements; revision 1.\n")
    }

    @Test func invalidFileListsEveryProblem() throws {
        let directory = TemporaryDirectory()
        let invalid = Fixtures.smallTree
            .replacingOccurrences(of: "\"containers\": [\"hbo\", \"Fortnite\"], \"depth\": \"2\"", with: "\"containers\": [\"hbo\", \"Fortnite\"], \"depth\": \"3\"")
            .replacingOccurrences(of: "\"name\": \"N4\", \"parent\": \"N1\"", with: "\"name\": \"N4\", \"parent\": \"N8\"")
            .replacingOccurrences(of: "\"resource_cpu\": \"0.5\"", with: "\"resource_cpu\": \"0.5001\"")
        directory.write("bad.json", invalid)

        let result = try CLI.run(["import", "bad.json"], in: directory.path)
        #expect(result.exitCode == 65)
        #expect(result.standardOutput == "")
        #expect(
            result.standardError == """
                Error: 'bad.json' is not a valid state file (3 problems); nothing was imported:
                  containerlist[1] (Fortnite): resource_cpu is "0.5001", finer than one millicore (0.001 cores); round it to at most three decimals
                  nodelist[4] (N4): parent "N8" does not exist
                  nodelist[3] (N3): depth is "3" but its parent N1 has depth 1

                """)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["bad.json"])
    }

    @Test func nonObjectNodeKeepsLaterIndexes() throws {
        let directory = TemporaryDirectory()
        #expect(try CLI.run(["--db", "oslo.db", "init", "--topology", "oslo-80"], in: directory.path).exitCode == 0)
        let exported = try CLI.run(["--db", "oslo.db", "export", "--output", "oslo.json"], in: directory.path)
        #expect(exported.exitCode == 0)

        // Replace nodelist[5], N5, with the string "N5". N17 and N18 are its children.
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.file("oslo.json")))
        var state = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var nodes = try #require(state["nodelist"] as? [Any])
        nodes[5] = "N5"
        state["nodelist"] = nodes
        let broken = try JSONSerialization.data(withJSONObject: state, options: [.prettyPrinted, .sortedKeys])
        #expect(FileManager.default.createFile(atPath: directory.file("broken.json"), contents: broken))

        let result = try CLI.run(["--db", "new.db", "import", "broken.json"], in: directory.path)
        #expect(result.exitCode == 65)
        #expect(result.standardOutput == "")
        #expect(
            result.standardError == """
                Error: 'broken.json' is not a valid state file (4 problems); nothing was imported:
                  nodelist[5]: must be an object, found a string "N5"
                  nodelist[17] (N17): parent "N5" does not exist
                  nodelist[18] (N18): parent "N5" does not exist
                  nodelist[0] (N0): children lists "N5", which does not exist

                """)
        #expect(!FileManager.default.fileExists(atPath: directory.file("new.db")))
    }

    @Test func syntaxErrorNamesLineAndColumn() throws {
        let directory = TemporaryDirectory()
        directory.write("comma.json", "{\n    \"containerlist\": [],\n    \"nodelist\": [\n        {\"name\": \"N0\"},\n    ]\n}\n")
        let result = try CLI.run(["import", "comma.json"], in: directory.path)
        #expect(result.exitCode == 65)
        #expect(
            result.standardError
                == "Error: 'comma.json' is not valid JSON: line 4, column 23: trailing comma before ']', which JSON does "
                + "not allow; delete the comma\n")
        #expect(!FileManager.default.fileExists(atPath: directory.file("praas.db")))
    }

    @Test func missingFileIsExitSixtySix() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["import", "nothere.json"], in: directory.path)
        #expect(result.exitCode == 66)
        #expect(result.standardError == "Error: cannot read state file 'nothere.json': No such file or directory\n")
        #expect(!FileManager.default.fileExists(atPath: directory.file("praas.db")))
    }

    @Test func secondImportIsConflict() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: directory.file("praas.db")))
        let result = try CLI.run(["import", "small.json"], in: directory.path)
        #expect(result.exitCode == 5)
        #expect(
            result.standardError
                == "Error: database 'praas.db' already holds a topology (5 nodes at revision 1); import into a new "
                + "database file with --db NEW.db\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.file("praas.db"))) == before)
    }
}
