import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// Several operators working on one database at once, each a stream of real
/// `praas-db` processes: random plans, approvals and deploys, a race for the
/// last room on one node, and a lock held past the busy timeout.
///
/// `PRAAS_DB_STRESS=1` runs the random operators at full size; see
/// docs/RELIABILITY.md.
@Suite struct ConcurrentOperatorTests {
    /// One `praas-db` run by an operator and what it printed.
    struct OperationRecord: Sendable {
        let worker: Int
        let arguments: [String]
        let exitCode: Int32
        let standardOutput: String
        let standardError: String

        var firstErrorLine: String {
            String(standardError.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
    }

    /// The reasons a step may fail while others work on the same database, by exit code.
    static var statedReasons: [Int32: [Regex<Substring>]] {
        [
        3: [#/Error: (?:container|node|change) .+ not found.*/#],
        4: [#/Error: change \d+ was rejected: .+/#, #/Error: change \d+ (?:no longer holds|cannot be deployed): .+/#],
        5: [
            #/Error: change \d+ was planned at revision \d+, but the state is now at revision \d+; plan the change again/#,
            #/Error: change \d+ is stale: it was planned at revision \d+, and the state has moved on; plan it again/#,
            #/Error: change \d+ is already (?:deployed|approved).*/#,
            #/Error: change \d+ is not approved yet; approve it with 'praas-db approve \d+'/#,
            #/Error: change \d+ (?:was rejected|failed) \(.+\) and cannot be (?:approved|deployed); plan (?:a new change|it again)/#,
        ],
        ]
    }

    static func hasStatedReason(_ record: OperationRecord) -> Bool {
        let line = record.firstErrorLine
        return (statedReasons[record.exitCode] ?? []).contains { (try? $0.wholeMatch(in: line)) != nil }
    }

    // MARK: - Random operators

    @Test(.timeLimit(.minutes(10)))
    func randomOperatorsKeepInvariants() throws {
        let workers = StressMode.size("PRAAS_DB_STRESS_WORKERS", suite: 8, stress: 16)
        let operations = StressMode.size("PRAAS_DB_STRESS_OPERATIONS", suite: 60, stress: 300)
        let seed = UInt64(StressMode.size("PRAAS_DB_STRESS_SEED", suite: 1, stress: Int(Date().timeIntervalSince1970)))
        let directory = TemporaryDirectory()
        #expect(try CLI.run(["init", "--topology", "oslo-80"], in: directory.path).exitCode == 0)

        let path = directory.path
        let log = SharedList<OperationRecord>()
        let planned = SharedList<Int>()
        let approved = SharedList<Int>()
        Parallel.run(workers) { worker in
            var random = SeededGenerator(seed: seed &* 1_000_003 &+ UInt64(worker))
            var operatorState = RandomOperator(worker: worker)
            for _ in 0..<operations {
                let arguments = operatorState.nextArguments(using: &random, planned: planned.snapshot, approved: approved.snapshot)
                guard let result = try? CLI.run(arguments, in: path, environment: ["PRAAS_DB_USER": "operator\(worker)"])
                else {
                    log.append(OperationRecord(worker: worker, arguments: arguments, exitCode: -1, standardOutput: "", standardError: "could not start praas-db"))
                    continue
                }
                let record = OperationRecord(
                    worker: worker, arguments: arguments, exitCode: result.exitCode,
                    standardOutput: result.standardOutput, standardError: result.standardError)
                log.append(record)
                operatorState.record(record, planned: planned, approved: approved)
            }
        }

        let records = log.snapshot
        #expect(records.count == workers * operations)
        for record in records {
            let context = Comment(rawValue: "seed \(seed), operator \(record.worker): praas-db \(record.arguments.joined(separator: " "))\n\(record.standardError)")
            #expect([0, 3, 4, 5].contains(record.exitCode), context)
            #expect(!record.standardError.localizedCaseInsensitiveContains("locked"), context)
            #expect(!record.standardError.localizedCaseInsensitiveContains("timed out"), context)
            if record.exitCode != 0 {
                #expect(Self.hasStatedReason(record), context)
            }
        }

        let repository = try Repository.open(at: directory.file("praas.db"))
        try Self.verifyHistory(of: repository, records: records)

        // The run must have exercised the workflow: deploys and stale changes both happen.
        let changes = try repository.changes()
        #expect(changes.filter { $0.status == .deployed }.count >= 10, "seed \(seed)")
        #expect(changes.contains { $0.status == .stale }, "seed \(seed)")
    }

    /// Checks the database after the operators are done. `check` passes, and no
    /// revision puts a node over capacity. Each revision is exactly one deployed
    /// change applied to the revision before. Every change the CLI reported
    /// deployed or rejected is stored that way, and every change that did not
    /// deploy carries its reason.
    static func verifyHistory(of repository: Repository, records: [OperationRecord]) throws {
        for result in try repository.check() {
            #expect(result.problems == [], "check \(result.name)")
        }

        let current = try repository.revision()
        let changes = try repository.changes()
        let deployed = changes.filter { $0.status == .deployed }
        #expect(deployed.compactMap(\.deployedRevision).sorted() == Array(stride(from: 2, through: current, by: 1)))
        for change in changes where [.rejected, .stale, .failed].contains(change.status) {
            #expect(!change.reasons.isEmpty, "change \(change.id) is \(change.status.rawValue) without a reason")
        }

        let states = try replayHistory(of: repository)
        #expect(states.count == current)
        for revision in stride(from: 2, through: min(current, states.count), by: 1) {
            let (previous, state) = (states[revision - 2], states[revision - 1])
            guard let summary = deployed.first(where: { $0.deployedRevision == revision }) else { continue }
            let change = try repository.change(summary.id)
            let container = change.request.container
            let added = Set(change.placements.filter { $0.action == .add }.map { Placement(container: container, node: $0.node) })
            let removed = Set(change.placements.filter { $0.action == .remove }.map { Placement(container: container, node: $0.node) })
            #expect(state.subtracting(previous) == added, "change \(change.id) at revision \(revision)")
            #expect(previous.subtracting(state) == removed, "change \(change.id) at revision \(revision)")
        }
        // 'export --at-revision' rebuilds a past state its own way; it must agree with the replay.
        for revision in Set([1, current] + Array(stride(from: 5, through: current, by: 10))) where revision <= states.count {
            #expect(try exportedPlacements(of: repository, atRevision: revision) == states[revision - 1], "revision \(revision)")
        }

        for record in records where record.exitCode == 0 {
            guard let (id, revision) = reportedDeploy(record) else { continue }
            let change = try repository.change(id, placementLimit: 0)
            #expect(change.status == .deployed, "praas-db \(record.arguments.joined(separator: " "))")
            #expect(change.deployedRevision == revision, "praas-db \(record.arguments.joined(separator: " "))")
        }
        for record in records where record.exitCode == 4 {
            guard let match = record.firstErrorLine.firstMatch(of: #/^Error: change (\d+) was rejected: /#) else { continue }
            let change = try repository.change(Int(match.1)!, placementLimit: 0)
            #expect(change.status == .rejected, "praas-db \(record.arguments.joined(separator: " "))")
        }
    }

    struct Placement: Hashable {
        let container: String
        let node: String
    }

    /// Replays the history's placement events and returns the placements of each
    /// revision, from 1 to the newest, after checking that no node uses more
    /// than its capacity at the end of any revision.
    static func replayHistory(of repository: Repository) throws -> [Set<Placement>] {
        let database = repository.database
        var nodes: [Int: (name: String, memory: Int64, millicores: Int64)] = [:]
        try database.forEachRow("SELECT id, name, memory_mb, cpu_millicores FROM nodes") { row in
            nodes[row.int(0)] = (row.string(1), row.int64(2), row.int64(3))
        }
        var containers: [Int: (name: String, memory: Int64, millicores: Int64)] = [:]
        try database.forEachRow("SELECT id, name, memory_mb, cpu_millicores FROM containers") { row in
            containers[row.int(0)] = (row.string(1), row.int64(2), row.int64(3))
        }

        var states: [Set<Placement>] = []
        var placements = Set<Placement>()
        var memoryUsed: [Int: Int64] = [:]
        var millicoresUsed: [Int: Int64] = [:]
        var touched = Set<Int>()
        var revision = 1
        func closeRevision() {
            for node in touched {
                let capacity = nodes[node]!
                #expect(memoryUsed[node, default: 0] <= capacity.memory, "revision \(revision): \(capacity.name) over its memory")
                #expect(millicoresUsed[node, default: 0] <= capacity.millicores, "revision \(revision): \(capacity.name) over its CPU")
            }
            touched = []
            states.append(placements)
        }
        try database.forEachRow(
            """
            SELECT revision, event, container_id, node_id FROM history
            WHERE event IN ('placement_added', 'placement_removed') ORDER BY id
            """
        ) { row in
            while row.int(0) > revision {
                closeRevision()
                revision += 1
            }
            let (container, node) = (containers[row.int(2)]!, row.int(3))
            let placement = Placement(container: container.name, node: nodes[node]!.name)
            let sign: Int64 = row.string(1) == "placement_added" ? 1 : -1
            if sign > 0 {
                #expect(placements.insert(placement).inserted, "revision \(revision) adds \(placement) twice")
            } else {
                #expect(placements.remove(placement) != nil, "revision \(revision) removes \(placement), which is not placed")
            }
            memoryUsed[node, default: 0] += sign * container.memory
            millicoresUsed[node, default: 0] += sign * container.millicores
            touched.insert(node)
        }
        while revision <= (try repository.revision()) {
            closeRevision()
            revision += 1
        }
        return states
    }

    /// Returns the placements of `revision` as `export --at-revision` writes them.
    static func exportedPlacements(of repository: Repository, atRevision revision: Int) throws -> Set<Placement> {
        var bytes: [UInt8] = []
        try repository.exportState(atRevision: revision) { bytes += $0 }
        // The decoder also rejects a file in which a node's containers exceed its capacity.
        let file = try StateFileDecoder.decode(Data(bytes), source: "revision \(revision)")
        return Set(file.nodes.flatMap { node in node.containers.map { Placement(container: $0, node: node.name) } })
    }

    /// Returns the change and the revision that a successful `deploy ID` or `--yes` printed.
    static func reportedDeploy(_ record: OperationRecord) -> (Int, Int)? {
        let output = record.standardOutput
        if let match = output.firstMatch(of: #/Deployed change (\d+) .*; revision \d+ -> (\d+)\./#) {
            return (Int(match.1)!, Int(match.2)!)
        }
        if let header = output.firstMatch(of: #/^Change (\d+):/#.anchorsMatchLineEndings()),
            let revision = output.firstMatch(of: #/and deployed: revision \d+ -> (\d+)\./#)
        {
            return (Int(header.1)!, Int(revision.1)!)
        }
        return nil
    }
}

/// One operator's choices: registers its own containers, changes their
/// placements with all three models, and approves and deploys changes that any
/// operator planned.
struct RandomOperator {
    let worker: Int
    private(set) var registered: [String] = []
    private var nextContainer = 0

    init(worker: Int) {
        self.worker = worker
    }

    var pendingName: String { "op\(worker)-c\(nextContainer)" }

    mutating func nextArguments(using random: inout SeededGenerator, planned: [Int], approved: [Int]) -> [String] {
        if registered.isEmpty || (registered.count < 4 && Double.random(in: 0..<1, using: &random) < 0.15) {
            return [
                "register", pendingName, "--memory", ["128", "256", "384"].randomElement(using: &random)!,
                "--cpu", ["0.1", "0.25", "0.5"].randomElement(using: &random)!, "--customer", "Customer \(worker)", "--yes",
            ]
        }
        let container = registered.randomElement(using: &random)!
        let node = "N\(Int.random(in: 1..<80, using: &random))"
        var arguments: [String]
        switch Int.random(in: 0..<12, using: &random) {
        case 0, 1: arguments = ["balloon", container, "--depth", String(Int.random(in: 0...3, using: &random))]
        case 2, 3: arguments = ["fog", container, "--node", node]
        case 4: arguments = ["retract", container, "--node", node]
        case 5, 6: arguments = ["place", container, "--node", node]
        case 7: arguments = ["remove", container, "--node", node]
        case 8, 9: return ["approve", String(Self.recent(planned, using: &random))]
        default: return ["deploy", String(Self.recent(approved, using: &random))]
        }
        if Bool.random(using: &random) {
            arguments.append("--yes")
        }
        return arguments
    }

    /// Returns one of the last eight ids, or now and then any id up to two past the newest.
    private static func recent(_ ids: [Int], using random: inout SeededGenerator) -> Int {
        guard let newest = ids.last, Double.random(in: 0..<1, using: &random) < 0.9 else {
            return Int.random(in: 1...((ids.max() ?? 1) + 2), using: &random)
        }
        return ids.suffix(8).randomElement(using: &random) ?? newest
    }

    mutating func record(_ record: ConcurrentOperatorTests.OperationRecord, planned: SharedList<Int>, approved: SharedList<Int>) {
        guard record.exitCode == 0 else { return }
        switch record.arguments.first {
        case "register":
            registered.append(pendingName)
            nextContainer += 1
        case "approve":
            approved.append(Int(record.arguments[1])!)
        default:
            if !record.arguments.contains("--yes"),
                let match = record.standardOutput.firstMatch(of: #/^Change (\d+):/#.anchorsMatchLineEndings())
            {
                planned.append(Int(match.1)!)
            }
        }
    }
}
