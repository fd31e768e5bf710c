import ArgumentParsing

/// ANSI SGR escape sequences for coloured terminal output.
enum ANSI {
    static let reset = "\u{1B}[0m"
    static let bold = "\u{1B}[1m"
    static let dim = "\u{1B}[2m"
    static let red = "\u{1B}[31m"
    static let green = "\u{1B}[32m"
    static let yellow = "\u{1B}[33m"

    /// Foreground colours for the containers a picture highlights, in order; the
    /// list repeats after six containers.
    static let containerColours = ["\u{1B}[36m", "\u{1B}[35m", "\u{1B}[34m", "\u{1B}[33m", "\u{1B}[32m", "\u{1B}[31m"]

    /// `text` wrapped in `code` and a reset, or `text` alone when `enabled` is false.
    static func paint(_ text: String, _ code: String, enabled: Bool) -> String {
        enabled && !text.isEmpty ? code + text + reset : text
    }
}

/// `--color auto|always|never`, for commands that can colour their output.
enum ColourOption {
    static let choices = ["auto", "always", "never"]

    static let spec = OptionSpec(
        "--color", valueName: "when",
        help: "Colour the output: auto (when standard output is a terminal and $NO_COLOR is unset), always or never.",
        defaultDescription: "auto", completion: .choices(choices), validate: Validators.oneOf(choices))

    /// True when the output should be coloured: `always`, or `auto` with standard
    /// output a terminal, `$NO_COLOR` unset or empty, and `$TERM` not `dumb`.
    static func isEnabled(_ context: CommandContext) -> Bool {
        switch context.arguments.value(spec.name) ?? "auto" {
        case "always":
            return true
        case "never":
            return false
        default:
            return context.output.isTerminal && (context.environment["NO_COLOR"] ?? "").isEmpty && context.environment["TERM"] != "dumb"
        }
    }
}
