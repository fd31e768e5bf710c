import ArgumentParsing
import PraaSDB

/// The praas-db command line: every command, in the order help lists them.
enum Program {
    static let commands: [Command] =
        [DemoCommand.command] + DatabaseCommands.all + [GenerateCommand.command] + InspectCommands.all + [TreeCommand.command, GraphCommand.command] + ChangeCommands.all + WorkflowCommands.all
        + AuditCommands.all + ProximityCommands.all + MaintenanceCommands.all + ShellCommands.all
        + PriceCommands.all
        + [SQLCommand.command]

    static let spec = ProgramSpec(
        name: "praas-db",
        version: PraaSDB.version,
        summary: "The source of truth for where containers run in an ISP's access network.",
        discussion: """
            praas-db keeps an ISP's tree of nodes, the containers customers rent on them, and every placement \
            in an SQLite database, and checks capacity and the tree's shape in the database itself.
            """,
        globalOptions: GlobalOptions.all,
        commands: commands.map(\.spec),
        epilogue: [
            (title: "Environment", body: """
                  PRAAS_DB        The database file when --db is not given.
                  PRAAS_DB_USER   Who runs the command, recorded in changes (else $USER).
                  NO_COLOR        Set to turn colour off.
                """),
            (title: "Exit codes", body: ExitCode.documented),
        ])

    static func command(named name: String) -> Command? {
        commands.first { $0.spec.name == name }
    }
}
