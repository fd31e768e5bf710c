import ArgumentParsing
import Foundation
import PraaSDB

/// Commands that verify and copy the database.
enum MaintenanceCommands {
    static let group = "Keeping the database safe"

    static let check = Command(
        spec: CommandSpec(
            "check",
            summary: "Verify the database file and every invariant; exit 0 only when all pass.",
            discussion: """
                Runs SQLite's integrity_check and foreign_key_check, compares the schema with the migrations (a \
                dropped history trigger is found here), and checks capacity, the tree's shape, placements against \
                claims, the history against the placements, and every deployed change against the history. \
                Exits with 7 when any check fails. Reads only.
                """,
            group: group,
            options: FormatOptions.all,
            examples: [
                Example("praas-db check", "Verify ./praas.db."),
                Example("praas-db --db praas-$(date +%F).db check --json", "Verify today's backup, with the result as JSON."),
            ]),
        run: { context in
            let results = try context.openRepository().check()
            switch context.format {
            case .table:
                for result in results {
                    context.output.writeLine("\(result.passed ? "ok    " : "FAILED") \(result.name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(result.description)")
                    for problem in result.problems {
                        context.output.writeLine("         \(problem)")
                    }
                }
            case .csv:
                var table = Table([("check", .left), ("passed", .left), ("problem", .left)])
                for result in results {
                    if result.passed {
                        table.append([result.name, "true", ""])
                    }
                    for problem in result.problems {
                        table.append([result.name, "false", problem])
                    }
                }
                context.output.write(table.csv())
            case .json:
                var json = JSONWriter()
                json.beginObject()
                json.field("version", 1)
                json.key("passed")
                json.boolean(results.allSatisfy(\.passed))
                json.key("checks")
                json.beginArray()
                for result in results {
                    json.beginObject()
                    json.field("name", result.name)
                    json.field("description", result.description)
                    json.key("passed")
                    json.boolean(result.passed)
                    json.stringArray("problems", result.problems)
                    json.endObject()
                }
                json.endArray()
                json.endObject()
                json.finish()
                context.output.write(bytes: json.bytes)
            }
            let failed = results.filter { !$0.passed }
            if !failed.isEmpty {
                throw PraaSError(
                    .corruptDatabase,
                    "\(failed.count) of \(results.count) checks failed (\(failed.map(\.name).joined(separator: ", "))); "
                        + "restore a backup or inspect the problems listed above")
            }
        })

    static let backup = Command(
        spec: CommandSpec(
            "backup",
            summary: "Write a consistent copy of the database to a new file, while others keep writing.",
            discussion: """
                Uses SQLite's VACUUM INTO, which copies one consistent snapshot, never a half-written state, and \
                does not block other processes. The copy is readable and writable by its owner only; verify it \
                with 'praas-db --db FILE check'.
                """,
            group: group,
            arguments: [ArgumentSpec("file", help: "The backup file to create; it must not exist.", completion: .file)],
            examples: [Example("praas-db backup praas-$(date +%F).db", "Back up ./praas.db to a dated file beside it.")]),
        run: { context in
            let path = context.arguments.positional(0)!
            let repository = try context.openRepository()
            try repository.backup(to: path)
            context.output.writeLine("Backed up '\(context.databasePath)' at revision \(try repository.revision()) to '\(path)'.")
        })

    static let all = [check, backup]
}
