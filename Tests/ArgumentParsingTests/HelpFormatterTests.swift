import Testing

@testable import ArgumentParsing

@Suite struct HelpFormatterTests {
    @Test func programUsageListsGlobalOptions() {
        #expect(
            SampleProgram.help.usage(for: nil) == "tool [--db <path>] [--timeout <seconds>] [--verbose] <command> [<options>]")
    }

    @Test func commandUsageListsArgumentsAndOptions() {
        #expect(
            SampleProgram.help.usage(for: SampleProgram.deploy)
                == "tool deploy <container> [--node <name> ...] [--depth <d>] --model <model> [--yes]")
        #expect(SampleProgram.help.usage(for: SampleProgram.copy) == "tool copy <source> [<more> ...]")
        #expect(SampleProgram.help.usage(for: SampleProgram.status) == "tool status")
    }

    @Test func usageErrorReportHasThreeLines() {
        let report = SampleProgram.help.usageErrorReport(UsageError("Missing expected argument '<container>'.", command: "deploy"))
        #expect(
            report == """
                Error: Missing expected argument '<container>'.
                Usage: tool deploy <container> [--node <name> ...] [--depth <d>] --model <model> [--yes]
                  See 'tool deploy --help' for more information.

                """)

        let programReport = SampleProgram.help.usageErrorReport(UsageError("No command given.", command: nil))
        #expect(
            programReport == """
                Error: No command given.
                Usage: tool [--db <path>] [--timeout <seconds>] [--verbose] <command> [<options>]
                  See 'tool --help' for more information.

                """)
    }

    @Test func programHelpIsComplete() {
        #expect(
            SampleProgram.help.programHelp() == """
                OVERVIEW: A sample program.

                It shows how the parser and the help fit together.

                USAGE: tool [--db <path>] [--timeout <seconds>] [--verbose] <command> [<options>]

                CHANGES:
                  deploy                  Deploy a container on nodes.

                FILES:
                  copy                    Copy files.
                  status                  Show the status.

                GLOBAL OPTIONS:
                  --db <path>             The database file.
                  --timeout <seconds>     How long to wait for a lock, in seconds. (default: 30)
                  -v, --verbose           Print each statement.
                  -h, --help              Show help for the program or a command.
                  --version               Show the version.

                EXIT CODES:
                  0     Success.
                  64    Usage error.

                See 'tool help <command>' for a command's options and examples.

                """)
    }

    @Test func commandHelpIsComplete() {
        #expect(
            SampleProgram.help.commandHelp(SampleProgram.deploy) == """
                OVERVIEW: Deploy a container on nodes.

                Places the container on every node given with --node. The change is planned
                first.

                USAGE: tool deploy <container> [--node <name> ...] [--depth <d>] --model <model> [--yes]

                ARGUMENTS:
                  <container>             The container to deploy.

                OPTIONS:
                  -n, --node <name>       A node to deploy on. Can be repeated.
                  -d, --depth <d>         The balloon's depth, in hops from the root.
                                          (default: 0)
                  --model <model>         The distribution model. (required)
                  --yes                   Deploy without asking.
                  -h, --help              Show this help.

                GLOBAL OPTIONS:
                  --db <path>             The database file.
                  --timeout <seconds>     How long to wait for a lock, in seconds. (default: 30)
                  -v, --verbose           Print each statement.

                EXAMPLES:
                  tool deploy hbo --model balloon --depth 4
                      Balloon hbo to depth 4.
                  tool deploy game --model fog --node N13 --node N31
                      Fog game to N13 and N31.

                """)
    }

    @Test func helpCommandHelpIsComplete() {
        #expect(SampleProgram.spec.command(named: "help")?.name == "help")
        #expect(
            SampleProgram.help.commandHelp(SampleProgram.spec.helpCommand) == """
                OVERVIEW: Show help for the program or a command.

                Without a command, lists every command and the global options. 'tool help
                COMMAND' is the same as 'tool COMMAND --help'.

                USAGE: tool help [<command>]

                ARGUMENTS:
                  <command>               The command to show the options and examples of.

                OPTIONS:
                  -h, --help              Show this help.

                GLOBAL OPTIONS:
                  --db <path>             The database file.
                  --timeout <seconds>     How long to wait for a lock, in seconds. (default: 30)
                  -v, --verbose           Print each statement.

                EXAMPLES:
                  tool help
                      List every command.
                  tool help deploy
                      Show the options and examples of deploy.

                """)
    }

    @Test func commandWithoutExamplesHasNoExampleSection() {
        let help = SampleProgram.help.commandHelp(SampleProgram.copy)
        #expect(!help.contains("EXAMPLES:"))
        #expect(help.hasSuffix("  -v, --verbose           Print each statement.\n"))
        #expect(help.contains("\nOPTIONS:\n  -h, --help              Show this help.\n"))
    }

    @Test func helpListsEveryOptionWithDefault() {
        for command in SampleProgram.spec.commands {
            let help = SampleProgram.help.commandHelp(command)
            for option in command.options + SampleProgram.spec.globalOptions {
                #expect(help.contains(option.synopsis), "\(command.name): \(option.name)")
                if let defaultDescription = option.defaultDescription {
                    #expect(help.contains("(default: \(defaultDescription))") || help.contains("(default:\n"), "\(option.name)")
                }
            }
        }
        let programHelp = SampleProgram.help.programHelp()
        for option in SampleProgram.spec.globalOptions {
            #expect(programHelp.contains((option.aliases + [option.synopsis]).joined(separator: ", ")), "\(option.name)")
        }
        for command in SampleProgram.spec.commands {
            #expect(programHelp.contains("  \(command.name)  "), "\(command.name)")
        }
    }

    @Test func longLabelGetsItsOwnLine() {
        let option = OptionSpec("--busy-timeout", valueName: "seconds", help: "How long to wait.", defaultDescription: "30")
        let spec = ProgramSpec(name: "t", version: "1", summary: "S.", globalOptions: [option], commands: [])
        let help = HelpFormatter(program: spec).programHelp()
        #expect(help.contains("\n  --busy-timeout <seconds>\n                          How long to wait. (default: 30)\n"))
    }

    @Test(arguments: [
        ("short text", 0, "short text"),
        ("", 4, "    "),
        ("a  b", 2, "  a b"),
        (String(repeating: "word ", count: 20), 0,
         "word word word word word word word word word word word word word word word word\nword word word word"),
        (String(repeating: "word ", count: 16), 10,
         "          word word word word word word word word word word word word word word\n          word word"),
    ])
    func wrapBreaksAtWidth(text: String, indent: Int, expected: String) {
        #expect(SampleProgram.help.wrap(text, indent: indent) == expected)
    }

    @Test func wrappedLinesFitWidth() {
        let help = SampleProgram.help.commandHelp(SampleProgram.deploy)
        let usageLine = "USAGE: " + SampleProgram.help.usage(for: SampleProgram.deploy)
        for line in help.split(separator: "\n") where line != usageLine {
            #expect(line.count <= 80, "\(line)")
        }
    }
}
