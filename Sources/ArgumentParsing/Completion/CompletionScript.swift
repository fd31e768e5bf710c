/// Generates shell completion scripts for bash, zsh and fish from a
/// `ProgramSpec`: commands, each command's options, the fixed choices of an
/// option or argument, files, and values the program lists at completion time.
///
/// A `.dynamic(kind)` value is completed by running the program itself as
/// `PROGRAM [forwarded options] [extraArguments] NAMES-COMMAND KIND --prefix WORD`,
/// which prints one candidate a line. Forwarded options (such as `--db`) are
/// copied from the command line being completed, so the candidates come from
/// the database the command will use.
public struct CompletionScript: Sendable {
    public enum Shell: String, Sendable, CaseIterable {
        case bash, zsh, fish
    }

    public let program: ProgramSpec
    /// The command that prints the candidates of a dynamic kind, such as `names`.
    public let namesCommand: String
    /// Global options with a value that the names command needs too, such as `--db`.
    public let forwardedOptions: [String]
    /// Arguments put before the names command, such as a short lock timeout.
    public let extraArguments: [String]
    /// The names command's argument for a dynamic kind, such as `nodes` for `node`.
    public let namesArgument: @Sendable (String) -> String

    public init(
        program: ProgramSpec, namesCommand: String, forwardedOptions: [String] = [], extraArguments: [String] = [],
        namesArgument: @escaping @Sendable (String) -> String = { $0 }
    ) {
        self.program = program
        self.namesCommand = namesCommand
        self.forwardedOptions = forwardedOptions
        self.extraArguments = extraArguments
        self.namesArgument = namesArgument
    }

    /// The script for `shell`.
    public func script(for shell: Shell) -> String {
        switch shell {
        case .bash: bash()
        case .zsh: zsh()
        case .fish: fish()
        }
    }

    /// The program name as a shell function name: `praas-db` becomes `_praas_db`.
    var functionName: String {
        "_" + String(program.name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// The first sentence of a help text, for shells that show a short description.
    static func firstSentence(_ text: String) -> String {
        if let end = text.firstRange(of: ". ") {
            return String(text[..<end.lowerBound])
        }
        return text.hasSuffix(".") ? String(text.dropLast()) : text
    }

    /// `text` in single quotes for a POSIX shell.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacing("'", with: "'\\''") + "'"
    }

    /// The spellings of the options that take a value, and how many words each takes.
    static func valueOptions(_ options: [OptionSpec]) -> [(spelling: String, words: Int)] {
        options.filter { !$0.isFlag }.flatMap { option in
            ([option.name] + option.aliases).map { ($0, option.secondValueName == nil ? 1 : 2) }
        }
    }
}
