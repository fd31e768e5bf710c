import ArgumentParsing
import Foundation
import PraaSDB

/// Commands that show the state without changing it.
enum InspectCommands {
    static let group = "Looking at the network"

    static let status = Command(
        spec: CommandSpec(
            "status",
            summary: "Show the revision, node and container counts, and total and used capacity.",
            group: group,
            options: FormatOptions.all,
            examples: [
                Example("praas-db status", "Summarize the database in ./praas.db."),
                Example("praas-db --db city.db status --json", "The same for city.db, as JSON for scripts."),
            ]),
        run: { context in
            let status = try context.openRepository().status()
            switch context.format {
            case .table:
                var lines: [(String, String)] = [
                    ("database", "\(status.path) (schema version \(status.schemaVersion))"),
                    ("revision", String(status.revision)),
                    ("topology", status.topology ?? "none"),
                    ("nodes", "\(status.nodeCount)" + (status.nodeCount > 0 ? " (depth 0 to \(status.maxDepth))" : "")),
                    ("containers", "\(status.containerCount) (\(status.placementCount) placements)"),
                ]
                lines.append(("memory", Format.usage(used: status.memoryUsedMB, total: status.memoryMB, unit: "MB", format: String.init)))
                lines.append(("cpu", Format.usage(used: status.millicoresUsed, total: status.millicores, unit: "cores", format: Quantity.formatCores)))
                for (label, value) in lines {
                    context.output.writeLine(label.padding(toLength: 12, withPad: " ", startingAt: 0) + value)
                }
            case .csv:
                var table = Table([("field", .left), ("value", .left)])
                for (field, value) in statusFields(status) {
                    table.append([field, value])
                }
                context.output.write(table.csv())
            case .json:
                var json = JSONWriter()
                json.beginObject()
                json.field("version", 1)
                json.field("database", status.path)
                json.field("schema_version", status.schemaVersion)
                json.field("revision", status.revision)
                json.field("topology", status.topology)
                json.field("nodes", status.nodeCount)
                json.field("max_depth", status.maxDepth)
                json.field("containers", status.containerCount)
                json.field("placements", status.placementCount)
                json.field("memory_mb", status.memoryMB)
                json.field("memory_used_mb", status.memoryUsedMB)
                json.field("cpu_millicores", status.millicores)
                json.field("cpu_used_millicores", status.millicoresUsed)
                json.endObject()
                json.finish()
                context.output.write(bytes: json.bytes)
            }
        })

    private static func statusFields(_ status: Status) -> [(String, String)] {
        [
            ("database", status.path), ("schema_version", String(status.schemaVersion)),
            ("revision", String(status.revision)), ("topology", status.topology ?? ""),
            ("nodes", String(status.nodeCount)), ("max_depth", String(status.maxDepth)),
            ("containers", String(status.containerCount)), ("placements", String(status.placementCount)),
            ("memory_mb", String(status.memoryMB)), ("memory_used_mb", String(status.memoryUsedMB)),
            ("cpu_millicores", String(status.millicores)), ("cpu_used_millicores", String(status.millicoresUsed)),
        ]
    }

    static let nodes = Command(
        spec: CommandSpec(
            "nodes",
            summary: "List nodes with their capacity, use and containers.",
            discussion: "Memory is in megabytes and CPU in cores. Nodes are listed in id order, which is the N0, N1, ... order of state files.",
            group: group,
            options: [
                OptionSpec(
                    "--depth", valueName: "d", help: "Only nodes at this depth, in hops from the root (0 is N0).",
                    validate: Validators.integer(minimum: 0)),
            ] + FormatOptions.all,
            examples: [
                Example("praas-db nodes --depth 1", "The nodes one hop below the root."),
                Example("praas-db nodes --format csv > nodes.csv", "Every node as CSV for a spreadsheet."),
            ]),
        run: { context in
            let repository = try context.openRepository()
            let depth = context.arguments.integer("--depth")
            switch context.format {
            case .table, .csv:
                var table = Table([
                    ("NAME", .left), ("PARENT", .left), ("DEPTH", .right), ("MEMORY MB", .right), ("USED MB", .right),
                    ("CPU", .right), ("USED CPU", .right), ("HOUSEHOLDS", .right), ("CONTAINERS", .left),
                ])
                let separator = context.format == .csv ? " " : ","
                try repository.forEachNode(depth: depth) { node in
                    table.append([
                        node.name, node.parent ?? (context.format == .csv ? "" : "-"), String(node.depth), String(node.memoryMB), String(node.memoryUsedMB),
                        Quantity.formatCores(node.millicores), Quantity.formatCores(node.millicoresUsed),
                        String(node.householdCount), node.containers.joined(separator: separator),
                    ])
                }
                context.output.write(context.format == .csv ? table.csv() : table.rendered())
            case .json:
                var json = JSONWriter()
                json.beginObject()
                json.field("version", 1)
                json.key("nodes")
                json.beginArray()
                try repository.forEachNode(depth: depth) { node in
                    json.beginObject()
                    json.field("name", node.name)
                    json.field("parent", node.parent)
                    json.field("depth", node.depth)
                    json.field("memory_mb", node.memoryMB)
                    json.field("memory_used_mb", node.memoryUsedMB)
                    json.field("cpu_millicores", node.millicores)
                    json.field("cpu_used_millicores", node.millicoresUsed)
                    json.field("households", node.householdCount)
                    json.stringArray("containers", node.containers)
                    json.endObject()
                    if json.bytes.count > 1 << 20 {
                        context.output.write(bytes: json.drain())
                    }
                }
                json.endArray()
                json.endObject()
                json.finish()
                context.output.write(bytes: json.bytes)
            }
        })

    static let containers = Command(
        spec: CommandSpec(
            "containers",
            summary: "List registered containers with their needs, customer and node count.",
            group: group,
            options: FormatOptions.all,
            examples: [
                Example("praas-db containers", "Every container, in registration order."),
                Example("praas-db containers --json", "The same as JSON."),
            ]),
        run: { context in
            let containers = try context.openRepository().containers()
            switch context.format {
            case .table, .csv:
                var table = Table([("NAME", .left), ("MEMORY MB", .right), ("CPU", .right), ("CUSTOMER", .left), ("NODES", .right)])
                for container in containers {
                    table.append([
                        container.name, String(container.memoryMB), Quantity.formatCores(container.millicores),
                        container.customer, String(container.nodeCount),
                    ])
                }
                context.output.write(context.format == .csv ? table.csv() : table.rendered())
            case .json:
                var json = JSONWriter()
                json.beginObject()
                json.field("version", 1)
                json.key("containers")
                json.beginArray()
                for container in containers {
                    json.beginObject()
                    json.field("name", container.name)
                    json.field("memory_mb", container.memoryMB)
                    json.field("cpu_millicores", container.millicores)
                    json.field("customer", container.customer)
                    json.field("nodes", container.nodeCount)
                    json.endObject()
                }
                json.endArray()
                json.endObject()
                json.finish()
                context.output.write(bytes: json.bytes)
            }
        })

    static let all = [status, nodes, containers]
}

/// Number formatting shared by the commands.
enum Format {
    /// "1 container", "3 containers".
    static func count(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// Node names with runs of consecutive `N<k>` names shortened to ranges:
    /// `N0, N2, N13, N28-N31`.
    static func nodeList(_ names: [String]) -> String {
        var parts: [String] = []
        var runStart: (name: String, number: Int)?
        var previous: (name: String, number: Int)?
        func closeRun() {
            guard let start = runStart, let end = previous else { return }
            parts.append(start.number == end.number ? start.name : end.number == start.number + 1 ? "\(start.name), \(end.name)" : "\(start.name)-\(end.name)")
            runStart = nil
        }
        for name in names {
            guard name.first == "N", let number = Int(name.dropFirst()), "N\(number)" == name else {
                closeRun()
                previous = nil
                parts.append(name)
                continue
            }
            if let last = previous, runStart != nil, number == last.number + 1 {
                previous = (name, number)
                continue
            }
            closeRun()
            runStart = (name, number)
            previous = (name, number)
        }
        closeRun()
        return parts.joined(separator: ", ")
    }

    /// "768 / 8192 MB used (9.4%)".
    static func usage(used: Int64, total: Int64, unit: String, format: (Int64) -> String) -> String {
        let percent = total > 0 ? String(format: " (%.1f%%)", Double(used) * 100 / Double(total)) : ""
        return "\(format(used)) / \(format(total)) \(unit) used\(percent)"
    }
}

extension JSONWriter {
    mutating func field(_ key: String, _ value: Int) {
        self.key(key)
        integer(value)
    }

    mutating func field(_ key: String, _ value: Int64) {
        self.key(key)
        raw(String(value))
    }

    mutating func field(_ key: String, _ value: String) {
        self.key(key)
        string(value)
    }

    mutating func field(_ key: String, _ value: String?) {
        self.key(key)
        if let value {
            string(value)
        } else {
            null()
        }
    }
}
