import Foundation

extension Repository {
    /// Returns the charges for the time from `from` to `to` (end exclusive): for
    /// each placement interval in the history, the part inside the period, split
    /// where the price list changes, times the rate of its model and depth.
    ///
    /// Time after now is not billed, so a period that ends in the future is
    /// billed up to now. Each line is rounded once to hundredths, half away from
    /// zero (see `Bill`).
    ///
    /// The placement intervals are found through the history's index on
    /// `(customer, at)`, or on `at` without a customer, so the work grows with
    /// the events that began before the period's end, not with the whole history.
    ///
    /// - Parameter customer: only this customer's containers.
    /// - Throws: `.invalidArgument` when `to` is not after `from` or when the
    ///   currency changes inside the period; `.notFound` when `customer` appears
    ///   nowhere in the history.
    public func bill(from: Date, to: Date, customer: String? = nil) throws -> Bill {
        let period = try BillingPeriod(from: from, to: to, now: options.clock())
        return try perform("computing the bill") {
            try database.transaction(.deferred) {
                if let customer {
                    try checkCustomerInHistory(customer)
                }
                let prices = try pricePeriods(overlapping: period)
                let currency = try billCurrency(prices, period: period)

                var usage = BillUsage()
                try forEachPlacementInterval(overlapping: period, customer: customer) { interval in
                    usage.add(interval, clippedTo: period, prices: prices)
                }
                return try usage.bill(period: period, prices: prices, currency: currency)
            }
        }
    }

    // MARK: - Queries

    /// Returns the price lists in force during the billed part of `period`,
    /// oldest first, each with the part of the period it covers.
    private func pricePeriods(overlapping period: BillingPeriod) throws -> [BillPricePeriod] {
        guard period.billedUntilMilliseconds > period.fromMilliseconds else { return [] }
        let rows = try database.rows(
            """
            SELECT price_list_id, from_at, to_at FROM price_periods
            WHERE from_at < ?2 AND (to_at IS NULL OR to_at > ?1) AND (to_at IS NULL OR to_at > from_at)
            ORDER BY from_at, price_list_id
            """, period.from, period.billedUntil
        ) { row in (id: row.int(0), from: row.string(1), to: row.optionalString(2)) }

        var periods: [BillPricePeriod] = []
        for row in rows {
            let start = max(try Self.milliseconds(row.from), period.fromMilliseconds)
            let end = min(try row.to.map(Self.milliseconds) ?? Int64.max, period.billedUntilMilliseconds)
            periods.append(
                BillPricePeriod(
                    priceList: try loadPriceList(row.id), startMilliseconds: start, endMilliseconds: end,
                    from: start == period.fromMilliseconds ? period.from : row.from,
                    to: end == period.billedUntilMilliseconds ? period.billedUntil : row.to ?? period.billedUntil))
        }
        // Versions are never deleted, so a gap after the first version's start means
        // a damaged database. Before that start nothing ran, and nothing is billed.
        if let first = periods.first, first.startMilliseconds > period.fromMilliseconds,
            first.from != (try firstPriceListStart())
        {
            throw PraaSError(.corruptDatabase, "no price list was in force at \(period.from); restore the database from a backup")
        }
        return periods
    }

    /// Returns when the first price list took effect: the Unix epoch, unless the database is damaged.
    private func firstPriceListStart() throws -> String? {
        try database.scalarString("SELECT min(effective_at) FROM price_lists")
    }

    /// Returns the one currency of `prices`, or of the version in force at the
    /// period's start when nothing of the period is billed yet.
    private func billCurrency(_ prices: [BillPricePeriod], period: BillingPeriod) throws -> String {
        guard let first = prices.first else {
            let start = try firstPriceListStart().map { max($0, period.from) } ?? period.from
            return try priceListInForce(at: start).currency
        }
        if let other = prices.first(where: { $0.priceList.currency != first.priceList.currency }) {
            throw PraaSError(
                .invalidArgument,
                "the period from \(period.from) to \(period.to) spans a currency change from \(first.priceList.currency) "
                    + "to \(other.priceList.currency) at \(other.from); bill the parts before and after it separately")
        }
        return first.priceList.currency
    }

    private func forEachPlacementInterval(
        overlapping period: BillingPeriod, customer: String?, _ body: (BillInterval) throws -> Void
    ) throws {
        guard period.billedUntilMilliseconds > period.fromMilliseconds else { return }
        var arguments: [SQLBindable] = [period.from, period.billedUntil]
        var customerSQL = ""
        if let customer {
            customerSQL = "customer = ?3 AND "
            arguments.append(customer)
        }
        try database.forEachRow(
            """
            SELECT container_id, container, customer, model, depth, from_at, to_at
            FROM placement_intervals
            WHERE \(customerSQL)from_at < ?2 AND (to_at IS NULL OR to_at > ?1)
            """, arguments
        ) { row in
            try body(
                BillInterval(
                    containerID: row.int(0), container: row.string(1), customer: row.optionalString(2) ?? "",
                    model: PlacementModel(rawValue: row.string(3)) ?? .micro, depth: row.int(4),
                    startMilliseconds: try Self.milliseconds(row.string(5)),
                    endMilliseconds: try row.optionalString(6).map(Self.milliseconds)))
        }
    }

    /// Milliseconds since the Unix epoch of a timestamp as the database stores
    /// it, such as `2027-01-15T08:00:00.123Z`. The milliseconds are read as an
    /// integer, because a binary double cannot hold .123 exactly.
    static func milliseconds(_ timestamp: String) throws -> Int64 {
        let parts = timestamp.split(separator: ".", maxSplits: 1)
        let fraction = parts.count == 2 ? String(parts[1].dropLast()) : ""
        guard let seconds = Timestamp.parse(parts.count == 2 ? String(parts[0]) + "Z" : timestamp),
            parts.count == 1 || parts[1].hasSuffix("Z"),
            fraction.count <= 3, fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
            let milliseconds = Int64(fraction.padding(toLength: 3, withPad: "0", startingAt: 0))
        else {
            throw PraaSError(.corruptDatabase, "invalid timestamp '\(timestamp)' in the database; restore it from a backup")
        }
        return Int64(seconds.timeIntervalSince1970) * 1000 + milliseconds
    }
}

/// The period of a bill, as stored text for queries and as milliseconds for
/// arithmetic.
struct BillingPeriod {
    let from: String
    let to: String
    let billedUntil: String
    let fromMilliseconds: Int64
    let billedUntilMilliseconds: Int64

    init(from: Date, to: Date, now: Date) throws {
        self.from = Timestamp.format(from)
        self.to = Timestamp.format(to)
        // Timestamps of years 1000 to 9999 have the same width, so text order is time order.
        guard self.to > self.from else {
            throw PraaSError(.invalidArgument, "the period's end (\(self.to)) must be after its start (\(self.from))")
        }
        billedUntil = max(self.from, min(self.to, Timestamp.format(now)))
        fromMilliseconds = try Repository.milliseconds(self.from)
        billedUntilMilliseconds = try Repository.milliseconds(billedUntil)
    }
}

/// One price list and the part of the billed period it covers.
struct BillPricePeriod {
    let priceList: PriceList
    let startMilliseconds: Int64
    let endMilliseconds: Int64
    /// The same bounds as text.
    let from: String
    let to: String
}

/// One stay of a container on a node under one model.
struct BillInterval {
    let containerID: Int
    let container: String
    let customer: String
    let model: PlacementModel
    let depth: Int
    let startMilliseconds: Int64
    /// nil while the placement lasts.
    let endMilliseconds: Int64?
}

/// Container-milliseconds per container, price list, model and depth, summed
/// while the intervals are read.
struct BillUsage {
    struct Key: Hashable {
        let containerID: Int
        let pricePeriod: Int
        let model: PlacementModel
        let depth: Int
    }

    private var milliseconds: [Key: Int64] = [:]
    private var containers: [Int: (name: String, customer: String)] = [:]

    /// Adds the part of `interval` inside `period`, split among `prices`.
    mutating func add(_ interval: BillInterval, clippedTo period: BillingPeriod, prices: [BillPricePeriod]) {
        let start = max(interval.startMilliseconds, period.fromMilliseconds)
        let end = min(interval.endMilliseconds ?? Int64.max, period.billedUntilMilliseconds)
        guard end > start else { return }
        containers[interval.containerID] = (interval.container, interval.customer)
        for (index, price) in prices.enumerated() {
            let overlap = min(end, price.endMilliseconds) - max(start, price.startMilliseconds)
            guard overlap > 0 else { continue }
            let key = Key(containerID: interval.containerID, pricePeriod: index, model: interval.model, depth: interval.depth)
            milliseconds[key, default: 0] += overlap
        }
    }

    /// Prices and rounds each line, and adds the totals.
    func bill(period: BillingPeriod, prices: [BillPricePeriod], currency: String) throws -> Bill {
        var lines: [Int: [(key: Key, line: Bill.Line)]] = [:]
        for (key, containerMilliseconds) in milliseconds {
            let price = prices[key.pricePeriod]
            guard let multiplier = price.priceList.multiplierPerMille(model: key.model, depth: key.depth),
                let rate = price.priceList.hourlyRateMicros(model: key.model, depth: key.depth)
            else {
                throw PraaSError(
                    .corruptDatabase,
                    "price list \(price.priceList.id) has no \(key.model.rawValue) multiplier for depth \(key.depth); "
                        + "set one with 'praas-db set-price'")
            }
            // Milliseconds times millionths per hour, to hundredths: divide by
            // 3,600,000 ms per hour and by 10,000 millionths per hundredth.
            let amount = FixedPoint.roundedQuotient(Int128(containerMilliseconds) * Int128(rate), 36_000_000_000)
            let line = Bill.Line(
                priceListID: price.priceList.id, from: price.from, to: price.to, model: key.model, depth: key.depth,
                containerMilliseconds: containerMilliseconds, multiplierPerMille: multiplier, hourlyRateMicros: rate,
                amountHundredths: try Self.fitting(amount))
            lines[key.containerID, default: []].append((key, line))
        }

        var customers: [String: [Bill.Container]] = [:]
        for (id, entries) in lines {
            let sorted = entries.sorted { a, b in
                (a.key.pricePeriod, a.key.depth, Self.order(a.key.model)) < (b.key.pricePeriod, b.key.depth, Self.order(b.key.model))
            }.map(\.line)
            let total = try Self.fitting(sorted.reduce(Int128(0)) { $0 + Int128($1.amountHundredths) })
            let container = containers[id]!
            customers[container.customer, default: []].append(
                Bill.Container(name: container.name, id: id, lines: sorted, totalHundredths: total))
        }

        let customerBills = try customers.keys.sorted().map { name in
            let containers = customers[name]!.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
            let total = try Self.fitting(containers.reduce(Int128(0)) { $0 + Int128($1.totalHundredths) })
            return Bill.Customer(name: name, containers: containers, totalHundredths: total)
        }
        let total = try Self.fitting(customerBills.reduce(Int128(0)) { $0 + Int128($1.totalHundredths) })
        return Bill(
            from: period.from, to: period.to, billedUntil: period.billedUntil, currency: currency,
            customers: customerBills, totalHundredths: total)
    }

    private static func order(_ model: PlacementModel) -> Int {
        switch model {
        case .balloon: 1
        case .fog: 2
        case .micro: 3
        }
    }

    private static func fitting(_ hundredths: Int128) throws -> Int64 {
        guard let value = Int64(exactly: hundredths) else {
            throw PraaSError(.failure, "the bill exceeds 9.2 × 10^16 currency units, which praas-db cannot represent")
        }
        return value
    }
}
