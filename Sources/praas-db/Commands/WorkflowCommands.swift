import ArgumentParsing
import Foundation
import PraaSDB

/// The approve and deploy steps, and the commands that look at changes.
enum WorkflowCommands {
    static let group = "The workflow: approve, deploy, inspect"

    static let changeArgument = ArgumentSpec(
        "id", help: "The change's number, as 'praas-db changes' lists it.", completion: .dynamic("change"),
        validate: Validators.integer(minimum: 1))

    static let approve = Command(
        spec: CommandSpec(
            "approve",
            summary: "Approve a planned change after checking it again against the current state.",
            discussion: """
                A change planned at an older revision than the current one cannot be approved: it is marked stale \
                and has to be planned again. With 'praas-db config require-distinct-approver true', the approver \
                must differ from the author.
                """,
            group: group,
            arguments: [changeArgument],
            options: [
                ActorName.option(help: "Who approves the change."),
                FormatOptions.changeJSON,
            ],
            examples: [Example("praas-db approve 7 --by bob", "Approve change 7 as bob.")]),
        run: { context in
            let change = try context.openRepository().approve(Int(context.arguments.positional(0)!)!)
            if context.format == .json {
                return ChangeOutput.writeSummaryJSON(change, output: context.output)
            }
            let approver = try change.approvedBy ?? context.actor()
            context.output.writeLine("Approved change \(change.id) (\(change.request.summary)) by \(approver).")
            context.output.writeLine("Next: deploy it with 'praas-db deploy \(change.id)'.")
        })

    static let deploy = Command(
        spec: CommandSpec(
            "deploy",
            summary: "Deploy an approved change: apply its placements in one transaction and bump the revision.",
            discussion: """
                Checks that the state is still at the revision the change was planned against, plans it again and \
                compares the result with the approved placements, then applies them all or none. A stale or failed \
                deploy changes nothing and is recorded on the change. A change deploys once.
                """,
            group: group,
            arguments: [changeArgument],
            options: [
                ActorName.option(help: "Who deploys the change."),
                FormatOptions.changeJSON,
            ],
            examples: [Example("praas-db deploy 7", "Deploy change 7.")]),
        run: { context in
            let change = try context.openRepository().deploy(Int(context.arguments.positional(0)!)!)
            if context.format == .json {
                return ChangeOutput.writeSummaryJSON(change, output: context.output)
            }
            context.output.writeLine(
                "Deployed change \(change.id) (\(change.request.summary)): \(Format.count(change.addedCount, "placement")) added, "
                    + "\(change.removedCount) removed; revision \(change.baseRevision) -> \(change.deployedRevision ?? 0).")
        })

    static let reject = Command(
        spec: CommandSpec(
            "reject",
            summary: "Reject a planned or approved change so it can never deploy.",
            group: group,
            arguments: [changeArgument],
            options: [
                OptionSpec(
                    "--reason", valueName: "text",
                    help: "Why, recorded with the change: printable text of up to 1000 characters."),
                ActorName.option(help: "Who rejects the change."),
                FormatOptions.changeJSON,
            ],
            examples: [Example("praas-db reject 7 --reason 'wrong depth'", "Reject change 7 and say why.")]),
        run: { context in
            let change = try context.openRepository().reject(Int(context.arguments.positional(0)!)!, reason: context.arguments.value("--reason"))
            if context.format == .json {
                return ChangeOutput.writeSummaryJSON(change, output: context.output)
            }
            context.output.writeLine("Rejected change \(change.id) (\(change.request.summary)).")
        })

    static let changes = Command(
        spec: CommandSpec(
            "changes",
            summary: "List changes, newest first.",
            group: group,
            options: [
                OptionSpec(
                    "--status", valueName: "status", help: "Only changes with this status: planned, approved, deployed, rejected, failed or stale.",
                    completion: .choices(ChangeStatus.allCases.map(\.rawValue)),
                    validate: Validators.oneOf(ChangeStatus.allCases.map(\.rawValue))),
                OptionSpec("--limit", valueName: "n", help: "Show at most this many changes.", validate: Validators.integer(minimum: 1)),
            ] + FormatOptions.all,
            examples: [
                Example("praas-db changes --status planned", "Changes waiting for approval."),
                Example("praas-db changes --json --limit 5", "The last five changes as JSON."),
            ]),
        run: { context in
            let status = context.arguments.value("--status").flatMap(ChangeStatus.init(rawValue:))
            let changes = try context.openRepository().changes(status: status, limit: context.arguments.integer("--limit"))
            switch context.format {
            case .table, .csv:
                var table = Table([
                    ("ID", .right), ("STATUS", .left), ("CHANGE", .left), ("AUTHOR", .left), ("BASE", .right),
                    ("DEPLOYED", .right), ("ADDED", .right), ("REMOVED", .right), ("PLANNED AT", .left),
                ])
                for change in changes {
                    table.append([
                        String(change.id), change.status.rawValue, change.request.summary, change.author, String(change.baseRevision),
                        change.deployedRevision.map(String.init) ?? "-", String(change.addedCount), String(change.removedCount), change.plannedAt,
                    ])
                }
                context.output.write(context.format == .csv ? table.csv() : table.rendered())
            case .json:
                var json = JSONWriter()
                json.beginObject()
                json.field("version", 1)
                json.key("changes")
                json.beginArray()
                for change in changes {
                    ChangeOutput.writeFields(change, into: &json)
                }
                json.endArray()
                json.endObject()
                json.finish()
                context.output.write(bytes: json.bytes)
            }
        })

    static let change = Command(
        spec: CommandSpec(
            "change",
            summary: "Show one change: its request, status, placements and reasons.",
            group: group,
            arguments: [changeArgument],
            options: FormatOptions.all,
            examples: [
                Example("praas-db change 4", "The plan of change 4, with each node's capacity before and after."),
                Example("praas-db change 4 --json", "The same with every placement, as JSON."),
            ]),
        run: { context in
            let repository = try context.openRepository()
            let limit = context.format == .json ? 0 : ChangeOutput.tableLimit
            let change = try repository.change(Int(context.arguments.positional(0)!)!, placementLimit: limit)
            try ChangeOutput.write(change, repository: repository, context: context)
        })

    static let settingKeys = ["require-distinct-approver", "plan-proximity-node-limit"]

    static let config = Command(
        spec: CommandSpec(
            "config",
            summary: "Show or change the database's settings.",
            discussion: """
                Without arguments, lists the settings. require-distinct-approver (true or false, default false): a \
                change must be approved by someone other than its author. plan-proximity-node-limit (a number of \
                nodes, default 100000): plans of networks up to this size show the container's proximity before and \
                after; larger networks leave it out, because it reads every node. Changes are recorded in the history.
                """,
            group: group,
            arguments: [
                ArgumentSpec("key", help: "The setting: require-distinct-approver or plan-proximity-node-limit.", isOptional: true,
                    completion: .choices(settingKeys), validate: Validators.oneOf(settingKeys)),
                ArgumentSpec("value", help: "The new value.", isOptional: true),
            ],
            options: FormatOptions.all,
            examples: [
                Example("praas-db config require-distinct-approver true", "Require a second person to approve every change."),
                Example("praas-db config", "Show the settings."),
                Example("praas-db config --json", "The settings as JSON, with true, false and numbers as JSON values."),
            ]),
        run: { context in
            let repository = try context.openRepository()
            let key = context.arguments.positional(0)
            if let value = context.arguments.positional(1) {
                switch key {
                case "require-distinct-approver":
                    guard value == "true" || value == "false" else {
                        throw PraaSError.invalidArgument("require-distinct-approver is true or false, not '\(value)'")
                    }
                    try repository.setRequiresDistinctApprover(value == "true")
                default:
                    guard let limit = Int(value), limit >= 0 else {
                        throw PraaSError.invalidArgument("plan-proximity-node-limit is a number of nodes, 0 or more, not '\(value)'")
                    }
                    try repository.setPlanProximityNodeLimit(limit)
                }
            }
            let values = [
                ("require-distinct-approver", String(try repository.requiresDistinctApprover())),
                ("plan-proximity-node-limit", String(try repository.planProximityNodeLimit())),
            ]
            let shown = key.map { key in values.filter { $0.0 == key } } ?? values
            switch context.format {
            case .json:
                var json = JSONWriter()
                json.beginObject()
                json.field("version", 1)
                json.key("settings")
                json.beginObject()
                // JSON names are snake_case, while the command line and CSV keep the settings' own names.
                for (name, value) in shown {
                    json.key(name.replacingOccurrences(of: "-", with: "_"))
                    json.raw(value)
                }
                json.endObject()
                json.endObject()
                json.finish()
                return context.output.write(bytes: json.bytes)
            case .csv:
                var table = Table([("setting", .left), ("value", .left)])
                for (name, value) in shown {
                    table.append([name, value])
                }
                return context.output.write(table.csv())
            case .table:
                break
            }
            if let key, context.arguments.positional(1) == nil {
                context.output.writeLine(values.first { $0.0 == key }!.1)
                return
            }
            for (name, value) in values {
                context.output.writeLine(name.padding(toLength: 27, withPad: " ", startingAt: 0) + value)
            }
        })

    static let all = [approve, deploy, reject, changes, change, config]
}
