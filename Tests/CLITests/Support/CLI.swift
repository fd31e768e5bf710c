import Foundation

/// The result of running the real `praas-db` binary.
struct CommandResult {
    let exitCode: Int32
    let standardOutput: String
    let standardError: String
}

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var variables = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "USER": "tester"]
        variables.merge(environment) { _, new in new }
        process.environment = variables

        // Files rather than pipes: the child can write any amount without waiting for a reader.
        let capture = TemporaryDirectory()
        try Data().write(to: URL(fileURLWithPath: capture.file("stdout")))
        try Data().write(to: URL(fileURLWithPath: capture.file("stderr")))
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: capture.file("stdout")))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: capture.file("stderr")))
        let inputPipe = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = inputPipe
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
        }
        try inputPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        try output.close()
        try errors.close()

        let outputData = try Data(contentsOf: URL(fileURLWithPath: capture.file("stdout")))
        let errorData = try Data(contentsOf: URL(fileURLWithPath: capture.file("stderr")))
        return CommandResult(
            exitCode: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }
}
