import ArgumentParsing
import Testing

/// Options that take two values, such as `--param <name> <value>`.
@Suite struct PairOptionTests {
    static let program = ProgramSpec(
        name: "tool", version: "1.0", summary: "A program with one command.",
        globalOptions: [.flag("--verbose", help: "Say more.")],
        commands: [
            CommandSpec(
                "query", summary: "Run a query.", group: "Commands",
                arguments: [ArgumentSpec("sql", help: "The query.")],
                options: [
                    OptionSpec(
                        "--param", valueName: "name", secondValueName: "value", help: "Bind a value.",
                        isRepeatable: true, validate: Validators.nonEmpty),
                    OptionSpec("--label", valueName: "first", secondValueName: "second", help: "Set a label."),
                ],
                examples: [Example("tool query 'SELECT 1'", "Run a query.")])
        ])

    static func parse(_ arguments: [String]) throws -> ParsedArguments {
        guard case .run(let parsed) = try Parser(program: program).parse(arguments) else {
            throw UsageError("expected a command to run", command: nil)
        }
        return parsed
    }

    static func usageError(_ arguments: [String]) -> UsageError? {
        do {
            _ = try Parser(program: program).parse(arguments)
            return nil
        } catch let error as UsageError {
            return error
        } catch {
            return nil
        }
    }

    @Test func pairsKeepOrder() throws {
        let parsed = try Self.parse(["query", "SELECT :a, :b", "--param", "a", "1", "--param", "b", "two words"])
        let pairs = parsed.pairs("--param")
        #expect(pairs.map(\.first) == ["a", "b"])
        #expect(pairs.map(\.second) == ["1", "two words"])
        #expect(parsed.positionals == ["SELECT :a, :b"])
    }

    @Test func secondValueMayLookNegative() throws {
        let parsed = try Self.parse(["query", "SELECT :d", "--param", "d", "-5", "--verbose"])
        #expect(parsed.pairs("--param").map(\.second) == ["-5"])
        #expect(parsed.flag("--verbose"))
    }

    @Test func equalsGivesFirstValue() throws {
        let parsed = try Self.parse(["query", "SELECT :a", "--param=a", "x;y"])
        #expect(parsed.pairs("--param").map(\.first) == ["a"])
        #expect(parsed.pairs("--param").map(\.second) == ["x;y"])
    }

    @Test func missingSecondValue() {
        let error = Self.usageError(["query", "SELECT :a", "--param", "a"])
        #expect(error?.message == "Missing value for '--param <name> <value>'.")
        #expect(error?.command == "query")
    }

    @Test func optionIsNotSecondValue() {
        let error = Self.usageError(["query", "SELECT :a", "--param", "a", "--verbose"])
        #expect(error?.message == "Missing value for '--param <name> <value>'.")
    }

    @Test func validatorChecksFirstValue() {
        let error = Self.usageError(["query", "SELECT 1", "--param", "", "x"])
        #expect(error?.message == "Invalid value '' for '--param <name> <value>': expected a value that is not empty.")
    }

    @Test func pairGivenTwiceWithoutRepeat() {
        let error = Self.usageError(["query", "SELECT 1", "--label", "a", "b", "--label", "c", "d"])
        #expect(error?.message == "'--label' was given more than once; give it once.")
    }

    @Test func usageShowsBothValues() {
        let usage = HelpFormatter(program: Self.program).usage(for: Self.program.command(named: "query"))
        #expect(usage == "tool query <sql> [--param <name> <value> ...] [--label <first> <second>]")
    }
}
