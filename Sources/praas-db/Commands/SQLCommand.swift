import ArgumentParsing
import PraaSDB

/// `praas-db sql`: runs one read-only SQL query and prints its rows. The rules
/// of what may run live in `ReadOnlyDatabase`, so this file only reads the
/// command line and picks the output format.
enum SQLCommand {
    static let parameter = OptionSpec(
        "--param", valueName: "name", secondValueName: "value",
        help: "Bind <value> to the query's parameter <name>: 'node' for :node, @node or $node, or a number n for ?n. "
            + "A plain decimal integer such as 42 or -7 binds as INTEGER, anything else as TEXT.",
        isRepeatable: true)

    static let command = Command(
        spec: CommandSpec(
            "sql",
            summary: "Run one read-only SQL query and print its rows.",
            discussion: """
                Runs one SQL statement on a connection opened read-only, with PRAGMA query_only on, and rejects \
                a statement before it runs unless it only reads. SELECT (also with WITH and WITH RECURSIVE), \
                VALUES, EXPLAIN and EXPLAIN QUERY PLAN of a query, and the PRAGMAs \(ReadOnlyDatabase.schemaPragmas.joined(separator: ", ")) run, \
                as do \(ReadOnlyDatabase.valuePragmas.joined(separator: " and ")) without a value. Everything \
                else is rejected: INSERT, UPDATE, DELETE, REPLACE, CREATE, DROP and ALTER (TEMP ones too), \
                ATTACH, DETACH, VACUUM, REINDEX, ANALYZE, BEGIN, load_extension(), fts3_tokenizer(), any other \
                PRAGMA, and a second statement after the first. The allowed PRAGMAs also run as table-valued \
                functions, such as SELECT name FROM pragma_table_info('nodes'), so their rows can be filtered and \
                joined. The database file is never written.

                Values are bound, never pasted into the SQL. '--param node N13' binds :node, @node and $node; \
                '--param :node N13' binds only :node; '--param 1 N13' binds ?1, or the first ? when the query \
                numbers none. A plain decimal integer binds as INTEGER and any other value as TEXT; write \
                CAST(:name AS TEXT) in the query to compare a number with text. Every parameter of the query \
                needs a value, and every --param must name one of them.

                Table output has the column names as its header and shows values as the sqlite3 shell does: \
                NULL as an empty cell, reals with 15 significant digits (0.3, 1.0e+20), and blobs, unlike the \
                shell, in hexadecimal. It holds all rows in memory to align the columns; csv and json print each \
                row as it is read. CSV follows RFC 4180 with a header row and CRLF line ends, so NULL and empty \
                text look alike. JSON is {"version": 1, "columns": [...], "rows": [[...], ...]}, with integers \
                and reals as numbers, text as strings, NULL as null and blobs as hexadecimal strings.

                Exit status: 64 when the query is empty, invalid (SQLite's message is shown) or not read-only, \
                or when the parameters do not match it; 1 when it fails while running, after any rows already \
                printed; 66 when the database does not exist.
                """,
            group: InspectCommands.group,
            arguments: [ArgumentSpec("query", help: "One SQL statement that only reads, such as a SELECT. Quote it for the shell.")],
            options: [parameter] + FormatOptions.all,
            examples: [
                Example(
                    "praas-db sql \"SELECT nodes.name FROM placements JOIN nodes ON nodes.id = placements.node_id "
                        + "JOIN containers ON containers.id = placements.container_id WHERE containers.name = 'hbo' "
                        + "ORDER BY nodes.id\"",
                    "Which nodes run hbo."),
                Example(
                    "praas-db sql \"SELECT name, memory_mb FROM nodes WHERE depth = :depth AND memory_mb >= :memory\" "
                        + "--param depth 1 --param memory 4096",
                    "The nodes at depth 1 with at least 4096 MB of memory; both values bind as integers."),
                Example(
                    "praas-db sql \"PRAGMA table_info(placements)\" --format csv",
                    "The columns of the placements table, as CSV."),
            ]),
        run: { context in
            let sql = context.arguments.positional(0)!
            let parameters = context.arguments.pairs(parameter.name).map { QueryParameter(name: $0.first, text: $0.second) }
            let database = try ReadOnlyDatabase.open(at: context.databasePath, options: context.repositoryOptions)
            let query = try database.prepare(sql, parameters: parameters)
            switch context.format {
            case .table: try QueryOutput.writeTable(query, to: context.output)
            case .csv: try QueryOutput.writeCSV(query, to: context.output)
            case .json: try QueryOutput.writeJSON(query, to: context.output)
            }
        })
}
