import Foundation

/// A topology that ships inside praas-db as a state file, embedded from
/// `Topologies/` at build time.
public struct BuiltInTopology: Sendable {
    /// The name used on the command line: the file name without `.json`.
    public let name: String
    /// The state file's text, as committed in `Topologies/`.
    public let stateFileText: String

    /// Every built-in topology, sorted by name.
    public static let all: [BuiltInTopology] = EmbeddedResources.topologies.map { file in
        BuiltInTopology(name: String(file.name.dropLast(".json".count)), stateFileText: file.text)
    }

    /// Returns the built-in topology called `name`.
    ///
    /// - Throws: `.notFound` naming the topologies there are.
    public static func named(_ name: String) throws -> BuiltInTopology {
        if let topology = all.first(where: { $0.name == name }) {
            return topology
        }
        var message = "no built-in topology is named '\(name)'"
        if let match = all.first(where: { $0.name.lowercased() == name.lowercased() }) {
            message += "; did you mean '\(match.name)'?"
        } else {
            message += "; the built-in topologies are: \(all.map(\.name).joined(separator: ", "))"
        }
        throw PraaSError(.notFound, message)
    }

    /// The topology decoded and checked.
    public func stateFile() throws -> StateFile {
        try StateFileDecoder.decode(Data(stateFileText.utf8), source: "built-in topology \(name)")
    }
}

