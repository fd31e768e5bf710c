import Foundation

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
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs the program `name` with `arguments` in `directory` and returns its exit
    /// code and output.
    static func run(_ name: String, _ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> CommandResult {
        guard let program = path(of: name) else {
            throw Fixtures.FixtureError(description: "\(name) is not on PATH")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, new in new }
        process.environment = variables

        let capture = TemporaryDirectory()
        let outputPath = capture.write("stdout", "")
        let errorPath = capture.write("stderr", "")
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        try output.close()
        try errors.close()
        return CommandResult(
            exitCode: process.terminationStatus,
            standardOutput: String(decoding: try Data(contentsOf: URL(fileURLWithPath: outputPath)), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: URL(fileURLWithPath: errorPath)), as: UTF8.self))
    }
}
