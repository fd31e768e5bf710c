import ArgumentParsing
import Foundation
import PraaSDB

/// The actor name, which changes and the history record for a command: `--by`,
/// else the first of `$PRAAS_DB_USER`, `$USER` and `$LOGNAME` that is set and
/// not empty, else the login name of the process's user.
///
/// An actor name follows the rules of container names (`Name.problem(with:)`).
/// A value with leading or trailing whitespace is rejected, not trimmed, so
/// the name recorded is always the name given.
enum ActorName {
    /// The environment variables read when `--by` is not given, in order.
    static let variables = ["PRAAS_DB_USER", "USER", "LOGNAME"]

    /// Returns the `--by` option for a command that records its actor, with `help` as its description.
    static func option(help: String) -> OptionSpec {
        OptionSpec("--by", valueName: "name", help: help, defaultDescription: "$PRAAS_DB_USER or $USER", validate: problem)
    }

    /// Returns why a `--by` value is not a valid actor name, or nil when it is.
    /// An empty value is an error rather than a request for the default, because
    /// it is most likely an unset shell variable such as `--by "$APPROVER"`.
    static let problem: @Sendable (String) -> String? = { value in
        if value.isEmpty {
            return "expected a name; leave out --by to use $PRAAS_DB_USER or $USER"
        }
        return Name.problem(with: value).map { "the name \($0)" }
    }

    /// Returns the actor name for a command.
    ///
    /// - Parameters:
    ///   - option: the value of `--by`, which the parser has checked; nil when not given.
    ///   - commandTakesBy: whether the command has a `--by` option, so that the
    ///     error suggests it only where it exists.
    /// - Throws: `.invalidArgument` when the first variable that is set, or the
    ///   login name, is not a valid name. The message names the variable, the
    ///   value and the fix.
    static func resolve(option: String?, environment: [String: String], commandTakesBy: Bool) throws -> String {
        if let option {
            return option
        }
        let fix = "set PRAAS_DB_USER to a valid name" + (commandTakesBy ? ", or pass --by NAME" : "")
        for variable in variables {
            guard let value = environment[variable], !value.isEmpty else { continue }
            if let problem = Name.problem(with: value) {
                throw PraaSError.invalidArgument(
                    "the actor name \(JSONWriter.quoted(value)) from $\(variable) \(problem) (\(fix))")
            }
            return value
        }
        let userID = getuid()
        guard let entry = getpwuid(userID), let loginPointer = entry.pointee.pw_name, loginPointer.pointee != 0 else {
            return "uid \(userID)"
        }
        let login = String(cString: loginPointer)
        if let problem = Name.problem(with: login) {
            throw PraaSError.invalidArgument(
                "the actor name \(JSONWriter.quoted(login)), the login name of user ID \(userID), \(problem) (\(fix))")
        }
        return login
    }
}
