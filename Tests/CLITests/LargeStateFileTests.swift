import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// State files at the edges of size: a chain of 100,000 nodes, a file of
/// hundreds of megabytes, and a single value of tens of megabytes. Each file
/// is written into a temporary folder by the test.
@Suite struct LargeStateFileTests {
    static let chainLength = 100_000

    /// Writes a chain of `chainLength` nodes, node k the child of node k - 1,
    /// with `parent(k)` as node k's parent reference.
    static func writeChain(to path: String, parent: (Int) -> String = { $0 == 0 ? "none" : "N\($0 - 1)" }) throws {
        var text = "{\n    \"containerlist\": [],\n    \"nodelist\": [\n"
        for index in 0..<chainLength {
            text += "        {\"name\": \"N\(index)\", \"parent\": \"\(parent(index))\", \"capacity_mem\": 1024, "
            text += "\"capacity_cpu\": 1, \"depth\": \(index)}" + (index == chainLength - 1 ? "\n" : ",\n")
        }
        text += "    ]\n}\n"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
    }

    @Test(.timeLimit(.minutes(3)))
    func deepChainImports() throws {
        let directory = TemporaryDirectory()
        try Self.writeChain(to: directory.file("chain.json"))
        let result = try CLI.run(["import", "chain.json"], in: directory.path)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput == "Imported 'chain.json' into 'praas.db': 100000 nodes, 0 containers, 0 placements; revision 1.\n")
        #expect(result.standardError == "")

        let repository = try Repository.open(at: directory.file("praas.db"))
        for check in try repository.check() {
            #expect(check.problems == [], "check \(check.name)")
        }
        #expect(try repository.database.scalarInt("SELECT max(depth) FROM nodes") == Self.chainLength - 1)
        #expect(try repository.database.scalarInt("SELECT parent_id FROM nodes WHERE name = 'N99999'") == 99_998)
    }

    @Test(.timeLimit(.minutes(3)))
    func deepChainWithCycleIsRejected() throws {
        let directory = TemporaryDirectory()
        // N1 hangs below the last node, so N1 to N99999 form one cycle.
        try Self.writeChain(to: directory.file("chain.json")) { index in
            switch index {
            case 0: "none"
            case 1: "N\(Self.chainLength - 1)"
            default: "N\(index - 1)"
            }
        }
        let result = try CLI.run(["import", "chain.json"], in: directory.path)
        #expect(result.exitCode == 65)
        #expect(
            result.standardError == """
                Error: 'chain.json' is not a valid state file (2 problems); nothing was imported:
                  nodelist[1] (N1): the parent chain N1 -> N99999 -> N99998 -> N99997 -> N99996 -> N99995 -> ... 99992 more ... -> N2 -> N1 is a cycle that never reaches the root
                  nodelist[1] (N1): depth is 1 but its parent N99999 has depth 99999

                """)
        #expect(!FileManager.default.fileExists(atPath: directory.file("praas.db")))
    }

    /// About 256 MB: a tree of 5,000 nodes whose lines are padded with
    /// whitespace, so that a debug build reads it in seconds, and whose last
    /// node names a parent that does not exist. The decoder must read to the
    /// end, report that one problem and create no database.
    @Test(.timeLimit(.minutes(3)))
    func fileOfHundredsOfMegabytesIsRead() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("huge.json")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let nodes = 5_000
        let padding = Data(repeating: UInt8(ascii: " "), count: 50 * 1024)
        var depths = [0]
        try handle.write(contentsOf: Data("{\n    \"containerlist\": [],\n    \"nodelist\": [\n".utf8))
        for index in 0..<nodes {
            let parent: String
            switch index {
            case 0: parent = "none"
            case nodes - 1: parent = "N\(nodes + 7)"
            default: parent = "N\((index - 1) / 8)"
            }
            if index > 0 {
                depths.append(depths[(index - 1) / 8] + 1)
            }
            let line = "        {\"name\": \"N\(index)\", \"parent\": \"\(parent)\", \"capacity_mem\": 1024, \"capacity_cpu\": 1, "
                + "\"households\": [\"h\(index)\"],"
            try handle.write(contentsOf: Data(line.utf8))
            try handle.write(contentsOf: padding)
            try handle.write(contentsOf: Data("\"depth\": \(depths[index])}\(index == nodes - 1 ? "" : ",")\n".utf8))
        }
        try handle.write(contentsOf: Data("    ]\n}\n".utf8))
        try handle.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size > 250_000_000)

        let result = try CLI.run(["import", "huge.json"], in: directory.path)
        #expect(result.exitCode == 65)
        #expect(
            result.standardError == """
                Error: 'huge.json' is not a valid state file (1 problem); nothing was imported:
                  nodelist[4999] (N4999): parent "N5007" does not exist

                """)
        #expect(!FileManager.default.fileExists(atPath: directory.file("praas.db")))
    }

    /// A household name of 64 MB: the message quotes its start only.
    @Test(.timeLimit(.minutes(3)))
    func valueOfMegabytesIsQuotedShort() throws {
        let directory = TemporaryDirectory()
        let name = String(repeating: "h", count: 64 << 20)
        directory.write(
            "long.json",
            """
            {"containerlist": [], "nodelist": [{"name": "N0", "parent": "none", "capacity_mem": 1024, \
            "capacity_cpu": 1, "households": ["\(name)"], "depth": 0}]}
            """)
        let result = try CLI.run(["import", "long.json"], in: directory.path)
        #expect(result.exitCode == 65)
        let quoted = "\"" + String(repeating: "h", count: 64) + "...\""
        #expect(
            result.standardError == """
                Error: 'long.json' is not a valid state file (1 problem); nothing was imported:
                  nodelist[0] (N0): households[0] \(quoted) is 67108864 characters long; the maximum is 128

                """)
        #expect(!FileManager.default.fileExists(atPath: directory.file("praas.db")))
    }
}
