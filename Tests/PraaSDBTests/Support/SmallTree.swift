import Foundation

@testable import PraaSDB
import TestSupport

/// A five-node state file written by hand in the prototype's style, every value
/// a string, and helpers to load it into a fresh database.
///
///     N0 (8192 MB, 16 cores)
///     ├── N1 (4096 MB, 8 cores)
///     │   ├── N3 (1024 MB, 1 core, households h3)
///     │   └── N4 (1024 MB, 2 cores)
///     └── N2 (4096 MB, 8 cores, households h1 and h2)
///
/// The container `hbo` (256 MB, 0.2 cores) runs on N0, N1 and N3.
enum SmallTree {
    static let text = """
        {
            "containerlist": [
                {"name": "hbo", "resource_mem": "256", "resource_cpu": "0.2", "customer": "HBO"}
            ],
            "nodelist": [
                {"name": "N0", "parent": "none", "children": ["N1", "N2"], "leaf": "false", "households": [], "capacity_mem": "8192", "capacity_mem_used": "256", "capacity_cpu": "16", "capacity_cpu_used": "0.2", "containers": ["hbo"], "depth": "0"},
                {"name": "N1", "parent": "N0", "children": ["N3", "N4"], "leaf": "false", "households": [], "capacity_mem": "4096", "capacity_mem_used": "256", "capacity_cpu": "8", "capacity_cpu_used": "0.2", "containers": ["hbo"], "depth": "1"},
                {"name": "N2", "parent": "N0", "children": [], "leaf": "true", "households": ["h1", "h2"], "capacity_mem": "4096", "capacity_mem_used": "0", "capacity_cpu": "8", "capacity_cpu_used": "0", "containers": [], "depth": "1"},
                {"name": "N3", "parent": "N1", "children": [], "leaf": "true", "households": ["h3"], "capacity_mem": "1024", "capacity_mem_used": "256", "capacity_cpu": "1", "capacity_cpu_used": "0.2", "containers": ["hbo"], "depth": "2"},
                {"name": "N4", "parent": "N1", "children": [], "leaf": "true", "households": [], "capacity_mem": "1024", "capacity_mem_used": "0", "capacity_cpu": "2", "capacity_cpu_used": "0", "containers": [], "depth": "2"}
            ]
        }

        """

    /// An edit that does not match the small tree's text exactly once.
    struct EditError: Error, CustomStringConvertible {
        let description: String
    }

    /// Returns the text with each `(old, new)` edit applied in order. Each `old`
    /// must occur exactly once in the text as it is when the edit applies.
    static func text(applying edits: [(String, String)]) throws -> String {
        var result = text
        for (old, new) in edits {
            let count = result.components(separatedBy: old).count - 1
            guard count == 1 else {
                throw EditError(description: "'\(old)' occurs \(count) times in the small tree; an edit must match once")
            }
            result = result.replacingOccurrences(of: old, with: new)
        }
        return result
    }

    /// Decodes the text.
    static func stateFile() throws -> StateFile {
        try StateFileDecoder.decode(Data(text.utf8), source: "small-tree.json")
    }

    /// Creates `praas.db` in `directory` and imports the small tree into it.
    static func makeDatabase(in directory: TemporaryDirectory) throws -> Repository {
        let repository = try Repository.create(at: directory.file("praas.db"))
        try repository.importState(try stateFile(), source: "small-tree.json")
        return repository
    }
}

extension StateFileDecoder {
    /// Decodes `text` as a state file named `source`.
    static func decode(text: String, source: String = "state.json") throws -> StateFile {
        try decode(Data(text.utf8), source: source)
    }
}
