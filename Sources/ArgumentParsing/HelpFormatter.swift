/// Renders help text, usage lines and error reports from a `ProgramSpec`.
public struct HelpFormatter: Sendable {
    public let program: ProgramSpec
    /// The column where option and argument descriptions start.
    let labelWidth = 26
    /// The width text is wrapped to.
    let width = 80

    public init(program: ProgramSpec) {
        self.program = program
    }

    /// The usage line of a command, or of the program when `command` is nil.
    public func usage(for command: CommandSpec?) -> String {
        guard let command else {
            let globals = program.globalOptions.map { "[\($0.synopsis)]" }
            return ([program.name] + globals + ["<command>", "[<options>]"]).joined(separator: " ")
        }
        var parts = [program.name, command.name]
        parts += command.arguments.map(\.synopsis)
        for option in command.options {
            let synopsis = option.synopsis + (option.isRepeatable ? " ..." : "")
            parts.append(option.isRequired ? synopsis : "[\(synopsis)]")
        }
        return parts.joined(separator: " ")
    }

    /// The program's help: summary, usage, commands by group, global options and
    /// the epilogue sections.
    public func programHelp() -> String {
        var text = overview(program.summary) + "\n"
        if let discussion = program.discussion {
            text += wrap(discussion, indent: 0) + "\n\n"
        }
        text += "USAGE: \(usage(for: nil))\n"

        var groups: [String] = []
        for command in program.commands where !groups.contains(command.group) {
            groups.append(command.group)
        }
        for group in groups {
            text += "\n\(group.uppercased()):\n"
            for command in program.commands where command.group == group {
                text += row(label: command.name, description: command.summary)
            }
        }

        text += "\nGLOBAL OPTIONS:\n"
        text += optionRows(program.globalOptions)
        text += row(label: "-h, --help", description: "Show help for the program or a command.")
        text += row(label: "--version", description: "Show the version.")

        for section in program.epilogue {
            text += "\n\(section.title.uppercased()):\n\(section.body)\n"
        }
        text += "\nSee '\(program.name) help <command>' for a command's options and examples.\n"
        return text
    }

    /// One command's help: summary, discussion, usage, arguments, options and examples.
    public func commandHelp(_ command: CommandSpec) -> String {
        var text = overview(command.summary)
        if let discussion = command.discussion {
            text += "\n" + discussion.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : wrap(String($0), indent: 0) }
                .joined(separator: "\n") + "\n"
        }
        text += "\nUSAGE: \(usage(for: command))\n"

        if !command.arguments.isEmpty {
            text += "\nARGUMENTS:\n"
            for argument in command.arguments {
                text += row(label: "<\(argument.name)>", description: argument.help)
            }
        }
        if !command.options.isEmpty {
            text += "\nOPTIONS:\n"
            text += optionRows(command.options)
        }
        text += row(label: "-h, --help", description: "Show this help.", heading: command.options.isEmpty ? "\nOPTIONS:\n" : nil)

        text += "\nGLOBAL OPTIONS:\n"
        text += optionRows(program.globalOptions)

        if !command.examples.isEmpty {
            text += "\nEXAMPLES:\n"
        }
        for example in command.examples {
            text += "  \(example.commandLine)\n"
            text += wrap(example.explanation, indent: 6) + "\n"
        }
        return text
    }

    /// "OVERVIEW: " and the summary, wrapped under itself.
    private func overview(_ summary: String) -> String {
        let label = "OVERVIEW: "
        return label + wrap(summary, indent: label.count).dropFirst(label.count) + "\n"
    }

    /// The report for a usage error: the message, the usage line, and where to
    /// find help, in the form Swift Argument Parser uses.
    public func usageErrorReport(_ error: UsageError) -> String {
        let command = error.command.flatMap { program.command(named: $0) }
        let helpCommand = command.map { "\(program.name) \($0.name) --help" } ?? "\(program.name) --help"
        return "Error: \(error.message)\nUsage: \(usage(for: command))\n  See '\(helpCommand)' for more information.\n"
    }

    private func optionRows(_ options: [OptionSpec]) -> String {
        options.map { option in
            let label = (option.aliases + [option.synopsis]).joined(separator: ", ")
            // No-break spaces keep each note on one line; `row` turns them back into spaces.
            var description = option.help
            if option.isRequired {
                description += " " + Self.unbreakable("(required)")
            }
            if let defaultDescription = option.defaultDescription {
                // A long default may wrap, but never right after "(default:".
                let note = "(default: \(defaultDescription))"
                let words = note.split(separator: " ", maxSplits: 2).map(String.init)
                description += " " + (note.count <= 30 || words.count < 3 ? Self.unbreakable(note) : Self.unbreakable(words[0] + " " + words[1]) + " " + words[2])
            }
            if option.isRepeatable {
                description += " " + Self.unbreakable("Can be repeated.")
            }
            return row(label: label, description: description)
        }.joined()
    }

    private static let noBreakSpace: Character = "\u{00A0}"

    private static func unbreakable(_ text: String) -> String {
        String(text.map { $0 == " " ? noBreakSpace : $0 })
    }

    private func row(label: String, description: String, heading: String? = nil) -> String {
        String(unbrokenRow(label: label, description: description, heading: heading).map { $0 == Self.noBreakSpace ? " " : $0 })
    }

    private func unbrokenRow(label: String, description: String, heading: String?) -> String {
        let prefix = "  " + label
        var text = heading ?? ""
        if prefix.count + 2 <= labelWidth {
            let padded = prefix + String(repeating: " ", count: labelWidth - prefix.count)
            let wrapped = wrap(description, indent: labelWidth)
            text += padded + wrapped.dropFirst(labelWidth) + "\n"
        } else {
            text += prefix + "\n" + wrap(description, indent: labelWidth) + "\n"
        }
        return text
    }

    /// Wraps `text` at spaces to `width`, indenting every line by `indent`.
    func wrap(_ text: String, indent: Int) -> String {
        Self.wrap(text, indent: indent, width: width)
    }

    /// Wraps `text` at spaces to `width` columns, indenting every line by
    /// `indent`. A word longer than the line stays whole.
    public static func wrap(_ text: String, indent: Int, width: Int = 80) -> String {
        let padding = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !line.isEmpty, indent + line.count + 1 + word.count > width {
                lines.append(padding + line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty || lines.isEmpty {
            lines.append(padding + line)
        }
        return lines.joined(separator: "\n")
    }
}
