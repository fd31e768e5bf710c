/// What a value on the command line names, so shell completion can offer
/// candidates for it.
public enum CompletionKind: Sendable, Equatable {
    case none
    case file
    case directory
    /// One of a fixed list of words.
    case choices([String])
    /// Values a program supplies at completion time, by name, such as "node" or "container".
    case dynamic(String)
}

/// One option of a command: a flag (`--yes`) or an option with a value
/// (`--depth <d>`).
public struct OptionSpec: Sendable, Equatable {
    /// The long name with dashes, such as `--depth`.
    public let name: String
    /// Other spellings, such as `-d`.
    public let aliases: [String]
    /// The value's placeholder in help, such as `d`; nil for a flag.
    public let valueName: String?
    /// The placeholder of a second value, for an option that takes two words,
    /// such as `--param <name> <value>`; nil for an option with one value.
    public let secondValueName: String?
    /// What the option sets, with its unit.
    public let help: String
    /// The default, as help shows it; nil when there is none.
    public let defaultDescription: String?
    /// True when the option may be given more than once to collect several values.
    public let isRepeatable: Bool
    /// True when the command cannot run without it.
    public let isRequired: Bool
    public let completion: CompletionKind
    /// Converts and checks the value before the command runs; returns a message
    /// describing the expected value when it is invalid. For an option with two
    /// values it checks the first.
    public let validate: @Sendable (String) -> String?

    public init(
        _ name: String, aliases: [String] = [], valueName: String? = nil, secondValueName: String? = nil, help: String,
        defaultDescription: String? = nil, isRepeatable: Bool = false, isRequired: Bool = false,
        completion: CompletionKind = .none, validate: @escaping @Sendable (String) -> String? = { _ in nil }
    ) {
        precondition(name.hasPrefix("--"), "option names start with --: \(name)")
        precondition(secondValueName == nil || valueName != nil, "an option with a second value needs a first: \(name)")
        self.name = name
        self.aliases = aliases
        self.valueName = valueName
        self.secondValueName = secondValueName
        self.help = help
        self.defaultDescription = defaultDescription
        self.isRepeatable = isRepeatable
        self.isRequired = isRequired
        self.completion = completion
        self.validate = validate
    }

    /// A flag such as `--yes`, which takes no value.
    public static func flag(_ name: String, aliases: [String] = [], help: String) -> OptionSpec {
        OptionSpec(name, aliases: aliases, help: help)
    }

    public var isFlag: Bool { valueName == nil }

    /// The option as the usage line shows it: `--depth <d>`, `--param <name> <value>`
    /// or `--yes`.
    public var synopsis: String {
        guard let valueName else { return name }
        return "\(name) <\(valueName)>" + (secondValueName.map { " <\($0)>" } ?? "")
    }

    public static func == (lhs: OptionSpec, rhs: OptionSpec) -> Bool {
        lhs.name == rhs.name && lhs.aliases == rhs.aliases && lhs.valueName == rhs.valueName
            && lhs.secondValueName == rhs.secondValueName && lhs.help == rhs.help
    }
}

/// A positional argument, such as a container's name.
public struct ArgumentSpec: Sendable, Equatable {
    /// The placeholder in help, such as `name`.
    public let name: String
    public let help: String
    public let isOptional: Bool
    /// True for a last argument that takes all remaining values.
    public let isVariadic: Bool
    public let completion: CompletionKind
    /// Checks the value before the command runs; returns a message describing the
    /// expected value when it is invalid.
    public let validate: @Sendable (String) -> String?

    public init(
        _ name: String, help: String, isOptional: Bool = false, isVariadic: Bool = false,
        completion: CompletionKind = .none, validate: @escaping @Sendable (String) -> String? = { _ in nil }
    ) {
        self.name = name
        self.help = help
        self.isOptional = isOptional
        self.isVariadic = isVariadic
        self.completion = completion
        self.validate = validate
    }

    public static func == (lhs: ArgumentSpec, rhs: ArgumentSpec) -> Bool {
        lhs.name == rhs.name && lhs.help == rhs.help && lhs.isOptional == rhs.isOptional && lhs.isVariadic == rhs.isVariadic
    }

    var synopsis: String {
        let base = "<\(name)>" + (isVariadic ? " ..." : "")
        return isOptional ? "[\(base)]" : base
    }
}

/// One example in a command's help: a command line and what it does.
public struct Example: Sendable, Equatable {
    public let commandLine: String
    public let explanation: String

    public init(_ commandLine: String, _ explanation: String) {
        self.commandLine = commandLine
        self.explanation = explanation
    }
}

/// Everything the parser, the help, the man page and shell completion need to
/// know about one command.
public struct CommandSpec: Sendable {
    public let name: String
    /// One line saying what the command does.
    public let summary: String
    /// Paragraphs shown after the summary in the command's help.
    public let discussion: String?
    public let arguments: [ArgumentSpec]
    public let options: [OptionSpec]
    public let examples: [Example]
    /// The section of the command list it is shown under.
    public let group: String

    public init(
        _ name: String, summary: String, discussion: String? = nil, group: String,
        arguments: [ArgumentSpec] = [], options: [OptionSpec] = [], examples: [Example]
    ) {
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.group = group
        self.arguments = arguments
        self.options = options
        self.examples = examples
    }
}

/// The program: its name, version, global options and commands.
public struct ProgramSpec: Sendable {
    public let name: String
    public let version: String
    public let summary: String
    public let discussion: String?
    /// Options every command accepts, anywhere on the line.
    public let globalOptions: [OptionSpec]
    public let commands: [CommandSpec]
    /// Extra sections at the end of the program's help, such as exit codes.
    public let epilogue: [(title: String, body: String)]

    public init(
        name: String, version: String, summary: String, discussion: String? = nil,
        globalOptions: [OptionSpec], commands: [CommandSpec], epilogue: [(title: String, body: String)] = []
    ) {
        self.name = name
        self.version = version
        self.summary = summary
        self.discussion = discussion
        self.globalOptions = globalOptions
        self.commands = commands
        self.epilogue = epilogue
    }

    /// Returns the command called `name`, including the built-in `help`.
    public func command(named name: String) -> CommandSpec? {
        if let command = commands.first(where: { $0.name == name }) {
            return command
        }
        return name == helpCommand.name ? helpCommand : nil
    }

    /// The built-in `help` command, which the parser handles itself. Its spec
    /// gives `help help` and `help --help` their text.
    public var helpCommand: CommandSpec {
        let example = commands.first { !$0.examples.isEmpty } ?? commands.first
        return CommandSpec(
            "help",
            summary: "Show help for the program or a command.",
            discussion: "Without a command, lists every command and the global options. "
                + "'\(self.name) help COMMAND' is the same as '\(self.name) COMMAND --help'.",
            group: "",
            arguments: [
                ArgumentSpec(
                    "command", help: "The command to show the options and examples of.", isOptional: true,
                    completion: .choices(commands.map(\.name)))
            ],
            examples: [Example("\(self.name) help", "List every command.")]
                + (example.map { [Example("\(self.name) help \($0.name)", "Show the options and examples of \($0.name).")] } ?? []))
    }
}
