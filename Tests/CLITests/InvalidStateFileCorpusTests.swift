import Foundation
import Testing
import TestSupport

/// Every invalid state file under `Tests/Corpus/state-files` is imported
/// through the real binary. Each is rejected with exit 65 and its exact
/// message, a new `--db` file is never created, and an existing database is
/// left byte for byte as it was.
@Suite struct InvalidStateFileCorpusTests {
    static let folder = Fixtures.packageRoot.appendingPathComponent("Tests/Corpus/state-files")

    /// The cases' names, such as `014-nan-bare`, in order.
    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }()

    /// Returns the files of the database at `path` that exist: the database, its log and its shared memory.
    static func databaseFiles(_ path: String) -> [String] {
        ["", "-wal", "-shm", "-journal"].map { path + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    @Test func corpusHasEveryCase() throws {
        #expect(Self.cases.count >= 60)
        for name in Self.cases {
            #expect(FileManager.default.fileExists(atPath: Self.folder.appendingPathComponent("\(name).expected").path), "\(name)")
        }
    }

    @Test(arguments: cases)
    func invalidFileIsRejected(_ name: String) throws {
        let directory = TemporaryDirectory()
        let input = try Data(contentsOf: Self.folder.appendingPathComponent("\(name).json"))
        let expected = try String(contentsOf: Self.folder.appendingPathComponent("\(name).expected"), encoding: .utf8)
        #expect(FileManager.default.createFile(atPath: directory.file("state.json"), contents: input))

        let fresh = try CLI.run(["--db", "new.db", "import", "state.json"], in: directory.path)
        #expect(fresh.exitCode == 65)
        #expect(fresh.standardError == expected)
        #expect(fresh.standardOutput == "")
        #expect(Self.databaseFiles(directory.file("new.db")) == [])

        // An existing database is left as it was, byte for byte.
        let path = directory.file("existing.db")
        #expect(try CLI.run(["--db", "existing.db", "init", "--topology", "oslo-80"], in: directory.path).exitCode == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let existing = try CLI.run(["--db", "existing.db", "import", "state.json"], in: directory.path)
        #expect(existing.exitCode == 65)
        #expect(existing.standardError == expected)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(Self.databaseFiles(path) == [path])
    }
}
