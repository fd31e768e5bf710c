import ArgumentParsing
import Foundation
import PraaSDB

/// Commands that create databases and move state files in and out.
enum DatabaseCommands {
    static let group = "Databases and state files"

    static let initialize = Command(
        spec: CommandSpec(
            "init",
            summary: "Create a new database, empty or with a built-in topology.",
            discussion: """
                Creates the database file (readable and writable by its owner only) with the current schema. \
                With --topology, the built-in topology's nodes become revision 1; without it, the database \
                is empty until a state file is imported. An existing database is an error unless --force is given.
                """,
            group: group,
            options: [
                OptionSpec(
                    "--topology", valueName: "name",
                    help: "A built-in topology to load, such as oslo-80 ('praas-db topologies' lists them).",
                    completion: .dynamic("topology")),
                .flag(
                    "--force",
                    help: "Replace an existing database file; its state and history are lost. It waits for other "
                        + "processes' writes to finish, and replaces only an SQLite database or an empty file. "
                        + "Stop other praas-db processes first: one that opened the old file goes on using it."),
            ],
            examples: [
                Example("praas-db init --topology oslo-80", "Create praas.db holding the 80-node Oslo network."),
                Example("praas-db --db lab.db init", "Create an empty lab.db, ready for 'praas-db import'."),
            ]),
        run: { context in
            let topology = try context.arguments.value("--topology").map(BuiltInTopology.named)
            let path = context.databasePath
            let repository = try Repository.create(
                at: path, replacing: context.arguments.flag("--force"), options: context.repositoryOptions)
            guard let topology else {
                context.output.writeLine("Created empty database '\(path)'. Load nodes with 'praas-db import FILE'.")
                return
            }
            try repository.importState(try topology.stateFile(), source: topology.name)
            let status = try repository.status()
            context.output.writeLine(
                "Created '\(path)' with topology \(topology.name): \(status.nodeCount) nodes, depth 0 to "
                    + "\(status.maxDepth), revision \(status.revision).")
        })

    static let importFile = Command(
        spec: CommandSpec(
            "import",
            summary: "Load a state file of the Python prototype into a new database.",
            discussion: """
                Reads the file, checks that it is a consistent tree (one root, parents that exist, no cycle, \
                depths, children and leaf flags that agree, registered containers, used capacity equal to the \
                containers' needs and within capacity), and loads it as revision 1. Values may be strings or \
                numbers. Every problem is listed with its place in the file, and a rejected file changes nothing. \
                The database is created when it does not exist; one that already holds nodes is an error.
                """,
            group: group,
            arguments: [ArgumentSpec("file", help: "The state file to read (JSON).", completion: .file)],
            examples: [
                Example("praas-db --db city.db import state.json", "Create city.db from the prototype's state.json."),
            ]),
        run: { context in
            let file = context.arguments.positional(0)!
            // Checking the file first means a rejected file never creates a database.
            let state = try StateFileDecoder.decode(contentsOfFile: file, progress: context.startProgress())
            let path = context.databasePath
            let existed = FileManager.default.fileExists(atPath: path)
            do {
                let repository = try Repository.openOrCreate(at: path, options: context.repositoryOptions)
                try repository.importState(state, source: (file as NSString).lastPathComponent)
                let status = try repository.status()
                context.finishProgress()
                context.output.writeLine(
                    "Imported '\(file)' into '\(path)': \(Format.count(status.nodeCount, "node")), "
                        + "\(Format.count(status.containerCount, "container")), \(Format.count(status.placementCount, "placement")); "
                        + "revision \(status.revision).")
            } catch {
                if !existed {
                    for suffix in ["", "-wal", "-shm"] {
                        try? FileManager.default.removeItem(atPath: path + suffix)
                    }
                }
                throw error
            }
        })

    static let export = Command(
        spec: CommandSpec(
            "export",
            summary: "Write the current state as a state file the Python prototype can read.",
            discussion: """
                Writes the prototype's format: nodelist in N0, N1, ... order, memory in whole megabytes, CPU \
                as exact decimals (0.6, never 0.6000000000000001), and children, leaf and depth consistent. \
                With --output, the file is replaced only once it is completely written.
                """,
            group: group,
            options: [
                OptionSpec("--output", aliases: ["-o"], valueName: "file", help: "Write to this file instead of standard output.", completion: .file),
                OptionSpec(
                    "--at-revision", valueName: "r", help: "Rebuild the state as it was at this revision, from the history.",
                    validate: Validators.integer(minimum: 0)),
                OptionSpec(
                    "--at", valueName: "time",
                    help: "Rebuild the state as it was at this UTC time (ISO 8601, such as 2026-12-04T15:20:00Z): the newest revision made by then.",
                    validate: validateTimestamp),
            ],
            examples: [
                Example("praas-db export --output state.json", "Write the current state to state.json."),
                Example("praas-db export --at-revision 3 --output r3.json", "Rebuild revision 3 as a state file."),
                Example(
                    "praas-db export | python3 Tests/Prototype/praas_prototype.py -f /dev/stdin -p",
                    "In the repository's root, hand the state to the tests' model of the Python prototype, which "
                        + "prints it as 'PraaS.py -p' does."),
            ]),
        run: { context in
            context.startProgress(writesToStandardOutput: context.arguments.value("--output") == nil)
            let repository = try context.openRepository()
            var revision = context.arguments.integer("--at-revision")
            if let time = context.arguments.value("--at") {
                guard revision == nil else {
                    throw PraaSError.invalidArgument("--at and --at-revision both choose a past state; give one of them")
                }
                revision = try repository.revision(at: Timestamp.parse(time)!)
            }
            let path = context.arguments.value("--output")
            switch (revision, path) {
            case (nil, nil):
                try repository.exportState { context.output.write(bytes: $0) }
            case (let revision?, nil):
                try repository.exportState(atRevision: revision) { context.output.write(bytes: $0) }
            case (nil, let path?):
                try repository.exportState(toFile: path)
                let status = try repository.status()
                context.finishProgress()
                context.output.writeLine(
                    "Exported revision \(status.revision) (\(Format.count(status.nodeCount, "node")), "
                        + "\(Format.count(status.containerCount, "container"))) to '\(path)'.")
            case (let revision?, let path?):
                try repository.exportState(atRevision: revision, toFile: path)
                context.finishProgress()
                context.output.writeLine("Exported revision \(revision), rebuilt from the history, to '\(path)'.")
            }
        })

    static let validateTimestamp: @Sendable (String) -> String? = { text in
        Timestamp.parse(text) == nil ? "expected an ISO 8601 time such as 2026-12-04T15:20:00Z or 2026-12-04" : nil
    }

    static let topologies = Command(
        spec: CommandSpec(
            "topologies",
            summary: "List the built-in topologies.",
            group: group,
            options: FormatOptions.all,
            examples: [Example("praas-db topologies", "Show each built-in topology with its size.")]),
        run: { context in
            var table = Table([("NAME", .left), ("NODES", .right), ("DEPTH", .right), ("LEAVES", .right), ("HOUSEHOLDS", .right)])
            var json = JSONWriter()
            json.beginObject()
            json.key("version")
            json.integer(1)
            json.key("topologies")
            json.beginArray()
            for topology in BuiltInTopology.all {
                let state = try topology.stateFile()
                let (leaves, households, depth) = (state.leafCount, state.householdCount, state.maxDepth)
                table.append([topology.name, String(state.nodes.count), String(depth), String(leaves), String(households)])
                json.beginObject()
                json.key("name")
                json.string(topology.name)
                json.key("nodes")
                json.integer(state.nodes.count)
                json.key("max_depth")
                json.integer(depth)
                json.key("leaves")
                json.integer(leaves)
                json.key("households")
                json.integer(households)
                json.endObject()
            }
            json.endArray()
            json.endObject()
            json.finish()
            switch context.format {
            case .table: context.output.write(table.rendered())
            case .csv: context.output.write(table.csv())
            case .json: context.output.write(bytes: json.bytes)
            }
        })

    static let topology = Command(
        spec: CommandSpec(
            "topology",
            summary: "Write a built-in topology to standard output as a state file.",
            group: group,
            arguments: [ArgumentSpec("name", help: "The topology, such as oslo-80.", completion: .dynamic("topology"))],
            examples: [
                Example("praas-db topology oslo-80 > oslo-80.json", "Save the Oslo network as a state file to edit or import."),
            ]),
        run: { context in
            let topology = try BuiltInTopology.named(context.arguments.positional(0)!)
            context.output.write(topology.stateFileText)
        })

    static let schema = Command(
        spec: CommandSpec(
            "schema",
            summary: "Print the SQL schema: every table, index, view and trigger.",
            discussion: """
                Without --db or $PRAAS_DB, prints the schema a new database gets from this binary's migrations. \
                With one, prints that database's schema after migrating it to this binary's version.
                """,
            group: group,
            examples: [
                Example("praas-db schema > schema.sql", "Save the schema of a new database."),
                Example("praas-db --db city.db schema", "Show the schema of city.db."),
            ]),
        run: { context in
            let explicit = context.arguments.value(GlobalOptions.database.name) != nil || !(context.environment["PRAAS_DB"] ?? "").isEmpty
            if explicit {
                context.output.write(try SchemaDump.text(of: try context.openRepository().database))
            } else {
                context.output.write(try SchemaDump.current())
            }
        })

    static let all = [initialize, importFile, export, topologies, topology, schema]
}
