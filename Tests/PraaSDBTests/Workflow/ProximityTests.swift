import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// Proximity against an independent brute-force search: for every node with
/// households, a breadth-first search over the tree's links to the nearest holder.
@Suite struct ProximityTests {
    /// Hops and latency from each household node to the nearest holder, found by
    /// searching outward from the node; ties in hops go to the lower latency.
    static func bruteForce(_ file: StateFile, holders: Set<String>, model: LatencyModel) -> (hops: [Int64: Int], latency: [Int64: Int]) {
        var neighbours = Array(repeating: [Int](), count: file.nodes.count)
        for (index, node) in file.nodes.enumerated() {
            if let parent = node.parent {
                neighbours[index].append(parent)
                neighbours[parent].append(index)
            }
        }
        func link(_ a: Int, _ b: Int) -> Int64 {
            model.linkMicroseconds(toDepth: max(file.nodes[a].depth, file.nodes[b].depth))
        }
        var hops: [Int64: Int] = [:]
        var latency: [Int64: Int] = [:]
        for (start, node) in file.nodes.enumerated() where !node.households.isEmpty {
            var distance = [start: (hops: 0, latency: Int64(0))]
            var frontier = [start]
            var best: (hops: Int, latency: Int64)?
            while !frontier.isEmpty, best == nil {
                for index in frontier where holders.contains(file.nodes[index].name) {
                    let found = distance[index]!
                    if best == nil || found.latency < best!.latency {
                        best = found
                    }
                }
                var next: [Int] = []
                for index in frontier {
                    for neighbour in neighbours[index] where distance[neighbour] == nil {
                        distance[neighbour] = (distance[index]!.hops + 1, distance[index]!.latency + link(index, neighbour))
                        next.append(neighbour)
                    }
                }
                frontier = next
            }
            guard let best else { continue }
            hops[Int64(best.hops), default: 0] += node.households.count
            latency[best.latency + model.accessMicroseconds, default: 0] += node.households.count
        }
        return (hops, latency)
    }

    static func histogram(_ distribution: Distribution) -> [Int64: Int] {
        Dictionary(uniqueKeysWithValues: distribution.histogram.map { ($0.value, $0.households) })
    }

    @Test func useCasesMatchBruteForce() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        for useCase in UseCase.oslo {
            for request in useCase.requests {
                try repository.deployNow(request)
            }
        }
        let file = try BuiltInTopology.named("oslo-80").stateFile()
        for container in ["hbo", "Lillestrom", "Fortnite"] {
            let holders = Set(try repository.nodeNames(of: container))
            let expected = Self.bruteForce(file, holders: holders, model: .defaults)
            let summary = try repository.proximity(ofContainer: container).summary
            #expect(Self.histogram(summary.hops) == expected.hops, "\(container)")
            #expect(Self.histogram(summary.latencyMicroseconds) == expected.latency, "\(container)")
            #expect(summary.households == 7254)
        }
    }

    /// The numbers the README quotes for HBO and Fortnite.
    @Test func useCaseSummaries() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        for useCase in UseCase.oslo {
            for request in useCase.requests {
                try repository.deployNow(request)
            }
        }
        let hbo = try repository.proximity(ofContainer: "hbo", budgetMicroseconds: 10_000).summary
        #expect(hbo.hops.histogram.map(\.value) == [0, 1, 2])
        #expect(hbo.hops.histogram.map(\.households) == [4697, 406, 2151])
        #expect(hbo.latencyMicroseconds.median == 5000)
        #expect(hbo.latencyMicroseconds.percentile95 == 13_000)
        #expect(hbo.latencyMicroseconds.maximum == 13_000)
        #expect(hbo.householdsWithinBudget == 5103)

        let fortnite = try repository.proximity(ofContainer: "Fortnite", budgetMicroseconds: 20_000).summary
        #expect(fortnite.hops.median == 2)
        #expect(fortnite.latencyMicroseconds.median == 13_000)
        #expect(fortnite.latencyMicroseconds.percentile95 == 29_000)
        #expect(fortnite.householdsWithinBudget == 4887)
    }

    /// Micromanagement holders in separate branches, not connected to the root.
    @Test func separateBranchesServeTheirOwnHouseholds() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        try repository.deployNow(.register(container: "game", memoryMB: 256, millicores: 200, customer: "ACME"))
        try repository.deployNow(.place(container: "game", node: "N76"))
        try repository.deployNow(.place(container: "game", node: "N48"))
        try repository.deployNow(.remove(container: "game", node: "N0"))
        #expect(try repository.nodeNames(of: "game") == ["N48", "N76"])

        let file = try BuiltInTopology.named("oslo-80").stateFile()
        let expected = Self.bruteForce(file, holders: ["N48", "N76"], model: .defaults)
        let report = try repository.proximity(ofContainer: "game", byNode: true)
        #expect(Self.histogram(report.summary.hops) == expected.hops)
        #expect(Self.histogram(report.summary.latencyMicroseconds) == expected.latency)

        let n76 = try #require(report.nodes.first { $0.node == "N76" })
        #expect(n76.holder == "N76")
        #expect(n76.hops == 0)
        #expect(n76.latencyMicroseconds == 5000)
        let n48 = try #require(report.nodes.first { $0.node == "N48" })
        #expect(n48.holder == "N48")
        // N24 (depth 3, under N1) reaches N48 (depth 4, under N2) through N0: 3 + 4 hops.
        let n24 = try #require(report.nodes.first { $0.node == "N24" })
        #expect(n24.hops == 7)
        #expect(n24.holder == "N48")
    }

    @Test func latencyModelChangesDistances() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        try repository.deployNow(.register(container: "hbo", memoryMB: 256, millicores: 200, customer: "HBO"))
        var model = LatencyModel.defaults
        model.linkMicrosecondsByDepth = [1: 1000, 2: 2500]
        try repository.setLatencyModel(model)
        #expect(try repository.latencyModel() == model)

        let file = try BuiltInTopology.named("oslo-80").stateFile()
        let expected = Self.bruteForce(file, holders: ["N0"], model: model)
        let summary = try repository.proximity(ofContainer: "hbo").summary
        #expect(Self.histogram(summary.latencyMicroseconds) == expected.latency)
        let event = try #require(try repository.history().last)
        #expect(event.event == "latency_changed")
        #expect(event.details == "{\"from\":{\"access_microseconds\":5000,\"link_microseconds\":4000,\"link_microseconds_by_depth\":{}},\"to\":{\"access_microseconds\":5000,\"link_microseconds\":4000,\"link_microseconds_by_depth\":{\"1\":1000,\"2\":2500}}}")
    }

    @Test func planRecordsProximityBeforeAndAfter() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        try repository.deployNow(.register(container: "hbo", memoryMB: 256, millicores: 200, customer: "HBO"))
        let file = try BuiltInTopology.named("oslo-80").stateFile()

        let change = try repository.plan(.balloon(container: "hbo", depth: 1))
        let proximity = try #require(change.proximity)
        let before = Self.bruteForce(file, holders: ["N0"], model: .defaults)
        let after = Self.bruteForce(file, holders: Set(names(0...9)), model: .defaults)
        #expect(Self.histogram(proximity.before.hops) == before.hops)
        #expect(Self.histogram(proximity.after.hops) == after.hops)
        #expect(Self.histogram(proximity.after.latencyMicroseconds) == after.latency)
        #expect(proximity.before.holderCount == 1)
        #expect(proximity.after.holderCount == 10)

        // The record is what the plan showed, also after the state moved on.
        try repository.deployNow(.balloon(container: "hbo", depth: 3))
        #expect(try repository.change(change.id).proximity == proximity)
    }

    @Test func planLeavesOutProximityOverLimit() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        try repository.setPlanProximityNodeLimit(79)
        let change = try repository.plan(.register(container: "hbo", memoryMB: 256, millicores: 200, customer: "HBO"))
        #expect(change.proximity == nil)
    }
}
