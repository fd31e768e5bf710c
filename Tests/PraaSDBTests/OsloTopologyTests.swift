import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// The built-in 80-node Oslo network: its shape, capacities and households,
/// and the HBO, Lillestrøm and Fortnite use cases run on it with the
/// prototype's semantics.
@Suite struct OsloTopologyTests {
    static func oslo() throws -> StateFile {
        try BuiltInTopology.named("oslo-80").stateFile()
    }

    static func index(_ name: String) -> Int {
        Int(name.dropFirst())!
    }

    static func names(_ indices: some Sequence<Int>) -> Set<String> {
        Set(indices.map { "N\($0)" })
    }

    /// Nodes with 0 < depth <= `depth`, as the prototype's balloon (`-B NAME -d D`) deploys on.
    static func balloon(toDepth depth: Int, in file: StateFile) -> Set<Int> {
        Set(file.nodes.indices.filter { file.nodes[$0].depth > 0 && file.nodes[$0].depth <= depth })
    }

    /// `target` and every node above it, up to but not including N0, as the
    /// prototype's fog (`-F NAME -n Nk`) deploys on.
    static func fog(to target: Int, in file: StateFile) -> Set<Int> {
        var nodes: Set<Int> = []
        var current: Int? = target
        while let index = current, index != 0 {
            nodes.insert(index)
            current = file.nodes[index].parent
        }
        return nodes
    }

    /// Returns the nodes that hold a container after registering it (which
    /// deploys on N0) and running `operations`.
    static func useCase(_ operations: [Set<Int>]) -> Set<Int> {
        operations.reduce([0]) { $0.union($1) }
    }

    static func hbo(in file: StateFile) -> Set<Int> {
        useCase([balloon(toDepth: 4, in: file)])
    }

    static func lillestrom(in file: StateFile) -> Set<Int> {
        let targets = ["N13", "N28", "N29", "N30", "N31", "N46", "N47", "N48", "N49", "N50"]
        return useCase(targets.map { fog(to: index($0), in: file) })
    }

    static func fortnite(in file: StateFile) -> Set<Int> {
        let targets = ["N76", "N19", "N20", "N10", "N12", "N31", "N66", "N16"]
        return useCase(targets.map { fog(to: index($0), in: file) })
    }

    // MARK: - The tree

    @Test func hasEightyNodes() throws {
        let file = try Self.oslo()
        #expect(file.nodes.count == 80)
        #expect(file.nodes.map(\.name) == (0..<80).map { "N\($0)" })
        #expect(file.containers.isEmpty)
        #expect(file.nodes.allSatisfy { $0.containers.isEmpty })
    }

    @Test func nodesPerDepthMatch() throws {
        let file = try Self.oslo()
        let counts = (0...file.maxDepth).map { depth in file.nodes.filter { $0.depth == depth }.count }
        #expect(counts == [1, 9, 14, 22, 18, 7, 9])
    }

    @Test func numberingIsBreadthFirst() throws {
        let file = try Self.oslo()
        let ranges = [0...0, 1...9, 10...23, 24...45, 46...63, 64...70, 71...79]
        for (depth, range) in ranges.enumerated() {
            #expect(range.allSatisfy { file.nodes[$0].depth == depth }, "depth \(depth)")
        }
        for (index, node) in file.nodes.enumerated() {
            if let parent = node.parent {
                #expect(parent < index, "\(node.name)")
            }
        }
    }

    @Test func rootIsNodeZero() throws {
        let file = try Self.oslo()
        #expect(file.nodes[0].parent == nil)
        #expect(file.nodes.dropFirst().allSatisfy { $0.parent != nil })
    }

    @Test func balloonCoversTenToEighty() throws {
        let file = try Self.oslo()
        #expect(Self.useCase([Self.balloon(toDepth: 1, in: file)]).count == 10)
        #expect(Self.useCase([Self.balloon(toDepth: 6, in: file)]).count == 80)
    }

    @Test func nodeThirteenHangsOffTwo() throws {
        let file = try Self.oslo()
        #expect(file.nodes[13].parent == 2)
    }

    @Test func lillestromIsOneSubtree() throws {
        let file = try Self.oslo()
        // Every node below N13, found by following parent links upwards.
        let subtree = file.nodes.indices.filter { index in
            var current: Int? = index
            while let node = current {
                if node == 13 { return true }
                current = file.nodes[node].parent
            }
            return false
        }
        #expect(Self.names(subtree) == Self.names([13] + Array(28...31) + Array(46...50)))
        #expect(Self.names(file.nodes.indices.filter { file.nodes[$0].parent == 13 }) == Self.names(28...31))
    }

    // MARK: - Capacity and households

    @Test func rootAndHubCapacities() throws {
        let file = try Self.oslo()
        #expect(file.nodes[0].memoryMB == 8192)
        #expect(file.nodes[0].millicores == 16_000)
        for node in file.nodes where node.depth == 1 {
            #expect(node.memoryMB == 4096, "\(node.name)")
            #expect(node.millicores == 8_000, "\(node.name)")
        }
    }

    @Test func capacityShrinksWithDepth() throws {
        let file = try Self.oslo()
        for node in file.nodes {
            guard let parent = node.parent else { continue }
            #expect(node.memoryMB <= file.nodes[parent].memoryMB, "\(node.name)")
            #expect(node.millicores <= file.nodes[parent].millicores, "\(node.name)")
        }
        for depth in 1...file.maxDepth {
            let deeper = file.nodes.filter { $0.depth == depth }
            let shallower = file.nodes.filter { $0.depth == depth - 1 }
            #expect(deeper.map(\.memoryMB).max()! <= shallower.map(\.memoryMB).min()!, "depth \(depth)")
            #expect(deeper.map(\.millicores).max()! <= shallower.map(\.millicores).min()!, "depth \(depth)")
        }
    }

    @Test func householdsHangOffLeaves() throws {
        let file = try Self.oslo()
        let parents = Set(file.nodes.compactMap(\.parent))
        for (index, node) in file.nodes.enumerated() {
            if parents.contains(index) {
                #expect(node.households.isEmpty, "\(node.name) has children and households")
            } else {
                // A node serves a few hundred customers.
                #expect((100...999).contains(node.households.count), "\(node.name)")
            }
        }
        #expect(file.leafCount == 30)
        #expect(file.householdCount == 7254)
    }

    // MARK: - Use cases

    @Test func hboBalloonCoversDepthFour() throws {
        let file = try Self.oslo()
        let nodes = Self.hbo(in: file)
        #expect(nodes.count == 64)
        #expect(nodes.contains(0))
        #expect(nodes == Set(file.nodes.indices.filter { file.nodes[$0].depth <= 4 }))
    }

    @Test func lillestromFogCoversTwelve() throws {
        let file = try Self.oslo()
        let nodes = Self.lillestrom(in: file)
        #expect(Self.names(nodes) == Self.names([0, 2, 13] + Array(28...31) + Array(46...50)))
    }

    @Test func fortniteFogCoversTwentyTwo() throws {
        let file = try Self.oslo()
        let nodes = Self.fortnite(in: file)
        #expect(nodes.count == 22)
        #expect(nodes.contains(0))
        let expected = [0, 1, 2, 4, 5, 6, 7, 10, 12, 13, 16, 17, 19, 20, 31, 36, 37, 54, 56, 65, 66, 76]
        #expect(Self.names(nodes) == Self.names(expected))
    }

    @Test func useCasesFitTogether() throws {
        let file = try Self.oslo()
        let useCases = [Self.hbo(in: file), Self.lillestrom(in: file), Self.fortnite(in: file)]
        for (index, node) in file.nodes.enumerated() {
            let count = Int64(useCases.filter { $0.contains(index) }.count)
            // praas-db's rule: the containers fit when they need no more than the capacity.
            #expect(count * 256 <= node.memoryMB, "\(node.name)")
            #expect(count * 200 <= node.millicores, "\(node.name)")
            // The prototype's rule: before each deploy the free capacity must be strictly larger.
            #expect(count * 256 < node.memoryMB || count == 0, "\(node.name)")
            #expect(count * 200 < node.millicores || count == 0, "\(node.name)")
        }
    }

    @Test func databaseAcceptsAllUseCases() throws {
        let directory = TemporaryDirectory()
        let repository = try Repository.create(at: directory.file("oslo.db"))
        let topology = try BuiltInTopology.named("oslo-80")
        try repository.importState(try topology.stateFile(), source: topology.name)
        let file = try Self.oslo()
        let useCases = [("hbo", "HBO", Self.hbo(in: file)), ("Lillestrom", "Lillestrom", Self.lillestrom(in: file)),
                        ("Fortnite", "Epic games", Self.fortnite(in: file))]

        let database = repository.database
        try database.transaction {
            for (name, customer, nodes) in useCases {
                try database.run(
                    "INSERT INTO containers (name, memory_mb, cpu_millicores, customer) VALUES (?, 256, 200, ?)", name, customer)
                let id = database.lastInsertRowID
                for node in nodes.sorted() {
                    try database.run("INSERT INTO placements (container_id, node_id) VALUES (?, ?)", id, node)
                }
            }
        }
        let containers = try repository.containers()
        #expect(containers.map(\.nodeCount) == [64, 12, 22])
        #expect(try repository.status().placementCount == 98)
        let n31 = try repository.nodes(depth: 3).first { $0.name == "N31" }
        #expect(n31?.containers == ["hbo", "Lillestrom", "Fortnite"])
        #expect(n31?.memoryUsedMB == 768)
        #expect(n31?.millicoresUsed == 600)
    }

    // MARK: - The embedded file

    @Test func embeddedTextIsCanonical() throws {
        let topology = try BuiltInTopology.named("oslo-80")
        #expect(Array(topology.stateFileText.utf8) == (try topology.stateFile()).encoded())
    }

    @Test func importThenExportGivesEmbeddedText() throws {
        let directory = TemporaryDirectory()
        let repository = try Repository.create(at: directory.file("oslo.db"))
        let topology = try BuiltInTopology.named("oslo-80")
        try repository.importState(try topology.stateFile(), source: topology.name)
        var exported: [UInt8] = []
        try repository.exportState { exported.append(contentsOf: $0) }
        #expect(exported == Array(topology.stateFileText.utf8))
    }

    @Test func builtInTopologiesAreListed() {
        #expect(BuiltInTopology.all.map(\.name) == ["oslo-80"])
    }

    @Test func unknownTopologyNamesChoices() {
        let error = #expect(throws: PraaSError.self) {
            try BuiltInTopology.named("oslo")
        }
        #expect(error?.kind == .notFound)
        #expect(error?.message == "no built-in topology is named 'oslo'; the built-in topologies are: oslo-80")

        let caseError = #expect(throws: PraaSError.self) {
            try BuiltInTopology.named("OSLO-80")
        }
        #expect(caseError?.message == "no built-in topology is named 'OSLO-80'; did you mean 'oslo-80'?")
    }
}
