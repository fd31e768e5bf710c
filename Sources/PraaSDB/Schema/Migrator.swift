import Foundation

/// Brings a database's schema up to date by running the pending migrations in
/// order, each in its own transaction, and recording each in
/// `schema_migrations`.
struct Migrator {
    /// `PRAGMA application_id` of every praas-db database: "PRAS" in ASCII.
    static let applicationID = 0x5052_4153

    let migrations: [Migration]

    init(migrations: [Migration] = Migration.all) {
        self.migrations = migrations
    }

    /// Reads what the file holds without writing to it, and throws when praas-db
    /// must not touch it: when it belongs to another program, or when a newer
    /// praas-db has migrated it past what this binary knows.
    func inspect(_ database: Database) throws -> SchemaStatus {
        let applicationID = try database.scalarInt("PRAGMA application_id") ?? 0
        let objectCount = try database.scalarInt("SELECT count(*) FROM sqlite_schema") ?? 0
        if objectCount == 0 {
            return SchemaStatus(appliedVersion: 0, isEmpty: true)
        }
        guard applicationID == Self.applicationID else {
            throw PraaSError.incompatibleDatabase(
                "'\(database.path)' is an SQLite database of another program (it has tables but no praas-db "
                    + "application id); pass a new file with --db")
        }

        let applied = try database.scalarInt("SELECT max(version) FROM schema_migrations") ?? 0
        let latest = migrations.last?.version ?? 0
        guard applied <= latest else {
            throw PraaSError.incompatibleDatabase(
                "'\(database.path)' has schema version \(applied), newer than this praas-db, which knows "
                    + "versions up to \(latest); use a newer praas-db")
        }
        return SchemaStatus(appliedVersion: applied, isEmpty: false)
    }

    /// Runs every migration newer than the database's version. Each runs in a
    /// `BEGIN IMMEDIATE` transaction that re-reads the version first, so two
    /// processes that open a new file at once run each migration once.
    ///
    /// A database that is already up to date is only read, so opening it never
    /// waits for the write lock that another process's long transaction holds.
    func migrate(_ database: Database, now: Date) throws {
        let latest = migrations.last?.version ?? 0
        if try inspect(database).appliedVersion >= latest {
            return
        }
        for migration in migrations {
            try database.transaction(.immediate) {
                let applied = try inspect(database).appliedVersion
                guard migration.version > applied else { return }
                if applied == 0 {
                    try database.execute("PRAGMA application_id = \(Self.applicationID)")
                }
                do {
                    try database.execute(migration.sql)
                } catch let error as DatabaseError where !error.isBusy {
                    // Each migration succeeds on the schema of the version before it, so a
                    // failure means the tables do not match the recorded version.
                    throw PraaSError(
                        .corruptDatabase,
                        "migration \(migration.name) failed on '\(database.path)' (\(error.message)), so its tables "
                            + "do not match the schema version it records (\(applied)); nothing was changed. "
                            + "Restore the database from a backup")
                }
                try database.run(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    migration.version, migration.name, Timestamp.format(now))
                try database.execute("PRAGMA user_version = \(migration.version)")
            }
        }
    }
}

/// What `Migrator.inspect` found in a database file.
struct SchemaStatus {
    /// The newest migration recorded in the file; 0 for a new file.
    let appliedVersion: Int
    /// True when the file has no tables, views or indexes at all.
    let isEmpty: Bool
}
