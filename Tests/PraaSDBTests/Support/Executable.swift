import Foundation

/// Runs other programs, such as the `sqlite3` shell, from tests.
enum Executable {
    struct Result {
        let exitCode: Int32
        let standardOutput: String
        let standardError: String
    }

    /// Returns the full path of `name` in a folder of `$PATH`, or nil when no folder has it.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }

    /// Runs `executable` with `arguments`, writes `input` to its standard input and
    /// waits for it to exit.
    static func run(_ executable: String, _ arguments: [String], input: String = "") throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments

        // Files rather than pipes: the child can write any amount without waiting for a reader.
        let capture = TemporaryDirectory()
        let outputPath = capture.write("stdout", "")
        let errorPath = capture.write("stderr", "")
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        let inputPath = capture.write("stdin", input)
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        try output.close()
        try errors.close()

        return Result(
            exitCode: process.terminationStatus,
            standardOutput: try String(contentsOfFile: outputPath, encoding: .utf8),
            standardError: try String(contentsOfFile: errorPath, encoding: .utf8))
    }
}
