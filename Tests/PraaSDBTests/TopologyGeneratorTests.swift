import Foundation
import Testing

@testable import PraaSDB

@Suite struct TopologyGeneratorTests {
    /// The generated file's bytes.
    static func bytes(of generator: TopologyGenerator) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try generator.write(to: { bytes.append(contentsOf: $0) })
        return bytes
    }

    /// The generated file, decoded with every check of an import.
    static func decoded(_ generator: TopologyGenerator) throws -> StateFile {
        try StateFileDecoder.decode(Data(try bytes(of: generator)), source: "generated")
    }

    // MARK: - The random numbers

    @Test func splitMixMatchesReferenceOutput() {
        // The first outputs of Vigna's splitmix64.c for the seed 0.
        var random = SplitMix64(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(random.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func boundedDrawsStayInRange() {
        var random = SplitMix64(seed: 42)
        var seen = Set<Int>()
        for _ in 0..<10_000 {
            let value = random.next(in: 3...9)
            #expect((3...9).contains(value))
            seen.insert(value)
        }
        #expect(seen == Set(3...9))
        #expect(random.next(in: 5...5) == 5)
    }

    // MARK: - Determinism

    @Test func sameSeedGivesSameBytes() throws {
        let first = try Self.bytes(of: TopologyGenerator(nodes: 3_000, seed: 99))
        let second = try Self.bytes(of: TopologyGenerator(nodes: 3_000, seed: 99))
        #expect(first == second)
    }

    @Test func otherSeedGivesOtherBytes() throws {
        let first = try Self.bytes(of: TopologyGenerator(nodes: 3_000, seed: 1))
        let second = try Self.bytes(of: TopologyGenerator(nodes: 3_000, seed: 2))
        #expect(first != second)
    }

    @Test func planIsPinnedForSeed() throws {
        // A change to these numbers changes every generated file: bump nothing
        // silently, because users compare files made by different versions.
        let generator = try TopologyGenerator(nodes: 80, depth: 6, seed: 7)
        #expect(generator.levelSizes == [1, 2, 4, 7, 12, 20, 34])
        #expect(generator.parentCounts.count == 7)
        #expect(generator.leafCount == 40)
        #expect(generator.householdCount == 160)
    }

    // MARK: - Shape

    @Test(arguments: [
        (1, nil, nil), (2, nil, nil), (10, nil, nil), (80, nil, nil), (80, 6, 9), (5, 4, 2), (15, 3, 2),
        (5_000, nil, nil), (5_000, 12, 3), (20_000, nil, 1000),
    ] as [(Int, Int?, Int?)])
    func shapeFollowsRules(nodes: Int, depth: Int?, fanout: Int?) throws {
        let generator = try TopologyGenerator(
            nodes: nodes, depth: depth, fanout: fanout ?? TopologyGenerator.defaultFanout, seed: 5)
        let file = try Self.decoded(generator)
        let nodeList = file.nodes

        #expect(nodeList.count == nodes)
        #expect(file.maxDepth == generator.depth)
        if let depth {
            #expect(generator.depth == depth)
        }
        #expect(file.containers.isEmpty)

        var childCounts = Array(repeating: 0, count: nodeList.count)
        var nodesPerDepth = Array(repeating: 0, count: generator.depth + 1)
        var households = 0
        for (index, node) in nodeList.enumerated() {
            nodesPerDepth[node.depth] += 1
            households += node.households.count
            guard let parent = node.parent else {
                #expect(index == 0)
                continue
            }
            childCounts[parent] += 1
            // Breadth-first order: depths never decrease, and parents come in order.
            #expect(nodeList[index - 1].depth <= node.depth)
            #expect(nodeList[index - 1].parent.map { $0 <= parent } ?? true)
            #expect(node.memoryMB <= nodeList[parent].memoryMB)
            #expect(node.millicores <= nodeList[parent].millicores)
        }
        #expect(nodesPerDepth == generator.levelSizes)
        #expect(households == generator.householdCount)
        #expect(childCounts.filter { $0 == 0 }.count == generator.leafCount)

        for (index, node) in nodeList.enumerated() {
            #expect(node.memoryMB == TopologyGenerator.memoryMB(atDepth: node.depth))
            #expect(node.millicores == TopologyGenerator.millicores(atDepth: node.depth))
            if childCounts[index] > 0 {
                #expect(node.households.isEmpty, "N\(index) has children and households")
                #expect(childCounts[index] <= generator.maxChildren[node.depth], "N\(index) has too many children")
            }
            let expectedNames = (0..<node.households.count).map { TopologyGenerator.householdName(node: index, number: $0 + 1) }
            #expect(node.households == expectedNames)
        }
    }

    @Test func fullBinaryTreeFillsEveryLevel() throws {
        let generator = try TopologyGenerator(nodes: 15, depth: 3, fanout: 2)
        #expect(generator.levelSizes == [1, 2, 4, 8])
        #expect(generator.parentCounts == [1, 2, 4, 0])
        #expect(generator.leafCount == 8)
    }

    @Test func chainHasOneNodePerDepth() throws {
        let generator = try TopologyGenerator(nodes: 5, depth: 4, fanout: 2)
        #expect(generator.levelSizes == [1, 1, 1, 1, 1])
        #expect(generator.leafCount == 1)
    }

    @Test func defaultsSuitNationalScale() throws {
        let generator = try TopologyGenerator(nodes: 1_000_000)
        #expect(generator.fanout == 32)
        #expect(generator.seed == 1)
        #expect(generator.depth == 7)
        #expect(generator.householdCount == 2_000_000)
        #expect(generator.levelSizes.reduce(0, +) == 1_000_000)
        #expect(generator.levelSizes.allSatisfy { $0 >= 1 })
    }

    @Test func fanOutShrinksWithDepth() {
        #expect(TopologyGenerator.maxChildren(fanout: 32, depth: 9) == [32, 24, 18, 13, 9, 6, 4, 3, 2])
        #expect(TopologyGenerator.maxChildren(fanout: 2, depth: 3) == [2, 2, 2])
    }

    @Test func householdNamesArePadded() {
        #expect(TopologyGenerator.householdName(node: 24, number: 1) == "h24-001")
        #expect(TopologyGenerator.householdName(node: 7, number: 120) == "h7-120")
        #expect(TopologyGenerator.householdName(node: 7, number: 1234) == "h7-1234")
    }

    @Test func zeroHouseholdsLeavesEveryListEmpty() throws {
        let file = try Self.decoded(TopologyGenerator(nodes: 500, households: 0))
        #expect(file.householdCount == 0)
    }

    // MARK: - Arguments

    @Test(arguments: [
        (0, nil, 32, nil, "--nodes must be from 1 to 10000000, found 0"),
        (10_000_001, nil, 32, nil, "--nodes must be from 1 to 10000000, found 10000001"),
        (10, nil, 1, nil, "--fanout must be from 2 to 1000, found 1"),
        (10, nil, 1001, nil, "--fanout must be from 2 to 1000, found 1001"),
        (10, -1, 32, nil, "--depth must be from 0 to 100, found -1"),
        (200, 101, 32, nil, "--depth must be from 0 to 100, found 101"),
        (10, nil, 32, -1, "--households must be from 0 to 100000000, found -1"),
        (10, nil, 32, 100_000_001, "--households must be from 0 to 100000000, found 100000001"),
        (
            1000, 2, 4, nil,
            "--depth 2 is too small for 1000 nodes with --fanout 4: a tree of depth 2 holds at most 17 nodes; "
                + "raise --depth to at least 8 or --fanout to at least 36"
        ),
        (
            2000, 1, 32, nil,
            "--depth 1 is too small for 2000 nodes with --fanout 32: a tree of depth 1 holds at most 33 nodes; "
                + "raise --depth to at least 3"
        ),
        (
            5, 10, 32, nil,
            "--depth 10 needs at least 11 nodes, one per depth from 0 to 10; raise --nodes to 11 or lower --depth to 4"
        ),
        (1, 1, 32, nil, "--depth 1 needs at least 2 nodes, one per depth from 0 to 1; raise --nodes to 2 or lower --depth to 0"),
    ] as [(Int, Int?, Int, Int?, String)])
    func invalidArgumentsAreRejected(nodes: Int, depth: Int?, fanout: Int, households: Int?, message: String) {
        #expect(throws: PraaSError(.invalidArgument, message)) {
            try TopologyGenerator(nodes: nodes, depth: depth, fanout: fanout, households: households)
        }
    }

    // MARK: - Progress

    @Test func progressGoesFromZeroToTotal() throws {
        var reports: [ProgressReport] = []
        let generator = try TopologyGenerator(nodes: 50_000)
        try generator.write(to: { _ in }, progress: { reports.append($0) })

        #expect(reports.first == ProgressReport(phase: "generating nodes", completed: 0, total: 50_000, unit: .items("nodes")))
        #expect(reports.last?.completed == 50_000)
        #expect(reports.count <= 1_002)
        #expect(reports.count > 100)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.completed <= $1.completed })
    }

    @Test func meterWithoutHandlerDoesNothing() {
        var meter = ProgressMeter(nil, phase: "idle", total: 10, unit: .bytes)
        meter.advance(by: 5)
        meter.advance(to: 8)
        meter.finish()
    }
}
