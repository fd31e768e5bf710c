/// A synthetic access network of any size, written as a state file in the
/// prototype's format, for trying praas-db at the scale of a national ISP.
///
/// For `nodes` N, `depth` D and `fanout` F, the tree has this shape:
///
/// - The nodes are N0 ... N<N-1> in breadth-first order: all nodes of a depth
///   come before those of the next depth, and a node's children are consecutive.
/// - The deepest nodes are at depth D exactly.
/// - A node at depth 0 has at most F children, and each depth below allows three
///   quarters of the depth above, rounded down, but never fewer than 2.
/// - The number of nodes per depth grows at the even rate that spreads N nodes
///   over D depths, within those limits. Up to a quarter of the nodes above the
///   deepest level have no children, so leaves sit at several depths.
/// - Capacities shrink with depth as in the built-in oslo-80: see
///   `memoryMB(atDepth:)` and `millicores(atDepth:)`.
/// - Households are on leaves only, named `h<k>-001`, `h<k>-002`, ... after their
///   node N<k>. Each leaf gets between half and one and a half times the mean
///   number of households still to place.
/// - There are no containers.
///
/// The output depends only on the arguments: the same arguments give the same
/// bytes. The generator streams the file, so its memory use grows with the
/// widest depth (a few bytes per node), never with the file's size.
public struct TopologyGenerator: Sendable {
    public static let maxNodes = 10_000_000
    public static let maxFanout = 1_000
    public static let maxDepth = 100
    /// The maximum number of households in one topology. Each adds about 30 bytes to the file.
    public static let maxHouseholds = 100_000_000
    public static let defaultFanout = 32
    public static let defaultSeed: UInt64 = 1
    /// Households per node when none are requested. Real access networks have
    /// 100 to 400 households per leaf (oslo-80 has 120 to 360), but at that
    /// density a 1,000,000-node file would take tens of gigabytes.
    public static let defaultHouseholdsPerNode = 2
    /// How much deeper than the shallowest possible tree the default depth is,
    /// so that the levels are not all full and leaves sit at several depths.
    public static let defaultExtraDepth = 2

    public let nodeCount: Int
    /// The depth of the deepest nodes.
    public let depth: Int
    /// The maximum number of children of the root.
    public let fanout: Int
    public let seed: UInt64
    public let householdCount: Int
    /// The number of nodes at each depth, from 0 to `depth`.
    public let levelSizes: [Int]
    /// The number of nodes at each depth that have children, from 0 to `depth`.
    public let parentCounts: [Int]
    /// The maximum number of children of a node at each depth, from 0 to `depth - 1`.
    let maxChildren: [Int]
    /// The seed of the random numbers used while writing nodes.
    private let nodeSeed: UInt64

    /// Checks the arguments and plans the number of nodes per depth.
    ///
    /// - Parameters:
    ///   - depth: the depth of the deepest nodes; nil for `defaultExtraDepth` more
    ///     than the shallowest depth that can hold `nodes` nodes.
    ///   - households: the number of households in the whole network; nil for
    ///     `defaultHouseholdsPerNode` per node.
    /// - Throws: `.invalidArgument` when a value is out of range, when `depth` is
    ///   too small to hold `nodes` nodes with `fanout`, or when there are fewer
    ///   nodes than depths.
    public init(
        nodes: Int, depth: Int? = nil, fanout: Int = defaultFanout, seed: UInt64 = defaultSeed,
        households: Int? = nil
    ) throws {
        try Self.checkRange(nodes, 1...Self.maxNodes, option: "--nodes")
        try Self.checkRange(fanout, 2...Self.maxFanout, option: "--fanout")
        if let depth {
            try Self.checkRange(depth, 0...Self.maxDepth, option: "--depth")
        }
        if let households {
            try Self.checkRange(households, 0...Self.maxHouseholds, option: "--households")
        }

        let shallowest = Self.minimumDepth(nodes: nodes, fanout: fanout)
        let resolvedDepth = depth ?? min(shallowest + Self.defaultExtraDepth, nodes - 1, Self.maxDepth)
        if resolvedDepth > nodes - 1 {
            throw PraaSError.invalidArgument(
                "--depth \(resolvedDepth) needs at least \(resolvedDepth + 1) nodes, one per depth from 0 to "
                    + "\(resolvedDepth); raise --nodes to \(resolvedDepth + 1) or lower --depth to \(nodes - 1)")
        }
        let limits = Self.maxChildren(fanout: fanout, depth: resolvedDepth)
        let capacity = Self.subtreeCapacities(maxChildren: limits)[0]
        if capacity < nodes {
            var advice = "raise --depth to at least \(shallowest)"
            if let fanout = Self.minimumFanout(nodes: nodes, depth: resolvedDepth) {
                advice += " or --fanout to at least \(fanout)"
            }
            throw PraaSError.invalidArgument(
                "--depth \(resolvedDepth) is too small for \(nodes) nodes with --fanout \(fanout): a tree of depth "
                    + "\(resolvedDepth) holds at most \(capacity) nodes; \(advice)")
        }

        nodeCount = nodes
        self.depth = resolvedDepth
        self.fanout = fanout
        self.seed = seed
        householdCount = households ?? nodes * Self.defaultHouseholdsPerNode
        maxChildren = limits
        levelSizes = Self.levelSizes(nodes: nodes, maxChildren: limits)

        var random = SplitMix64(seed: seed)
        parentCounts = Self.parentCounts(levelSizes: levelSizes, maxChildren: limits, random: &random)
        nodeSeed = random.next()
    }

    /// The number of nodes without children.
    public var leafCount: Int {
        nodeCount - parentCounts.reduce(0, +)
    }

    /// Returns the memory of every node at `depth`, in megabytes: oslo-80's 8192, 4096,
    /// 2048, 1536, 1024, 768 and 512 for depths 0 to 6, then 384, and 256 from
    /// depth 8 on.
    public static func memoryMB(atDepth depth: Int) -> Int64 {
        let byDepth: [Int64] = [8192, 4096, 2048, 1536, 1024, 768, 512, 384]
        return depth < byDepth.count ? byDepth[depth] : 256
    }

    /// Returns the CPU of every node at `depth`, in millicores: oslo-80's 16, 8, 4, 3 and
    /// 2 cores for depths 0 to 4, and 1 core from depth 5 on.
    public static func millicores(atDepth depth: Int) -> Int64 {
        let coresByDepth: [Int64] = [16, 8, 4, 3, 2]
        return 1000 * (depth < coresByDepth.count ? coresByDepth[depth] : 1)
    }

    // MARK: - Writing

    /// Writes the topology as a state file, handing the bytes to `sink` in pieces.
    ///
    /// - Parameter progress: receives the phase "generating nodes" as nodes are written.
    /// - Throws: whatever `sink` throws.
    public func write(to sink: @escaping ([UInt8]) throws -> Void, progress: ProgressHandler? = nil) throws {
        var meter = ProgressMeter(progress, phase: "generating nodes", total: nodeCount, unit: .items("nodes"))
        var random = SplitMix64(seed: nodeSeed)
        var writer = StateFileWriter(sink: sink)
        writer.begin()
        writer.beginNodes()

        var parents = ParentQueue()
        var nextChild = 1
        var leaves = Allotment(remaining: householdCount, recipients: leafCount)
        var index = 0
        for depth in 0...self.depth {
            let isDeepest = depth == self.depth
            var nodesLeft = levelSizes[depth]
            var parentsLeft = isDeepest ? 0 : parentCounts[depth]
            var childrenLeft = isDeepest ? 0 : levelSizes[depth + 1]

            for _ in 0..<levelSizes[depth] {
                // Selection sampling: each node is a parent with the chance that keeps
                // exactly parentCounts[depth] parents at this depth.
                var childCount = 0
                if parentsLeft > 0, Int(random.next(below: UInt64(nodesLeft))) < parentsLeft {
                    childCount = Self.drawChildCount(
                        children: childrenLeft, parents: parentsLeft, maxChildren: maxChildren[depth], random: &random)
                    parentsLeft -= 1
                    childrenLeft -= childCount
                }
                nodesLeft -= 1

                var households: [String] = []
                if childCount == 0 {
                    let count = leaves.drawShare(random: &random)
                    if count > 0 {
                        households.reserveCapacity(count)
                        for number in 1...count {
                            households.append(Self.householdName(node: index, number: number))
                        }
                    }
                }
                let node = StateFile.Node(
                    name: "N\(index)", parent: nil, depth: depth,
                    memoryMB: Self.memoryMB(atDepth: depth), millicores: Self.millicores(atDepth: depth),
                    households: households)
                let children = (nextChild..<nextChild + childCount).map { "N\($0)" }
                let parent = parents.popParent().map { "N\($0)" }
                try writer.node(node, parent: parent, children: children, memoryUsedMB: 0, millicoresUsed: 0)

                if childCount > 0 {
                    parents.append(index, childCount: childCount)
                }
                nextChild += childCount
                index += 1
                meter.advance()
            }
        }
        try writer.end()
        meter.finish()
    }

    /// Writes the topology to the file at `path`, replacing it only once the new
    /// file is complete and synced to disk.
    public func write(toFile path: String, progress: ProgressHandler? = nil) throws {
        try AtomicFile.write(to: path) { sink in
            try write(to: sink, progress: progress)
        }
    }

    /// `h<node>-<number>` with the number padded to three digits, as in oslo-80.
    static func householdName(node: Int, number: Int) -> String {
        let digits = String(number)
        let padding = String(repeating: "0", count: max(0, 3 - digits.count))
        return "h\(node)-\(padding)\(digits)"
    }

    /// Draws one parent's number of children, near the mean of what is left and
    /// within what keeps the rest feasible: every later parent gets at least one
    /// and at most `maxChildren`.
    private static func drawChildCount(
        children: Int, parents: Int, maxChildren: Int, random: inout SplitMix64
    ) -> Int {
        let feasibleLow = max(1, children - (parents - 1) * maxChildren)
        let feasibleHigh = min(maxChildren, children - (parents - 1))
        let low = max(feasibleLow, children / (2 * parents))
        let high = min(feasibleHigh, (3 * children + 2 * parents - 1) / (2 * parents))
        return random.next(in: low...high)
    }

    // MARK: - Planning

    private static func checkRange(_ value: Int, _ range: ClosedRange<Int>, option: String) throws {
        guard range.contains(value) else {
            throw PraaSError.invalidArgument(
                "\(option) must be from \(range.lowerBound) to \(range.upperBound), found \(value)")
        }
    }

    /// Returns the maximum number of children of a node at each depth from 0 to `depth - 1`.
    static func maxChildren(fanout: Int, depth: Int) -> [Int] {
        var limits: [Int] = []
        var limit = fanout
        for _ in 0..<depth {
            limits.append(limit)
            limit = max(2, limit * 3 / 4)
        }
        return limits
    }

    /// Returns the maximum number of nodes in a subtree whose root is at each
    /// depth from 0 to the deepest, the root included. Large values stop at `capacityCeiling`.
    static func subtreeCapacities(maxChildren: [Int]) -> [Int] {
        var capacities = Array(repeating: 1, count: maxChildren.count + 1)
        for depth in stride(from: maxChildren.count - 1, through: 0, by: -1) {
            let product = maxChildren[depth].multipliedReportingOverflow(by: capacities[depth + 1])
            capacities[depth] = product.overflow ? capacityCeiling : min(capacityCeiling, product.partialValue + 1)
        }
        return capacities
    }

    private static let capacityCeiling = 1 << 60

    /// Returns the shallowest depth at which a tree with `fanout` can hold `nodes` nodes.
    static func minimumDepth(nodes: Int, fanout: Int) -> Int {
        var depth = 0
        while subtreeCapacities(maxChildren: maxChildren(fanout: fanout, depth: depth))[0] < nodes {
            depth += 1
        }
        return depth
    }

    /// Returns the smallest fan-out with which a tree of `depth` can hold `nodes` nodes, or
    /// nil when `maxFanout` is not enough.
    static func minimumFanout(nodes: Int, depth: Int) -> Int? {
        (2...maxFanout).first { fanout in
            subtreeCapacities(maxChildren: maxChildren(fanout: fanout, depth: depth))[0] >= nodes
        }
    }

    /// Chooses the number of nodes at each depth, from the root down. Each depth
    /// aims at the growth rate that would spread the remaining nodes evenly over
    /// the remaining depths, but takes at least what the depths below can still
    /// hold and leaves at least one node for each of them.
    static func levelSizes(nodes: Int, maxChildren: [Int]) -> [Int] {
        let depth = maxChildren.count
        let capacities = subtreeCapacities(maxChildren: maxChildren)
        var sizes = [1]
        var remaining = nodes - 1
        for level in stride(from: 1, through: depth, by: 1) {
            let above = sizes[level - 1]
            let levelsLeft = depth - level + 1
            let most = min(above * maxChildren[level - 1], remaining - (levelsLeft - 1))
            let fewest = max(1, (remaining + capacities[level] - 1) / capacities[level])
            let rate = growthRate(from: above, filling: remaining, levels: levelsLeft)
            let target = Int((Double(above) * rate).rounded())
            let size = min(most, max(fewest, target))
            sizes.append(size)
            remaining -= size
        }
        return sizes
    }

    /// Returns the rate g with `above * (g + g^2 + ... + g^levels) == remaining`, by
    /// bisection. Only additions and multiplications are used, which IEEE 754
    /// rounds the same way everywhere, so the plan cannot differ between machines.
    private static func growthRate(from above: Int, filling remaining: Int, levels: Int) -> Double {
        let goal = Double(remaining) / Double(above)
        var low = 0.0
        var high = max(1, goal)
        for _ in 0..<100 {
            let middle = (low + high) / 2
            var sum = 0.0
            var power = 1.0
            for _ in 0..<levels where sum < goal {
                power *= middle
                sum += power
            }
            if sum < goal {
                low = middle
            } else {
                high = middle
            }
        }
        return (low + high) / 2
    }

    /// Chooses how many nodes at each depth have children: enough to hold the
    /// depth below with `maxChildren`, and otherwise between three quarters of
    /// the possible parents and all of them. The deepest depth has none.
    private static func parentCounts(levelSizes: [Int], maxChildren: [Int], random: inout SplitMix64) -> [Int] {
        var counts: [Int] = []
        for depth in 0..<maxChildren.count {
            let children = levelSizes[depth + 1]
            let fewest = (children + maxChildren[depth] - 1) / maxChildren[depth]
            let most = min(levelSizes[depth], children)
            counts.append(random.next(in: max(fewest, most - most / 4)...most))
        }
        counts.append(0)
        return counts
    }
}

/// The parents whose children are still to be written, oldest first, so that
/// each node written in breadth-first order finds its parent at the front.
private struct ParentQueue {
    private var entries: [(index: Int, childrenLeft: Int)] = []
    private var head = 0

    mutating func append(_ index: Int, childCount: Int) {
        entries.append((index, childCount))
    }

    /// Returns the parent of the next node and counts that child; nil for the root.
    mutating func popParent() -> Int? {
        guard head < entries.count else { return nil }
        let parent = entries[head].index
        entries[head].childrenLeft -= 1
        if entries[head].childrenLeft == 0 {
            head += 1
            // Drop the finished entries now and then, so the queue contains about one depth.
            if head >= 4096, head * 2 >= entries.count {
                entries.removeFirst(head)
                head = 0
            }
        }
        return parent
    }
}

/// Shares a number of households among leaves, one leaf at a time.
private struct Allotment {
    var remaining: Int
    var recipients: Int

    /// Draws the next leaf's share: between half and one and a half times the mean
    /// of what is left; the last leaf takes the rest.
    mutating func drawShare(random: inout SplitMix64) -> Int {
        precondition(recipients > 0, "more leaves than the plan counted")
        let share: Int
        if recipients == 1 {
            share = remaining
        } else {
            let low = remaining / (2 * recipients)
            let high = min(remaining, (3 * remaining + 2 * recipients - 1) / (2 * recipients))
            share = random.next(in: low...high)
        }
        remaining -= share
        recipients -= 1
        return share
    }
}
