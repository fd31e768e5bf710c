import Suggestions

/// What the command line asks for.
public enum Invocation: Equatable {
    /// Show the program's help, or a command's help when one is named.
    case help(command: String?)
    /// Show the version.
    case version
    /// Run a command with these arguments.
    case run(ParsedArguments)
}

/// The options and arguments of one command line, already checked against the
/// command's spec: every required value is present and every value passed its
/// validator.
public struct ParsedArguments: Equatable {
    /// The command's name.
    public let command: String
    /// Values by option name (the long name), in command-line order.
    public private(set) var optionValues: [String: [String]] = [:]
    /// Flags given, by long name.
    public private(set) var flags: Set<String> = []
    /// Positional arguments in order.
    public private(set) var positionals: [String] = []

    public init(command: String) {
        self.command = command
    }

    /// True when the flag was given.
    public func flag(_ name: String) -> Bool {
        flags.contains(name)
    }

    /// The option's value, or nil when it was not given.
    public func value(_ name: String) -> String? {
        optionValues[name]?.last
    }

    /// Every value of a repeatable option, in command-line order.
    public func values(_ name: String) -> [String] {
        optionValues[name] ?? []
    }

    /// Returns every pair of values of an option that takes two, such as
    /// `--param <name> <value>`, in command-line order.
    public func pairs(_ name: String) -> [(first: String, second: String)] {
        let values = values(name)
        return stride(from: 0, to: values.count - 1, by: 2).map { (values[$0], values[$0 + 1]) }
    }

    /// The option's value as an integer. The spec's validator must have checked it.
    public func integer(_ name: String) -> Int? {
        value(name).map { Int($0)! }
    }

    /// The positional argument at `index`, or nil when it was not given.
    public func positional(_ index: Int) -> String? {
        index < positionals.count ? positionals[index] : nil
    }

    mutating func add(_ value: String, for option: String) {
        optionValues[option, default: []].append(value)
    }

    mutating func addFlag(_ name: String) {
        flags.insert(name)
    }

    mutating func addPositional(_ value: String) {
        positionals.append(value)
    }
}

/// A mistake on the command line, reported with the usage line and exit code 64.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public let message: String
    /// The command whose usage line should be shown; nil for the program's.
    public let command: String?

    public init(_ message: String, command: String?) {
        self.message = message
        self.command = command
    }

    public var description: String { message }
}

/// Parses command lines against a `ProgramSpec`, in the manner of Swift Argument
/// Parser: `--name value` and `--name=value`, flags, `--` to end the options
/// (before the command it ends the global options), global options and
/// `--version` anywhere, and "did you mean" suggestions for near misses. An
/// option or flag given twice is an error unless the option is repeatable.
public struct Parser: Sendable {
    public let program: ProgramSpec

    public init(program: ProgramSpec) {
        self.program = program
    }

    /// Parses `arguments`, which exclude the program name.
    ///
    /// - Throws: `UsageError` for an unknown command or option, a missing or
    ///   invalid value, or an argument too many.
    public func parse(_ arguments: [String]) throws -> Invocation {
        // The first word that is not a global option names the command.
        var index = 0
        var globals = ParsedArguments(command: "")
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--help" || argument == "-h" {
                return .help(command: nil)
            }
            if argument == "--version" {
                return .version
            }
            if argument == "--" {
                // Ends the global options: the next word is the command, even one starting with a dash.
                index += 1
                break
            }
            guard argument.hasPrefix("-"), argument != "-" else { break }
            index = try parseOption(arguments, at: index, into: &globals, options: program.globalOptions, command: nil)
        }

        guard index < arguments.count else {
            throw UsageError("No command given. Run '\(program.name) help' to list the commands.", command: nil)
        }
        let name = arguments[index]
        if name == program.helpCommand.name {
            let topic = index + 1 < arguments.count ? arguments[index + 1] : nil
            if topic == "--help" || topic == "-h" {
                return .help(command: name)
            }
            if let topic, program.command(named: topic) == nil {
                throw unknownCommandError(topic)
            }
            return .help(command: topic)
        }
        guard let command = program.command(named: name) else {
            throw unknownCommandError(name)
        }

        var parsed = ParsedArguments(command: command.name)
        for (option, values) in globals.optionValues {
            for value in values {
                parsed.add(value, for: option)
            }
        }
        for flag in globals.flags {
            parsed.addFlag(flag)
        }

        let options = command.options + program.globalOptions
        index += 1
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            if !optionsEnded, argument == "--help" || argument == "-h" {
                return .help(command: command.name)
            }
            if !optionsEnded, argument == "--version", !options.contains(where: { $0.name == "--version" }) {
                return .version
            }
            if !optionsEnded, argument == "--" {
                optionsEnded = true
                index += 1
                continue
            }
            if !optionsEnded, argument.hasPrefix("-"), argument != "-", !isNegativeNumber(argument) {
                index = try parseOption(arguments, at: index, into: &parsed, options: options, command: command)
                continue
            }
            guard parsed.positionals.count < command.arguments.count || command.arguments.last?.isVariadic == true else {
                throw UsageError("Unexpected argument '\(argument)'.", command: command.name)
            }
            let spec = command.arguments[min(parsed.positionals.count, command.arguments.count - 1)]
            if let problem = spec.validate(argument) {
                throw UsageError("Invalid value '\(argument)' for '<\(spec.name)>': \(problem).", command: command.name)
            }
            parsed.addPositional(argument)
            index += 1
        }

        try checkComplete(parsed, command: command, options: options)
        return .run(parsed)
    }

    private func isNegativeNumber(_ argument: String) -> Bool {
        argument.count > 1 && argument.dropFirst().allSatisfy { $0.isNumber || $0 == "." }
    }

    private func unknownCommandError(_ name: String) -> UsageError {
        var message = "Unknown command '\(name)'."
        if let match = EditDistance.closest(to: name, among: program.commands.map(\.name) + [program.helpCommand.name]) {
            message += " Did you mean '\(match)'?"
        } else {
            message += " Run '\(program.name) help' to list the commands."
        }
        return UsageError(message, command: nil)
    }

    /// Parses the option at `index` and returns the index after it and its value.
    private func parseOption(
        _ arguments: [String], at index: Int, into parsed: inout ParsedArguments, options: [OptionSpec], command: CommandSpec?
    ) throws -> Int {
        let argument = arguments[index]
        var name = argument
        var inlineValue: String?
        if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
            name = String(argument[..<equals])
            inlineValue = String(argument[argument.index(after: equals)...])
        }

        guard let option = options.first(where: { $0.name == name || $0.aliases.contains(name) }) else {
            var message = "Unknown option '\(name)'"
            if command == nil, program.commands.contains(where: { $0.options.contains { $0.name == name } }) {
                message += "; give it after the command's name"
            }
            message += "."
            let candidates = options.flatMap { [$0.name] + $0.aliases }
            if let match = EditDistance.closest(to: name, among: candidates) {
                message += " Did you mean '\(match)'?"
            }
            throw UsageError(message, command: command?.name)
        }

        if option.isFlag {
            if inlineValue != nil {
                throw UsageError("The flag '\(option.name)' takes no value.", command: command?.name)
            }
            // A repeated flag is rejected like a repeated option: it changes nothing, so
            // it is most likely a slip, such as a flag given before and after the command.
            if parsed.flag(option.name) {
                throw UsageError("'\(option.name)' was given more than once; give it once.", command: command?.name)
            }
            parsed.addFlag(option.name)
            return index + 1
        }

        let value: String
        var next = index + 1
        if let inlineValue {
            value = inlineValue
        } else {
            guard next < arguments.count, !looksLikeOption(arguments[next], options: options) else {
                throw UsageError("Missing value for '\(option.synopsis)'.", command: command?.name)
            }
            value = arguments[next]
            next += 1
        }
        if !option.isRepeatable, parsed.value(option.name) != nil {
            throw UsageError(
                "'\(option.name)' was given more than once; give it once.", command: command?.name)
        }
        if let problem = option.validate(value) {
            throw UsageError("Invalid value '\(value)' for '\(option.synopsis)': \(problem).", command: command?.name)
        }
        parsed.add(value, for: option.name)

        if option.secondValueName != nil {
            guard next < arguments.count, !looksLikeOption(arguments[next], options: options) else {
                throw UsageError("Missing value for '\(option.synopsis)'.", command: command?.name)
            }
            parsed.add(arguments[next], for: option.name)
            next += 1
        }
        return next
    }

    /// A following word is taken as the option's value unless it is itself a known
    /// option, so `--customer -` and `--node -5` reach the validator.
    private func looksLikeOption(_ word: String, options: [OptionSpec]) -> Bool {
        guard word.hasPrefix("-"), word != "-" else { return false }
        let name = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
        return word == "--" || word == "--help" || word == "-h"
            || options.contains { $0.name == name || $0.aliases.contains(name) }
    }

    private func checkComplete(_ parsed: ParsedArguments, command: CommandSpec, options: [OptionSpec]) throws {
        let required = command.arguments.filter { !$0.isOptional }
        if parsed.positionals.count < required.count {
            let missing = required[parsed.positionals.count]
            throw UsageError("Missing expected argument '<\(missing.name)>'.", command: command.name)
        }
        for option in options where option.isRequired && parsed.value(option.name) == nil {
            throw UsageError("Missing expected option '\(option.synopsis)'.", command: command.name)
        }
    }
}
