/// Estimated latency between households and nodes: an access link from the
/// household to its node, then one link per hop, each with a latency that
/// depends on the depth of the link's lower end. Values are whole microseconds.
public struct LatencyModel: Equatable, Sendable {
    /// From a household to the node it hangs off.
    public var accessMicroseconds: Int64
    /// Each link without its own entry in `linkMicrosecondsByDepth`.
    public var defaultLinkMicroseconds: Int64
    /// The link between a node at the key's depth and its parent.
    public var linkMicrosecondsByDepth: [Int: Int64]

    public init(accessMicroseconds: Int64, defaultLinkMicroseconds: Int64, linkMicrosecondsByDepth: [Int: Int64] = [:]) {
        self.accessMicroseconds = accessMicroseconds
        self.defaultLinkMicroseconds = defaultLinkMicroseconds
        self.linkMicrosecondsByDepth = linkMicrosecondsByDepth
    }

    /// The defaults a new database gets: 5 ms access and 4 ms per link, so a
    /// household on a depth-5 node is 25 ms from the root and 5 ms from its own node.
    public static let defaults = LatencyModel(accessMicroseconds: 5000, defaultLinkMicroseconds: 4000)

    /// The latency of the link between a node at `depth` and its parent.
    public func linkMicroseconds(toDepth depth: Int) -> Int64 {
        linkMicrosecondsByDepth[depth] ?? defaultLinkMicroseconds
    }

    /// The largest latency a model may hold for one link: 10 s.
    public static let maxMicroseconds: Int64 = 10_000_000

    /// Formats microseconds as milliseconds with no trailing zeros: 4500 is `4.5`.
    public static func formatMilliseconds(_ microseconds: Int64) -> String {
        Quantity.formatThousandths(microseconds)
    }

    /// Parses milliseconds with at most three decimals into microseconds.
    public static func parseMilliseconds(_ text: String, notation: Quantity.Notation) -> Result<Int64, Quantity.Problem> {
        Quantity.scaled(text, decimals: 3, maximum: maxMicroseconds, notation: notation)
    }
}
