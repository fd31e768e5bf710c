import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// Bills computed from a timeline with a clock the test sets, checked against
/// amounts computed by hand.
@Suite struct PriceBillTests {
    /// A clock that reads whatever the test last set.
    final class ManualClock: @unchecked Sendable {
        var now = Date(timeIntervalSince1970: ManualClock.start)
        /// 2027-01-15T08:00:00Z.
        static let start: TimeInterval = 1_800_000_000

        func set(hours: Double, plusSeconds seconds: Double = 0) {
            now = Date(timeIntervalSince1970: Self.start + hours * 3600 + seconds)
        }
    }

    static func time(_ hours: Double) -> Date {
        Date(timeIntervalSince1970: ManualClock.start + hours * 3600)
    }

    /// Creates a database with the tree N0, then N1 and N2 at depth 1, then N3
    /// and N4 under N1 and N5 and N6 under N2 at depth 2, and runs this
    /// timeline, in hours after 2027-01-15T08:00Z (hour 0):
    ///
    /// - 1: `old` (Acme) is registered on N0; at 5 it leaves and is unregistered.
    /// - 2: `web` (Acme) is registered on N0; at 3 its balloon grows to depth 1 (N1, N2).
    /// - 12: `cdn` (Beta) is registered on N0; at 14 it is placed on N3 (micro) and
    ///   removed again 2 h 30 min 9 s later.
    /// - 20: the base price rises from 10 to 12 NOK and fog at depth 2 from 1.2 to 1.5.
    /// - 22: `web` fogs out to N5 (depth 2), which keeps N2 under its balloon.
    /// - 30: `web`'s balloon shrinks to depth 0: N1 goes, and N2 stays under fog.
    /// - 36: the base price rises to 20 NOK.
    /// - 40: `late` (Beta) is registered.
    private func timeline(in directory: TemporaryDirectory) throws -> (Repository, ManualClock) {
        let clock = ManualClock()
        let repository = try Repository.create(
            at: directory.file("praas.db"), options: RepositoryOptions(clock: { clock.now }, actor: "alice"))
        try repository.importState(WorkflowFixtures.tree(depth: 2, fanout: 2), source: "tree.json")

        clock.set(hours: 1)
        try repository.deployNow(.register(container: "old", memoryMB: 256, millicores: 200, customer: "Acme"))
        clock.set(hours: 2)
        try repository.deployNow(.register(container: "web", memoryMB: 256, millicores: 200, customer: "Acme"))
        clock.set(hours: 3)
        try repository.deployNow(.balloon(container: "web", depth: 1))
        clock.set(hours: 5)
        try repository.deployNow(.remove(container: "old", node: "N0"))
        try repository.deployNow(.unregister(container: "old"))
        clock.set(hours: 12)
        try repository.deployNow(.register(container: "cdn", memoryMB: 256, millicores: 200, customer: "Beta"))
        clock.set(hours: 14)
        try repository.deployNow(.place(container: "cdn", node: "N3"))
        clock.set(hours: 14, plusSeconds: 9009)
        try repository.deployNow(.remove(container: "cdn", node: "N3"))
        clock.set(hours: 20)
        try repository.setPrices(PriceChange(
            basePriceHundredths: 1200, multipliers: [PriceList.Multiplier(model: .fog, depth: 2, perMille: 1500)]))
        clock.set(hours: 22)
        try repository.deployNow(.fog(container: "web", nodes: ["N5"]))
        clock.set(hours: 30)
        try repository.deployNow(.balloon(container: "web", depth: 0))
        clock.set(hours: 36)
        try repository.setPrices(PriceChange(basePriceHundredths: 2000))
        clock.set(hours: 40)
        try repository.deployNow(.register(container: "late", memoryMB: 256, millicores: 200, customer: "Beta"))
        clock.set(hours: 50)
        return (repository, clock)
    }

    private func lines(_ container: Bill.Container) -> [String] {
        container.lines.map { line in
            "\(line.priceListID) \(line.from) \(line.to) \(line.model.rawValue) d\(line.depth) "
                + "\(line.containerMilliseconds) \(line.multiplierPerMille) \(line.hourlyRateMicros) \(line.amountHundredths)"
        }
    }

    static let hour: Int64 = 3_600_000

    @Test func timelineIsAsDescribed() throws {
        let directory = TemporaryDirectory()
        let (repository, _) = try timeline(in: directory)
        let web = try repository.database.rows(
            "SELECT node, model, from_at, to_at FROM placement_intervals WHERE container = 'web' ORDER BY node, from_at"
        ) { "\($0.string(0)) \($0.string(1)) \($0.string(2)) \($0.optionalString(3) ?? "-")" }
        #expect(web == [
            "N0 balloon 2027-01-15T10:00:00.000Z -",
            "N1 balloon 2027-01-15T11:00:00.000Z 2027-01-16T14:00:00.000Z",
            "N2 balloon 2027-01-15T11:00:00.000Z 2027-01-16T14:00:00.000Z",
            "N2 fog 2027-01-16T14:00:00.000Z -",
            "N5 fog 2027-01-16T06:00:00.000Z -",
        ])
        let cdn = try repository.database.rows(
            "SELECT node, model, from_at, to_at FROM placement_intervals WHERE container = 'cdn' ORDER BY node, from_at"
        ) { "\($0.string(0)) \($0.string(1)) \($0.string(2)) \($0.optionalString(3) ?? "-")" }
        #expect(cdn == [
            "N0 balloon 2027-01-15T20:00:00.000Z -",
            "N3 micro 2027-01-15T22:00:00.000Z 2027-01-16T00:30:09.000Z",
        ])
    }

    /// The period from hour 10 to hour 34 contains the price change at hour 20.
    ///
    /// Under price list 1 (10 NOK) from hour 10 to 20: the root costs 5.00 an
    /// hour, balloon at depth 1 10.00 and micro at depth 2 22.00. Under price
    /// list 2 (12 NOK) from hour 20 to 34: the root 6.00, balloon at depth 1
    /// 12.00, fog at depth 1 13.20 and fog at depth 2 18.00.
    @Test func billSplitsAtEdgesAndPriceChange() throws {
        let directory = TemporaryDirectory()
        let (repository, _) = try timeline(in: directory)
        let bill = try repository.bill(from: Self.time(10), to: Self.time(34))

        #expect(bill.from == "2027-01-15T18:00:00.000Z")
        #expect(bill.to == "2027-01-16T18:00:00.000Z")
        #expect(bill.billedUntil == "2027-01-16T18:00:00.000Z")
        #expect(bill.currency == "NOK")
        #expect(bill.customers.map(\.name) == ["Acme", "Beta"])
        let acme = bill.customers[0]
        let beta = bill.customers[1]
        // `old` ran only before the period and `late` only after it.
        #expect(acme.containers.map(\.name) == ["web"])
        #expect(beta.containers.map(\.name) == ["cdn"])

        let hour = Self.hour
        let list1 = "2027-01-15T18:00:00.000Z 2027-01-16T04:00:00.000Z"
        let list2 = "2027-01-16T04:00:00.000Z 2027-01-16T18:00:00.000Z"
        #expect(lines(acme.containers[0]) == [
            // N0 from hour 10 to 20: 10 h x 5.00.
            "1 \(list1) balloon d0 \(10 * hour) 500 5000000 5000",
            // N1 and N2 from hour 10 to 20: 20 h x 10.00.
            "1 \(list1) balloon d1 \(20 * hour) 1000 10000000 20000",
            // N0 from hour 20 to 34: 14 h x 6.00.
            "2 \(list2) balloon d0 \(14 * hour) 500 6000000 8400",
            // N1 and N2 from hour 20 to 30: 20 h x 12.00.
            "2 \(list2) balloon d1 \(20 * hour) 1000 12000000 24000",
            // N2 under fog from hour 30 to 34: 4 h x 13.20.
            "2 \(list2) fog d1 \(4 * hour) 1100 13200000 5280",
            // N5 from hour 22 to 34: 12 h x 18.00.
            "2 \(list2) fog d2 \(12 * hour) 1500 18000000 21600",
        ])
        #expect(acme.containers[0].totalHundredths == 5000 + 20000 + 8400 + 24000 + 5280 + 21600)
        #expect(acme.totalHundredths == 84280)

        #expect(lines(beta.containers[0]) == [
            // N0 from hour 12 to 20: 8 h x 5.00.
            "1 \(list1) balloon d0 \(8 * hour) 500 5000000 4000",
            // N3 for 2 h 30 min 9 s = 9,009,000 ms x 22.00 per hour is exactly
            // 55.055, which rounds half away from zero to 55.06.
            "1 \(list1) micro d2 9009000 2200 22000000 5506",
            // N0 from hour 20 to 34: 14 h x 6.00.
            "2 \(list2) balloon d0 \(14 * hour) 500 6000000 8400",
        ])
        #expect(beta.totalHundredths == 4000 + 5506 + 8400)
        #expect(bill.totalHundredths == 84280 + 17906)
    }

    @Test func billForOneCustomer() throws {
        let directory = TemporaryDirectory()
        let (repository, _) = try timeline(in: directory)
        let bill = try repository.bill(from: Self.time(10), to: Self.time(34), customer: "Beta")

        #expect(bill.customers.map(\.name) == ["Beta"])
        #expect(bill.customers[0].containers.map(\.name) == ["cdn"])
        #expect(bill.totalHundredths == 17906)

        let unknown = try #require(throws: PraaSError.self) {
            try repository.bill(from: Self.time(10), to: Self.time(34), customer: "Betta")
        }
        #expect(unknown.kind == .notFound)
        #expect(unknown.message == "customer \"Betta\" not found in the history; did you mean \"Beta\"?")
    }

    /// A period that is not over yet is billed up to now (hour 50), under the
    /// prices of hour 36 from then on.
    @Test func runningPeriodIsBilledUpToNow() throws {
        let directory = TemporaryDirectory()
        let (repository, _) = try timeline(in: directory)
        let bill = try repository.bill(from: Self.time(34), to: Self.time(100), customer: "Beta")

        #expect(bill.billedUntil == "2027-01-17T10:00:00.000Z")
        let hour = Self.hour
        let container = try #require(bill.customers.first?.containers.first)
        #expect(container.name == "cdn")
        #expect(lines(container) == [
            // N0 from hour 34 to 36 under 12.00 x 0.5, then to hour 50 under 20.00 x 0.5.
            "2 2027-01-16T18:00:00.000Z 2027-01-16T20:00:00.000Z balloon d0 \(2 * hour) 500 6000000 1200",
            "3 2027-01-16T20:00:00.000Z 2027-01-17T10:00:00.000Z balloon d0 \(14 * hour) 500 10000000 14000",
        ])
        // `late` ran on N0 from hour 40 to 50 at 10.00.
        let late = try #require(bill.customers.first?.containers.last)
        #expect(late.name == "late")
        #expect(late.totalHundredths == 10000)
        #expect(bill.totalHundredths == 1200 + 14000 + 10000)
    }

    @Test func periodBeforeAnyPlacementIsEmpty() throws {
        let directory = TemporaryDirectory()
        let (repository, _) = try timeline(in: directory)
        let bill = try repository.bill(from: Self.time(-10), to: Self.time(1))

        #expect(bill.customers.isEmpty)
        #expect(bill.totalHundredths == 0)
        #expect(bill.currency == "NOK")
    }

    /// The first price list takes effect at the Unix epoch, and nothing ran before it.
    @Test func periodFromBeforeEpoch() throws {
        let directory = TemporaryDirectory()
        let (repository, _) = try timeline(in: directory)
        let start = Date(timeIntervalSince1970: -86_400)

        let whole = try repository.bill(from: start, to: Self.time(34))
        #expect(whole.from == "1969-12-31T00:00:00.000Z")
        #expect(whole.totalHundredths == (try repository.bill(from: Date(timeIntervalSince1970: 0), to: Self.time(34))).totalHundredths)
        #expect(whole.totalHundredths > 0)

        let before = try repository.bill(from: Date(timeIntervalSince1970: -7 * 86_400), to: start)
        #expect(before.customers.isEmpty)
        #expect(before.currency == "NOK")
    }

    @Test func invalidPeriodsAreRejected() throws {
        let directory = TemporaryDirectory()
        let (repository, clock) = try timeline(in: directory)

        let backwards = try #require(throws: PraaSError.self) { try repository.bill(from: Self.time(34), to: Self.time(10)) }
        #expect(backwards.kind == .invalidArgument)
        #expect(backwards.message == "the period's end (2027-01-15T18:00:00.000Z) must be after its start (2027-01-16T18:00:00.000Z)")

        try repository.setPrices(PriceChange(currency: "EUR", basePriceHundredths: 100))
        clock.set(hours: 60)
        let mixed = try #require(throws: PraaSError.self) { try repository.bill(from: Self.time(40), to: Self.time(60)) }
        #expect(mixed.kind == .invalidArgument)
        #expect(mixed.message == """
            the period from 2027-01-17T00:00:00.000Z to 2027-01-17T20:00:00.000Z spans a currency change from NOK to EUR \
            at 2027-01-17T10:00:00.000Z; bill the parts before and after it separately
            """)
        #expect(try repository.bill(from: Self.time(50), to: Self.time(60)).currency == "EUR")
    }

    /// The bill reads the history through its indexes: no statement it runs
    /// scans a whole table.
    @Test func billQueriesUseIndexes() throws {
        let directory = TemporaryDirectory()
        _ = try timeline(in: directory)
        let statements = StatementLog()
        let repository = try Repository.open(
            at: directory.file("praas.db"),
            options: RepositoryOptions(trace: { sql, _ in statements.append(sql) }, clock: { Self.time(50) }))
        statements.removeAll()
        _ = try repository.bill(from: Self.time(10), to: Self.time(34), customer: "Beta")

        let queries = statements.all.filter { $0.hasPrefix("SELECT") }
        #expect(queries.contains { $0.contains("FROM placement_intervals") })
        for query in queries {
            // The plan does not depend on the values, so the parameters stay unbound.
            let statement = try repository.database.statement("EXPLAIN QUERY PLAN " + query)
            var plan: [String] = []
            while try statement.step() {
                plan.append(statement.row.string(3))
            }
            let scans = plan.filter { $0.hasPrefix("SCAN") }
            #expect(scans.isEmpty, "\(query)\n\(plan.joined(separator: "\n"))")
        }
    }

    final class StatementLog: @unchecked Sendable {
        private(set) var all: [String] = []

        func append(_ sql: String) {
            all.append(sql)
        }

        func removeAll() {
            all.removeAll()
        }
    }
}
