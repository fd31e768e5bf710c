import ArgumentParsing
import Testing

@Suite struct ParserTests {
    // MARK: - Accepted command lines

    @Test func optionWithSeparateValue() throws {
        let parsed = try SampleProgram.run(["deploy", "hbo", "--model", "balloon", "--depth", "4"])
        #expect(parsed.command == "deploy")
        #expect(parsed.positionals == ["hbo"])
        #expect(parsed.value("--model") == "balloon")
        #expect(parsed.integer("--depth") == 4)
    }

    @Test func optionWithEqualsValue() throws {
        let parsed = try SampleProgram.run(["deploy", "hbo", "--model=fog", "--node=N13", "--db=a=b.db"])
        #expect(parsed.value("--model") == "fog")
        #expect(parsed.values("--node") == ["N13"])
        #expect(parsed.value("--db") == "a=b.db")
    }

    @Test func emptyEqualsValueReachesValidator() {
        let error = SampleProgram.usageError(["deploy", "hbo", "--model", "fog", "--depth="])
        #expect(error?.message == "Invalid value '' for '--depth <d>': expected a whole number.")
    }

    @Test func aliasesSetLongName() throws {
        let parsed = try SampleProgram.run(["-v", "deploy", "hbo", "--model", "micro", "-n", "N1", "-d", "2"])
        #expect(parsed.flag("--verbose"))
        #expect(parsed.values("--node") == ["N1"])
        #expect(parsed.value("--depth") == "2")
        #expect(parsed.value("-d") == nil)
    }

    @Test func flagsAreRecorded() throws {
        let parsed = try SampleProgram.run(["deploy", "hbo", "--yes", "--model", "fog"])
        #expect(parsed.flag("--yes"))
        #expect(!parsed.flag("--verbose"))
        #expect(parsed.flags == ["--yes"])
    }

    @Test func repeatableOptionCollectsValues() throws {
        let parsed = try SampleProgram.run(["deploy", "game", "--model", "fog", "--node", "N13", "-n", "N31", "--node=N66"])
        #expect(parsed.values("--node") == ["N13", "N31", "N66"])
        #expect(parsed.value("--node") == "N66")
        #expect(parsed.values("--depth") == [])
    }

    @Test func doubleDashEndsOptions() throws {
        let parsed = try SampleProgram.run(["copy", "--", "--verbose", "-n", "--help"])
        #expect(parsed.positionals == ["--verbose", "-n", "--help"])
        #expect(!parsed.flag("--verbose"))
    }

    @Test func doubleDashBeforeCommand() throws {
        let parsed = try SampleProgram.run(["--db", "a.db", "--", "status"])
        #expect(parsed.command == "status")
        #expect(parsed.value("--db") == "a.db")
    }

    @Test func versionAfterCommand() throws {
        #expect(try SampleProgram.parser.parse(["status", "--version"]) == .version)
        #expect(try SampleProgram.parser.parse(["deploy", "hbo", "--version"]) == .version)
        let parsed = try SampleProgram.run(["copy", "--", "--version"])
        #expect(parsed.positionals == ["--version"])
    }

    @Test func globalOptionsGoAnywhere() throws {
        let before = try SampleProgram.run(["--db", "a.db", "--verbose", "status"])
        #expect(before.value("--db") == "a.db")
        #expect(before.flag("--verbose"))

        let after = try SampleProgram.run(["status", "--db", "a.db", "--timeout", "5", "-v"])
        #expect(after.value("--db") == "a.db")
        #expect(after.value("--timeout") == "5")
        #expect(after.flag("--verbose"))

        let between = try SampleProgram.run(["--timeout=7", "deploy", "--db", "b.db", "hbo", "--model", "fog"])
        #expect(between.value("--timeout") == "7")
        #expect(between.value("--db") == "b.db")
        #expect(between.positionals == ["hbo"])
    }

    @Test func dashValuesReachOption() throws {
        let parsed = try SampleProgram.run(["copy", "-", "-5", "--db", "-"])
        #expect(parsed.positionals == ["-", "-5"])
        #expect(parsed.value("--db") == "-")

        let negative = SampleProgram.usageError(["deploy", "hbo", "--model", "fog", "--depth", "-1"])
        #expect(negative?.message == "Invalid value '-1' for '--depth <d>': expected a whole number of at least 0.")
    }

    @Test func variadicArgumentTakesRest() throws {
        let parsed = try SampleProgram.run(["copy", "a", "b", "c"])
        #expect(parsed.positionals == ["a", "b", "c"])
        #expect(parsed.positional(0) == "a")
        #expect(parsed.positional(3) == nil)
        #expect(try SampleProgram.run(["copy", "a"]).positionals == ["a"])
    }

    @Test func helpAndVersionAreRecognised() throws {
        #expect(try SampleProgram.parser.parse(["--help"]) == .help(command: nil))
        #expect(try SampleProgram.parser.parse(["-h"]) == .help(command: nil))
        #expect(try SampleProgram.parser.parse(["help"]) == .help(command: nil))
        #expect(try SampleProgram.parser.parse(["help", "deploy"]) == .help(command: "deploy"))
        #expect(try SampleProgram.parser.parse(["help", "help"]) == .help(command: "help"))
        #expect(try SampleProgram.parser.parse(["help", "--help"]) == .help(command: "help"))
        #expect(try SampleProgram.parser.parse(["help", "-h"]) == .help(command: "help"))
        #expect(try SampleProgram.parser.parse(["deploy", "--help"]) == .help(command: "deploy"))
        #expect(try SampleProgram.parser.parse(["deploy", "hbo", "-h", "--bogus"]) == .help(command: "deploy"))
        #expect(try SampleProgram.parser.parse(["--db", "a.db", "--version"]) == .version)
    }

    // MARK: - Usage errors

    @Test(arguments: [
        ([], nil, "No command given. Run 'tool help' to list the commands."),
        (["deploi"], nil, "Unknown command 'deploi'. Did you mean 'deploy'?"),
        (["STATUS"], nil, "Unknown command 'STATUS'. Did you mean 'status'?"),
        (["frobnicate"], nil, "Unknown command 'frobnicate'. Run 'tool help' to list the commands."),
        (["help", "stats"], nil, "Unknown command 'stats'. Did you mean 'status'?"),
        (["hepl"], nil, "Unknown command 'hepl'. Did you mean 'help'?"),
        (["status", "--verbos"], "status", "Unknown option '--verbos'. Did you mean '--verbose'?"),
        (["deploy", "hbo", "--model", "fog", "--dept=3"], "deploy", "Unknown option '--dept'. Did you mean '--depth'?"),
        (["deploy", "hbo", "--model", "fog", "--colour"], "deploy", "Unknown option '--colour'."),
        (["--depth", "3", "deploy"], nil, "Unknown option '--depth'; give it after the command's name."),
        (["--yes", "deploy"], nil, "Unknown option '--yes'; give it after the command's name."),
        (["deploy", "hbo", "--model"], "deploy", "Missing value for '--model <model>'."),
        (["deploy", "hbo", "--model", "--yes"], "deploy", "Missing value for '--model <model>'."),
        (["deploy", "hbo", "--node", "--", "x"], "deploy", "Missing value for '--node <name>'."),
        (["--db"], nil, "Missing value for '--db <path>'."),
        (["deploy", "--model", "fog"], "deploy", "Missing expected argument '<container>'."),
        (["deploy", "hbo"], "deploy", "Missing expected option '--model <model>'."),
        (["copy"], "copy", "Missing expected argument '<source>'."),
        (["deploy", "hbo", "extra", "--model", "fog"], "deploy", "Unexpected argument 'extra'."),
        (["status", "now"], "status", "Unexpected argument 'now'."),
        (["deploy", "hbo", "--model", "fog", "--depth", "1", "-d", "2"], "deploy",
         "'--depth' was given more than once; give it once."),
        (["--db", "a.db", "status", "--db", "b.db"], "status", "'--db' was given more than once; give it once."),
        (["deploy", "hbo", "--model", "cloud"], "deploy",
         "Invalid value 'cloud' for '--model <model>': expected one of 'balloon', 'fog', 'micro'."),
        (["deploy", "hbo", "--model", "fog", "--depth", "four"], "deploy",
         "Invalid value 'four' for '--depth <d>': expected a whole number."),
        (["--timeout", "601", "status"], nil, "Invalid value '601' for '--timeout <seconds>': expected a whole number of at most 600."),
        (["deploy", "", "--model", "fog"], "deploy", "Invalid value '' for '<container>': expected a value that is not empty."),
        (["deploy", "hbo", "--model", "fog", "--yes=no"], "deploy", "The flag '--yes' takes no value."),
        (["deploy", "hbo", "--model", "fog", "--yes", "--yes"], "deploy", "'--yes' was given more than once; give it once."),
        (["-v", "status", "--verbose"], "status", "'--verbose' was given more than once; give it once."),
        (["--", "--verbose"], nil, "Unknown command '--verbose'. Run 'tool help' to list the commands."),
    ] as [([String], String?, String)])
    func usageErrorIsExplained(arguments: [String], command: String?, message: String) {
        let error = SampleProgram.usageError(arguments)
        #expect(error?.message == message)
        #expect(error?.command == command)
    }

    // MARK: - Validators

    @Test(arguments: [
        ("0", nil),
        ("+5", nil),
        ("10", nil),
        ("-1", "expected a whole number of at least 0"),
        ("11", "expected a whole number of at most 10"),
        ("1.5", "expected a whole number"),
        ("", "expected a whole number"),
        ("99999999999999999999", "expected a whole number"),
    ] as [(String, String?)])
    func integerValidatorChecksRange(text: String, problem: String?) {
        #expect(Validators.integer(minimum: 0, maximum: 10)(text) == problem)
    }

    @Test func oneOfValidatorIsExact() {
        let validate = Validators.oneOf(["table", "json"])
        #expect(validate("json") == nil)
        #expect(validate("JSON") == "expected one of 'table', 'json'")
        #expect(validate("") == "expected one of 'table', 'json'")
    }

    @Test func nonEmptyValidatorRejectsEmpty() {
        #expect(Validators.nonEmpty("x") == nil)
        #expect(Validators.nonEmpty(" ") == nil)
        #expect(Validators.nonEmpty("") == "expected a value that is not empty")
    }
}
