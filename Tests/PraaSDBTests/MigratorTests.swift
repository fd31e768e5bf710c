import Foundation
import Testing

@testable import PraaSDB
import TestSupport

@Suite struct MigratorTests {
    /// 2027-01-15T08:00:00Z, a whole second, so the stored text is exact.
    static let fixedDate = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func newDatabaseRecordsEveryMigration() throws {
        let directory = TemporaryDirectory()
        let options = RepositoryOptions(clock: { Self.fixedDate })
        let repository = try Repository.create(at: directory.file("praas.db"), options: options)
        let database = repository.database

        let recorded = try database.rows("SELECT version, name, applied_at FROM schema_migrations ORDER BY version") { row in
            "\(row.int(0)) \(row.string(1)) \(row.string(2))"
        }
        let expected = Migration.all.map { "\($0.version) \($0.name) 2027-01-15T08:00:00.000Z" }
        #expect(recorded == expected)
        #expect(recorded.first == "1 0001_core.sql 2027-01-15T08:00:00.000Z")
        #expect(try database.scalarInt("PRAGMA user_version") == Migration.latestVersion)
        #expect(try database.scalarInt("PRAGMA application_id") == 0x5052_4153)
        #expect(try database.scalarString("PRAGMA journal_mode") == "wal")
        #expect(try repository.status().schemaVersion == Migration.latestVersion)
    }

    @Test func reopeningRunsNothingAgain() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("praas.db")
        _ = try Repository.create(at: path, options: RepositoryOptions(clock: { Self.fixedDate }))
        let later = Date(timeIntervalSince1970: 1_900_000_000)
        let reopened = try Repository.open(at: path, options: RepositoryOptions(clock: { later }))

        let times = try reopened.database.rows("SELECT DISTINCT applied_at FROM schema_migrations") { $0.string(0) }
        #expect(times == ["2027-01-15T08:00:00.000Z"])
        #expect(try reopened.database.scalarInt("SELECT count(*) FROM schema_migrations") == Migration.all.count)
    }

    @Test func embeddedMigrationsAreNumberedInOrder() {
        let versions = Migration.all.map(\.version)
        #expect(versions.first == 1)
        #expect(versions == Array(1...versions.count))
        #expect(Migration.latestVersion == versions.last)
        #expect(Migration.all.first?.name == "0001_core.sql")
        #expect(Migration.all.first?.sql.contains("CREATE TABLE nodes") == true)
    }

    @Test func emptyFileIsNotOpened() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("empty.db", "")
        chmod(path, 0o644)

        let error = try #require(throws: PraaSError.self) {
            try Repository.open(at: path)
        }
        #expect(error.kind == .fileNotFound)
        #expect(
            error.message
                == "database '\(path)' is empty (it has no tables); create the database in it with 'praas-db init' "
                + "or 'praas-db import FILE', or point --db (or PRAAS_DB) at an existing database")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == 0)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func emptyFileBecomesOwnerOnlyDatabase() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("empty.db", "")
        chmod(path, 0o644)

        let repository = try Repository.create(at: path)
        #expect(try repository.status().schemaVersion == Migration.latestVersion)
        #expect(try repository.revision() == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
    }

    @Test func newerSchemaIsRejected() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("praas.db")
        do {
            let repository = try SmallTree.makeDatabase(in: directory)
            try repository.database.run(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                Migration.latestVersion + 1, "9999_future.sql", "2030-01-01T00:00:00.000Z")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let error = try #require(throws: PraaSError.self) {
            try Repository.open(at: path)
        }
        let latest = Migration.latestVersion
        #expect(error.kind == .corruptDatabase)
        #expect(
            error.message
                == "'\(path)' has schema version \(latest + 1), newer than this praas-db, which knows versions up to "
                + "\(latest); use a newer praas-db")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func foreignDatabaseIsRejected() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("other.db")
        do {
            let database = try Database(path: path, mode: .readWriteCreate)
            try database.execute("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let expected =
            "'\(path)' is an SQLite database of another program (it has tables but no praas-db application id); "
            + "pass a new file with --db"

        let openError = try #require(throws: PraaSError.self) {
            try Repository.open(at: path)
        }
        #expect(openError.kind == .corruptDatabase)
        #expect(openError.message == expected)

        let createError = try #require(throws: PraaSError.self) {
            try Repository.create(at: path)
        }
        #expect(createError.kind == .corruptDatabase)
        #expect(createError.message == expected)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func textFileIsRejected() throws {
        let directory = TemporaryDirectory()
        let text = "name,memory\nN0,8192\n" + String(repeating: "padding line\n", count: 20)
        let path = directory.write("notes.db", text)

        let error = try #require(throws: PraaSError.self) {
            try Repository.open(at: path)
        }
        #expect(error.kind == .corruptDatabase)
        #expect(
            error.message
                == "'\(path)' is not an SQLite database (it lacks SQLite's file header); point --db (or PRAAS_DB) at a "
                + "praas-db database, or restore this file from a backup if it was one")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func missingMigrationRecordIsCorrupt() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("praas.db")
        do {
            let repository = try SmallTree.makeDatabase(in: directory)
            try repository.database.run("DELETE FROM schema_migrations WHERE version = ?", Migration.latestVersion)
        }
        let latest = try #require(Migration.all.last)
        let error = try #require(throws: PraaSError.self) {
            try Repository.open(at: path)
        }
        #expect(error.kind == .corruptDatabase)
        #expect(error.message.hasPrefix("migration \(latest.name) failed on '\(path)' ("))
        #expect(
            error.message.hasSuffix(
                " already exists), so its tables do not match the schema version it records "
                    + "(\(Migration.latestVersion - 1)); nothing was changed. Restore the database from a backup"))
        let database = try Database(path: path, mode: .readOnly)
        #expect(try database.scalarInt("SELECT max(version) FROM schema_migrations") == Migration.latestVersion - 1)
    }

    @Test func damagedDatabaseAsksForTheBackup() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("damaged.db")
        _ = try Repository.create(at: path)
        // Keep SQLite's 100-byte header and overwrite the rest of the first page,
        // which contains the schema table's root.
        let file = try #require(FileHandle(forUpdatingAtPath: path))
        try file.seek(toOffset: 100)
        try file.write(contentsOf: Data(repeating: 0xFF, count: 3996))
        try file.close()

        let error = try #require(throws: PraaSError.self) {
            try Repository.open(at: path)
        }
        #expect(error.kind == .corruptDatabase)
        #expect(
            error.message
                == "'\(path)' is a damaged SQLite database (database disk image is malformed); restore it from a "
                + "backup, and keep the damaged file for inspection")
    }

    @Test func missingFileIsNotCreated() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("missing.db")
        let error = try #require(throws: PraaSError.self) {
            try Repository.open(at: path)
        }
        #expect(error.kind == .fileNotFound)
        #expect(
            error.message
                == "database '\(path)' does not exist; create it with 'praas-db init' or 'praas-db import FILE', "
                + "or point --db (or PRAAS_DB) at an existing database")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func inspectReportsEmptyDatabase() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        let status = try Migrator().inspect(database)
        #expect(status.isEmpty)
        #expect(status.appliedVersion == 0)
    }
}
