import ArgumentParsing
import Foundation
import PraaSDB

/// `praas-db tree`: the network as an indented tree with each node's use and
/// containers.
enum TreeCommand {
    static let formatChoices = ["table", "json"]

    static let command = Command(
        spec: CommandSpec(
            "tree",
            summary: "Draw the network as a tree, with each node's memory and CPU use and its containers.",
            discussion: """
                Each line is a node: its place in the tree, a bar and percentage for the memory and the CPU in use, \
                and the containers on it in placement order. With --container, the nodes holding that container are \
                marked with '*' and the model that holds each one: balloon, fog, fog target or micro. Colour is added \
                only when standard output is a terminal and $NO_COLOR is unset; the marks do not depend on it. \
                A node whose children are cut off by --depth ends with how many are not shown.
                """,
            group: InspectCommands.group,
            options: [
                OptionSpec(
                    "--container", aliases: ["-c"], valueName: "name", help: "Mark the nodes holding this container.",
                    isRepeatable: true, completion: .dynamic("container")),
                OptionSpec(
                    "--root", valueName: "node", help: "Start at this node instead of the root.", defaultDescription: "N0",
                    completion: .dynamic("node")),
                OptionSpec(
                    "--depth", aliases: ["-d"], valueName: "d",
                    help: "Show nodes down to this depth, in hops from the root N0 (as 'balloon --depth' counts).",
                    defaultDescription: "every level", validate: Validators.integer(minimum: 0)),
                .flag("--ascii", help: "Draw with ASCII characters only, for terminals without box-drawing glyphs."),
                ColourOption.spec,
                OptionSpec(
                    "--format", valueName: "format", help: "Output format: table (the drawing) or json (the same tree, nested).",
                    defaultDescription: "table", completion: .choices(formatChoices), validate: Validators.oneOf(formatChoices)),
                FormatOptions.json,
            ],
            examples: [
                Example("praas-db tree --depth 2", "The root and the two levels below it."),
                Example("praas-db tree --container Fortnite", "Where Fortnite runs, marked with '*' and its model."),
                Example("praas-db tree --root N13 --container Lillestrom --json", "The subtree below N13 as JSON."),
            ]),
        run: { context in
            let map = try context.openRepository().networkMap(
                containers: context.arguments.values("--container"), root: context.arguments.value("--root"),
                maxDepth: context.arguments.integer("--depth"))
            if context.format == .json {
                context.output.write(bytes: json(map))
            } else {
                let style = TreeStyle(ascii: context.arguments.flag("--ascii"), colour: ColourOption.isEnabled(context))
                context.output.write(text(map, style: style))
            }
        })

    // MARK: - Text

    /// The glyphs and colour of the drawing.
    struct TreeStyle {
        var ascii = false
        var colour = false

        var branch: String { ascii ? "|-- " : "├── " }
        var lastBranch: String { ascii ? "`-- " : "└── " }
        var trunk: String { ascii ? "|   " : "│   " }
        var full: Character { ascii ? "#" : "█" }
        var empty: Character { ascii ? "." : "░" }
    }

    static let barWidth = 8

    /// The tree as text: a header, then one line per node.
    static func text(_ map: NetworkMap, style: TreeStyle) -> String {
        guard !map.nodes.isEmpty else {
            return "The database has no nodes. Load some with 'praas-db init --topology oslo-80' or 'praas-db import FILE'.\n"
        }
        let prefixes = treePrefixes(map, style: style)
        let children = map.childIndices()
        let marking = !map.containers.isEmpty
        let labels = zip(prefixes, map.nodes).map { (marking ? "  " : "") + $0 + $1.name }
        let labelWidth = max(labels.map(\.count).max() ?? 0, 4)

        func pad(_ text: String, _ width: Int) -> String {
            text + String(repeating: " ", count: max(width - text.count, 0))
        }
        var text = pad(marking ? "  NODE" : "NODE", labelWidth) + "  " + pad("MEMORY", barWidth + 6) + "  " + pad("CPU", barWidth + 6) + "  CONTAINERS\n"
        for (index, node) in map.nodes.enumerated() {
            let holdings = map.containers.enumerated().compactMap { position, layout -> (Int, String)? in
                node.placements.first { $0.container == layout.name }.map { (position, role(of: node.name, in: layout, model: $0.model)) }
            }
            var label = pad(labels[index], labelWidth)
            if marking {
                label = (holdings.isEmpty ? " " : "*") + label.dropFirst()
            }
            if style.colour, marking {
                label = holdings.isEmpty
                    ? ANSI.paint(label, ANSI.dim, enabled: true)
                    : ANSI.paint(label, ANSI.bold + ANSI.containerColours[holdings[0].0 % ANSI.containerColours.count], enabled: true)
            }
            var line = label + "  " + bar(used: node.memoryUsedMB, total: node.memoryMB, style: style)
            line += "  " + bar(used: node.millicoresUsed, total: node.millicores, style: style)
            line += "  " + node.placements.map(\.container).joined(separator: " ")
            for (position, role) in holdings {
                let note = "[\(map.containers[position].name): \(role)]"
                line += "  " + ANSI.paint(note, ANSI.containerColours[position % ANSI.containerColours.count], enabled: style.colour)
            }
            let hidden = node.childCount - (children[node.id]?.count ?? 0)
            if hidden > 0 {
                line += hidden == 1 ? "  (1 child not shown)" : "  (\(hidden) children not shown)"
            }
            text += String(line.reversed().drop { $0 == " " }.reversed()) + "\n"
        }
        return text
    }

    /// The role that holds a container on a node: a fog target is named apart from
    /// the nodes on its path.
    static func role(of node: String, in layout: ContainerLayout, model: PlacementModel) -> String {
        model == .fog && layout.claims.fogTargets.contains(node) ? "fog target" : model.rawValue
    }

    /// "███░░░░░  38%": the share in use as a bar of `barWidth` cells, coloured
    /// green, yellow from 70% and red from 90%.
    static func bar(used: Int64, total: Int64, style: TreeStyle) -> String {
        guard total > 0 else {
            return String(repeating: " ", count: barWidth) + "     -"
        }
        let share = Double(used) / Double(total)
        let filled = min(barWidth, Int((share * Double(barWidth)).rounded()))
        let cells = String(repeating: style.full, count: filled) + String(repeating: style.empty, count: barWidth - filled)
        var colour = ANSI.green
        if share >= 0.9 {
            colour = ANSI.red
        } else if share >= 0.7 {
            colour = ANSI.yellow
        }
        let percent = String(format: "%3d%%", Int((share * 100).rounded()))
        return ANSI.paint(cells, colour, enabled: style.colour) + "  " + percent
    }

    /// Returns the branch drawing before each node's name. Because the nodes are in
    /// depth-first order, each prefix extends its parent's, and a node that is its
    /// parent's last shown child gets the closing branch.
    static func treePrefixes(_ map: NetworkMap, style: TreeStyle) -> [String] {
        let children = map.childIndices()
        var prefixes = Array(repeating: "", count: map.nodes.count)
        // The continuation under each node, which its children's prefixes start with.
        var continuation = Array(repeating: "", count: map.nodes.count)
        var positions: [Int: Int] = [:]
        for (index, node) in map.nodes.enumerated() {
            positions[node.id] = index
        }
        for (index, node) in map.nodes.enumerated() {
            guard let parentID = node.parentID, let parent = positions[parentID], let siblings = children[parentID] else { continue }
            let isLast = siblings.last == index
            prefixes[index] = continuation[parent] + (isLast ? style.lastBranch : style.branch)
            continuation[index] = continuation[parent] + (isLast ? "    " : style.trunk)
        }
        return prefixes
    }

    // MARK: - JSON

    /// The tree as nested JSON objects. Written without recursion, so the depth of
    /// the tree does not matter.
    static func json(_ map: NetworkMap) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("version", 1)
        json.field("root", map.nodes.first?.name)
        json.key("max_depth")
        if let depth = map.maxDepth { json.integer(depth) } else { json.null() }
        json.key("containers")
        json.beginArray()
        for layout in map.containers {
            GraphCommand.writeLayout(layout, into: &json)
        }
        json.endArray()

        json.key("tree")
        let children = map.childIndices()
        var open: [Int] = []  // depths of the node objects not yet closed
        for node in map.nodes {
            while let depth = open.last, depth >= node.depth {
                json.endArray()
                json.endObject()
                open.removeLast()
            }
            json.beginObject()
            json.field("name", node.name)
            json.field("depth", node.depth)
            json.field("memory_mb", node.memoryMB)
            json.field("memory_used_mb", node.memoryUsedMB)
            json.field("cpu_millicores", node.millicores)
            json.field("cpu_used_millicores", node.millicoresUsed)
            json.field("households", node.householdCount)
            json.key("containers")
            json.beginArray()
            for placement in node.placements {
                json.beginObject()
                json.field("name", placement.container)
                json.field("model", placement.model.rawValue)
                json.endObject()
            }
            json.endArray()
            json.field("children_not_shown", node.childCount - (children[node.id]?.count ?? 0))
            json.key("children")
            json.beginArray()
            open.append(node.depth)
        }
        if open.isEmpty {
            json.null()
        }
        while !open.isEmpty {
            json.endArray()
            json.endObject()
            open.removeLast()
        }
        json.endObject()
        json.finish()
        return json.bytes
    }
}
