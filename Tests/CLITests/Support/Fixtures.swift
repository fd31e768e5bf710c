import Foundation
import TestSupport

/// Files the CLI tests feed to `praas-db` and paths inside the package.
enum Fixtures {
    /// The package's root folder, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Reads a file of the package, such as `Topologies/oslo-80.json`.
    static func packageFile(_ relativePath: String) throws -> String {
        try String(contentsOf: packageRoot.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// A five-node state file written by hand in the prototype's style, all values
    /// strings. `hbo` (256 MB, 0.2 cores) runs on N0, N1 and N3 and `Fortnite`
    /// (512 MB, 0.5 cores) on N0 and N3; N4 has 2.5 cores.
    static let smallTree = """
        {
            "containerlist": [
                {"name": "hbo", "resource_mem": "256", "resource_cpu": "0.2", "customer": "HBO"},
                {"name": "Fortnite", "resource_mem": "512", "resource_cpu": "0.5", "customer": "Epic games"}
            ],
            "nodelist": [
                {"name": "N0", "parent": "none", "children": ["N1", "N2"], "leaf": "false", "households": [], "capacity_mem": "8192", "capacity_mem_used": "768", "capacity_cpu": "16", "capacity_cpu_used": "0.7", "containers": ["hbo", "Fortnite"], "depth": "0"},
                {"name": "N1", "parent": "N0", "children": ["N3", "N4"], "leaf": "false", "households": [], "capacity_mem": "4096", "capacity_mem_used": "256", "capacity_cpu": "8", "capacity_cpu_used": "0.2", "containers": ["hbo"], "depth": "1"},
                {"name": "N2", "parent": "N0", "children": [], "leaf": "true", "households": ["h1", "h2"], "capacity_mem": "4096", "capacity_mem_used": "0", "capacity_cpu": "8", "capacity_cpu_used": "0", "containers": [], "depth": "1"},
                {"name": "N3", "parent": "N1", "children": [], "leaf": "true", "households": ["h3"], "capacity_mem": "1024", "capacity_mem_used": "768", "capacity_cpu": "1", "capacity_cpu_used": "0.7", "containers": ["hbo", "Fortnite"], "depth": "2"},
                {"name": "N4", "parent": "N1", "children": [], "leaf": "true", "households": [], "capacity_mem": "1024", "capacity_mem_used": "0", "capacity_cpu": "2.5", "capacity_cpu_used": "0", "containers": [], "depth": "2"}
            ]
        }

        """

    /// Creates `praas.db` in `directory` from the small tree, through `praas-db import`.
    static func importSmallTree(in directory: TemporaryDirectory) throws {
        directory.write("small.json", smallTree)
        let result = try CLI.run(["import", "small.json"], in: directory.path)
        guard result.exitCode == 0 else {
            throw FixtureError(description: "import of small.json failed: \(result.standardError)")
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
    }
}
