import Foundation
import Testing
import TestSupport

/// `praas-db sql` on a real Oslo database, through the built binary.
@Suite struct SQLCommandTests {
    static let usage =
        "Usage: praas-db sql <query> [--param <name> <value> ...] [--format <format>] [--json]\n"
        + "  See 'praas-db sql --help' for more information.\n"

    static let depthQuery =
        "SELECT depth, count(*) AS nodes, sum(memory_mb) AS memory_mb FROM nodes GROUP BY depth ORDER BY depth"
    static let rootQuery =
        "SELECT name, parent_id, cpu_millicores / 1000.0 AS cores, households FROM nodes WHERE depth <= 1 "
        + "ORDER BY id LIMIT 3"

    /// Creates a directory with `praas.db` containing the Oslo topology.
    static func osloDirectory() throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["init", "--topology", "oslo-80"], in: directory.path)
        guard result.exitCode == 0 else {
            Issue.record("init failed: \(result.standardError)")
            return directory
        }
        return directory
    }

    /// Returns the bytes of `praas.db` and of its `-wal` file (nil when absent).
    static func snapshot(_ directory: TemporaryDirectory) -> [Data?] {
        [
            FileManager.default.contents(atPath: directory.file("praas.db")),
            FileManager.default.contents(atPath: directory.file("praas.db-wal")),
        ]
    }

    // MARK: - Output formats

    @Test func tableOutput() throws {
        let directory = try Self.osloDirectory()
        let result = try CLI.run(["sql", Self.depthQuery], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(
            result.standardOutput == """
                depth  nodes  memory_mb
                0      1      8192
                1      9      36864
                2      14     28672
                3      22     33792
                4      18     18432
                5      7      5376
                6      9      4608

                """)
        #expect(result.standardError == "")
    }

    @Test func tableShowsNullAndReals() throws {
        let directory = try Self.osloDirectory()
        let result = try CLI.run(["sql", Self.rootQuery], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(
            result.standardOutput == """
                name  parent_id  cores  households
                N0               16.0   []
                N1    0          8.0    []
                N2    0          8.0    []

                """)
    }

    @Test func csvOutput() throws {
        let directory = try Self.osloDirectory()
        let query =
            "SELECT name, parent_id, cpu_millicores / 1000.0 AS cores, households, 'say \"hi\", bye' AS quoted "
            + "FROM nodes WHERE depth <= 1 ORDER BY id LIMIT 3"
        let result = try CLI.run(["sql", query, "--format", "csv"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(
            result.standardOutput
                == "name,parent_id,cores,households,quoted\r\n"
                + "N0,,16.0,[],\"say \"\"hi\"\", bye\"\r\n"
                + "N1,0,8.0,[],\"say \"\"hi\"\", bye\"\r\n"
                + "N2,0,8.0,[],\"say \"\"hi\"\", bye\"\r\n")
    }

    @Test func jsonOutput() throws {
        let directory = try Self.osloDirectory()
        let result = try CLI.run(["sql", Self.rootQuery, "--json"], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(
            result.standardOutput == """
                {
                    "version": 1,
                    "columns": ["name","parent_id","cores","households"],
                    "rows": [
                        ["N0",null,16.0,"[]"],
                        ["N1",0,8.0,"[]"],
                        ["N2",0,8.0,"[]"]
                    ]
                }

                """)
    }

    @Test func jsonHasValueTypes() throws {
        let directory = try Self.osloDirectory()
        let result = try CLI.run(
            ["sql", "SELECT 1 AS i, 0.1 + 0.2 AS r, 'a\"b' AS t, NULL AS n, x'00ff' AS b", "--format", "json"],
            in: directory.path)
        #expect(
            result.standardOutput == """
                {
                    "version": 1,
                    "columns": ["i","r","t","n","b"],
                    "rows": [
                        [1,0.30000000000000004,"a\\"b",null,"00ff"]
                    ]
                }

                """)
    }

    @Test func emptyResultKeepsHeader() throws {
        let directory = try Self.osloDirectory()
        let query = "SELECT name, depth FROM nodes WHERE depth > 99"
        #expect(try CLI.run(["sql", query], in: directory.path).standardOutput == "name  depth\n")
        #expect(try CLI.run(["sql", query, "--format", "csv"], in: directory.path).standardOutput == "name,depth\r\n")
        #expect(
            try CLI.run(["sql", query, "--json"], in: directory.path).standardOutput
                == "{\n    \"version\": 1,\n    \"columns\": [\"name\",\"depth\"],\n    \"rows\": []\n}\n")
    }

    @Test func helpExampleRuns() throws {
        let directory = try Self.osloDirectory()
        let result = try CLI.run(
            [
                "sql", "SELECT name, memory_mb FROM nodes WHERE depth = :depth AND memory_mb >= :memory",
                "--param", "depth", "1", "--param", "memory", "4096", "--format", "csv",
            ], in: directory.path)
        #expect(result.exitCode == 0)
        #expect(
            result.standardOutput
                == "name,memory_mb\r\n" + (1...9).map { "N\($0),4096\r\n" }.joined())
    }

    // MARK: - Parameters

    @Test func parameterPrefixes() throws {
        let directory = try Self.osloDirectory()
        let cases: [(query: String, name: String)] = [
            ("SELECT name FROM nodes WHERE name = :node", "node"),
            ("SELECT name FROM nodes WHERE name = :node", ":node"),
            ("SELECT name FROM nodes WHERE name = @node", "@node"),
            ("SELECT name FROM nodes WHERE name = $node", "$node"),
            ("SELECT name FROM nodes WHERE name = ?1", "1"),
            ("SELECT name FROM nodes WHERE name = ?", "?1"),
        ]
        for (query, name) in cases {
            let result = try CLI.run(["sql", query, "--param", name, "N13"], in: directory.path)
            #expect(result.exitCode == 0, "\(name) in \(query)")
            #expect(result.standardOutput == "name\nN13\n", "\(name) in \(query)")
        }
    }

    @Test func hostileParameterIsLiteral() throws {
        let directory = try Self.osloDirectory()
        let hostile = "N0'; DELETE FROM nodes; --\nSELECT \"x\"; DROP TABLE nodes"
        let before = Self.snapshot(directory)

        let match = try CLI.run(
            ["sql", "SELECT count(*) AS matches FROM nodes WHERE name = :name", "--param", "name", hostile],
            in: directory.path)
        #expect(match.standardOutput == "matches\n0\n")

        let echo = try CLI.run(["sql", "SELECT :name AS value", "--param", "name", hostile, "--json"], in: directory.path)
        #expect(
            echo.standardOutput == """
                {
                    "version": 1,
                    "columns": ["value"],
                    "rows": [
                        ["N0'; DELETE FROM nodes; --\\nSELECT \\"x\\"; DROP TABLE nodes"]
                    ]
                }

                """)

        let count = try CLI.run(["sql", "SELECT count(*) AS nodes FROM nodes"], in: directory.path)
        #expect(count.standardOutput == "nodes\n80\n")
        #expect(Self.snapshot(directory)[0] == before[0])
    }

    @Test func unknownParameter() throws {
        let directory = try Self.osloDirectory()
        let result = try CLI.run(["sql", "SELECT :node", "--param", "nod", "N1"], in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardOutput == "")
        #expect(result.standardError == "Error: the query has no parameter 'nod'; its parameters are ':node'\n" + Self.usage)
    }

    @Test func missingParameter() throws {
        let directory = try Self.osloDirectory()
        let result = try CLI.run(["sql", "SELECT name FROM nodes WHERE depth = :depth"], in: directory.path)
        #expect(result.exitCode == 64)
        #expect(
            result.standardError == "Error: missing value for parameter ':depth'; pass it with --param depth VALUE\n" + Self.usage)
    }

    @Test func parameterNeedsValue() throws {
        let directory = try Self.osloDirectory()
        let result = try CLI.run(["sql", "SELECT :a", "--param", "a"], in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardError == "Error: Missing value for '--param <name> <value>'.\n" + Self.usage)
    }

    // MARK: - Rejected statements

    /// Every way to write, with the text that names it in the error.
    static let writeAttempts: [(query: String, refused: String)] = [
        ("INSERT INTO nodes (name, depth, memory_mb, cpu_millicores) VALUES ('x', 1, 1, 1)", "INSERT into table 'nodes'"),
        ("UPDATE nodes SET memory_mb = 1", "UPDATE of column 'nodes.memory_mb'"),
        ("DELETE FROM nodes", "DELETE from table 'nodes'"),
        ("REPLACE INTO state (id, revision) VALUES (1, 99)", "INSERT into table 'state'"),
        (
            "INSERT INTO settings (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET require_distinct_approver = 1",
            "INSERT into table 'settings'"
        ),
        ("WITH doomed AS (SELECT id FROM nodes) DELETE FROM nodes WHERE id IN doomed", "DELETE from table 'nodes'"),
        ("CREATE TABLE extra (a)", "CREATE TABLE"),
        ("CREATE TEMP TABLE nodes (name TEXT)", "CREATE TEMP TABLE"),
        ("CREATE TEMP VIEW busy AS SELECT * FROM nodes", "CREATE TEMP VIEW"),
        ("CREATE TEMP TRIGGER spy AFTER INSERT ON nodes BEGIN SELECT 1; END", "CREATE TEMP TRIGGER"),
        ("DROP TABLE placements", "DROP TABLE"),
        ("ALTER TABLE nodes ADD COLUMN extra TEXT", "ALTER TABLE 'nodes'"),
        ("ATTACH 'other.db' AS other", "ATTACH of 'other.db'"),
        ("DETACH other", "DETACH of 'other'"),
        ("VACUUM", "VACUUM"),
        ("VACUUM INTO 'copy.db'", "VACUUM INTO"),
        ("REINDEX", "REINDEX"),
        ("ANALYZE", "ANALYZE"),
        ("SELECT load_extension('evil')", "the function load_extension()"),
        ("SELECT 1; DELETE FROM nodes", "a second statement ('DELETE FROM nodes')"),
        ("BEGIN", "BEGIN"),
    ]

    static let writingPragmas = [
        "PRAGMA user_version = 99", "PRAGMA journal_mode = delete", "PRAGMA writable_schema = 1", "PRAGMA query_only = 0",
    ]

    @Test func writesAreRejected() throws {
        let directory = try Self.osloDirectory()
        // The first read creates the empty -wal and -shm files that a read-only
        // connection to a WAL database leaves behind.
        try CLI.run(["sql", "SELECT 1"], in: directory.path)
        let before = Self.snapshot(directory)
        let filesBefore = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()

        for (query, refused) in Self.writeAttempts {
            let result = try CLI.run(["sql", query], in: directory.path)
            let hint = query.hasPrefix("SELECT 1;") ? "; run one statement at a time" : ""
            #expect(result.exitCode == 64, "\(query)")
            #expect(result.standardOutput == "", "\(query)")
            #expect(
                result.standardError
                    == "Error: \(refused) is not allowed: 'praas-db sql' is read-only\(hint)\n" + Self.usage)
        }

        #expect(Self.snapshot(directory) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == filesBefore)
    }

    @Test func writingPragmasAreRejected() throws {
        let directory = try Self.osloDirectory()
        try CLI.run(["sql", "SELECT 1"], in: directory.path)
        let before = Self.snapshot(directory)

        for pragma in Self.writingPragmas {
            let result = try CLI.run(["sql", pragma], in: directory.path)
            #expect(result.exitCode == 64, "\(pragma)")
            #expect(
                result.standardError
                    == "Error: \(pragma) is not allowed: 'praas-db sql' is read-only; the PRAGMAs it runs, as statements or as functions such as pragma_table_info(), are "
                    + "table_info, table_xinfo, table_list, index_list, index_info, index_xinfo, foreign_key_list, "
                    + "foreign_key_check, integrity_check, quick_check, and, without a value, user_version and "
                    + "application_id\n" + Self.usage)
        }

        #expect(Self.snapshot(directory) == before)
        let version = try CLI.run(["sql", "PRAGMA user_version"], in: directory.path)
        #expect(version.standardOutput.hasPrefix("user_version\n"))
        #expect(version.standardOutput != "user_version\n99\n")
    }

    /// A 16 MB blob comes out whole in every format, as 32 MB of hexadecimal.
    /// NOTE: The 10 s bound is an estimate. In a debug build on a shared 2-core
    /// machine, the table took 16 s or more when it was rendered character by
    /// character, and it takes about 0.5 s now. The bound leaves room for a
    /// slower machine, but it may miss a partial slowdown on a fast one.
    @Test func largeBlobIsFast() throws {
        let directory = try Self.osloDirectory()
        let hex = String(repeating: "0", count: 32_000_000)
        let expected = [
            "table": "zeroblob(16000000)\n\(hex)\n",
            "csv": "zeroblob(16000000)\r\n\(hex)\r\n",
            "json": "{\n    \"version\": 1,\n    \"columns\": [\"zeroblob(16000000)\"],\n    \"rows\": [\n        [\"\(hex)\"]\n    ]\n}\n",
        ]
        for format in ["table", "csv", "json"] {
            let start = ContinuousClock.now
            let result = try CLI.run(["sql", "SELECT zeroblob(16000000)", "--format", format], in: directory.path)
            let elapsed = ContinuousClock.now - start
            #expect(result.exitCode == 0, "\(format): \(result.standardError)")
            #expect(result.standardOutput.utf8.count == expected[format]!.utf8.count, "\(format)")
            #expect(result.standardOutput == expected[format]!, "\(format)")
            #expect(elapsed < .seconds(10), "\(format) took \(elapsed)")
        }
    }

    /// 200,000 rows come out as a table in about the time CSV takes.
    /// NOTE: The 20 s bound is an estimate. In a debug build on a shared 2-core
    /// machine, a table of 40,000 rows took 38 s while each line's trimming
    /// copied the text before it, and 200,000 rows take about 1.2 s now.
    @Test func manyRowsAreFast() throws {
        let directory = try Self.osloDirectory()
        let count = 200_000
        let query = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r LIMIT \(count)) SELECT i, 'x' AS t FROM r"
        let width = String(count).count
        var expected = "i" + String(repeating: " ", count: width + 1) + "t\n"
        for number in 1...count {
            let text = String(number)
            expected += text + String(repeating: " ", count: width - text.count + 2) + "x\n"
        }

        let start = ContinuousClock.now
        let result = try CLI.run(["sql", query], in: directory.path)
        let elapsed = ContinuousClock.now - start
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput == expected)
        #expect(elapsed < .seconds(20), "the table took \(elapsed)")
    }

    @Test func pragmaFunctionRuns() throws {
        let directory = try Self.osloDirectory()
        let result = try CLI.run(["sql", "SELECT name FROM pragma_table_info('state') ORDER BY cid"], in: directory.path)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput == "name\nid\nrevision\ntopology\n")
        #expect(result.standardError == "")
    }

    @Test func syntaxErrorShowsMessage() throws {
        let directory = try Self.osloDirectory()
        let result = try CLI.run(["sql", "SELEC name FROM nodes"], in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardError == "Error: invalid query: near \"SELEC\": syntax error\n" + Self.usage)
    }

    @Test func runtimeErrorExitsOne() throws {
        let directory = try Self.osloDirectory()
        let result = try CLI.run(["sql", "SELECT abs(-9223372036854775807 - 1) AS a"], in: directory.path)
        #expect(result.exitCode == 1)
        #expect(result.standardOutput == "")
        #expect(result.standardError == "Error: the query failed: integer overflow\n")
    }

    @Test func missingDatabase() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["sql", "SELECT 1"], in: directory.path)
        #expect(result.exitCode == 66)
        #expect(
            result.standardError
                == "Error: database 'praas.db' does not exist; create it with 'praas-db init' or 'praas-db import FILE', "
                + "or point --db (or PRAAS_DB) at an existing database\n")
        #expect(!FileManager.default.fileExists(atPath: directory.file("praas.db")))
    }

    // MARK: - Help

    @Test func helpHasExamples() throws {
        let result = try CLI.run(["sql", "--help"], in: NSTemporaryDirectory())
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.hasPrefix("OVERVIEW: Run one read-only SQL query and print its rows.\n"))
        #expect(result.standardOutput.contains("USAGE: praas-db sql <query> [--param <name> <value> ...] [--format <format>] [--json]\n"))
        #expect(result.standardOutput.contains("  --param <name> <value>  Bind <value> to the query's parameter <name>"))
        #expect(result.standardOutput.contains("\nEXAMPLES:\n  praas-db sql \"SELECT nodes.name FROM placements"))
        #expect(result.standardOutput.contains("  praas-db sql \"PRAGMA table_info(placements)\" --format csv\n"))
    }
}
