import Foundation
import Testing
import TestSupport

/// Output files of any name and kind, database files that are empty, foreign or
/// in a folder this user cannot write, and `init --force` against a locked or
/// foreign file.
@Suite struct FileHandlingTests {
    static func osloDatabase() throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        #expect(try CLI.run(["init", "--topology", "oslo-80"], in: directory.path).exitCode == 0)
        return directory
    }

    static func size(of path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }

    // MARK: - Output files

    @Test func oneCharacterOutputNames() throws {
        let directory = try Self.osloDatabase()
        let commands = [
            ["export", "--output", "x"], ["backup", "z"], ["graph", "--output", "g"],
            ["generate", "--nodes", "3", "--output", "y"],
        ]
        for arguments in commands {
            let result = try CLI.run(arguments, in: directory.path)
            #expect(result.exitCode == 0, "\(arguments): \(result.standardError)")
            #expect(result.standardError == "", "\(arguments)")
        }
        #expect(try String(contentsOfFile: directory.file("x"), encoding: .utf8).hasPrefix("{\n    \"containerlist\": []"))
        #expect(try CLI.run(["--db", "z", "check"], in: directory.path).exitCode == 0)
        #expect(try String(contentsOfFile: directory.file("g"), encoding: .utf8).hasPrefix("digraph"))
        #expect(try String(contentsOfFile: directory.file("y"), encoding: .utf8).contains("\"N2\""))
    }

    @Test func symbolicLinkIsKept() throws {
        let directory = try Self.osloDatabase()
        directory.write("real.json", "old\n")
        chmod(directory.file("real.json"), 0o640)
        try FileManager.default.createSymbolicLink(atPath: directory.file("out.json"), withDestinationPath: "real.json")

        let result = try CLI.run(["export", "--output", "out.json"], in: directory.path)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.file("out.json")) == "real.json")
        #expect(try Self.size(of: directory.file("real.json")) > 200_000)
        let mode = try FileManager.default.attributesOfItem(atPath: directory.file("real.json"))[.posixPermissions]
        #expect(mode as? Int == 0o640)
    }

    @Test func danglingLinkGetsItsTarget() throws {
        let directory = try Self.osloDatabase()
        try FileManager.default.createDirectory(atPath: directory.file("sub"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: directory.file("out.json"), withDestinationPath: "sub/new.json")

        let result = try CLI.run(["export", "--output", "out.json"], in: directory.path)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.file("out.json")) == "sub/new.json")
        #expect(try Self.size(of: directory.file("sub/new.json")) > 200_000)
    }

    @Test func pipeIsWrittenThrough() throws {
        let directory = try Self.osloDatabase()
        let pipe = directory.file("pipe")
        #expect(mkfifo(pipe, 0o600) == 0)

        // A reader on the pipe, so that the writer's open returns.
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "cat pipe > copy.json"]
        reader.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        try reader.run()

        let result = try CLI.run(["export", "--output", "pipe"], in: directory.path)
        reader.waitUntilExit()
        #expect(result.exitCode == 0, "\(result.standardError)")
        var status = stat()
        #expect(lstat(pipe, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFIFO)
        let exported = try CLI.run(["export"], in: directory.path).standardOutput
        #expect(try String(contentsOfFile: directory.file("copy.json"), encoding: .utf8) == exported)
    }

    @Test func folderIsNotAnOutputFile() throws {
        let directory = try Self.osloDatabase()
        try FileManager.default.createDirectory(atPath: directory.file("sub"), withIntermediateDirectories: false)
        let result = try CLI.run(["export", "--output", "sub"], in: directory.path)
        #expect(result.exitCode == 1)
        #expect(result.standardError == "Error: cannot write 'sub': it is a folder; name a file inside it\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("sub")).isEmpty)
    }

    @Test func backupKeepsDanglingLink() throws {
        let directory = try Self.osloDatabase()
        try FileManager.default.createSymbolicLink(atPath: directory.file("link.db"), withDestinationPath: "target.db")
        let result = try CLI.run(["backup", "link.db"], in: directory.path)
        #expect(result.exitCode == 1)
        #expect(result.standardError == "Error: 'link.db' already exists; choose a new file name for the backup\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory.file("link.db")) == "target.db")
    }

    @Test func emptyOutputNameIsUsageError() throws {
        let directory = try Self.osloDatabase()
        let cases = [
            (["export", "--output", ""], "Error: the output file name is empty; name a file\n"),
            (["backup", ""], "Error: the backup's file name is empty; name a new file\n"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.run(arguments, in: directory.path)
            #expect(result.exitCode == 64, "\(arguments)")
            #expect(result.standardError.hasPrefix(message), "\(arguments): \(result.standardError)")
        }
    }

    // MARK: - Database files

    @Test func emptyFileIsLeftAlone() throws {
        let directory = TemporaryDirectory()
        directory.write("praas.db", "")
        let expected =
            "Error: database 'praas.db' is empty (it has no tables); create the database in it with 'praas-db init' "
            + "or 'praas-db import FILE', or point --db (or PRAAS_DB) at an existing database\n"
        for arguments in [["check"], ["status"], ["names", "containers"], ["sql", "SELECT 1"], ["nodes"]] {
            let result = try CLI.run(arguments, in: directory.path)
            #expect(result.exitCode == 66, "\(arguments)")
            #expect(result.standardError == expected, "\(arguments)")
        }
        #expect(try Self.size(of: directory.file("praas.db")) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["praas.db"])
    }

    @Test func uriLikeNameIsAFileName() throws {
        let directory = TemporaryDirectory()
        let name = "file:x.db?mode=memory"
        let result = try CLI.run(["--db", name, "init", "--topology", "oslo-80"], in: directory.path)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(try CLI.run(["--db", name, "check"], in: directory.path).exitCode == 0)
        #expect(try Self.size(of: directory.file(name)) > 0)
    }

    /// SQLite creates the `-wal` and `-shm` files beside the database even to
    /// read it, so a folder this user cannot write makes the database unusable.
    @Test func readOnlyFolderIsNamed() throws {
        let directory = try Self.osloDatabase()
        let folder = directory.file("locked")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        #expect(rename(directory.file("praas.db"), folder + "/x.db") == 0)
        let database = folder + "/x.db"

        // Root may write any folder, so as root the binary runs as the user nobody (uid 65534), who owns
        // only the database file.
        var prefix: [String] = []
        if getuid() == 0 {
            let setpriv = try #require(ProcessRunner.path(of: "setpriv"), "setpriv (util-linux) is needed as root")
            chmod(directory.path, 0o755)
            #expect(chown(database, 65534, 0) == 0)
            prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        }
        chmod(folder, 0o555)
        defer { chmod(folder, 0o755) }

        let expected =
            "Error: cannot open database '\(database)': its folder '\(folder)' is not writable, and SQLite must "
            + "create the '-wal' and '-shm' files beside the database, even to read it; make the folder writable "
            + "for this user, or run praas-db as a user who can write it\n"
        for arguments in [["status"], ["sql", "SELECT count(*) FROM nodes"]] {
            let command = prefix + [CLI.binary, "--db", database] + arguments
            let result = try ProcessRunner.run(
                command[0], Array(command.dropFirst()), in: directory.path, environment: ["PATH": "/usr/bin:/bin"])
            #expect(result.exitCode == 66, "\(arguments)")
            #expect(result.standardError == expected, "\(arguments)")
        }
    }

    // MARK: - Replacing a database

    @Test func forceWaitsForTheWriteLock() throws {
        let directory = try Self.osloDatabase()
        let sqlite3 = try #require(ProcessRunner.path(of: "sqlite3"))
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = [
            "-c", "(echo 'BEGIN IMMEDIATE;'; echo '.print locked'; sleep 3; echo 'COMMIT;') | \(sqlite3) praas.db > marker",
        ]
        holder.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        try holder.run()
        defer { holder.waitUntilExit() }
        let deadline = Date().addingTimeInterval(10)
        while (try? String(contentsOfFile: directory.file("marker"), encoding: .utf8))?.contains("locked") != true,
            Date() < deadline
        {
            usleep(20_000)
        }
        var before = stat()
        #expect(stat(directory.file("praas.db"), &before) == 0)

        let result = try CLI.run(
            ["--busy-timeout", "0.3", "init", "--force", "--topology", "oslo-80"], in: directory.path)
        #expect(result.exitCode == 6)
        #expect(
            result.standardError
                == "Error: replacing the database timed out after 0.3 s waiting for another process to release the "
                + "database lock; nothing was changed, and the operation can be retried (raise the wait with "
                + "--busy-timeout SECONDS)\n")
        var after = stat()
        #expect(stat(directory.file("praas.db"), &after) == 0)
        #expect(after.st_ino == before.st_ino)
    }

    @Test func forceKeepsOtherFiles() throws {
        let directory = TemporaryDirectory()
        directory.write("notes.txt", "precious\n")
        let result = try CLI.run(["--db", "notes.txt", "init", "--force"], in: directory.path)
        #expect(result.exitCode == 7)
        #expect(
            result.standardError
                == "Error: 'notes.txt' is not an SQLite database, so --force does not replace it; delete it yourself "
                + "if it is not needed, or choose another file with --db\n")
        #expect(try String(contentsOfFile: directory.file("notes.txt"), encoding: .utf8) == "precious\n")

        let sqlite3 = try #require(ProcessRunner.path(of: "sqlite3"))
        #expect(try ProcessRunner.run(sqlite3, ["other.db", "CREATE TABLE t (a)"], in: directory.path).exitCode == 0)
        let other = try CLI.run(["--db", "other.db", "init", "--force"], in: directory.path)
        #expect(other.exitCode == 7)
        #expect(other.standardError.hasPrefix("Error: 'other.db' is an SQLite database of another program"))
    }

    // MARK: - State files to import

    @Test func importReadsStandardInput() throws {
        let source = try Self.osloDatabase()
        let exported = try CLI.run(["export"], in: source.path).standardOutput
        let directory = TemporaryDirectory()
        let result = try CLI.run(["--db", "new.db", "import", "/dev/stdin"], in: directory.path, input: exported)
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(
            result.standardOutput
                == "Imported '/dev/stdin' into 'new.db': 80 nodes, 0 containers, 0 placements; revision 1.\n")
    }

    @Test func importNamesFolderAndEmptyInput() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("cases"), withIntermediateDirectories: false)
        let folder = try CLI.run(["import", "cases"], in: directory.path)
        #expect(folder.exitCode == 66)
        #expect(folder.standardError == "Error: 'cases' is a folder, not a state file; pass the path of a JSON state file\n")

        let empty = try CLI.run(["import", "/dev/null"], in: directory.path)
        #expect(empty.exitCode == 65)
        #expect(empty.standardError == "Error: '/dev/null' is not valid JSON: line 1, column 1: the file is empty\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["cases"])
    }
}
