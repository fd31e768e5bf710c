import Foundation
import PackagePlugin

/// Generates `EmbeddedResources.swift` for the target from the package's
/// `Migrations/*.sql` and `Topologies/*.json`, so the built binary carries the
/// schema and the built-in topologies and works wherever it is copied.
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let migrations = try files(in: root.appending(path: "Migrations"), withExtension: "sql")
        let topologies = try files(in: root.appending(path: "Topologies"), withExtension: "json")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedResources.swift")

        var arguments = [output.path]
        arguments += migrations.map { "migration=\($0.path)" }
        arguments += topologies.map { "topology=\($0.path)" }

        return [
            .buildCommand(
                displayName: "Embedding \(migrations.count) migrations and \(topologies.count) topologies",
                executable: try context.tool(named: "praas-embed").url,
                arguments: arguments,
                inputFiles: migrations + topologies,
                outputFiles: [output]
            )
        ]
    }

    private func files(in directory: URL, withExtension fileExtension: String) throws -> [URL] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names
            .filter { $0.hasSuffix(".\(fileExtension)") }
            .sorted()
            .map { directory.appending(path: $0) }
    }
}
