import Foundation
import TestSupport

/// Runs the built `praas-db` binary, which SwiftPM places beside the test bundle.
enum CLI {
    /// The binary: `$PRAAS_DB_BINARY` when set, else `praas-db` in the build folder.
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["PRAAS_DB_BINARY"] {
            return path
        }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the test runner is <build>/praas-dbPackageTests.xctest; on macOS it is inside a bundle.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("praas-db").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("praas-db").path
    }()

    /// Runs `praas-db` with `arguments` in `directory`, feeding `input` to standard
    /// input, and waits for it to exit.
    ///
    /// - Parameter environment: variables added to a minimal environment; `PRAAS_DB`
    ///   and `NO_COLOR` are not inherited, so tests see the defaults.
    @discardableResult
    static func run(
        _ arguments: [String], in directory: String, input: String? = nil, environment: [String: String] = [:]
    ) throws -> CommandResult {
        var variables = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "USER": "tester"]
        variables.merge(environment) { _, new in new }
        return try ProcessRunner.run(binary, arguments, in: directory, input: input, environment: variables)
    }
}
