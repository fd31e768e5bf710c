import Foundation
import TestSupport

/// Runs `Tests/Prototype/praas_prototype.py`, a Python model of the prototype
/// `PraaS.py`, with the `python3` found on `$PATH`.
enum PrototypeModel {
    struct MissingPython: Error, CustomStringConvertible {
        let description = "python3 is not on PATH; the prototype model in Tests/Prototype needs Python 3"
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let script = Fixtures.packageRoot.appendingPathComponent("Tests/Prototype/praas_prototype.py").path

    /// The `python3` executable, or nil when no folder of `$PATH` has one.
    static let python: String? = ProcessRunner.path(of: "python3")

    /// Runs the model with `arguments` in `directory` and returns its exit code,
    /// standard output and standard error.
    static func run(_ arguments: [String], in directory: TemporaryDirectory) throws -> CommandResult {
        guard let python else { throw MissingPython() }
        return try ProcessRunner.run(python, [script] + arguments, in: directory.path)
    }

    /// Runs one operation on the state file `input` and writes the printed state to
    /// `output`, as an operator redirects the prototype's output to a new file.
    @discardableResult
    static func step(_ operation: [String], from input: String, to output: String, in directory: TemporaryDirectory) throws -> String {
        let result = try run(["-f", input] + operation, in: directory)
        guard result.exitCode == 0 else {
            throw Failure(description: "the prototype model failed on \(operation): \(result.standardError)")
        }
        directory.write(output, result.standardOutput)
        return result.standardOutput
    }

    /// Returns the names of the nodes whose `containers` list `container` in a state file's text.
    static func nodes(holding container: String, in stateText: String) throws -> Set<String> {
        let state = try JSONSerialization.jsonObject(with: Data(stateText.utf8)) as? [String: Any]
        let nodes = state?["nodelist"] as? [[String: Any]] ?? []
        return Set(nodes.filter { ($0["containers"] as? [String] ?? []).contains(container) }.compactMap { $0["name"] as? String })
    }
}
