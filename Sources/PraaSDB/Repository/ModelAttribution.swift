/// Which distribution model each placement of an imported state file belongs
/// to. State files do not record models, so they are read off the shape of each
/// container's placements:
///
/// - When the container is on the root, the deepest depth down to which it is on
///   every node is its balloon (depth 0 when only the root is complete).
/// - Each remaining node whose whole path to the root holds the container belongs
///   to a fog; the lowest such nodes are the fog's targets.
/// - The rest are micromanagement placements.
///
/// The result is deterministic, and a file written after a balloon or fog of
/// the prototype reads back as that balloon or fog.
struct ModelAttribution {
    /// The claims of one container.
    struct Claims {
        var balloonDepth: Int?
        var fogTargets: Set<Int> = []
        var microNodes: Set<Int> = []
        var models: [Int: PlacementModel] = [:]
    }

    private(set) var claims: [String: Claims] = [:]

    init(_ file: StateFile) {
        var nodesPerDepth = Array(repeating: 0, count: file.maxDepth + 1)
        var holders: [String: Set<Int>] = [:]
        for (index, node) in file.nodes.enumerated() {
            nodesPerDepth[node.depth] += 1
            for container in node.containers {
                holders[container, default: []].insert(index)
            }
        }
        for (container, nodes) in holders {
            claims[container] = Self.claims(of: nodes, in: file, nodesPerDepth: nodesPerDepth)
        }
    }

    func model(of container: String, on node: Int) -> PlacementModel {
        claims[container]?.models[node] ?? .micro
    }

    private static func claims(of nodes: Set<Int>, in file: StateFile, nodesPerDepth: [Int]) -> Claims {
        var result = Claims()

        // The balloon: complete depths from the root down.
        if nodes.contains(0) {
            var heldPerDepth = Array(repeating: 0, count: nodesPerDepth.count)
            for node in nodes {
                heldPerDepth[file.nodes[node].depth] += 1
            }
            var depth = 0
            while depth + 1 < nodesPerDepth.count, heldPerDepth[depth + 1] == nodesPerDepth[depth + 1] {
                depth += 1
            }
            result.balloonDepth = depth
        }
        let balloonDepth = result.balloonDepth ?? -1

        // The fog: remaining nodes connected to the root through holders.
        var connected: [Int: Bool] = [0: nodes.contains(0)]
        func isConnected(_ start: Int) -> Bool {
            var path: [Int] = []
            var current = start
            var answer = false
            while true {
                if let known = connected[current] {
                    answer = known
                    break
                }
                guard nodes.contains(current), let parent = file.nodes[current].parent else {
                    answer = false
                    connected[current] = false
                    break
                }
                path.append(current)
                current = parent
            }
            for node in path {
                connected[node] = answer
            }
            return answer
        }

        var fogNodes = Set<Int>()
        for node in nodes where file.nodes[node].depth > balloonDepth {
            if isConnected(node) {
                fogNodes.insert(node)
            } else {
                result.microNodes.insert(node)
            }
        }
        let parentsInFog = Set(fogNodes.compactMap { file.nodes[$0].parent })
        result.fogTargets = fogNodes.subtracting(parentsInFog)

        for node in nodes {
            if file.nodes[node].depth <= balloonDepth {
                result.models[node] = .balloon
            } else if fogNodes.contains(node) {
                result.models[node] = .fog
            } else {
                result.models[node] = .micro
            }
        }
        return result
    }
}
