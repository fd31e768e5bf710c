import Foundation

/// The exit code and output of a program a test ran.
public struct CommandResult: Sendable {
    public let exitCode: Int32
    public let standardOutput: String
    public let standardError: String

    public init(exitCode: Int32, standardOutput: String, standardError: String) {
        self.exitCode = exitCode
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

/// Runs other programs from tests: the built `praas-db`, the `sqlite3` shell,
/// Python, shells.
public enum ProcessRunner {
    /// Returns the full path of `name` in a folder of `$PATH`, or nil when no folder has it.
    public static func path(of name: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `executable` with `arguments` and waits for it to exit.
    ///
    /// - Parameters:
    ///   - directory: the working directory; the test's own when nil.
    ///   - input: written to standard input; the program reads an empty input when nil.
    ///   - environment: the whole environment; the test's own when nil.
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil, input: String? = nil,
        environment: [String: String]? = nil
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory {
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
        }
        if let environment {
            process.environment = environment
        }

        // Files rather than pipes: the child can write any amount without waiting for a reader.
        let capture = TemporaryDirectory()
        let outputPath = capture.write("stdout", "")
        let errorPath = capture.write("stderr", "")
        let inputPath = capture.write("stdin", input ?? "")
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
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
