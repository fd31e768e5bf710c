import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// The query plans of the statements `history --container` and `history --node
/// --until` run, on a database with history rows: each must search an index,
/// because a scan grows with the whole history. `PriceBillTests` checks the
/// bill's statements the same way.
@Suite struct HistoryQueryPlanTests {
    /// Creates the Oslo network with a clock that advances a minute per reading.
    /// Its history has about 100 placement events: bulk (customer Bulk) ballooned
    /// to every node, then web (customer Acme) fogged out to N79, placed on N78 and
    /// removed from it again. Returns a time before the removal.
    private func history(in directory: TemporaryDirectory) throws -> Date {
        let clock = HistoryTests.SteppingClock()
        let repository = try Repository.create(
            at: directory.file("praas.db"), options: RepositoryOptions(clock: clock.now, actor: "alice"))
        let topology = try BuiltInTopology.named("oslo-80")
        try repository.importState(try topology.stateFile(), source: topology.name)
        try repository.deployNow(.register(container: "bulk", memoryMB: 1, millicores: 1, customer: "Bulk"))
        try repository.deployNow(.balloon(container: "bulk", depth: 6))
        try repository.deployNow(.register(container: "web", memoryMB: 1, millicores: 1, customer: "Acme"))
        try repository.deployNow(.fog(container: "web", nodes: ["N79"]))
        try repository.deployNow(.place(container: "web", node: "N78"))
        let beforeRemoval = clock.now()
        try repository.deployNow(.remove(container: "web", node: "N78"))
        return beforeRemoval
    }

    /// Opens the database again with a trace, runs `body`, and returns the
    /// events it read and every SELECT statement it ran.
    private func traced(
        in directory: TemporaryDirectory, _ body: (Repository) throws -> [HistoryEvent]
    ) throws -> (events: [HistoryEvent], queries: [String], repository: Repository) {
        let statements = PriceBillTests.StatementLog()
        let repository = try Repository.open(
            at: directory.file("praas.db"), options: RepositoryOptions(trace: { sql, _ in statements.append(sql) }))
        statements.removeAll()
        let events = try body(repository)
        return (events, statements.all.filter { $0.hasPrefix("SELECT") }, repository)
    }

    /// Returns the plan's steps, such as `SEARCH h USING INDEX history_by_node (node_id=?)`.
    /// The plan does not depend on the values, so the parameters stay unbound.
    private func plan(of query: String, in repository: Repository) throws -> [String] {
        let statement = try repository.database.statement("EXPLAIN QUERY PLAN " + query)
        var steps: [String] = []
        while try statement.step() {
            steps.append(statement.row.string(3))
        }
        return steps
    }

    @Test func fixtureHasHistoryRows() throws {
        let directory = TemporaryDirectory()
        _ = try history(in: directory)
        let run = try traced(in: directory) { try $0.history() }
        #expect(run.events.count > 100)
    }

    @Test func unfilteredHistoryScans() throws {
        // Shows that the check below can fail: without a filter, every row is read.
        let directory = TemporaryDirectory()
        _ = try history(in: directory)
        let run = try traced(in: directory) { try $0.history() }
        let query = try #require(run.queries.first { $0.contains("FROM history") })
        #expect(try plan(of: query, in: run.repository).contains { $0.hasPrefix("SCAN h") })
    }

    @Test func containerHistoryUsesIndexes() throws {
        let directory = TemporaryDirectory()
        _ = try history(in: directory)
        let run = try traced(in: directory) { try $0.history(HistoryFilter(container: "web")) }

        #expect(run.events.count > 10)
        #expect(run.queries.contains { $0.contains("FROM history") })
        for query in run.queries {
            let steps = try plan(of: query, in: run.repository)
            #expect(!steps.contains { $0.hasPrefix("SCAN") }, "\(query)\n\(steps.joined(separator: "\n"))")
        }
    }

    @Test func nodeHistoryAtPastTimeUsesIndexes() throws {
        let directory = TemporaryDirectory()
        let beforeRemoval = try history(in: directory)
        let run = try traced(in: directory) { try $0.history(HistoryFilter(node: "N78", until: beforeRemoval)) }

        #expect(run.events.map(\.container) == ["bulk", "web"])
        #expect(run.queries.contains { $0.contains("FROM history") })
        for query in run.queries {
            let steps = try plan(of: query, in: run.repository)
            #expect(!steps.contains { $0.hasPrefix("SCAN") }, "\(query)\n\(steps.joined(separator: "\n"))")
        }
    }
}
