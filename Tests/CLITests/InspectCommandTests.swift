import Foundation
import PraaSDB
import Testing
import TestSupport

@Suite struct InspectCommandTests {
    @Test func statusShowsTotals() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let result = try CLI.run(["status"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(
            result.standardOutput == """
                database    praas.db (schema version \(Migration.latestVersion))
                revision    1
                topology    small.json
                nodes       5 (depth 0 to 2)
                containers  2 (5 placements)
                memory      1792 / 18432 MB used (9.7%)
                cpu         1.6 / 35.5 cores used (4.5%)

                """)
        #expect(result.standardError == "")
    }

    @Test func statusAsJSONAndCSV() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let json = try CLI.run(["status", "--json"], in: directory.path)
        #expect(
            json.standardOutput == """
                {
                    "version": 1,
                    "database": "praas.db",
                    "schema_version": \(Migration.latestVersion),
                    "revision": 1,
                    "topology": "small.json",
                    "nodes": 5,
                    "max_depth": 2,
                    "containers": 2,
                    "placements": 5,
                    "memory_mb": 18432,
                    "memory_used_mb": 1792,
                    "cpu_millicores": 35500,
                    "cpu_used_millicores": 1600
                }

                """)
        let csv = try CLI.run(["status", "--format", "csv"], in: directory.path)
        let rows = [
            "field,value", "database,praas.db", "schema_version,\(Migration.latestVersion)", "revision,1",
            "topology,small.json", "nodes,5", "max_depth,2", "containers,2", "placements,5", "memory_mb,18432",
            "memory_used_mb,1792", "cpu_millicores,35500", "cpu_used_millicores,1600",
        ]
        #expect(csv.standardOutput == rows.map { $0 + "\r\n" }.joined())
    }

    @Test func statusOfEmptyDatabase() throws {
        let directory = TemporaryDirectory()
        _ = try CLI.run(["init"], in: directory.path)
        let result = try CLI.run(["status"], in: directory.path)
        #expect(
            result.standardOutput == """
                database    praas.db (schema version \(Migration.latestVersion))
                revision    0
                topology    none
                nodes       0
                containers  0 (0 placements)
                memory      0 / 0 MB used
                cpu         0 / 0 cores used

                """)
    }

    @Test func nodesAtDepthOne() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let result = try CLI.run(["nodes", "--depth", "1"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(
            result.standardOutput == """
                NAME  PARENT  DEPTH  MEMORY MB  USED MB  CPU  USED CPU  HOUSEHOLDS  CONTAINERS
                N1    N0          1       4096      256    8       0.2           0  hbo
                N2    N0          1       4096        0    8         0           2

                """)
    }

    @Test func nodesListsEveryNode() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let table = try CLI.run(["nodes"], in: directory.path)
        #expect(
            table.standardOutput == """
                NAME  PARENT  DEPTH  MEMORY MB  USED MB  CPU  USED CPU  HOUSEHOLDS  CONTAINERS
                N0    -           0       8192      768   16       0.7           0  hbo,Fortnite
                N1    N0          1       4096      256    8       0.2           0  hbo
                N2    N0          1       4096        0    8         0           2
                N3    N1          2       1024      768    1       0.7           1  hbo,Fortnite
                N4    N1          2       1024        0  2.5         0           0

                """)
        let csv = try CLI.run(["nodes", "--format", "csv"], in: directory.path)
        let rows = [
            "NAME,PARENT,DEPTH,MEMORY MB,USED MB,CPU,USED CPU,HOUSEHOLDS,CONTAINERS",
            "N0,,0,8192,768,16,0.7,0,hbo Fortnite", "N1,N0,1,4096,256,8,0.2,0,hbo", "N2,N0,1,4096,0,8,0,2,",
            "N3,N1,2,1024,768,1,0.7,1,hbo Fortnite", "N4,N1,2,1024,0,2.5,0,0,",
        ]
        #expect(csv.standardOutput == rows.map { $0 + "\r\n" }.joined())
    }

    @Test func nodesAsJSON() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let result = try CLI.run(["nodes", "--json", "--depth", "2"], in: directory.path)
        #expect(
            result.standardOutput == """
                {
                    "version": 1,
                    "nodes": [
                        {
                            "name": "N3",
                            "parent": "N1",
                            "depth": 2,
                            "memory_mb": 1024,
                            "memory_used_mb": 768,
                            "cpu_millicores": 1000,
                            "cpu_used_millicores": 700,
                            "households": 1,
                            "containers": [
                                "hbo",
                                "Fortnite"
                            ]
                        },
                        {
                            "name": "N4",
                            "parent": "N1",
                            "depth": 2,
                            "memory_mb": 1024,
                            "memory_used_mb": 0,
                            "cpu_millicores": 2500,
                            "cpu_used_millicores": 0,
                            "households": 0,
                            "containers": []
                        }
                    ]
                }

                """)
        let root = try CLI.run(["nodes", "--format", "json", "--depth", "0"], in: directory.path)
        #expect(root.standardOutput.contains("\"parent\": null,"))
    }

    @Test func containersInRegistrationOrder() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let table = try CLI.run(["containers"], in: directory.path)
        #expect(table.exitCode == 0)
        #expect(
            table.standardOutput == """
                NAME      MEMORY MB  CPU  CUSTOMER    NODES
                hbo             256  0.2  HBO             3
                Fortnite        512  0.5  Epic games      2

                """)
        let json = try CLI.run(["containers", "--json"], in: directory.path)
        #expect(
            json.standardOutput == """
                {
                    "version": 1,
                    "containers": [
                        {
                            "name": "hbo",
                            "memory_mb": 256,
                            "cpu_millicores": 200,
                            "customer": "HBO",
                            "nodes": 3
                        },
                        {
                            "name": "Fortnite",
                            "memory_mb": 512,
                            "cpu_millicores": 500,
                            "customer": "Epic games",
                            "nodes": 2
                        }
                    ]
                }

                """)
        let csv = try CLI.run(["containers", "--format", "csv"], in: directory.path)
        #expect(csv.standardOutput == "NAME,MEMORY MB,CPU,CUSTOMER,NODES\r\nhbo,256,0.2,HBO,3\r\nFortnite,512,0.5,Epic games,2\r\n")
    }

    @Test func missingDatabaseIsExitSixtySix() throws {
        let directory = TemporaryDirectory()
        for command in ["status", "nodes", "containers"] {
            let result = try CLI.run([command], in: directory.path, environment: ["PRAAS_DB": "city.db"])
            #expect(result.exitCode == 66, "\(command)")
            #expect(result.standardOutput == "", "\(command)")
            #expect(
                result.standardError
                    == "Error: database 'city.db' does not exist; create it with 'praas-db init' or 'praas-db import FILE', "
                    + "or point --db (or PRAAS_DB) at an existing database\n", "\(command)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func dbOptionOverridesEnvironment() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let result = try CLI.run(["status", "--json", "--db", "praas.db"], in: directory.path, environment: ["PRAAS_DB": "other.db"])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains("\"database\": \"praas.db\","))
    }

    @Test func verboseTracesStatements() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let result = try CLI.run(["--verbose", "containers"], in: directory.path)
        #expect(result.exitCode == 0)
        let lines = result.standardError.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            #expect(line.hasPrefix("["), "\(line)")
            #expect(line.contains(" ms] "), "\(line)")
        }
        #expect(result.standardError.contains("FROM containers c LEFT JOIN placements p ON p.container_id = c.id"))
    }

    /// Statement times have three decimals of milliseconds, and they are measured
    /// to the microsecond, so not every statement shows 0.000.
    @Test func verboseTimesInMicroseconds() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let result = try CLI.run(["--verbose", "status"], in: directory.path)
        #expect(result.exitCode == 0)
        var times: [String] = []
        for line in result.standardError.split(separator: "\n") {
            let match = line.prefixMatch(of: /\[([0-9]+\.[0-9]{3}) ms\] \S/)
            #expect(match != nil, "\(line)")
            if let match {
                times.append(String(match.output.1))
            }
        }
        #expect(times.count >= 5)
        #expect(times.contains { $0 != "0.000" })
    }
}
