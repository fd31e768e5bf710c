import ArgumentParsing

/// A small program spec that exercises every kind of option and argument the
/// parser supports.
enum SampleProgram {
    static let database = OptionSpec(
        "--db", valueName: "path", help: "The database file.", completion: .file)
    static let timeout = OptionSpec(
        "--timeout", valueName: "seconds", help: "How long to wait for a lock, in seconds.", defaultDescription: "30",
        validate: Validators.integer(minimum: 0, maximum: 600))
    static let verbose = OptionSpec.flag("--verbose", aliases: ["-v"], help: "Print each statement.")

    static let deploy = CommandSpec(
        "deploy",
        summary: "Deploy a container on nodes.",
        discussion: "Places the container on every node given with --node. The change is planned first.",
        group: "Changes",
        arguments: [ArgumentSpec("container", help: "The container to deploy.", validate: Validators.nonEmpty)],
        options: [
            OptionSpec("--node", aliases: ["-n"], valueName: "name", help: "A node to deploy on.", isRepeatable: true),
            OptionSpec(
                "--depth", aliases: ["-d"], valueName: "d", help: "The balloon's depth, in hops from the root.",
                defaultDescription: "0", validate: Validators.integer(minimum: 0)),
            OptionSpec(
                "--model", valueName: "model", help: "The distribution model.", isRequired: true,
                validate: Validators.oneOf(["balloon", "fog", "micro"])),
            .flag("--yes", help: "Deploy without asking."),
        ],
        examples: [
            Example("tool deploy hbo --model balloon --depth 4", "Balloon hbo to depth 4."),
            Example("tool deploy game --model fog --node N13 --node N31", "Fog game to N13 and N31."),
        ])

    static let copy = CommandSpec(
        "copy",
        summary: "Copy files.",
        group: "Files",
        arguments: [
            ArgumentSpec("source", help: "The first file."),
            ArgumentSpec("more", help: "Further files.", isOptional: true, isVariadic: true),
        ],
        examples: [])

    static let status = CommandSpec(
        "status", summary: "Show the status.", group: "Files", examples: [Example("tool status", "Show it.")])

    static let spec = ProgramSpec(
        name: "tool",
        version: "1.2.3",
        summary: "A sample program.",
        discussion: "It shows how the parser and the help fit together.",
        globalOptions: [database, timeout, verbose],
        commands: [deploy, copy, status],
        epilogue: [(title: "Exit codes", body: "  0     Success.\n  64    Usage error.")])

    static let parser = Parser(program: spec)
    static let help = HelpFormatter(program: spec)

    /// Parses `arguments` and returns the arguments of the command to run.
    static func run(_ arguments: [String]) throws -> ParsedArguments {
        guard case .run(let parsed) = try parser.parse(arguments) else {
            throw UsageError("expected a command to run", command: nil)
        }
        return parsed
    }

    /// Parses `arguments`, which must fail, and returns the error.
    static func usageError(_ arguments: [String]) -> UsageError? {
        do {
            _ = try parser.parse(arguments)
            return nil
        } catch let error as UsageError {
            return error
        } catch {
            return UsageError("unexpected error \(error)", command: nil)
        }
    }
}
