import Suggestions

/// The consistency checks a state file must pass before anything is written:
/// names, one root, parents, cycles, depths, children, leaves, containers and
/// capacity.
enum StateFileValidator {
    /// Checks `raw` and returns the checked file, or nil after adding every problem
    /// found to `problems`.
    static func validate(_ raw: RawStateFile, problems: inout ProblemList) -> StateFile? {
        guard raw.isObject else { return nil }
        let containers = validateContainers(raw.containers, problems: &problems)
        guard raw.hasNodeList else {
            problems.add("top level", "\"nodelist\" is missing; a state file needs at least the root node N0")
            return nil
        }
        guard !raw.nodes.isEmpty else {
            if raw.nodeListIsArray {
                problems.add("nodelist", "is empty; a topology needs at least the root node N0")
            }
            return nil
        }

        var tree = Tree(nodes: raw.nodes)
        tree.checkNames(problems: &problems)
        tree.resolveParents(problems: &problems)
        tree.checkRoot(problems: &problems)
        tree.checkCycles(problems: &problems)
        tree.checkDepths(problems: &problems)
        tree.checkChildren(problems: &problems)
        checkPlacements(raw.nodes, containers: containers, problems: &problems)

        guard problems.isEmpty else { return nil }
        let nodes = raw.nodes.enumerated().map { index, node in
            StateFile.Node(
                name: node.name!,
                parent: tree.parents[index],
                depth: node.depth!.value,
                memoryMB: node.memoryMB!,
                millicores: node.millicores!,
                households: node.households,
                containers: node.containers)
        }
        let checkedContainers = raw.containers.map { container in
            StateFile.Container(
                name: container.name!, memoryMB: container.memoryMB!,
                millicores: container.millicores!, customer: container.customer!)
        }
        return StateFile(containers: checkedContainers, nodes: nodes)
    }

    /// Checks that container names are unique, ignoring letter case and Unicode
    /// normalization, and returns the valid containers by exact name.
    private static func validateContainers(_ containers: [RawContainer], problems: inout ProblemList) -> [String: RawContainer] {
        var byName: [String: RawContainer] = [:]
        var byKey: [String: RawContainer] = [:]
        for container in containers {
            guard let name = container.name else { continue }
            if let earlier = byKey[Name.collisionKey(name)] {
                // Swift's == ignores Unicode normalization, so only the scalars tell an exact repeat apart.
                let isExactRepeat = earlier.name.map { $0.unicodeScalars.elementsEqual(name.unicodeScalars) } ?? false
                let how = isExactRepeat ? "" : "; container names must differ in more than letter case or Unicode normalization"
                problems.add(container.location, "name duplicates \(earlier.location)\(how)")
                continue
            }
            byKey[Name.collisionKey(name)] = container
            byName[name] = container
        }
        return byName
    }

    /// Checks each node's containers: registered, and fitting the node with the
    /// `_used` fields equal to their sums.
    private static func checkPlacements(_ nodes: [RawNode], containers: [String: RawContainer], problems: inout ProblemList) {
        for node in nodes {
            var memory: Int64 = 0
            var millicores: Int64 = 0
            var isComplete = true
            for name in node.containers {
                guard let container = containers[name] else {
                    isComplete = false
                    problems.add(node.location, "containers lists \(JSONWriter.quoted(name)), which is not in containerlist\(suggestion(for: name, among: containers.keys.sorted()))")
                    continue
                }
                guard let containerMemory = container.memoryMB, let containerMillicores = container.millicores else {
                    isComplete = false
                    continue
                }
                memory += containerMemory
                millicores += containerMillicores
            }
            guard isComplete else { continue }

            let count = node.containers.count
            let need = count == 1 ? "its container needs" : "its \(count) containers need"
            if let used = node.memoryUsed, used.value != memory {
                let actual = count == 0 ? "the node has no containers" : "\(need) \(memory) MB"
                problems.add(node.location, "capacity_mem_used is \(used.scalar.json) but \(actual)")
            }
            if let used = node.cpuUsed, used.value != millicores {
                let actual = count == 0 ? "the node has no containers" : "\(need) \(Quantity.formatCores(millicores)) cores"
                problems.add(node.location, "capacity_cpu_used is \(used.scalar.json) but \(actual)")
            }
            if let capacity = node.memoryMB, memory > capacity {
                problems.add(node.location, "\(need) \(memory) MB but capacity_mem is \(capacity) MB")
            }
            if let capacity = node.millicores, millicores > capacity {
                problems.add(node.location, "\(need) \(Quantity.formatCores(millicores)) cores but capacity_cpu is \(Quantity.formatCores(capacity)) cores")
            }
        }
    }
}

/// The node list seen as a tree, built up check by check.
private struct Tree {
    let nodes: [RawNode]
    /// Index of each valid, unique name.
    var indexByName = NodeNameIndex()
    /// Each node's parent index; nil for the root and for unresolved parents.
    var parents: [Int?]
    /// Nodes whose parent reference is valid and names an existing node, or that are the root.
    var resolved: [Bool]
    var roots: [Int] = []
    /// Each node's children by parent link, in index order.
    var children: [[Int]]

    init(nodes: [RawNode]) {
        self.nodes = nodes
        parents = Array(repeating: nil, count: nodes.count)
        resolved = Array(repeating: false, count: nodes.count)
        children = Array(repeating: [], count: nodes.count)
    }

    /// Names are unique and node `k` is named `N<k>`, because the prototype finds a
    /// node by its position in the list.
    mutating func checkNames(problems: inout ProblemList) {
        let allCanonical = nodes.indices.allSatisfy { index in
            nodes[index].name.map { NodeNameIndex.canonicalIndex(of: $0) == index } ?? false
        }
        if allCanonical {
            indexByName = NodeNameIndex(canonicalNamesOf: nodes.count)
            return
        }
        for (index, node) in nodes.enumerated() {
            guard let name = node.name else { continue }
            if let earlier = indexByName[name] {
                problems.add(node.location, "name \(JSONWriter.quoted(name)) is already used by nodelist[\(earlier)]")
                continue
            }
            indexByName.insert(name, at: index)
            if name == "none" {
                problems.add(node.location, "name \"none\" is reserved for the root's parent")
            } else if NodeNameIndex.canonicalIndex(of: name) != index {
                problems.add(node.location, "name must be \"N\(index)\", because the prototype finds node N<k> at position k of nodelist")
            }
        }
    }

    mutating func resolveParents(problems: inout ProblemList) {
        for (index, node) in nodes.enumerated() {
            switch node.parent {
            case .root?:
                roots.append(index)
                resolved[index] = true
            case .named(let name)?:
                guard let parent = indexByName[name] else {
                    problems.add(node.location, "parent \(JSONWriter.quoted(name)) does not exist\(suggestion(for: name, among: nearbyNames(name)))")
                    continue
                }
                if parent == index {
                    problems.add(node.location, "parent is the node itself; a node's parent must be another node")
                    continue
                }
                parents[index] = parent
                resolved[index] = true
                children[parent].append(index)
            case .invalid?, nil:
                continue
            }
        }
    }

    /// A few existing names like `name` for a suggestion, without scanning a large list.
    private func nearbyNames(_ name: String) -> [String] {
        guard name.hasPrefix("N") || name.hasPrefix("n"), let number = Int(name.dropFirst()) else { return [] }
        return ["N\(number)"].filter { indexByName[$0] != nil }
    }

    mutating func checkRoot(problems: inout ProblemList) {
        switch roots.count {
        case 0:
            problems.add("nodelist", "no node has parent \"none\", so the tree has no root; give N0 \"parent\": \"none\"")
        case 1:
            let root = roots[0]
            if root != 0 {
                problems.add(nodes[root].location, "is the root (parent \"none\"), but the root must be N0, the first node of nodelist")
            }
        default:
            let names = roots.prefix(10).map { nodes[$0].name ?? "nodelist[\($0)]" }.joined(separator: ", ")
            problems.add("nodelist", "\(roots.count) nodes have parent \"none\" (\(names)); a tree has exactly one root, N0")
        }
    }

    /// Follows parent links from every node without recursion, so a chain of any
    /// length is safe, and reports each cycle once.
    mutating func checkCycles(problems: inout ProblemList) {
        enum Mark { case unvisited, onPath, done }
        var marks = Array(repeating: Mark.unvisited, count: nodes.count)
        for start in nodes.indices where marks[start] == .unvisited {
            var path: [Int] = []
            var current: Int? = start
            while let index = current, marks[index] == .unvisited {
                marks[index] = .onPath
                path.append(index)
                current = parents[index]
            }
            if let index = current, marks[index] == .onPath {
                let cycle = Array(path[path.firstIndex(of: index)!...])
                var chain = (cycle + [index]).map { nodes[$0].name ?? "nodelist[\($0)]" }
                // A cycle through a long chain would make a line of megabytes; its ends are enough to find it.
                if chain.count > 12 {
                    chain = chain.prefix(6) + ["... \(chain.count - 8) more ..."] + chain.suffix(2)
                }
                let names = chain.joined(separator: " -> ")
                let first = cycle.min()!
                problems.add(nodes[first].location, "the parent chain \(names) is a cycle that never reaches the root")
            }
            for index in path {
                marks[index] = .done
            }
        }
    }

    /// The root has depth 0 and every other node its parent's depth plus one.
    func checkDepths(problems: inout ProblemList) {
        for (index, node) in nodes.enumerated() {
            guard let depth = node.depth else { continue }
            if case .root? = node.parent {
                if depth.value != 0 {
                    problems.add(node.location, "depth is \(depth.scalar.json) but the root has depth 0")
                }
            } else if let parent = parents[index], let parentDepth = nodes[parent].depth?.value, depth.value != parentDepth + 1 {
                let parentName = nodes[parent].name ?? "nodelist[\(parent)]"
                problems.add(node.location, "depth is \(depth.scalar.json) but its parent \(parentName) has depth \(parentDepth)")
            }
        }
    }

    /// `children` and `leaf`, where present, agree with the parent links.
    func checkChildren(problems: inout ProblemList) {
        for (index, node) in nodes.enumerated() {
            let actual = children[index]
            if let listed = node.children {
                var seen = SmallNameSet()
                for name in listed {
                    guard seen.insert(name) else {
                        problems.add(node.location, "children lists \(JSONWriter.quoted(name)) twice")
                        continue
                    }
                    guard let child = indexByName[name] else {
                        problems.add(node.location, "children lists \(JSONWriter.quoted(name)), which does not exist")
                        continue
                    }
                    if parents[child] != index, resolved[child] {
                        let parentText = parents[child].map { nodes[$0].name ?? "nodelist[\($0)]" } ?? "none"
                        problems.add(node.location, "children lists \(name), but the parent of \(name) is \(parentText)")
                    }
                }
                // A child that shares its name with an earlier node is skipped, because the
                // duplicate name is already reported and this message would point at the other node.
                for child in actual {
                    if let name = nodes[child].name, indexByName[name] == child, !seen.contains(name) {
                        problems.add(node.location, "children does not list \(name), whose parent is \(node.name ?? "nodelist[\(index)]")")
                    }
                }
            }
            // A listed child whose parent could not be resolved is reported on its own
            // line, so it still counts as a child here.
            let listsUnresolvedChild = node.children?.contains { name in
                indexByName[name].map { !resolved[$0] } ?? false
            } ?? false
            if let leaf = node.leaf, leaf.value != actual.isEmpty, !(actual.isEmpty && listsUnresolvedChild) {
                if leaf.value {
                    let names = actual.prefix(5).map { nodes[$0].name ?? "nodelist[\($0)]" }.joined(separator: ", ")
                    problems.add(node.location, "leaf is \(leaf.scalar.json) but the node has children (\(names)\(actual.count > 5 ? ", ..." : ""))")
                } else {
                    problems.add(node.location, "leaf is \(leaf.scalar.json) but the node has no children")
                }
            }
        }
    }
}
