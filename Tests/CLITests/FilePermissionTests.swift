import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// Database files and backups are readable and writable by their owner only,
/// whatever the umask, and a database that cannot be created leaves no file.
@Suite struct FilePermissionTests {
    /// Runs `praas-db` through `sh` with umask 000, so any mode wider than 0600
    /// would show.
    static func runWithOpenUmask(_ arguments: [String], in directory: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "umask 000; exec \"$0\" \"$@\"", CLI.binary] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ["PATH": "/usr/bin:/bin", "USER": "tester"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    @Test(.timeLimit(.minutes(2)))
    func databaseAndLogFilesAreOwnerOnly() throws {
        let directory = TemporaryDirectory()
        try SyntheticTree.write(SyntheticTree.breadthFirst(nodes: 10_000, fanout: 8), to: directory.file("big.json"))

        // The -wal and -shm files exist only while a connection is open, so their
        // modes are read while the import writes.
        let process = try Self.runWithOpenUmask(["import", "big.json"], in: directory.path)
        var seen: [String: Int] = [:]
        while process.isRunning || seen.count < 3 {
            for name in ["praas.db", "praas.db-wal", "praas.db-shm"] where seen[name] == nil {
                if let mode = try? Self.mode(of: directory.file(name)) {
                    seen[name] = mode
                }
            }
            if !process.isRunning {
                break
            }
            Thread.sleep(forTimeInterval: 0.001)
        }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(seen == ["praas.db": 0o600, "praas.db-wal": 0o600, "praas.db-shm": 0o600])

        let backup = try Self.runWithOpenUmask(["backup", "copy.db"], in: directory.path)
        backup.waitUntilExit()
        #expect(backup.terminationStatus == 0)
        #expect(try Self.mode(of: directory.file("copy.db")) == 0o600)

        let initialize = try Self.runWithOpenUmask(["--db", "new.db", "init"], in: directory.path)
        initialize.waitUntilExit()
        #expect(initialize.terminationStatus == 0)
        #expect(try Self.mode(of: directory.file("new.db")) == 0o600)
    }

    /// A path longer than SQLite's limit of 512 bytes: the file can be created,
    /// but SQLite cannot open it, and the empty file must not stay behind.
    static func overlongPath(in directory: TemporaryDirectory) throws -> String {
        var folder = directory.path
        while folder.utf8.count < 520 {
            folder += "/" + String(repeating: "d", count: 100)
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/praas.db"
    }

    @Test func failedOpenLeavesNoFile() throws {
        let directory = TemporaryDirectory()
        let path = try Self.overlongPath(in: directory)
        #expect(throws: DatabaseError.self) {
            _ = try Database(path: path, mode: .readWriteCreate)
        }
        #expect(!FileManager.default.fileExists(atPath: path))

        for arguments in [["init"], ["init", "--topology", "oslo-80"]] {
            let result = try CLI.run(["--db", path] + arguments, in: directory.path)
            #expect(result.exitCode == 66)
            #expect(result.standardError == "Error: cannot open database '\(path)': unable to open database file\n")
            #expect(!FileManager.default.fileExists(atPath: path), "\(arguments)")
        }
    }

    /// An existing file is never removed by a failed open, even an empty one.
    @Test func failedOpenKeepsExistingFile() throws {
        let directory = TemporaryDirectory()
        let path = try Self.overlongPath(in: directory)
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(throws: DatabaseError.self) {
            _ = try Database(path: path, mode: .readWriteCreate)
        }
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
