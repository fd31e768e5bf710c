import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// A long random sequence of operations, after which the history must replay
/// to exactly the current placements.
@Suite struct ReplayTests {
    static func randomRequest(_ random: inout SeededGenerator) -> ChangeRequest {
        let container = ["a", "b", "c", "d", "e"].randomElement(using: &random)!
        let node = "N\(Int.random(in: 0..<80, using: &random))"
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return .register(container: container, memoryMB: Int64.random(in: 64...512, using: &random), millicores: 100, customer: "customer-\(container)")
        case 1: return .balloon(container: container, depth: Int.random(in: 0...6, using: &random))
        case 2, 3: return .fog(container: container, nodes: [node])
        case 4: return .retract(container: container, node: node)
        case 5: return .place(container: container, node: node)
        case 6: return .remove(container: container, node: node)
        case 7: return .move(container: container, from: node, to: "N\(Int.random(in: 0..<80, using: &random))")
        case 8: return .unregister(container: container)
        default: return .balloon(container: container, depth: 0)
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func historyReplaysToPlacements(seed: UInt64) throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        var random = SeededGenerator(seed: seed)
        var deployed = 0
        for _ in 0..<300 {
            let request = Self.randomRequest(&random)
            guard let change = try? repository.plan(request), change.status == .planned else { continue }
            _ = try repository.approve(change.id)
            _ = try repository.deploy(change.id)
            deployed += 1
        }
        #expect(deployed > 50, "seed \(seed) deployed only \(deployed) changes")

        var replayed: [String: String] = [:]
        try repository.database.forEachRow(
            "SELECT event, container_id, node_id, model FROM history WHERE event LIKE 'placement_%' ORDER BY id"
        ) { row in
            let key = "\(row.int(1)) \(row.int(2))"
            switch row.string(0) {
            case "placement_added", "placement_remodeled": replayed[key] = row.string(3)
            default: replayed[key] = nil
            }
        }
        var current: [String: String] = [:]
        try repository.database.forEachRow("SELECT container_id, node_id, model FROM placements") { row in
            current["\(row.int(0)) \(row.int(1))"] = row.string(2)
        }
        #expect(replayed == current, "seed \(seed)")
        #expect(try repository.revision() == deployed + 1)

        // The interval view agrees with the replay at the newest revision.
        let open = try repository.database.scalarInt("SELECT count(*) FROM placement_intervals WHERE to_revision IS NULL")
        #expect(open == current.count)
    }
}
