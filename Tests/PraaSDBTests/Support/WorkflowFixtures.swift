import Foundation

@testable import PraaSDB
import TestSupport

/// Databases and shortcuts for the workflow tests.
enum WorkflowFixtures {
    /// A fixed clock, so timestamps in assertions are exact.
    static let clock: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_800_000_000) }

    /// Creates `praas.db` in `directory` with the built-in Oslo topology.
    static func oslo(in directory: TemporaryDirectory, actor: String = "alice") throws -> Repository {
        let repository = try Repository.create(
            at: directory.file("praas.db"), options: RepositoryOptions(clock: clock, actor: actor))
        let topology = try BuiltInTopology.named("oslo-80")
        try repository.importState(try topology.stateFile(), source: topology.name)
        return repository
    }

    /// Creates `praas.db` in `directory` holding `file`.
    static func database(_ file: StateFile, in directory: TemporaryDirectory, actor: String = "alice") throws -> Repository {
        let repository = try Repository.create(
            at: directory.file("praas.db"), options: RepositoryOptions(clock: clock, actor: actor))
        try repository.importState(file, source: "test.json")
        return repository
    }

    /// Opens a second connection to the same file as another operator.
    static func reopen(_ repository: Repository, actor: String) throws -> Repository {
        try Repository.open(at: repository.database.path, options: RepositoryOptions(clock: clock, actor: actor))
    }

    /// A tree with `fanout` children per node down to `depth`, every node with
    /// `memoryMB` and `millicores`, named N0, N1, ... breadth first.
    static func tree(depth: Int, fanout: Int, memoryMB: Int64 = 1024, millicores: Int64 = 1000) -> StateFile {
        var nodes = [StateFile.Node(name: "N0", parent: nil, depth: 0, memoryMB: memoryMB, millicores: millicores)]
        var level = [0]
        for currentDepth in 1...max(depth, 1) where depth > 0 {
            var next: [Int] = []
            for parent in level {
                for _ in 0..<fanout {
                    nodes.append(StateFile.Node(
                        name: "N\(nodes.count)", parent: parent, depth: currentDepth, memoryMB: memoryMB, millicores: millicores))
                    next.append(nodes.count - 1)
                }
            }
            level = next
        }
        return StateFile(containers: [], nodes: nodes)
    }
}

extension Repository {
    /// Plans, approves and deploys `request`, failing the test's `try` if any step
    /// is refused, and returns the deployed change.
    @discardableResult
    func deployNow(_ request: ChangeRequest) throws -> Change {
        let change = try planApproveDeploy(request)
        guard change.status == .deployed else {
            throw PraaSError(.constraintViolation, "expected \(request.summary) to deploy, but it is \(change.status.rawValue): \(change.reasons)")
        }
        return change
    }

    /// The names of the nodes `container` runs on, in node order.
    func nodeNames(of container: String) throws -> [String] {
        try placements(ofContainer: container).map(\.node)
    }

    /// The model of each of `container`'s placements, by node name.
    func models(of container: String) throws -> [String: PlacementModel] {
        Dictionary(uniqueKeysWithValues: try placements(ofContainer: container).map { ($0.node, $0.model) })
    }
}

/// `N<first>` to `N<last>` as names.
func names(_ range: ClosedRange<Int>) -> [String] {
    range.map { "N\($0)" }
}
