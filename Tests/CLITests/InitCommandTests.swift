import Foundation
import Testing
import TestSupport

@Suite struct InitCommandTests {
    @Test func initCreatesOsloDatabase() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["init", "--topology", "oslo-80"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardOutput == "Created 'praas.db' with topology oslo-80: 80 nodes, depth 0 to 6, revision 1.\n")
        #expect(result.standardError == "")

        let attributes = try FileManager.default.attributesOfItem(atPath: directory.file("praas.db"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func initRefusesExistingDatabase() throws {
        let directory = TemporaryDirectory()
        try CLI.run(["init", "--topology", "oslo-80"], in: directory.path)
        let result = try CLI.run(["init", "--topology", "oslo-80"], in: directory.path)
        #expect(result.exitCode == 5)
        #expect(result.standardOutput == "")
        #expect(
            result.standardError
                == "Error: database 'praas.db' already exists and holds a topology; pass --force to replace it (its history is lost), or choose another file with --db\n")
    }
}
