import Foundation
import Testing
import TestSupport

@Suite struct TopologyCommandTests {
    @Test func topologiesListsOslo() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["topologies"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(
            result.standardOutput == """
                NAME     NODES  DEPTH  LEAVES  HOUSEHOLDS
                oslo-80     80      6      30        7254

                """)
        #expect(result.standardError == "")
    }

    @Test func topologiesAsJSONAndCSV() throws {
        let directory = TemporaryDirectory()
        let json = try CLI.run(["topologies", "--json"], in: directory.path)
        #expect(
            json.standardOutput == """
                {
                    "version": 1,
                    "topologies": [
                        {
                            "name": "oslo-80",
                            "nodes": 80,
                            "max_depth": 6,
                            "leaves": 30,
                            "households": 7254
                        }
                    ]
                }

                """)
        let csv = try CLI.run(["topologies", "--format", "csv"], in: directory.path)
        #expect(csv.standardOutput == "NAME,NODES,DEPTH,LEAVES,HOUSEHOLDS\r\noslo-80,80,6,30,7254\r\n")
        let formatJSON = try CLI.run(["topologies", "--format=json"], in: directory.path)
        #expect(formatJSON.standardOutput == json.standardOutput)
    }

    @Test func topologyPrintsCommittedFile() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["topology", "oslo-80"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(result.standardOutput == (try Fixtures.packageFile("Topologies/oslo-80.json")))
        #expect(result.standardError == "")
    }

    @Test func unknownTopologyIsExitThree() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["topology", "oslo"], in: directory.path)
        #expect(result.exitCode == 3)
        #expect(result.standardOutput == "")
        #expect(result.standardError == "Error: no built-in topology is named 'oslo'; the built-in topologies are: oslo-80\n")

        let initResult = try CLI.run(["init", "--topology", "Oslo-80"], in: directory.path)
        #expect(initResult.exitCode == 3)
        #expect(initResult.standardError == "Error: no built-in topology is named 'Oslo-80'; did you mean 'oslo-80'?\n")
        #expect(!FileManager.default.fileExists(atPath: directory.file("praas.db")))
    }
}
