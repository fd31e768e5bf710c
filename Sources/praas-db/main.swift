import ArgumentParsing
import Foundation
import PraaSDB

/// Parses the command line, runs the command, and turns every error into a
/// message on standard error and a documented exit code.
func runProgram(_ arguments: [String], environment: [String: String]) -> ExitCode {
    let output = TextOutput(descriptor: STDOUT_FILENO)
    let errors = TextOutput(descriptor: STDERR_FILENO)
    defer {
        output.flush()
        errors.flush()
    }
    let parser = Parser(program: Program.spec)
    let help = HelpFormatter(program: Program.spec)

    let invocation: Invocation
    do {
        invocation = try parser.parse(arguments)
    } catch let error as UsageError {
        errors.write(PrintableText.escapingControlCharacters(help.usageErrorReport(error)))
        return .usage
    } catch {
        errors.writeLine(PrintableText.escapingControlCharacters("Error: \(error)"))
        return .failure
    }

    switch invocation {
    case .version:
        output.writeLine("praas-db \(PraaSDB.version) (schema version \(Migration.latestVersion), SQLite \(Database.sqliteVersion))")
        return .success
    case .help(let name):
        if let name, let command = Program.spec.command(named: name) {
            output.write(help.commandHelp(command))
        } else {
            output.write(help.programHelp())
        }
        return .success
    case .run(let parsed):
        let command = Program.command(named: parsed.command)!
        let context = CommandContext(arguments: parsed, output: output, errors: errors, environment: environment)
        defer { context.finishProgress() }
        do {
            try context.checkOutputOptions()
            try command.run(context)
            return .success
        } catch let error as PraaSError {
            context.finishProgress()
            output.flush()
            errors.writeLine(PrintableText.escapingControlCharacters("Error: \(error.message)"))
            for detail in error.details {
                errors.writeLine(PrintableText.escapingControlCharacters("  \(detail)"))
            }
            if error.kind == .invalidArgument {
                let report = help.usageErrorReport(UsageError(error.message, command: parsed.command))
                errors.write(PrintableText.escapingControlCharacters(report.split(separator: "\n").dropFirst().map { $0 + "\n" }.joined()))
            }
            return ExitCode(error.kind)
        } catch {
            context.finishProgress()
            output.flush()
            errors.writeLine(PrintableText.escapingControlCharacters("Error: \(error)"))
            return .failure
        }
    }
}

let code = runProgram(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
exit(code.rawValue)
