import Foundation
import TestSupport

/// A temporary directory with `demo.db`, made by `praas-db demo`: the oslo-80
/// topology with hbo ballooned to depth 4, Lillestrom's fog and Fortnite's fog,
/// at revision 7.
final class DemoDatabase {
    let directory = TemporaryDirectory()
    var path: String { directory.file("demo.db") }

    init() throws {
        let result = try CLI.run(["demo", "--db", "demo.db"], in: directory.path)
        guard result.exitCode == 0 else {
            throw Fixtures.FixtureError(description: "praas-db demo failed: \(result.standardError)")
        }
    }

    /// Runs `praas-db --db demo.db ARGUMENTS` in the directory.
    @discardableResult
    func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws -> CommandResult {
        try CLI.run(["--db", "demo.db"] + arguments, in: directory.path, input: input, environment: environment)
    }
}

/// Programs on `$PATH` that some tests need, such as `zsh` or `dot`.
enum Tools {
    /// The path of `name` on `$PATH`, or nil when no folder has it.
    static func path(of name: String) -> String? {
        ProcessRunner.path(of: name)
    }

    /// Runs the program `name` with `arguments` in `directory`, with the test's
    /// environment plus `environment`, and returns its exit code and output.
    static func run(_ name: String, _ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> CommandResult {
        guard let program = path(of: name) else {
            throw Fixtures.FixtureError(description: "\(name) is not on PATH")
        }
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, new in new }
        return try ProcessRunner.run(program, arguments, in: directory, environment: variables)
    }
}
