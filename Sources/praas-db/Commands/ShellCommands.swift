import ArgumentParsing
import Foundation
import PraaSDB

/// Commands that connect praas-db to the shell: completion scripts, the names
/// they complete, and the man page.
enum ShellCommands {
    static let group = "Shell integration"

    static let names = Command(
        spec: CommandSpec(
            "names",
            summary: "Print node names, container names, change ids or topology names, one a line.",
            discussion: """
                The completion scripts of 'praas-db completions' call this command to complete names from the database \
                that --db or $PRAAS_DB selects, and it is handy in scripts too. Nodes come in id order, containers in \
                registration order, changes newest first, topologies by name. Topology names come from the binary and \
                need no database.
                """,
            group: group,
            arguments: [
                ArgumentSpec(
                    "kind", help: "What to list: nodes, containers, changes or topologies.",
                    completion: .choices(NameKind.allCases.map(\.rawValue)), validate: Validators.oneOf(NameKind.allCases.map(\.rawValue)))
            ],
            options: [
                OptionSpec("--prefix", valueName: "text", help: "Only names that start with this text (case-sensitive).", defaultDescription: "all"),
                OptionSpec(
                    "--limit", valueName: "n", help: "Print at most this many names.", defaultDescription: "1000",
                    validate: Validators.integer(minimum: 1)),
            ],
            examples: [
                Example("praas-db names nodes --prefix N1", "N1 and N10 to N19: the nodes whose names start with N1."),
                Example("praas-db names containers", "Every container's name."),
            ]),
        run: { context in
            let kind = NameKind(rawValue: context.arguments.positional(0)!)!
            let prefix = context.arguments.value("--prefix") ?? ""
            let limit = context.arguments.integer("--limit") ?? 1000
            let names: [String]
            if kind == .topologies {
                names = Array(BuiltInTopology.all.map(\.name).filter { $0.hasPrefix(prefix) }.prefix(limit))
            } else {
                names = try context.openRepository().names(of: kind, prefix: prefix, limit: limit)
            }
            for name in names {
                context.output.writeLine(name)
            }
        })

    static let completionScript = CompletionScript(
        program: Program.spec, namesCommand: "names", forwardedOptions: [GlobalOptions.database.name],
        extraArguments: [GlobalOptions.busyTimeout.name, "0.5"],
        namesArgument: { kind in kind == "topology" ? "topologies" : kind + "s" })

    static let completions = Command(
        spec: CommandSpec(
            "completions",
            summary: "Print a shell completion script for bash, zsh or fish.",
            discussion: """
                The script completes commands, each command's options, option values with fixed choices, files, and \
                node, container, change and topology names, which it reads from the database with 'praas-db names' \
                (honouring a --db given on the command line being completed, else $PRAAS_DB). \
                bash: add 'source <(praas-db completions bash)' to ~/.bashrc (bash 4 or newer). \
                zsh: save the output as _praas-db in a folder of $fpath, or add 'source <(praas-db completions zsh)' \
                to ~/.zshrc after compinit. \
                fish: save the output as ~/.config/fish/completions/praas-db.fish.
                """,
            group: group,
            arguments: [
                ArgumentSpec(
                    "shell", help: "The shell: bash, zsh or fish.",
                    completion: .choices(CompletionScript.Shell.allCases.map(\.rawValue)),
                    validate: Validators.oneOf(CompletionScript.Shell.allCases.map(\.rawValue)))
            ],
            examples: [
                Example("praas-db completions bash > praas-db.bash", "Write the bash script; load it with 'source praas-db.bash'."),
                Example("praas-db completions fish > ~/.config/fish/completions/praas-db.fish", "Install completion for fish."),
            ]),
        run: { context in
            let shell = CompletionScript.Shell(rawValue: context.arguments.positional(0)!)!
            context.output.write(completionScript.script(for: shell))
        })

    static let man = Command(
        spec: CommandSpec(
            "man",
            summary: "Print the man page, generated from the help of every command.",
            discussion: "The page in docs/praas-db.1 is this output; a test fails when the two differ.",
            group: group,
            examples: [
                Example("praas-db man > praas-db.1", "Write the man page; read it with 'man -l praas-db.1'."),
            ]),
        run: { context in
            context.output.write(ManPage(program: Program.spec).text())
        })

    static let all = [names, completions, man]
}
