/// The charges for a period: container-hours times the rate in force, per
/// customer and container.
///
/// Each line is exact until it is rounded once, half away from zero, to
/// hundredths of the currency unit. Container and customer totals and the
/// bill's total add up the rounded lines, so the bill adds up as printed.
public struct Bill: Equatable, Sendable {
    /// The placements of one container at one depth under one model during one
    /// price list's part of the period.
    public struct Line: Equatable, Sendable {
        public var priceListID: Int
        /// The part of the billed period this price list was in force: UTC, ISO
        /// 8601 with milliseconds, end exclusive.
        public var from: String
        public var to: String
        public var model: PlacementModel
        public var depth: Int
        /// The time the container ran on nodes of this depth under this model,
        /// summed over the nodes, in milliseconds.
        public var containerMilliseconds: Int64
        /// In thousandths: 1300 is 1.3.
        public var multiplierPerMille: Int
        /// The rate of one container on one node, in millionths of the currency
        /// unit per hour.
        public var hourlyRateMicros: Int64
        /// `containerMilliseconds` times the rate, rounded to hundredths.
        public var amountHundredths: Int64
    }

    /// One container's lines, ordered by price list, depth and model.
    public struct Container: Equatable, Sendable {
        /// The container's name when the placements were made. Ids are never
        /// reused, but a name is free again once its container is unregistered.
        public var name: String
        public var id: Int
        public var lines: [Line]
        public var totalHundredths: Int64
    }

    /// One customer's containers, ordered by name.
    public struct Customer: Equatable, Sendable {
        public var name: String
        public var containers: [Container]
        public var totalHundredths: Int64
    }

    /// The period asked for: UTC, ISO 8601 with milliseconds, end exclusive.
    public var from: String
    public var to: String
    /// The end of the billed time: `to`, or the time the bill was made when
    /// `to` lies in the future, because time not yet passed is not charged. It
    /// is never before `from`.
    public var billedUntil: String
    /// ISO 4217 code of every amount.
    public var currency: String
    /// Ordered by name; customers without charges are left out.
    public var customers: [Customer]
    public var totalHundredths: Int64
}
