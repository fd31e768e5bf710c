import Foundation

/// The cost per hour of the current placements under the price list in force.
public struct HourlyRates: Equatable, Sendable {
    /// The placements of one container at one depth under one model.
    public struct Row: Equatable, Sendable {
        public var model: PlacementModel
        public var depth: Int
        public var nodeCount: Int
        /// In thousandths: 1300 is 1.3.
        public var multiplierPerMille: Int
        /// The rate of one container on one node, in millionths of the currency
        /// unit per hour.
        public var hourlyRateMicros: Int64
        /// `hourlyRateMicros` times `nodeCount`.
        public var totalMicros: Int64
    }

    /// One container's rows, ordered by depth and model.
    public struct Container: Equatable, Sendable {
        public var name: String
        public var customer: String
        public var rows: [Row]
        /// The sum of the rows' totals, in millionths per hour.
        public var totalMicros: Int64
    }

    /// The version in force at `at`.
    public var priceList: PriceList
    /// When the rates were read: UTC, ISO 8601 with milliseconds.
    public var at: String
    /// Ordered by customer and name.
    public var containers: [Container]
    /// The sum of every container's total, in millionths per hour.
    public var totalMicros: Int64
}

extension Repository {
    /// Returns the hourly rate of every current placement, grouped by container,
    /// model and depth, under the price list in force now. Rates are exact, so
    /// nothing is rounded.
    ///
    /// - Parameters:
    ///   - customer: only this customer's containers.
    ///   - container: only this container.
    /// - Throws: `.notFound` when `container` names no registered container, or
    ///   when `customer` appears nowhere in the history.
    public func hourlyRates(customer: String? = nil, container: String? = nil) throws -> HourlyRates {
        try perform("reading the hourly rates") {
            try database.transaction(.deferred) {
                let at = Timestamp.format(options.clock())
                let priceList = try priceListInForce(at: at)

                var conditions: [String] = []
                var arguments: [SQLBindable] = []
                if let customer {
                    try checkCustomerInHistory(customer)
                    conditions.append("c.customer = ?")
                    arguments.append(customer)
                }
                if let container {
                    let reference = try Planner(database: database).container(named: container)
                    conditions.append("c.id = ?")
                    arguments.append(reference.id)
                }
                let filterSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")

                var containers: [HourlyRates.Container] = []
                var lastID: Int?
                try database.forEachRow(
                    """
                    SELECT c.id, c.name, c.customer, p.model, n.depth, count(*)
                    FROM placements p
                    JOIN containers c ON c.id = p.container_id
                    JOIN nodes n ON n.id = p.node_id
                    \(filterSQL)
                    GROUP BY c.id, n.depth, p.model
                    ORDER BY c.customer, c.name, c.id, n.depth, CASE p.model WHEN 'balloon' THEN 1 WHEN 'fog' THEN 2 ELSE 3 END
                    """, arguments
                ) { row in
                    let model = PlacementModel(rawValue: row.string(3)) ?? .micro
                    let depth = row.int(4)
                    let nodeCount = row.int(5)
                    guard let multiplier = priceList.multiplierPerMille(model: model, depth: depth),
                        let rate = priceList.hourlyRateMicros(model: model, depth: depth)
                    else {
                        throw PraaSError(
                            .corruptDatabase,
                            "price list \(priceList.id) has no \(model.rawValue) multiplier for depth \(depth); "
                                + "set one with 'praas-db set-price'")
                    }
                    if lastID != row.int(0) {
                        containers.append(HourlyRates.Container(name: row.string(1), customer: row.string(2), rows: [], totalMicros: 0))
                        lastID = row.int(0)
                    }
                    let total = try Self.fitting(Int128(rate) * Int128(nodeCount))
                    containers[containers.count - 1].rows.append(
                        HourlyRates.Row(
                            model: model, depth: depth, nodeCount: nodeCount, multiplierPerMille: multiplier,
                            hourlyRateMicros: rate, totalMicros: total))
                    containers[containers.count - 1].totalMicros = try Self.fitting(
                        Int128(containers[containers.count - 1].totalMicros) + Int128(total))
                }
                let total = try Self.fitting(containers.reduce(Int128(0)) { $0 + Int128($1.totalMicros) })
                return HourlyRates(priceList: priceList, at: at, containers: containers, totalMicros: total)
            }
        }
    }

    /// Converts a sum of rates to 64 bits, which hold up to 9.2 × 10^12 currency
    /// units per hour.
    private static func fitting(_ micros: Int128) throws -> Int64 {
        guard let value = Int64(exactly: micros) else {
            throw PraaSError(.failure, "the hourly rate exceeds 9.2 × 10^12 currency units, which praas-db cannot represent")
        }
        return value
    }
}
