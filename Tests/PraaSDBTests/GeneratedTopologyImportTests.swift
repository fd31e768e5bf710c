import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// Generated topologies go through the real import and export, on database
/// files, and come back byte for byte.
@Suite struct GeneratedTopologyImportTests {
    /// Generates `generator`'s file, imports it into a new database and exports
    /// it again, and returns the file, the export and the progress reported.
    static func roundTrip(
        _ generator: TopologyGenerator, in directory: TemporaryDirectory
    ) throws -> (generated: [UInt8], exported: [UInt8], phases: [String]) {
        let path = directory.file("generated.json")
        try generator.write(toFile: path)
        let generated = Array(try Data(contentsOf: URL(fileURLWithPath: path)))

        var phases: [String] = []
        let record: ProgressHandler = { report in
            if phases.last != report.phase {
                phases.append(report.phase)
            }
        }
        let state = try StateFileDecoder.decode(contentsOfFile: path, progress: record)
        let repository = try Repository.create(
            at: directory.file("generated.db"), options: RepositoryOptions(progress: record))
        try repository.importState(state, source: "generated.json")

        var exported: [UInt8] = []
        try repository.exportState { exported.append(contentsOf: $0) }
        return (generated, exported, phases)
    }

    @Test func importThenExportGivesSameBytes() throws {
        let directory = TemporaryDirectory()
        let generator = try TopologyGenerator(nodes: 2_000, depth: 6, fanout: 8, seed: 3, households: 9_000)
        let result = try Self.roundTrip(generator, in: directory)

        #expect(result.exported == result.generated)
        #expect(
            result.phases == [
                "reading generated.json", "checking the tree", "inserting nodes", "inserting placements",
                "writing nodes",
            ])

        let status = try Repository.open(at: directory.file("generated.db")).status()
        #expect(status.nodeCount == 2_000)
        #expect(status.maxDepth == 6)
        #expect(status.revision == 1)
        #expect(status.containerCount == 0)
        #expect(status.memoryMB == generator.levelSizes.enumerated().reduce(0) { total, level in
            total + Int64(level.element) * TopologyGenerator.memoryMB(atDepth: level.offset)
        })
    }

    @Test func generatedFileReplacesExistingFile() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("out.json", "old contents")
        try TopologyGenerator(nodes: 10).write(toFile: path)

        let file = try StateFileDecoder.decode(contentsOfFile: path)
        #expect(file.nodes.count == 10)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.json"])
    }

    /// A large network in the debug build, as a guard against a change that makes
    /// import or export grow faster than linearly. Release builds handle
    /// 1,000,000 nodes; the debug build is several times slower, so the suite
    /// uses 20,000.
    @Test func largeNetworkRoundTrips() throws {
        let directory = TemporaryDirectory()
        let generator = try TopologyGenerator(nodes: 20_000, seed: 11)
        let start = ContinuousClock.now
        let result = try Self.roundTrip(generator, in: directory)
        let elapsed = ContinuousClock.now - start

        #expect(result.exported == result.generated)
        #expect(elapsed < .seconds(120), "generate, import and export took \(elapsed)")
    }
}
