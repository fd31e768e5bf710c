import ArgumentParsing
import Foundation
import PraaSDB

/// Commands about proximity: how close a container runs to the households.
enum ProximityCommands {
    static let group = "Proximity: how close containers are to households"

    static let proximity = Command(
        spec: CommandSpec(
            "proximity",
            summary: "Show how far the households are from the nearest node holding a container.",
            discussion: """
                Each household is served by the nearest node that holds the container, nearest by hops along the \
                tree's links. Shows the distribution over households of hops and estimated latency (mean, median, \
                95th percentile and maximum, by the nearest-rank method), and with --budget the share of households \
                within it. Nodes without households do not count. 'praas-db latency' shows the latency model.
                """,
            group: group,
            arguments: [ArgumentSpec("container", help: "The container's name.", completion: .dynamic("container"))],
            options: [
                OptionSpec("--budget", valueName: "ms", help: "A latency budget in milliseconds; shows the share of households within it.",
                    validate: validateMilliseconds),
                .flag("--by-node", help: "List each node with households, the holder that serves it, and its distance."),
            ] + FormatOptions.all,
            examples: [
                Example("praas-db proximity Fortnite --budget 20", "How many of Fortnite's players are within 20 ms."),
                Example("praas-db proximity hbo --by-node --format csv", "Each node's distance to hbo, as CSV."),
            ]),
        run: { context in
            let budget = context.arguments.value("--budget").map { try! LatencyModel.parseMilliseconds($0, notation: .plain).get() }
            let report = try context.openRepository().proximity(
                ofContainer: context.arguments.positional(0)!, budgetMicroseconds: budget, byNode: context.arguments.flag("--by-node"))
            switch context.format {
            case .table:
                context.output.write(text(report))
            case .csv:
                context.output.write(csv(report))
            case .json:
                var json = JSONWriter()
                json.beginObject()
                json.field("version", 1)
                json.field("container", report.container)
                json.key("latency_model")
                writeModel(report.latency, into: &json)
                json.key("summary")
                json.embed(json: compact(report.summary))
                if context.arguments.flag("--by-node") {
                    json.key("nodes")
                    json.beginArray()
                    for node in report.nodes {
                        json.beginObject()
                        json.field("node", node.node)
                        json.field("depth", node.depth)
                        json.field("households", node.households)
                        json.field("holder", node.holder)
                        json.key("hops")
                        if let hops = node.hops { json.integer(hops) } else { json.null() }
                        json.key("latency_ms")
                        if let latency = node.latencyMicroseconds { json.raw(LatencyModel.formatMilliseconds(latency)) } else { json.null() }
                        json.endObject()
                    }
                    json.endArray()
                }
                json.endObject()
                json.finish()
                context.output.write(bytes: json.bytes)
            }
        })

    static let validateMilliseconds: @Sendable (String) -> String? = { text in
        switch LatencyModel.parseMilliseconds(text, notation: .plain) {
        case .success: nil
        case .failure(.tooPrecise): "finer than a microsecond; use at most three decimals"
        case .failure(.tooLarge): "the maximum is \(LatencyModel.formatMilliseconds(LatencyModel.maxMicroseconds)) ms"
        case .failure(.negative): "a latency cannot be negative; give a number of milliseconds, such as 20 or 4.5"
        case .failure: "expected a number of milliseconds in digits with at most 3 decimals, such as 20 or 4.5"
        }
    }

    static func compact(_ summary: ProximitySummary) -> String {
        var json = JSONWriter(indent: 0)
        Repository.write(summary, into: &json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    static func text(_ report: ProximityReport) -> String {
        let summary = report.summary
        var text = "Proximity of \(report.container) to \(Format.count(summary.households, "household")) on "
            + "\(Format.count(summary.nodesWithHouseholds, "node")); it runs on \(Format.count(summary.holderCount, "node")).\n"
        text += "Latency model: \(modelDescription(report.latency)).\n"
        guard summary.households > summary.unservedHouseholds else {
            return text + "\(report.container) runs nowhere, so no household is served.\n"
        }

        var statistics = Table([("", .left), ("MEAN", .right), ("MEDIAN", .right), ("P95", .right), ("MAX", .right)])
        statistics.append(row("hops", summary.hops, format: String.init))
        statistics.append(row("latency ms", summary.latencyMicroseconds, format: LatencyModel.formatMilliseconds, scale: 1000))
        text += "\n" + statistics.rendered()

        var histogram = Table([("HOPS", .right), ("HOUSEHOLDS", .right), ("SHARE", .right)])
        for entry in summary.hops.histogram {
            histogram.append([String(entry.value), String(entry.households), percent(entry.households, of: summary.households)])
        }
        text += "\n" + histogram.rendered()

        if let budget = summary.budgetMicroseconds, let within = summary.householdsWithinBudget {
            text += "\nWithin \(LatencyModel.formatMilliseconds(budget)) ms: \(within) of \(summary.households) households "
                + "(\(percent(within, of: summary.households))).\n"
        }
        if !report.nodes.isEmpty {
            var nodes = Table([("NODE", .left), ("DEPTH", .right), ("HOUSEHOLDS", .right), ("SERVED BY", .left), ("HOPS", .right), ("LATENCY MS", .right)])
            for node in report.nodes {
                nodes.append([
                    node.node, String(node.depth), String(node.households), node.holder ?? "-", node.hops.map(String.init) ?? "-",
                    node.latencyMicroseconds.map(LatencyModel.formatMilliseconds) ?? "-",
                ])
            }
            text += "\n" + nodes.rendered()
        }
        return text
    }

    private static func row(_ label: String, _ distribution: Distribution, format: (Int64) -> String, scale: Double = 1) -> [String] {
        [
            label, Quantity.formatThreeDecimals(distribution.mean / scale), distribution.median.map(format) ?? "-",
            distribution.percentile95.map(format) ?? "-", distribution.maximum.map(format) ?? "-",
        ]
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        whole > 0 ? String(format: "%.1f%%", Double(part) * 100 / Double(whole)) : "-"
    }

    private static func csv(_ report: ProximityReport) -> String {
        if !report.nodes.isEmpty {
            var table = Table([("node", .left), ("depth", .left), ("households", .left), ("holder", .left), ("hops", .left), ("latency_ms", .left)])
            for node in report.nodes {
                table.append([
                    node.node, String(node.depth), String(node.households), node.holder ?? "", node.hops.map(String.init) ?? "",
                    node.latencyMicroseconds.map(LatencyModel.formatMilliseconds) ?? "",
                ])
            }
            return table.csv()
        }
        var table = Table([("measure", .left), ("value", .left), ("households", .left)])
        for entry in report.summary.hops.histogram {
            table.append(["hops", String(entry.value), String(entry.households)])
        }
        for entry in report.summary.latencyMicroseconds.histogram {
            table.append(["latency_ms", LatencyModel.formatMilliseconds(entry.value), String(entry.households)])
        }
        return table.csv()
    }

    static func modelDescription(_ model: LatencyModel) -> String {
        var text = "\(LatencyModel.formatMilliseconds(model.accessMicroseconds)) ms access, "
            + "\(LatencyModel.formatMilliseconds(model.defaultLinkMicroseconds)) ms per link"
        for (depth, microseconds) in model.linkMicrosecondsByDepth.sorted(by: { $0.key < $1.key }) {
            text += ", \(LatencyModel.formatMilliseconds(microseconds)) ms for links to depth \(depth)"
        }
        return text
    }

    static func writeModel(_ model: LatencyModel, into json: inout JSONWriter) {
        json.beginObject()
        json.key("access_ms")
        json.raw(LatencyModel.formatMilliseconds(model.accessMicroseconds))
        json.key("link_ms")
        json.raw(LatencyModel.formatMilliseconds(model.defaultLinkMicroseconds))
        json.key("link_ms_by_depth")
        json.beginObject()
        for (depth, microseconds) in model.linkMicrosecondsByDepth.sorted(by: { $0.key < $1.key }) {
            json.key(String(depth))
            json.raw(LatencyModel.formatMilliseconds(microseconds))
        }
        json.endObject()
        json.endObject()
    }

    static let latency = Command(
        spec: CommandSpec(
            "latency",
            summary: "Show or change the latency model that proximity uses.",
            discussion: """
                A household reaches its own node over an access link, then crosses one link per hop; a link's latency \
                depends on the depth of its lower node. The defaults, 5 ms access and 4 ms per link, put a household \
                on a depth-5 node 25 ms from the root and 5 ms from a container on its own node. Without options, \
                shows the model; with any, changes it and records the change in the history.
                """,
            group: group,
            options: [
                OptionSpec("--access", valueName: "ms", help: "Latency from a household to its node, in milliseconds.", validate: validateMilliseconds),
                OptionSpec("--link", valueName: "ms", help: "Latency of each link without its own value, in milliseconds.", validate: validateMilliseconds),
                OptionSpec(
                    "--link-depth", valueName: "depth=ms", help: "Latency of the links to nodes at one depth, such as 1=2.5 for the links below the root.",
                    isRepeatable: true, validate: { text in parseDepthLatency(text) == nil ? "expected DEPTH=MS, such as 1=2.5, with a depth of 1 or more" : nil }),
                .flag("--reset", help: "Go back to the defaults before applying the other options."),
            ] + FormatOptions.all,
            examples: [
                Example("praas-db latency", "Show the latency model."),
                Example("praas-db latency --link-depth 1=2 --link-depth 2=3", "Make the two core levels faster than the default 4 ms."),
            ]),
        run: { context in
            let repository = try context.openRepository()
            let arguments = context.arguments
            let changing = ["--access", "--link"].contains { arguments.value($0) != nil } || !arguments.values("--link-depth").isEmpty
                || arguments.flag("--reset")
            if changing {
                var model = arguments.flag("--reset") ? LatencyModel.defaults : try repository.latencyModel()
                if let access = arguments.value("--access") {
                    model.accessMicroseconds = try LatencyModel.parseMilliseconds(access, notation: .plain).get()
                }
                if let link = arguments.value("--link") {
                    model.defaultLinkMicroseconds = try LatencyModel.parseMilliseconds(link, notation: .plain).get()
                }
                for entry in arguments.values("--link-depth") {
                    let (depth, microseconds) = parseDepthLatency(entry)!
                    model.linkMicrosecondsByDepth[depth] = microseconds
                }
                try repository.setLatencyModel(model)
            }
            let model = try repository.latencyModel()
            switch context.format {
            case .table:
                context.output.writeLine("Latency model: \(modelDescription(model)).")
            case .csv:
                var table = Table([("link", .left), ("ms", .left)])
                table.append(["access", LatencyModel.formatMilliseconds(model.accessMicroseconds)])
                table.append(["default", LatencyModel.formatMilliseconds(model.defaultLinkMicroseconds)])
                for (depth, microseconds) in model.linkMicrosecondsByDepth.sorted(by: { $0.key < $1.key }) {
                    table.append(["depth \(depth)", LatencyModel.formatMilliseconds(microseconds)])
                }
                context.output.write(table.csv())
            case .json:
                var json = JSONWriter()
                json.beginObject()
                json.field("version", 1)
                json.key("latency_model")
                writeModel(model, into: &json)
                json.endObject()
                json.finish()
                context.output.write(bytes: json.bytes)
            }
        })

    static func parseDepthLatency(_ text: String) -> (Int, Int64)? {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let depth = Int(parts[0]), depth >= 1,
            case .success(let microseconds) = LatencyModel.parseMilliseconds(parts[1], notation: .plain)
        else { return nil }
        return (depth, microseconds)
    }

    static let all = [proximity, latency]
}
