import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// Invalid state files, each rejected with every problem named and nothing
/// written, and the input forms the decoder accepts.
@Suite struct StateFileDecoderTests {
    /// One invalid file: edits that turn the small tree into it, and the error lines.
    struct InvalidCase: Sendable, CustomTestStringConvertible {
        let label: String
        let edits: [(String, String)]
        let lines: [String]

        var testDescription: String { label }
    }

    /// Decodes `text` and imports it into a new, empty database, the way
    /// `praas-db import` does, and returns the error after checking that the
    /// database is as it was.
    static func rejectedImport(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> PraaSError {
        let directory = TemporaryDirectory()
        let repository = try Repository.create(at: directory.file("praas.db"))
        let before = try repository.status()

        let error = try #require(throws: PraaSError.self, sourceLocation: sourceLocation) {
            let file = try StateFileDecoder.decode(text: text)
            try repository.importState(file, source: "state.json")
        }
        #expect(try repository.status() == before, sourceLocation: sourceLocation)
        #expect(try repository.nodes().isEmpty, sourceLocation: sourceLocation)
        #expect(try repository.containers().isEmpty, sourceLocation: sourceLocation)
        return error
    }

    /// Returns the error's message and detail lines, as `praas-db import` prints them.
    static func lines(of error: PraaSError) -> [String] {
        [error.message] + error.details
    }

    static func header(_ count: Int) -> String {
        "'state.json' is not a valid state file (\(count) \(count == 1 ? "problem" : "problems")); nothing was imported:"
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(
            label: "cycle",
            edits: [
                ("\"name\": \"N0\", \"parent\": \"none\", \"children\": [\"N1\", \"N2\"]",
                 "\"name\": \"N0\", \"parent\": \"none\", \"children\": [\"N2\"]"),
                ("\"name\": \"N1\", \"parent\": \"N0\"", "\"name\": \"N1\", \"parent\": \"N3\""),
                ("\"name\": \"N3\", \"parent\": \"N1\", \"children\": [], \"leaf\": \"true\"",
                 "\"name\": \"N3\", \"parent\": \"N1\", \"children\": [\"N1\"], \"leaf\": \"false\""),
            ],
            lines: [
                header(2),
                "nodelist[1] (N1): the parent chain N1 -> N3 -> N1 is a cycle that never reaches the root",
                "nodelist[1] (N1): depth is \"1\" but its parent N3 has depth 2",
            ]),
        InvalidCase(
            label: "missing parent",
            edits: [("\"name\": \"N4\", \"parent\": \"N1\"", "\"name\": \"N4\", \"parent\": \"N7\"")],
            lines: [header(1), "nodelist[4] (N4): parent \"N7\" does not exist"]),
        InvalidCase(
            label: "parent in the wrong case",
            edits: [("\"name\": \"N4\", \"parent\": \"N1\"", "\"name\": \"N4\", \"parent\": \"n1\"")],
            lines: [header(1), "nodelist[4] (N4): parent \"n1\" does not exist; did you mean \"N1\"?"]),
        InvalidCase(
            label: "duplicate node name",
            edits: [("\"name\": \"N4\"", "\"name\": \"N3\"")],
            lines: [
                header(2),
                "nodelist[4] (N3): name \"N3\" is already used by nodelist[3]",
                "nodelist[1] (N1): children lists \"N4\", which does not exist",
            ]),
        InvalidCase(
            label: "wrong depth",
            edits: [("\"containers\": [\"hbo\"], \"depth\": \"2\"", "\"containers\": [\"hbo\"], \"depth\": \"3\"")],
            lines: [header(1), "nodelist[3] (N3): depth is \"3\" but its parent N1 has depth 1"]),
        InvalidCase(
            label: "root with depth",
            edits: [("\"depth\": \"0\"", "\"depth\": 1")],
            lines: [
                header(3),
                "nodelist[0] (N0): depth is 1 but the root has depth 0",
                "nodelist[1] (N1): depth is \"1\" but its parent N0 has depth 1",
                "nodelist[2] (N2): depth is \"1\" but its parent N0 has depth 1",
            ]),
        InvalidCase(
            label: "memory used disagrees",
            edits: [("\"capacity_mem\": \"1024\", \"capacity_mem_used\": \"256\"", "\"capacity_mem\": \"1024\", \"capacity_mem_used\": \"512\"")],
            lines: [header(1), "nodelist[3] (N3): capacity_mem_used is \"512\" but its container needs 256 MB"]),
        InvalidCase(
            label: "CPU used disagrees",
            edits: [("\"capacity_cpu\": \"8\", \"capacity_cpu_used\": \"0.2\"", "\"capacity_cpu\": \"8\", \"capacity_cpu_used\": 0.4")],
            lines: [header(1), "nodelist[1] (N1): capacity_cpu_used is 0.4 but its container needs 0.2 cores"]),
        InvalidCase(
            label: "used on an empty node",
            edits: [("\"capacity_mem\": \"4096\", \"capacity_mem_used\": \"0\"", "\"capacity_mem\": \"4096\", \"capacity_mem_used\": 256")],
            lines: [header(1), "nodelist[2] (N2): capacity_mem_used is 256 but the node has no containers"]),
        InvalidCase(
            label: "containers over capacity",
            edits: [("\"capacity_mem\": \"1024\", \"capacity_mem_used\": \"256\"", "\"capacity_mem\": \"200\", \"capacity_mem_used\": \"256\"")],
            lines: [header(1), "nodelist[3] (N3): its container needs 256 MB but capacity_mem is 200 MB"]),
        InvalidCase(
            label: "negative capacity",
            edits: [("\"households\": [\"h1\", \"h2\"], \"capacity_mem\": \"4096\"", "\"households\": [\"h1\", \"h2\"], \"capacity_mem\": \"-4096\"")],
            lines: [header(1), "nodelist[2] (N2): capacity_mem is \"-4096\"; it cannot be negative"]),
        InvalidCase(
            label: "capacity not a number",
            edits: [("\"capacity_cpu\": \"16\"", "\"capacity_cpu\": \"sixteen\"")],
            lines: [header(1), "nodelist[0] (N0): capacity_cpu is \"sixteen\", which is not a number of cores"]),
        InvalidCase(
            label: "unregistered container",
            edits: [("\"capacity_cpu_used\": \"0\", \"containers\": [], \"depth\": \"1\"", "\"capacity_cpu_used\": \"0\", \"containers\": [\"netflix\"], \"depth\": \"1\"")],
            lines: [header(1), "nodelist[2] (N2): containers lists \"netflix\", which is not in containerlist"]),
        InvalidCase(
            label: "container name in the wrong case",
            edits: [("\"capacity_cpu_used\": \"0\", \"containers\": [], \"depth\": \"1\"", "\"capacity_cpu_used\": \"0\", \"containers\": [\"HBO\"], \"depth\": \"1\"")],
            lines: [header(1), "nodelist[2] (N2): containers lists \"HBO\", which is not in containerlist; did you mean \"hbo\"?"]),
        InvalidCase(
            label: "container twice on a node",
            edits: [("\"capacity_cpu_used\": \"0.2\", \"containers\": [\"hbo\"], \"depth\": \"2\"", "\"capacity_cpu_used\": \"0.2\", \"containers\": [\"hbo\", \"hbo\"], \"depth\": \"2\"")],
            lines: [
                header(3),
                "nodelist[3] (N3): containers lists \"hbo\" twice",
                "nodelist[3] (N3): capacity_mem_used is \"256\" but its 2 containers need 512 MB",
                "nodelist[3] (N3): capacity_cpu_used is \"0.2\" but its 2 containers need 0.4 cores",
            ]),
        InvalidCase(
            label: "unknown field",
            edits: [("\"households\": [\"h1\", \"h2\"], \"capacity_mem\"", "\"households\": [\"h1\", \"h2\"], \"capacity_mme\"")],
            lines: [
                header(2),
                "nodelist[2] (N2): unknown field \"capacity_mme\"; did you mean \"capacity_mem\"?",
                "nodelist[2] (N2): capacity_mem is missing",
            ]),
        InvalidCase(
            label: "unknown top-level key",
            edits: [("\"nodelist\":", "\"nodelists\":")],
            lines: [
                header(2),
                "top level: unknown key \"nodelists\"; did you mean \"nodelist\"?",
                "top level: \"nodelist\" is missing; a state file needs at least the root node N0",
            ]),
        InvalidCase(
            label: "missing node field",
            edits: [("\"containers\": [], \"depth\": \"2\"", "\"containers\": []")],
            lines: [header(1), "nodelist[4] (N4): depth is missing"]),
        InvalidCase(
            label: "missing container field",
            edits: [(", \"customer\": \"HBO\"", "")],
            lines: [header(1), "containerlist[0] (hbo): customer is missing"]),
        InvalidCase(
            label: "field of the wrong shape",
            edits: [("\"name\": \"N4\", \"parent\": \"N1\"", "\"name\": \"N4\", \"parent\": [\"N1\"]")],
            lines: [header(1), "nodelist[4] (N4): parent must be a single value, found an array"]),
        InvalidCase(
            label: "several roots",
            edits: [
                ("\"children\": [\"N1\", \"N2\"]", "\"children\": [\"N1\"]"),
                ("\"name\": \"N2\", \"parent\": \"N0\"", "\"name\": \"N2\", \"parent\": \"none\""),
                ("\"capacity_cpu_used\": \"0\", \"containers\": [], \"depth\": \"1\"", "\"capacity_cpu_used\": \"0\", \"containers\": [], \"depth\": \"0\""),
            ],
            lines: [header(1), "nodelist: 2 nodes have parent \"none\" (N0, N2); a tree has exactly one root, N0"]),
        InvalidCase(
            label: "no root",
            edits: [("\"parent\": \"none\"", "\"parent\": \"N9\"")],
            lines: [
                header(2),
                "nodelist[0] (N0): parent \"N9\" does not exist",
                "nodelist: no node has parent \"none\", so the tree has no root; give N0 \"parent\": \"none\"",
            ]),
        InvalidCase(
            label: "node list out of order",
            edits: [("\"name\": \"N3\"", "\"name\": \"N9\""), ("\"name\": \"N4\"", "\"name\": \"N3\""), ("\"name\": \"N9\"", "\"name\": \"N4\"")],
            lines: [
                header(2),
                "nodelist[3] (N4): name must be \"N3\", because the prototype finds node N<k> at position k of nodelist",
                "nodelist[4] (N3): name must be \"N4\", because the prototype finds node N<k> at position k of nodelist",
            ]),
        InvalidCase(
            label: "self-parent",
            edits: [("\"name\": \"N4\", \"parent\": \"N1\"", "\"name\": \"N4\", \"parent\": \"N4\"")],
            lines: [header(1), "nodelist[4] (N4): parent is the node itself; a node's parent must be another node"]),
        InvalidCase(
            label: "children disagree with parents",
            edits: [("\"children\": [\"N3\", \"N4\"]", "\"children\": [\"N3\", \"N2\"]")],
            lines: [
                header(2),
                "nodelist[1] (N1): children lists N2, but the parent of N2 is N0",
                "nodelist[1] (N1): children does not list N4, whose parent is N1",
            ]),
        InvalidCase(
            label: "leaf disagrees with children",
            edits: [("\"children\": [\"N3\", \"N4\"], \"leaf\": \"false\"", "\"children\": [\"N3\", \"N4\"], \"leaf\": true")],
            lines: [header(1), "nodelist[1] (N1): leaf is true but the node has children (N3, N4)"]),
        InvalidCase(
            label: "container names differing in case",
            edits: [(
                "{\"name\": \"hbo\", \"resource_mem\": \"256\", \"resource_cpu\": \"0.2\", \"customer\": \"HBO\"}",
                "{\"name\": \"hbo\", \"resource_mem\": \"256\", \"resource_cpu\": \"0.2\", \"customer\": \"HBO\"}, "
                    + "{\"name\": \"HBO\", \"resource_mem\": \"512\", \"resource_cpu\": \"1\", \"customer\": \"HBO Max\"}"
            )],
            lines: [
                header(1),
                "containerlist[1] (HBO): name duplicates containerlist[0] (hbo); container names must differ in more "
                    + "than letter case or Unicode normalization",
            ]),
        InvalidCase(
            label: "CPU finer than a millicore",
            edits: [("\"resource_cpu\": \"0.2\"", "\"resource_cpu\": \"0.0005\"")],
            lines: [
                header(1),
                "containerlist[0] (hbo): resource_cpu is \"0.0005\", finer than one millicore (0.001 cores); round it "
                    + "to at most three decimals",
            ]),
        InvalidCase(
            label: "container needing nothing",
            edits: [("\"resource_mem\": \"256\"", "\"resource_mem\": 0")],
            lines: [header(1), "containerlist[0] (hbo): resource_mem is 0; a container needs more than 0 megabytes"]),
        InvalidCase(
            label: "name with a line break",
            edits: [("\"name\": \"hbo\"", "\"name\": \"hbo\\n\"")],
            lines: [
                header(4),
                "containerlist[0]: name \"hbo\\n\" contains the control character U+000A at position 4; names must be printable",
                "nodelist[0] (N0): containers lists \"hbo\", which is not in containerlist",
                "nodelist[1] (N1): containers lists \"hbo\", which is not in containerlist",
                "nodelist[3] (N3): containers lists \"hbo\", which is not in containerlist",
            ]),
    ]

    @Test(arguments: invalidCases)
    func invalidFileIsRejected(_ invalid: InvalidCase) throws {
        let text = try SmallTree.text(applying: invalid.edits)
        let error = try Self.rejectedImport(text)
        #expect(error.kind == .invalidInput)
        #expect(Self.lines(of: error) == invalid.lines)
    }

    @Test func trailingCommaNamesLineAndColumn() throws {
        let text = try SmallTree.text(applying: [("\"containers\": [], \"depth\": \"2\"}", "\"containers\": [], \"depth\": \"2\"},")])
        let error = try Self.rejectedImport(text)
        #expect(error.kind == .invalidInput)
        #expect(
            error.message
                == "'state.json' is not valid JSON: line 10, column 218: trailing comma before ']', which JSON does not "
                + "allow; delete the comma")
        #expect(error.details.isEmpty)
    }

    @Test func topLevelArrayIsRejected() throws {
        let error = try Self.rejectedImport("[{\"name\": \"N0\"}]")
        #expect(
            Self.lines(of: error) == [
                Self.header(1),
                "top level: a state file is a JSON object with \"containerlist\" and \"nodelist\", found an array",
            ])
    }

    @Test func emptyNodeListIsRejected() throws {
        let error = try Self.rejectedImport("{\"containerlist\": [], \"nodelist\": []}")
        #expect(Self.lines(of: error) == [Self.header(1), "nodelist: is empty; a topology needs at least the root node N0"])
    }

    @Test func longProblemListIsCut() throws {
        var nodes = ["{\"name\": \"N0\", \"parent\": \"none\", \"capacity_mem\": \"1\", \"capacity_cpu\": \"1\", \"depth\": \"0\"}"]
        for index in 1...60 {
            nodes.append("{\"name\": \"N\(index)\", \"parent\": \"N0\", \"capacity_mem\": \"-1\", \"capacity_cpu\": \"1\", \"depth\": \"1\"}")
        }
        let text = "{\"containerlist\": [], \"nodelist\": [\(nodes.joined(separator: ", "))]}"
        let error = try Self.rejectedImport(text)
        #expect(error.message == Self.header(60))
        #expect(error.details.count == 51)
        #expect(error.details.first == "nodelist[1] (N1): capacity_mem is \"-1\"; it cannot be negative")
        #expect(error.details.last == "... and 10 more problems")
    }

    @Test func missingFileIsNotFound() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("missing.json")
        let error = try #require(throws: PraaSError.self) {
            try StateFileDecoder.decode(contentsOfFile: path)
        }
        #expect(error.kind == .fileNotFound)
        #expect(error.message == "cannot read state file '\(path)': No such file or directory")
    }

    // MARK: - Accepted forms

    @Test func numbersBooleansAndNullAreAccepted() throws {
        let text = """
            {
                "containerlist": [
                    {"name": "hbo", "resource_mem": 256, "resource_cpu": 0.2, "customer": "HBO"}
                ],
                "nodelist": [
                    {"name": "N0", "parent": null, "children": ["N1", "N2"], "leaf": false, "households": [], "capacity_mem": 8192, "capacity_mem_used": 256, "capacity_cpu": 16, "capacity_cpu_used": 0.2, "containers": ["hbo"], "depth": 0},
                    {"name": "N1", "parent": "N0", "children": ["N3", "N4"], "leaf": false, "households": [], "capacity_mem": 4096.0, "capacity_mem_used": 256, "capacity_cpu": 8e0, "capacity_cpu_used": 0.2, "containers": ["hbo"], "depth": 1},
                    {"name": "N2", "parent": "N0", "children": [], "leaf": true, "households": ["h1", "h2"], "capacity_mem": "4096", "capacity_mem_used": 0, "capacity_cpu": "8", "capacity_cpu_used": 0, "containers": [], "depth": "1"},
                    {"name": "N3", "parent": "N1", "children": [], "leaf": true, "households": ["h3"], "capacity_mem": 1024, "capacity_mem_used": "256", "capacity_cpu": 1, "capacity_cpu_used": "0.200", "containers": ["hbo"], "depth": 2},
                    {"name": "N4", "parent": "N1", "children": [], "leaf": "true", "households": [], "capacity_mem": "1024", "capacity_mem_used": "0", "capacity_cpu": "2.0", "capacity_cpu_used": 0.0, "containers": [], "depth": 2.0}
                ]
            }
            """
        #expect(try StateFileDecoder.decode(text: text) == SmallTree.stateFile())
    }

    @Test func redundantFieldsMayBeOmitted() throws {
        let text = """
            {
                "containerlist": [{"name": "hbo", "resource_mem": "256", "resource_cpu": "0.2", "customer": "HBO"}],
                "nodelist": [
                    {"name": "N0", "parent": "none", "capacity_mem": "8192", "capacity_cpu": "16", "containers": ["hbo"], "depth": "0"},
                    {"name": "N1", "parent": "N0", "capacity_mem": "4096", "capacity_cpu": "8", "containers": ["hbo"], "depth": "1"},
                    {"name": "N2", "parent": "N0", "households": ["h1", "h2"], "capacity_mem": "4096", "capacity_cpu": "8", "depth": "1"},
                    {"name": "N3", "parent": "N1", "households": ["h3"], "capacity_mem": "1024", "capacity_cpu": "1", "containers": ["hbo"], "depth": "2"},
                    {"name": "N4", "parent": "N1", "capacity_mem": "1024", "capacity_cpu": "2", "depth": "2"}
                ]
            }
            """
        #expect(try StateFileDecoder.decode(text: text) == SmallTree.stateFile())
    }

    @Test func decodedSmallTreeHasExactValues() throws {
        let file = try SmallTree.stateFile()
        #expect(file.containers == [StateFile.Container(name: "hbo", memoryMB: 256, millicores: 200, customer: "HBO")])
        #expect(
            file.nodes == [
                StateFile.Node(name: "N0", parent: nil, depth: 0, memoryMB: 8192, millicores: 16_000, containers: ["hbo"]),
                StateFile.Node(name: "N1", parent: 0, depth: 1, memoryMB: 4096, millicores: 8_000, containers: ["hbo"]),
                StateFile.Node(name: "N2", parent: 0, depth: 1, memoryMB: 4096, millicores: 8_000, households: ["h1", "h2"]),
                StateFile.Node(name: "N3", parent: 1, depth: 2, memoryMB: 1024, millicores: 1_000, households: ["h3"], containers: ["hbo"]),
                StateFile.Node(name: "N4", parent: 1, depth: 2, memoryMB: 1024, millicores: 2_000),
            ])
        #expect(file.leafCount == 3)
        #expect(file.householdCount == 3)
        #expect(file.maxDepth == 2)
    }

    @Test(arguments: [
        ("0.6000000000000001", Int64(600)),
        ("0.30000000000000004", 300),
        ("0.7999999999999999", 800),
        ("1.2000000000000002", 1_200),
        ("0.6", 600),
        ("\"0.6\"", 600),
    ])
    func prototypeFloatSumsAreAccepted(written: String, millicores: Int64) throws {
        let containers = (0..<Int(millicores / 100)).map { index in
            "{\"name\": \"c\(index)\", \"resource_mem\": \"1\", \"resource_cpu\": \"0.1\", \"customer\": \"C\"}"
        }
        let names = (0..<Int(millicores / 100)).map { "\"c\($0)\"" }.joined(separator: ", ")
        let text = """
            {"containerlist": [\(containers.joined(separator: ", "))],
             "nodelist": [{"name": "N0", "parent": "none", "capacity_mem": "64", "capacity_cpu": "2",
                           "capacity_cpu_used": \(written), "containers": [\(names)], "depth": "0"}]}
            """
        let file = try StateFileDecoder.decode(text: text)
        #expect(file.nodes[0].containers.count == Int(millicores / 100))
    }

    @Test func cpuUsedFarFromMillicoreIsRejected() throws {
        let text = """
            {"containerlist": [{"name": "c", "resource_mem": "1", "resource_cpu": "0.2", "customer": "C"}],
             "nodelist": [{"name": "N0", "parent": "none", "capacity_mem": "64", "capacity_cpu": "2",
                           "capacity_cpu_used": 0.2004, "containers": ["c"], "depth": "0"}]}
            """
        let error = try Self.rejectedImport(text)
        #expect(
            Self.lines(of: error) == [
                Self.header(1),
                "nodelist[0] (N0): capacity_cpu_used is 0.2004, finer than one millicore (0.001 cores); round it to at "
                    + "most three decimals",
            ])
    }
}
