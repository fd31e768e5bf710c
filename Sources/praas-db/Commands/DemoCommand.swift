import ArgumentParsing
import Foundation
import PraaSDB

/// `praas-db demo`: the three Oslo use cases, run through the whole workflow
/// on one new database, narrated step by step.
enum DemoCommand {
    /// The database the demo writes when neither --db nor $PRAAS_DB names one. The
    /// demo owns this name and replaces the file on every run.
    static let defaultPath = "praas-demo.db"

    static let command = Command(
        spec: CommandSpec(
            "demo",
            summary: "Run the HBO, Lillestrom and Fortnite use cases on the built-in Oslo topology.",
            discussion: """
                Creates a database with the oslo-80 topology and runs each use case through plan, approve and \
                deploy, printing every step. Without --db (or $PRAAS_DB) it writes \(defaultPath), replacing it; \
                an existing database given with --db is replaced only with --force.
                """,
            group: "Getting started",
            options: [.flag("--force", help: "Replace the database given with --db if it exists.")],
            examples: [
                Example("praas-db demo", "Run the use cases in \(defaultPath), then look around with 'praas-db --db \(defaultPath) status'."),
            ]),
        run: { context in
            let isDefault = context.arguments.value(GlobalOptions.database.name) == nil && (context.environment["PRAAS_DB"] ?? "").isEmpty
            let path = isDefault ? defaultPath : context.databasePath
            let repository = try Repository.create(
                at: path, replacing: isDefault || context.arguments.flag("--force"), options: context.repositoryOptions)
            let output = context.output

            let topology = try BuiltInTopology.named("oslo-80")
            try repository.importState(try topology.stateFile(), source: topology.name)
            let start = try repository.status()
            output.writeLine("Database \(path): the oslo-80 topology, \(start.nodeCount) nodes of depth 0 to \(start.maxDepth), revision \(start.revision).")

            for (number, useCase) in UseCase.oslo.enumerated() {
                output.writeLine()
                output.writeLine("\(number + 1). \(useCase.title). \(useCase.purpose)")
                for request in useCase.requests {
                    let planned = try repository.plan(request, placementLimit: 0)
                    let count = planned.addedCount == 1 ? "1 placement" : "\(planned.addedCount) placements"
                    output.writeLine("   plan     change \(planned.id): \(request.summary): \(count) to add at revision \(planned.baseRevision)")
                    guard planned.status == .planned else {
                        throw PraaSError(.constraintViolation, "the demo's change \(planned.id) was rejected: \(planned.reasons.joined(separator: "; "))")
                    }
                    let approved = try repository.approve(planned.id)
                    let approver = try approved.approvedBy ?? context.actor()
                    output.writeLine("   approve  change \(approved.id) by \(approver)")
                    let deployed = try repository.deploy(planned.id)
                    output.writeLine("   deploy   change \(deployed.id): revision \(deployed.baseRevision) -> \(deployed.deployedRevision ?? 0)")
                }
                let placements = try repository.placements(ofContainer: useCase.container)
                output.writeLine("   \(useCase.container) runs on \(placements.count) nodes: \(Format.nodeList(placements.map(\.node)))")
            }

            let status = try repository.status()
            output.writeLine()
            output.writeLine(
                "Done: revision \(status.revision), \(status.containerCount) containers on \(status.placementCount) placements, "
                    + Format.usage(used: status.memoryUsedMB, total: status.memoryMB, unit: "MB of memory", format: String.init) + ".")
            output.writeLine("Look around: praas-db --db \(path) changes, praas-db --db \(path) nodes, praas-db --db \(path) export")
        })
}
