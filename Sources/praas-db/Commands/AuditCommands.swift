import ArgumentParsing
import Foundation
import PraaSDB

/// Commands that read the history: what ran where, when, for whom, and who decided it.
enum AuditCommands {
    static let group = "Audit: history and past states"

    static let history = Command(
        spec: CommandSpec(
            "history",
            summary: "List history events: placements, containers and every step of every change.",
            discussion: """
                Events are oldest first, each with its revision, UTC time, actor, change and model. Filters combine: \
                --container hbo --since 2026-12-01 lists hbo's events since December 1st. Times are ISO 8601 in UTC. \
                A --container or --customer that the history never mentions, or a --node that does not exist, is \
                an error (exit 3), which suggests a close name when there is one.
                """,
            group: group,
            options: [
                OptionSpec("--container", valueName: "name", help: "Only events about this container.", completion: .dynamic("container")),
                OptionSpec("--node", valueName: "node", help: "Only placement events on this node.", completion: .dynamic("node")),
                OptionSpec("--customer", valueName: "text", help: "Only events about this customer's containers."),
                OptionSpec("--since", valueName: "time", help: "Only events at or after this time.", validate: DatabaseCommands.validateTimestamp),
                OptionSpec("--until", valueName: "time", help: "Only events before this time.", validate: DatabaseCommands.validateTimestamp),
            ] + FormatOptions.all,
            examples: [
                Example("praas-db history --container hbo", "Everything that happened to hbo."),
                Example("praas-db history --node N13 --since 2026-12-01 --json", "Placement events on N13 since December 1st, as JSON."),
            ]),
        run: { context in
            let arguments = context.arguments
            let filter = HistoryFilter(
                container: arguments.value("--container"), node: arguments.value("--node"), customer: arguments.value("--customer"),
                since: arguments.value("--since").flatMap(Timestamp.parse), until: arguments.value("--until").flatMap(Timestamp.parse))
            let repository = try context.openRepository()
            switch context.format {
            case .table, .csv:
                var table = Table([
                    ("ID", .right), ("REV", .right), ("AT", .left), ("ACTOR", .left), ("EVENT", .left), ("CHANGE", .right),
                    ("CONTAINER", .left), ("NODE", .left), ("MODEL", .left), ("DETAILS", .left),
                ])
                try repository.forEachHistoryEvent(filter) { event in
                    var model = event.model?.rawValue ?? ""
                    if let previous = event.previousModel {
                        model = "\(previous.rawValue) -> \(model)"
                    }
                    table.append([
                        String(event.id), String(event.revision), event.at, event.actor, event.event,
                        event.changeID.map(String.init) ?? "", event.container ?? "", event.node ?? "", model, event.details ?? "",
                    ])
                }
                context.output.write(context.format == .csv ? table.csv() : table.rendered())
            case .json:
                var json = JSONWriter()
                json.beginObject()
                json.field("version", 1)
                json.key("events")
                json.beginArray()
                try repository.forEachHistoryEvent(filter) { event in
                    json.beginObject()
                    json.field("id", event.id)
                    json.field("revision", event.revision)
                    json.field("at", event.at)
                    json.field("actor", event.actor)
                    json.field("event", event.event)
                    json.key("change_id")
                    if let change = event.changeID { json.integer(change) } else { json.null() }
                    json.field("container", event.container)
                    json.field("customer", event.customer)
                    json.field("node", event.node)
                    json.field("model", event.model?.rawValue)
                    json.field("previous_model", event.previousModel?.rawValue)
                    json.key("details")
                    if let details = event.details { json.embed(json: details) } else { json.null() }
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

    static let diff = Command(
        spec: CommandSpec(
            "diff",
            summary: "Show the placements added, removed and remodeled between two revisions.",
            group: group,
            arguments: [
                ArgumentSpec("from", help: "The earlier revision.", validate: Validators.integer(minimum: 0)),
                ArgumentSpec("to", help: "The later revision.", validate: Validators.integer(minimum: 0)),
            ],
            options: FormatOptions.all,
            examples: [
                Example("praas-db diff 1 7", "What the three use cases of the demo placed."),
                Example("praas-db diff 6 7 --json", "One deploy's effect, as JSON."),
            ]),
        run: { context in
            let diff = try context.openRepository().diff(from: Int(context.arguments.positional(0)!)!, to: Int(context.arguments.positional(1)!)!)
            let rows: [(String, RevisionDiff.Entry)] =
                diff.added.map { ("added", $0) } + diff.removed.map { ("removed", $0) } + diff.remodeled.map { ("remodeled", $0) }
            switch context.format {
            case .table, .csv:
                var table = Table([("CHANGE", .left), ("CONTAINER", .left), ("NODE", .left), ("MODEL", .left)])
                for (kind, entry) in rows {
                    let model = entry.previousModel.map { "\($0.rawValue) -> \(entry.model.rawValue)" } ?? entry.model.rawValue
                    table.append([kind, entry.container, entry.node, model])
                }
                if context.format == .csv {
                    context.output.write(table.csv())
                } else {
                    context.output.writeLine(
                        "Revision \(diff.from) -> \(diff.to): \(diff.added.count) added, \(diff.removed.count) removed, \(diff.remodeled.count) remodeled.")
                    if !rows.isEmpty {
                        context.output.write(table.rendered())
                    }
                }
            case .json:
                var json = JSONWriter()
                json.beginObject()
                json.field("version", 1)
                json.field("from", diff.from)
                json.field("to", diff.to)
                for (key, entries) in [("added", diff.added), ("removed", diff.removed), ("remodeled", diff.remodeled)] {
                    json.key(key)
                    json.beginArray()
                    for entry in entries {
                        json.beginObject()
                        json.field("container", entry.container)
                        json.field("node", entry.node)
                        json.field("model", entry.model.rawValue)
                        json.field("previous_model", entry.previousModel?.rawValue)
                        json.endObject()
                    }
                    json.endArray()
                }
                json.endObject()
                json.finish()
                context.output.write(bytes: json.bytes)
            }
        })

    static let all = [history, diff]
}
