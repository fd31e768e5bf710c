import Foundation

/// One version of the price list: what one container on one node costs per
/// hour, in force from `effectiveAt` until the next version takes effect.
///
/// The hourly rate on a node is the base price times the multiplier for the
/// placement's model and the node's depth. Depth 0, the root in the ISP's data
/// centre, has one multiplier for every model. A depth without a multiplier row
/// takes the multiplier of the nearest shallower depth that has one, so the
/// deepest row also applies to every depth below it.
public struct PriceList: Equatable, Sendable {
    /// A multiplier for one model at one depth of 1 or more.
    public struct Multiplier: Equatable, Sendable {
        public var model: PlacementModel
        public var depth: Int
        /// The multiplier in thousandths: 1350 is 1.35.
        public var perMille: Int

        public init(model: PlacementModel, depth: Int, perMille: Int) {
            self.model = model
            self.depth = depth
            self.perMille = perMille
        }
    }

    public var id: Int
    /// When the version takes effect: UTC, ISO 8601 with milliseconds.
    public var effectiveAt: String
    /// ISO 4217 code, such as `NOK`.
    public var currency: String
    /// The price of one container on one node for one hour before the multiplier,
    /// in hundredths of the currency unit.
    public var basePriceHundredths: Int64
    /// The multiplier at depth 0, in thousandths, whatever the model.
    public var depth0MultiplierPerMille: Int
    /// The stored multipliers for depths 1 and deeper, ordered by model and depth.
    public var multipliers: [Multiplier]
    /// When the version was added: UTC, ISO 8601 with milliseconds.
    public var createdAt: String
    public var createdBy: String

    /// Returns the hourly rate of one container on one node, in millionths of
    /// the currency unit, or nil when the model has no multiplier row for
    /// `depth` or a shallower depth.
    public func hourlyRateMicros(model: PlacementModel, depth: Int) -> Int64? {
        multiplierPerMille(model: model, depth: depth).map(hourlyRateMicros(multiplierPerMille:))
    }

    /// Returns the base price times a multiplier given in thousandths, in
    /// millionths of the currency unit: hundredths times thousandths are
    /// hundred-thousandths, so the product is exact.
    public func hourlyRateMicros(multiplierPerMille: Int) -> Int64 {
        basePriceHundredths * Int64(multiplierPerMille) * 10
    }

    /// Returns the multiplier that applies at `depth`, in thousandths: the depth-0
    /// multiplier at the root, else the model's row with the greatest depth not
    /// greater than `depth`. The `price_rates` view applies the same rule.
    public func multiplierPerMille(model: PlacementModel, depth: Int) -> Int? {
        if depth == 0 {
            return depth0MultiplierPerMille
        }
        return multipliers.last { $0.model == model && $0.depth <= depth }?.perMille
    }
}

/// A price change: the values to set, each nil or empty when it stays as it is.
public struct PriceChange: Equatable, Sendable {
    /// ISO 4217 code. A new currency needs a new base price, because amounts are
    /// not converted.
    public var currency: String?
    /// In hundredths of the currency unit, from 0 to `Pricing.maxBasePriceHundredths`.
    public var basePriceHundredths: Int64?
    /// In thousandths, from 0 to `Pricing.maxMultiplierPerMille`.
    public var depth0MultiplierPerMille: Int?
    /// Multipliers to set for depths 1 and deeper. A depth without its own row
    /// gets one.
    public var multipliers: [PriceList.Multiplier]
    /// When the new prices take effect; nil for now. Not before now, and not
    /// before the newest version's time, so no past bill ever changes.
    public var effectiveAt: Date?

    public init(
        currency: String? = nil, basePriceHundredths: Int64? = nil, depth0MultiplierPerMille: Int? = nil,
        multipliers: [PriceList.Multiplier] = [], effectiveAt: Date? = nil
    ) {
        self.currency = currency
        self.basePriceHundredths = basePriceHundredths
        self.depth0MultiplierPerMille = depth0MultiplierPerMille
        self.multipliers = multipliers
        self.effectiveAt = effectiveAt
    }

    /// True when the change sets no value at all.
    public var isEmpty: Bool {
        currency == nil && basePriceHundredths == nil && depth0MultiplierPerMille == nil && multipliers.isEmpty
    }
}

/// One value a price change changed.
public enum PriceDifference: Equatable, Sendable {
    case currency(from: String, to: String)
    case basePrice(fromHundredths: Int64, toHundredths: Int64)
    case depth0Multiplier(fromPerMille: Int, toPerMille: Int)
    /// `fromPerMille` is nil when the depth had no row of its own before.
    case multiplier(model: PlacementModel, depth: Int, fromPerMille: Int?, toPerMille: Int)
}

/// The outcome of a price change.
public struct PriceUpdate: Equatable, Sendable {
    /// The newest version before the change, which the new one copies.
    public var previous: PriceList
    /// The version the change added; nil when every value given was already set.
    public var added: PriceList?
    /// The values that changed, in the order currency, base price, depth-0
    /// multiplier, multipliers.
    public var differences: [PriceDifference]
}
