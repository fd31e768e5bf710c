/// The network's shape as proximity needs it: parent links, depths and
/// household counts, in an order where every parent comes before its children.
struct TreeShape {
    /// Node ids, parents before children.
    var ids: [Int] = []
    /// Each node's parent as an index into `ids`; -1 for the root.
    var parents: [Int32] = []
    var depths: [Int32] = []
    var households: [Int32] = []

    var count: Int { ids.count }
}

/// How far one node's households are from the nearest holder of a container.
struct NodeDistance: Equatable {
    /// Hops to the nearest holder; nil when no node holds the container.
    let hops: Int?
    /// Microseconds from a household to that holder: the access link plus each
    /// link on the way.
    let latencyMicroseconds: Int64?
    /// Index into the tree of the holder that serves the node.
    let holder: Int?
}

/// Computes, for every node, the nearest node that holds a container.
///
/// Nearest means fewest hops along the tree's links; among holders at the same
/// number of hops, the one with the lower latency serves. Two passes over the
/// tree: up from the leaves, each node learns its nearest holder below it; down
/// from the root, each node compares that with its parent's nearest holder plus
/// one link. The cost grows with the number of nodes, once per query.
struct ProximityCalculator {
    let tree: TreeShape
    let latency: LatencyModel

    /// Returns the distance of every node, in `tree` order, to the nearest node
    /// whose index is in `holders`.
    func distances(holders: [Bool]) -> [NodeDistance] {
        let count = tree.count
        let unreachable = (hops: Int32.max, latency: Int64.max, holder: Int32(-1))
        var best = Array(repeating: unreachable, count: count)

        func better(_ a: (hops: Int32, latency: Int64, holder: Int32), _ b: (hops: Int32, latency: Int64, holder: Int32)) -> Bool {
            (a.hops, a.latency) < (b.hops, b.latency)
        }

        // Up: children before parents, so iterate the parents-first order backwards.
        for index in stride(from: count - 1, through: 0, by: -1) {
            if holders[index] {
                best[index] = (0, 0, Int32(index))
            }
            let parent = Int(tree.parents[index])
            guard parent >= 0, best[index].hops != Int32.max else { continue }
            let link = latency.linkMicroseconds(toDepth: Int(tree.depths[index]))
            let candidate = (hops: best[index].hops + 1, latency: best[index].latency + link, holder: best[index].holder)
            if better(candidate, best[parent]) {
                best[parent] = candidate
            }
        }

        // Down: a node's parent already knows the nearest holder in every direction.
        for index in 0..<count {
            let parent = Int(tree.parents[index])
            guard parent >= 0, best[parent].hops != Int32.max else { continue }
            let link = latency.linkMicroseconds(toDepth: Int(tree.depths[index]))
            let candidate = (hops: best[parent].hops + 1, latency: best[parent].latency + link, holder: best[parent].holder)
            if better(candidate, best[index]) {
                best[index] = candidate
            }
        }

        return best.map { entry in
            guard entry.hops != Int32.max else { return NodeDistance(hops: nil, latencyMicroseconds: nil, holder: nil) }
            return NodeDistance(
                hops: Int(entry.hops), latencyMicroseconds: entry.latency + latency.accessMicroseconds, holder: Int(entry.holder))
        }
    }

    /// Summarizes the distances over the households of every node.
    func summary(holders: [Bool], budgetMicroseconds: Int64?) -> ProximitySummary {
        let distances = distances(holders: holders)
        var hops: [Int: Int] = [:]
        var latencies: [Int64: Int] = [:]
        var households = 0
        var unserved = 0
        var nodesWithHouseholds = 0
        for index in 0..<tree.count {
            let count = Int(tree.households[index])
            guard count > 0 else { continue }
            nodesWithHouseholds += 1
            households += count
            guard let hop = distances[index].hops, let latency = distances[index].latencyMicroseconds else {
                unserved += count
                continue
            }
            hops[hop, default: 0] += count
            latencies[latency, default: 0] += count
        }
        return ProximitySummary(
            households: households,
            nodesWithHouseholds: nodesWithHouseholds,
            holderCount: holders.filter { $0 }.count,
            unservedHouseholds: unserved,
            hops: Distribution(histogram: hops.map { (Int64($0.key), $0.value) }),
            latencyMicroseconds: Distribution(histogram: latencies.map { ($0.key, $0.value) }),
            budgetMicroseconds: budgetMicroseconds,
            householdsWithinBudget: budgetMicroseconds.map { budget in
                latencies.filter { $0.key <= budget }.reduce(0) { $0 + $1.value }
            })
    }
}

/// A distribution of a whole-number measure over households.
public struct Distribution: Equatable, Sendable {
    /// Each value and how many households have it, in value order.
    public let histogram: [(value: Int64, households: Int)]
    public let households: Int
    /// The mean, exact as a fraction of the households.
    public let mean: Double
    /// The 50th and 95th percentiles and the maximum, by the nearest-rank method:
    /// the smallest value at or below which at least that share of households lie.
    public let median: Int64?
    public let percentile95: Int64?
    public let maximum: Int64?

    init(histogram: [(Int64, Int)]) {
        let sorted = histogram.sorted { $0.0 < $1.0 }.map { (value: $0.0, households: $0.1) }
        self.histogram = sorted
        let total = sorted.reduce(0) { $0 + $1.households }
        households = total
        let sum = sorted.reduce(0.0) { $0 + Double($1.value) * Double($1.households) }
        mean = total > 0 ? sum / Double(total) : 0
        maximum = sorted.last?.value
        func percentile(_ share: Int) -> Int64? {
            guard total > 0 else { return nil }
            // The rank of the percentile, rounded up: ceil(total * share / 100).
            let rank = (total * share + 99) / 100
            var seen = 0
            for entry in sorted {
                seen += entry.households
                if seen >= rank {
                    return entry.value
                }
            }
            return sorted.last?.value
        }
        median = percentile(50)
        percentile95 = percentile(95)
    }

    public static func == (lhs: Distribution, rhs: Distribution) -> Bool {
        lhs.histogram.map(\.value) == rhs.histogram.map(\.value)
            && lhs.histogram.map(\.households) == rhs.histogram.map(\.households)
    }
}

/// How close a container's holders are to the households of the network.
public struct ProximitySummary: Equatable, Sendable {
    /// Households attached to any node.
    public let households: Int
    /// Nodes with at least one household.
    public let nodesWithHouseholds: Int
    /// Nodes that hold the container.
    public let holderCount: Int
    /// Households with no holder at all, because the container runs nowhere.
    public let unservedHouseholds: Int
    /// Hops from each household's node to the nearest holder.
    public let hops: Distribution
    /// Estimated latency in microseconds from each household to the nearest holder.
    public let latencyMicroseconds: Distribution
    public let budgetMicroseconds: Int64?
    /// Households whose latency is at most the budget; nil without a budget.
    public let householdsWithinBudget: Int?

    /// The share of all households within the budget, from 0 to 1.
    public var shareWithinBudget: Double? {
        guard let within = householdsWithinBudget, households > 0 else { return nil }
        return Double(within) / Double(households)
    }
}
