/// The prototype's JSON state file, decoded and checked: a tree of nodes and
/// the containers placed on them.
///
/// Values are exact: memory in whole megabytes and CPU in millicores. A
/// `StateFile` always describes a consistent tree (see `StateFileDecoder` for
/// the checks), with `nodes[k]` named `N<k>` and `nodes[0]` the root.
public struct StateFile: Equatable, Sendable {
    /// A container of `containerlist`.
    public struct Container: Equatable, Sendable {
        public var name: String
        public var memoryMB: Int64
        public var millicores: Int64
        public var customer: String

        public init(name: String, memoryMB: Int64, millicores: Int64, customer: String) {
            self.name = name
            self.memoryMB = memoryMB
            self.millicores = millicores
            self.customer = customer
        }
    }

    /// A node of `nodelist`.
    public struct Node: Equatable, Sendable {
        public var name: String
        /// The parent's index in `nodes`; nil for the root.
        public var parent: Int?
        public var depth: Int
        public var memoryMB: Int64
        public var millicores: Int64
        public var households: [String]
        /// Names of the containers on the node, in placement order.
        public var containers: [String]

        public init(
            name: String, parent: Int?, depth: Int, memoryMB: Int64, millicores: Int64,
            households: [String] = [], containers: [String] = []
        ) {
            self.name = name
            self.parent = parent
            self.depth = depth
            self.memoryMB = memoryMB
            self.millicores = millicores
            self.households = households
            self.containers = containers
        }
    }

    public var containers: [Container]
    public var nodes: [Node]

    public init(containers: [Container], nodes: [Node]) {
        self.containers = containers
        self.nodes = nodes
    }
}

extension StateFile {
    /// The number of nodes without children.
    public var leafCount: Int {
        var hasChildren = Array(repeating: false, count: nodes.count)
        for node in nodes {
            if let parent = node.parent {
                hasChildren[parent] = true
            }
        }
        return hasChildren.filter { !$0 }.count
    }

    /// The number of households attached to all nodes.
    public var householdCount: Int {
        nodes.reduce(0) { $0 + $1.households.count }
    }

    /// The depth of the deepest node.
    public var maxDepth: Int {
        nodes.map(\.depth).max() ?? 0
    }
}
