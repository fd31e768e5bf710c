import ArgumentParsing
import Foundation
import PraaSDB

/// Shows changes: as a plan an operator reads, or as JSON a CI job reads.
enum ChangeOutput {
    /// The most placements a plan shows in table form; JSON always has all of them.
    static let tableLimit = 40

    /// Writes the change in the context's format. JSON lists every placement,
    /// streamed from the database.
    static func write(_ change: Change, repository: Repository, context: CommandContext) throws {
        switch context.format {
        case .json:
            try writeJSON(change, repository: repository, output: context.output)
        case .csv:
            try writeCSV(change, repository: repository, output: context.output)
        case .table:
            context.output.write(plan(change))
        }
    }

    /// Writes every placement of the change as CSV, one row per node, with the
    /// node's memory and CPU before and after.
    static func writeCSV(_ change: Change, repository: Repository, output: TextOutput) throws {
        let columns = [
            "change", "node", "depth", "action", "model", "memory_mb", "memory_used_before_mb", "memory_used_after_mb",
            "cpu_millicores", "cpu_used_before_millicores", "cpu_used_after_millicores",
        ]
        output.write(columns.joined(separator: ",") + "\r\n")
        try repository.forEachPlacement(ofChange: change.id) { placement in
            let row: [String] = [
                String(change.id), placement.node, String(placement.depth), placement.action.rawValue, placement.model.rawValue,
                String(placement.memoryMB), String(placement.memoryUsedBeforeMB), String(placement.memoryUsedAfterMB),
                String(placement.millicores), String(placement.millicoresUsedBefore), String(placement.millicoresUsedAfter),
            ]
            output.write(row.map(CSV.field).joined(separator: ",") + "\r\n")
        }
    }

    /// Writes `{"version": 1, "change": {...}}`: the change's fields without its
    /// placements, for the commands that move a change through the workflow.
    static func writeSummaryJSON(_ change: Change, output: TextOutput) {
        var json = JSONWriter()
        json.beginObject()
        json.field("version", 1)
        json.key("change")
        writeFields(change, into: &json)
        json.endObject()
        json.finish()
        output.write(bytes: json.bytes)
    }

    /// The plan as text: the request, its status, each touched node's memory and
    /// CPU before and after, and every reason it was rejected or failed.
    static func plan(_ change: Change, showingNextStep: Bool = true) -> String {
        var text = "Change \(change.id): \(change.request.summary)\n"
        text += "  status       \(change.status.rawValue)\n"
        text += "  planned      at revision \(change.baseRevision) by \(change.author), \(change.plannedAt)\n"
        if let approvedBy = change.approvedBy, let approvedAt = change.approvedAt {
            text += "  approved     by \(approvedBy), \(approvedAt)\n"
        }
        if let revision = change.deployedRevision {
            text += "  deployed     as revision \(revision)" + (change.decidedAt.map { ", \($0)" } ?? "") + "\n"
        } else if change.status == .rejected || change.status == .failed || change.status == .stale, let decidedAt = change.decidedAt {
            text += "  \(change.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) " + (change.decidedBy.map { "by \($0), " } ?? "") + decidedAt + "\n"
        }
        text += "  placements   \(change.addedCount) added, \(change.removedCount) removed"
        text += change.remodeledCount > 0 ? ", \(change.remodeledCount) kept under another model\n" : "\n"

        if !change.placements.isEmpty {
            var table = Table([
                ("NODE", .left), ("DEPTH", .right), ("ACTION", .left), ("MODEL", .left), ("MEMORY MB", .left), ("CPU CORES", .left),
            ])
            for placement in change.placements.prefix(tableLimit) {
                table.append([
                    placement.node, String(placement.depth), placement.action.rawValue, placement.model.rawValue,
                    "\(placement.memoryUsedBeforeMB) -> \(placement.memoryUsedAfterMB) of \(placement.memoryMB)",
                    "\(Quantity.formatCores(placement.millicoresUsedBefore)) -> \(Quantity.formatCores(placement.millicoresUsedAfter)) of \(Quantity.formatCores(placement.millicores))",
                ])
            }
            text += "\n" + table.rendered().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
            let total = change.addedCount + change.removedCount + change.remodeledCount
            if total > tableLimit {
                text += "  ... and \(total - tableLimit) more nodes; 'praas-db change \(change.id) --format json' lists them all\n"
            }
        }

        if let proximity = change.proximity {
            text += "\n  proximity of \(change.request.container) to \(Format.count(proximity.after.households, "household")):\n"
            text += "    before  \(proximityLine(proximity.before))\n"
            text += "    after   \(proximityLine(proximity.after))\n"
        }

        if !change.reasons.isEmpty {
            text += "\n\(reasonHeading(change.status)):\n"
            text += change.reasons.map { "  " + $0 + "\n" }.joined()
        }
        if showingNextStep, let next = nextStep(change) {
            text += "\n\(next)\n"
        }
        return text
    }

    /// "mean 2.1 hops; latency median 13, p95 17, max 21 ms", or "runs nowhere".
    static func proximityLine(_ summary: ProximitySummary) -> String {
        let latency = summary.latencyMicroseconds
        guard let median = latency.median, let p95 = latency.percentile95, let maximum = latency.maximum else {
            return "runs nowhere"
        }
        return "mean \(Quantity.formatThreeDecimals(summary.hops.mean)) hops; latency median \(LatencyModel.formatMilliseconds(median)), "
            + "p95 \(LatencyModel.formatMilliseconds(p95)), max \(LatencyModel.formatMilliseconds(maximum)) ms"
    }

    private static func reasonHeading(_ status: ChangeStatus) -> String {
        switch status {
        case .rejected: "Rejected"
        case .failed: "Failed"
        case .stale: "Stale"
        default: "Reasons"
        }
    }

    private static func nextStep(_ change: Change) -> String? {
        switch change.status {
        case .planned: "Next: approve it with 'praas-db approve \(change.id)', then deploy it with 'praas-db deploy \(change.id)'."
        case .approved: "Next: deploy it with 'praas-db deploy \(change.id)'."
        case .stale: "Plan the change again; the state has moved on since revision \(change.baseRevision)."
        default: nil
        }
    }

    static func writeJSON(_ change: Change, repository: Repository, output: TextOutput) throws {
        var json = JSONWriter()
        json.beginObject()
        json.field("version", 1)
        json.key("change")
        writeFields(change, into: &json)
        json.key("placements")
        json.beginArray()
        try repository.forEachPlacement(ofChange: change.id) { placement in
            json.beginObject()
            json.field("node", placement.node)
            json.field("depth", placement.depth)
            json.field("action", placement.action.rawValue)
            json.field("model", placement.model.rawValue)
            json.field("memory_mb", placement.memoryMB)
            json.field("memory_used_before_mb", placement.memoryUsedBeforeMB)
            json.field("memory_used_after_mb", placement.memoryUsedAfterMB)
            json.field("cpu_millicores", placement.millicores)
            json.field("cpu_used_before_millicores", placement.millicoresUsedBefore)
            json.field("cpu_used_after_millicores", placement.millicoresUsedAfter)
            json.endObject()
            if json.bytes.count > 1 << 20 {
                output.write(bytes: json.drain())
            }
        }
        json.endArray()
        json.endObject()
        json.finish()
        output.write(bytes: json.bytes)
    }

    /// The change's fields without its placements, as one JSON object.
    static func writeFields(_ change: Change, into json: inout JSONWriter) {
        json.beginObject()
        json.field("id", change.id)
        json.field("operation", change.request.operation)
        json.field("container", change.request.container)
        json.key("arguments")
        json.embed(json: change.request.argumentsJSON)
        json.field("summary", change.request.summary)
        json.field("status", change.status.rawValue)
        json.field("author", change.author)
        json.field("planned_at", change.plannedAt)
        json.field("base_revision", change.baseRevision)
        json.field("approved_by", change.approvedBy)
        json.field("approved_at", change.approvedAt)
        json.field("decided_by", change.decidedBy)
        json.field("decided_at", change.decidedAt)
        json.key("deployed_revision")
        if let revision = change.deployedRevision {
            json.integer(revision)
        } else {
            json.null()
        }
        json.field("added", change.addedCount)
        json.field("removed", change.removedCount)
        json.field("remodeled", change.remodeledCount)
        json.stringArray("reasons", change.reasons)
        json.key("proximity")
        if let proximity = change.proximity {
            json.beginObject()
            json.key("before")
            json.embed(json: ProximityCommands.compact(proximity.before))
            json.key("after")
            json.embed(json: ProximityCommands.compact(proximity.after))
            json.endObject()
        } else {
            json.null()
        }
        json.endObject()
    }
}

extension FormatOptions {
    /// `--json` for approve, deploy and reject, which print one change.
    static let changeJSON = OptionSpec.flag("--json", help: "Print the change as JSON, without its placements.")
}
