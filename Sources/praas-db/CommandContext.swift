import ArgumentParsing
import Foundation
import PraaSDB

/// A command: its spec for parsing and help, and the code that runs it.
struct Command: Sendable {
    let spec: CommandSpec
    let run: @Sendable (CommandContext) throws -> Void
}

/// What a running command needs: its arguments, the output streams, the
/// environment, and the database.
final class CommandContext {
    let arguments: ParsedArguments
    let output: TextOutput
    let errors: TextOutput
    let environment: [String: String]

    init(arguments: ParsedArguments, output: TextOutput, errors: TextOutput, environment: [String: String]) {
        self.arguments = arguments
        self.output = output
        self.errors = errors
        self.environment = environment
    }

    /// `--db`, then `$PRAAS_DB`, then `praas.db` in the working directory.
    var databasePath: String {
        if let path = arguments.value(GlobalOptions.database.name) {
            return path
        }
        if let path = environment["PRAAS_DB"], !path.isEmpty {
            return path
        }
        return "praas.db"
    }

    /// Returns the actor name that `ActorName.resolve` finds for this command.
    ///
    /// Every command that opens the database resolves it, even one that records
    /// nothing, so an invalid `$PRAAS_DB_USER` or `$USER` is reported at once
    /// rather than at the first change.
    func actor() throws -> String {
        let takesBy = Program.spec.command(named: arguments.command)?.options.contains { $0.name == "--by" } ?? false
        return try ActorName.resolve(option: arguments.value("--by"), environment: environment, commandTakesBy: takesBy)
    }

    var repositoryOptions: RepositoryOptions {
        get throws {
            try makeRepositoryOptions()
        }
    }

    private func makeRepositoryOptions() throws -> RepositoryOptions {
        var options = RepositoryOptions(actor: try actor())
        options.progress = progressHandler
        if let text = arguments.value(GlobalOptions.busyTimeout.name),
            case .success(let milliseconds) = Quantity.scaled(text, decimals: 3, maximum: 86_400_000, notation: .plain)
        {
            options.busyTimeoutMilliseconds = Int(milliseconds)
        }
        if arguments.flag(GlobalOptions.verbose.name) {
            let errors = self.errors
            options.trace = { sql, nanoseconds in
                let milliseconds = Quantity.formatThreeDecimals(Double(nanoseconds) / 1_000_000)
                let oneLine = sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
                errors.writeLine("[\(milliseconds) ms] " + oneLine)
                errors.flush()
            }
        }
        return options
    }

    /// The bar that `startProgress` turned on; nil while progress is not shown.
    private(set) var progressBar: ProgressBar?

    /// Turns on the progress bar on standard error for this command, when it makes
    /// sense, and returns the handler that draws it; returns nil otherwise.
    ///
    /// The bar is shown only when standard error is a terminal, `--verbose` is
    /// off (its SQL lines would break into the bar), `$TERM` is not `dumb`, and
    /// `writesToStandardOutput` is false or standard output is not a terminal,
    /// because the bar would mix with the data on the screen. Commands call it
    /// before `repositoryOptions`, which passes the handler on.
    @discardableResult
    func startProgress(writesToStandardOutput: Bool = false) -> ProgressHandler? {
        if progressBar == nil {
            guard errors.isTerminal, !arguments.flag(GlobalOptions.verbose.name), environment["TERM"] != "dumb",
                !(writesToStandardOutput && output.isTerminal)
            else { return nil }
            progressBar = ProgressBar(output: errors, width: ProgressBar.terminalWidth(of: STDERR_FILENO) ?? 80)
        }
        return progressHandler
    }

    /// Erases the progress bar, if one is shown, before the command prints a result
    /// or an error.
    func finishProgress() {
        progressBar?.finish()
    }

    private var progressHandler: ProgressHandler? {
        guard let bar = progressBar else { return nil }
        return { bar.update($0) }
    }

    /// Opens the existing database at `databasePath`.
    func openRepository() throws -> Repository {
        try Repository.open(at: databasePath, options: repositoryOptions)
    }

    /// Rejects `--json` together with a `--format` other than json, because one
    /// of the two would be ignored.
    ///
    /// - Throws: `.invalidArgument` naming both options.
    func checkOutputOptions() throws {
        guard arguments.flag(FormatOptions.json.name), let format = arguments.value(FormatOptions.format.name),
            format != OutputFormat.json.rawValue
        else { return }
        throw PraaSError.invalidArgument(
            "'--json' and '--format \(format)' cannot be combined, because --json means --format json; give one of them")
    }

    /// The output format chosen with `--format` or `--json`.
    var format: OutputFormat {
        if arguments.flag(FormatOptions.json.name) {
            return .json
        }
        return arguments.value(FormatOptions.format.name).flatMap(OutputFormat.init(rawValue:)) ?? .table
    }
}

/// How a command that shows data prints it.
enum OutputFormat: String, CaseIterable {
    case table, json, csv
}

/// The options every command accepts.
enum GlobalOptions {
    static let database = OptionSpec(
        "--db", valueName: "path",
        help: "The database file. Falls back to $PRAAS_DB, then to praas.db in the working directory.",
        completion: .file)
    static let busyTimeout = OptionSpec(
        "--busy-timeout", valueName: "seconds",
        help: "How long to wait for another process's lock on the database before giving up, in seconds from 0 to 86400 "
            + "(one day), such as 30 or 0.5.",
        defaultDescription: "30",
        validate: { text in
            switch Quantity.scaled(text, decimals: 3, maximum: 86_400_000, notation: .plain) {
            case .success: nil
            case .failure(.tooPrecise): "finer than a millisecond; use at most three decimals, such as 0.5"
            case .failure: "expected a number of seconds from 0 to 86400"
            }
        })
    static let verbose = OptionSpec.flag(
        "--verbose", help: "Print each SQL statement and its run time, in milliseconds to the microsecond, to standard error.")

    static let all = [database, busyTimeout, verbose]
}

/// `--format` and its shorthand `--json`, for commands that show data.
enum FormatOptions {
    static let format = OptionSpec(
        "--format", valueName: "format", help: "Output format: table, json or csv.", defaultDescription: "table",
        completion: .choices(OutputFormat.allCases.map(\.rawValue)),
        validate: Validators.oneOf(OutputFormat.allCases.map(\.rawValue)))
    static let json = OptionSpec.flag("--json", help: "Output JSON: the same as --format json, and an error with any other --format.")

    static let all = [format, json]
}
