import Foundation
import PraaSDB

/// Renders a `NetworkMap` as a Graphviz DOT graph.
///
/// The drawing runs left to right, one column per depth. Each node's label has
/// its name, memory and CPU in use of its capacity, and the role that holds each
/// chosen container there. Nodes holding a chosen container are filled in its
/// colour (striped when they hold several), a balloon is a dashed box around the
/// depths it covers, and a fog's paths are thick edges in its colour with the
/// targets drawn with a double border. With a heat map, nodes with households
/// are filled by their latency to the nearest holder instead.
///
/// The output depends only on the map: nodes come in the map's order and colours
/// in the order the containers were chosen, so the same state gives the same text.
struct GraphDrawing {
    /// A fill colour and a stroke colour per chosen container, from the
    /// Okabe-Ito palette, which stays distinct under the common colour-vision
    /// deficiencies. The list repeats after six containers.
    static let palette: [(fill: String, stroke: String)] = [
        ("#F5D199", "#E69F00"), ("#BBE1F6", "#56B4E9"), ("#99D8C7", "#009E73"),
        ("#EBC9DC", "#CC79A7"), ("#99C7E0", "#0072B2"), ("#EEBF99", "#D55E00"),
    ]

    /// Heat-map fills from near to far (ColorBrewer RdYlGn, reversed).
    static let heat = ["#1A9850", "#91CF60", "#D9EF8B", "#FEE08B", "#FC8D59", "#D73027"]
    static let neutralFill = "#F2F2F2"

    /// Each node's latency to the nearest holder, for the heat map.
    struct HeatMap {
        var container: String
        /// Latency in microseconds by node name, for the nodes with households.
        var latencyByNode: [String: Int64?]
    }

    let map: NetworkMap
    var heatMap: HeatMap?

    func dot() -> String {
        var lines: [String] = []
        lines.append("digraph \"praas-db\" {")
        lines.append("    graph [rankdir=LR, ranksep=0.6, nodesep=0.12, fontname=\"Helvetica\", fontsize=14, labelloc=t, label=\(quoted(title))];")
        lines.append("    node [shape=box, style=\"rounded,filled\", fillcolor=\"#FFFFFF\", color=\"#666666\", fontname=\"Helvetica\", fontsize=9];")
        lines.append("    edge [arrowhead=none, color=\"#A0A0A0\"];")
        lines.append("")

        lines += depthRuler()
        lines += balloonClusters()
        for node in map.nodes {
            lines.append("    " + nodeStatement(node))
        }
        lines.append("")
        lines += edgeStatements()
        lines += legend()
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Title and ruler

    private var title: String {
        var title = "praas-db: \(map.topology ?? "network") at revision \(map.revision)"
        if let heatMap {
            title += ", latency to \(heatMap.container)"
        } else if !map.containers.isEmpty {
            title += ", " + map.containers.map(\.name).joined(separator: ", ")
        }
        return title
    }

    /// A row of "depth k" labels, one per column, chained by invisible edges so
    /// that Graphviz ranks them like the tree's levels.
    private func depthRuler() -> [String] {
        let depths = Array(Set(map.nodes.map(\.depth))).sorted()
        guard depths.count > 1 else { return [] }
        var lines = depths.map { "    \(quoted("depth \($0)")) [shape=plaintext, style=\"\", fontsize=11, fontcolor=\"#555555\"];" }
        lines.append("    " + depths.map { quoted("depth \($0)") }.joined(separator: " -> ") + " [style=invis];")
        lines.append("")
        return lines
    }

    // MARK: - Nodes

    private func nodeStatement(_ node: MapNode) -> String {
        var label = [node.name, "\(node.memoryUsedMB)/\(node.memoryMB) MB", "\(Quantity.formatCores(node.millicoresUsed))/\(Quantity.formatCores(node.millicores)) cores"]
        if node.householdCount > 0 {
            label.append(node.householdCount == 1 ? "1 household" : "\(node.householdCount) households")
        }
        var fills: [String] = []
        var isTarget = false
        for (position, layout) in map.containers.enumerated() {
            guard let model = layout.placements[node.name] else { continue }
            let role = TreeCommand.role(of: node.name, in: layout, model: model)
            label.append("\(layout.name): \(role)")
            fills.append(Self.colours(position).fill)
            isTarget = isTarget || role == "fog target"
        }

        var attributes = ["label=\(quoted(label.joined(separator: "\n")))"]
        if let heatMap {
            if let entry = heatMap.latencyByNode[node.name] {
                let fill = entry.map { heatColour($0) } ?? Self.heat.last!
                attributes.append("fillcolor=\"\(fill)\"")
                if let latency = entry {
                    attributes[0] = "label=\(quoted((label + ["\(LatencyModel.formatMilliseconds(latency)) ms"]).joined(separator: "\n")))"
                }
            } else {
                attributes.append("fillcolor=\"\(Self.neutralFill)\"")
            }
            if !fills.isEmpty {
                attributes.append("penwidth=2.5, color=\"#000000\"")
            }
        } else if fills.count == 1 {
            attributes.append("fillcolor=\"\(fills[0])\"")
        } else if fills.count > 1 {
            attributes.append("style=\"striped\", fillcolor=\"\(fills.joined(separator: ":"))\"")
        }
        if isTarget {
            attributes.append("peripheries=2")
        }
        return "\(quoted(node.name)) [\(attributes.joined(separator: ", "))];"
    }

    private func heatColour(_ microseconds: Int64) -> String {
        Self.heat[heatBucket(microseconds)]
    }

    /// The latency range the heat map divides into equal bands, in microseconds.
    private var heatRange: (low: Int64, high: Int64)? {
        let values = heatMap?.latencyByNode.values.compactMap { $0 } ?? []
        guard let low = values.min(), let high = values.max() else { return nil }
        return (low, high)
    }

    private func heatBucket(_ microseconds: Int64) -> Int {
        guard let (low, high) = heatRange, high > low else { return 0 }
        let share = Double(microseconds - low) / Double(high - low)
        return min(Self.heat.count - 1, Int(share * Double(Self.heat.count)))
    }

    // MARK: - Balloons

    /// One dashed cluster per container with a balloon, around the shown nodes of
    /// depth 0 to its depth. Balloons of one tree are nested by depth, so the
    /// clusters are opened deepest first and each holds the shallower ones.
    private func balloonClusters() -> [String] {
        guard heatMap == nil else { return [] }
        let balloons = map.containers.enumerated()
            .compactMap { position, layout in layout.claims.balloonDepth.map { (position, layout, $0) } }
            .sorted { ($0.2, $1.0) > ($1.2, $0.0) }
        guard !balloons.isEmpty else { return [] }
        var lines: [String] = []
        var indent = "    "
        var placed = Set<String>()
        for (index, (position, layout, depth)) in balloons.enumerated() {
            let colour = Self.colours(position).stroke
            lines.append("\(indent)subgraph \(quoted("cluster_balloon_\(index)")) {")
            indent += "    "
            let covered = depth == 0 ? "depth 0" : "depth 0 to \(depth)"
            lines.append("\(indent)label=\(quoted("\(layout.name) balloon: \(covered)")); labeljust=l;")
            lines.append("\(indent)style=\"dashed,rounded\"; color=\"\(colour)\"; fontcolor=\"\(colour)\"; penwidth=2;")
            let innerDepth = index + 1 < balloons.count ? balloons[index + 1].2 : -1
            let members = map.nodes.filter { $0.depth <= depth && $0.depth > innerDepth && !placed.contains($0.name) }
            if !members.isEmpty {
                lines.append(indent + members.map { quoted($0.name) + ";" }.joined(separator: " "))
            }
            placed.formUnion(members.map(\.name))
        }
        for _ in balloons {
            indent.removeLast(4)
            lines.append("\(indent)}")
        }
        lines.append("")
        return lines
    }

    // MARK: - Edges

    /// The tree's edges; the edges on a fog's paths are thick and in its colour.
    private func edgeStatements() -> [String] {
        var positions: [Int: Int] = [:]
        for (index, node) in map.nodes.enumerated() {
            positions[node.id] = index
        }
        // The nodes on each container's fog paths: the targets and their ancestors.
        let fogPaths: [Set<String>] = map.containers.map { layout in
            var path = Set<String>()
            for target in layout.claims.fogTargets {
                var current = map.nodes.firstIndex { $0.name == target }
                while let index = current, path.insert(map.nodes[index].name).inserted {
                    current = map.nodes[index].parentID.flatMap { positions[$0] }
                }
            }
            return path
        }
        var lines: [String] = []
        for node in map.nodes {
            guard let parentID = node.parentID, let parent = positions[parentID] else { continue }
            let parentName = map.nodes[parent].name
            let colours = fogPaths.enumerated()
                .filter { $0.element.contains(node.name) && $0.element.contains(parentName) }
                .map { Self.colours($0.offset).stroke }
            var statement = "    \(quoted(parentName)) -> \(quoted(node.name))"
            if !colours.isEmpty, heatMap == nil {
                statement += " [color=\"\(colours.joined(separator: ":"))\", penwidth=3]"
            }
            lines.append(statement + ";")
        }
        return lines
    }

    // MARK: - Legend

    private func legend() -> [String] {
        var entries: [(label: String, attributes: String)] = []
        if let heatMap, heatRange != nil {
            entries.append(("\(heatMap.container) runs here (bold border)", "fillcolor=\"#FFFFFF\", penwidth=2.5, color=\"#000000\""))
            // Each band is labelled with the latencies that fall in it, so no two labels overlap.
            var bands = Array(repeating: [Int64](), count: Self.heat.count)
            for latency in heatMap.latencyByNode.values.compactMap({ $0 }) {
                bands[heatBucket(latency)].append(latency)
            }
            for (band, values) in bands.enumerated() {
                guard let from = values.min(), let to = values.max() else { continue }
                let range = from == to
                    ? "\(LatencyModel.formatMilliseconds(from)) ms"
                    : "\(LatencyModel.formatMilliseconds(from)) to \(LatencyModel.formatMilliseconds(to)) ms"
                entries.append(("households' latency \(range)", "fillcolor=\"\(Self.heat[band])\""))
            }
            if heatMap.latencyByNode.values.contains(where: { $0 == nil }) {
                entries.append(("households not served", "fillcolor=\"\(Self.heat.last!)\""))
            }
            entries.append(("no households", "fillcolor=\"\(Self.neutralFill)\""))
        } else {
            for (position, layout) in map.containers.enumerated() {
                let colours = Self.colours(position)
                entries.append(("\(layout.name) (\(layout.customer)): \(describe(layout))", "fillcolor=\"\(colours.fill)\", color=\"\(colours.stroke)\", penwidth=2"))
            }
            if map.containers.contains(where: { !$0.claims.fogTargets.isEmpty }) {
                entries.append(("fog target (double border); thick edges: fog path", "fillcolor=\"#FFFFFF\", peripheries=2"))
            }
        }
        guard !entries.isEmpty else { return [] }
        var lines = ["", "    subgraph \"cluster_legend\" {", "        label=\"Legend\"; labeljust=l; style=\"rounded\"; color=\"#999999\";"]
        for (index, entry) in entries.enumerated() {
            lines.append("        \(quoted("legend_\(index)")) [label=\(quoted(entry.label)), \(entry.attributes)];")
        }
        lines.append("        { rank=same; " + entries.indices.map { quoted("legend_\($0)") + ";" }.joined(separator: " ") + " }")
        if entries.count > 1 {
            // Within one rank of a left-to-right graph, Graphviz stacks a chain bottom
            // up, so the chain runs from the last entry to put the first on top.
            lines.append("        " + entries.indices.reversed().map { quoted("legend_\($0)") }.joined(separator: " -> ") + " [style=invis];")
        }
        lines.append("    }")
        return lines
    }

    /// "balloon to depth 4, fog to N13 and N28, 63 nodes".
    private func describe(_ layout: ContainerLayout) -> String {
        var parts: [String] = []
        if let depth = layout.claims.balloonDepth {
            parts.append("balloon to depth \(depth)")
        }
        if !layout.claims.fogTargets.isEmpty {
            parts.append("fog to " + Format.nodeList(layout.claims.fogTargets))
        }
        if !layout.claims.microNodes.isEmpty {
            parts.append("micro on " + Format.nodeList(layout.claims.microNodes))
        }
        parts.append(Format.count(layout.placements.count, "node"))
        return parts.joined(separator: ", ")
    }

    static func colours(_ position: Int) -> (fill: String, stroke: String) {
        palette[position % palette.count]
    }

    /// A DOT string literal: `text` in double quotes, with quotes and backslashes
    /// escaped and line breaks as `\n`, which centres each line.
    func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result + "\""
    }
}
