import CSQLite
import Foundation

/// Settings for opening a praas-db database.
public struct RepositoryOptions {
    /// How long, in milliseconds, an operation waits for a lock that another
    /// process holds before it fails with a `.busy` error.
    public var busyTimeoutMilliseconds: Int
    /// Receives every SQL statement run, with its time in nanoseconds.
    public var trace: ((_ sql: String, _ nanoseconds: Int64) -> Void)?
    /// The clock for timestamps in the database.
    public var clock: () -> Date
    /// The name of the person or program performing the operations, recorded as
    /// the author or approver of changes and in the history. It follows the rules
    /// of `Name`, and opening a repository with an invalid actor throws `.invalidArgument`.
    public var actor: String
    /// Receives the progress of long operations: importing and exporting a state file.
    public var progress: ProgressHandler?

    public init(
        busyTimeoutMilliseconds: Int = 30_000,
        trace: ((String, Int64) -> Void)? = nil,
        clock: @escaping () -> Date = Date.init,
        actor: String = "praas-db",
        progress: ProgressHandler? = nil
    ) {
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.trace = trace
        self.clock = clock
        self.actor = actor
        self.progress = progress
    }
}

/// The repository layer: every read and write of praas-db's state goes through
/// here, for the CLI and for library users alike. It owns one connection, runs
/// each operation as an explicit transaction, and turns SQLite's errors into
/// `PraaSError`s an operator can act on.
public final class Repository {
    /// The connection. Exposed for tests and for read-only inspection; writing
    /// through it bypasses the workflow.
    public let database: Database
    let options: RepositoryOptions

    private init(database: Database, options: RepositoryOptions) {
        self.database = database
        self.options = options
    }

    /// Opens an existing database and migrates it to this binary's schema.
    ///
    /// - Throws: `.fileNotFound` when there is no file at `path`, or when the file
    ///   has no tables, and then the file stays as it is. `.corruptDatabase` when
    ///   the file is not a praas-db database or is newer than this binary.
    public static func open(at path: String, options: RepositoryOptions = RepositoryOptions()) throws -> Repository {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PraaSError.missingDatabase(at: path)
        }
        return try connect(at: path, mode: .readWrite, requiresSchema: true, options: options)
    }

    /// Creates a new database at `path` with the current schema.
    ///
    /// - Parameter replacing: delete an existing file at `path` first. Without it, an
    ///   existing praas-db database is an error.
    public static func create(
        at path: String, replacing: Bool = false, options: RepositoryOptions = RepositoryOptions()
    ) throws -> Repository {
        if replacing, FileManager.default.fileExists(atPath: path) {
            try deleteForReplacement(at: path, options: options)
        }
        let wasEmptyFile = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0
        let repository = try connect(at: path, mode: .readWriteCreate, requiresSchema: false, options: options)
        if wasEmptyFile {
            // An empty file left by another program becomes a database, owner-only like a new one.
            chmod(path, 0o600)
        }
        if !replacing, try repository.nodeCount() > 0 || repository.revision() > 0 {
            throw PraaSError(
                .conflict,
                "database '\(path)' already exists and holds a topology; pass --force to replace it (its history is lost), "
                    + "or choose another file with --db")
        }
        return repository
    }

    /// Deletes the database at `path` with its `-wal`, `-shm` and `-journal` files.
    /// It holds the write lock while it deletes, so another process's transaction
    /// finishes first, and it deletes only an SQLite database: a praas-db
    /// database, a damaged one, or an empty file.
    private static func deleteForReplacement(at path: String, options: RepositoryOptions) throws {
        let existing: Database
        do {
            existing = try Database(path: path, mode: .readWrite, busyTimeout: options.busyTimeoutMilliseconds)
        } catch let error as DatabaseError {
            throw PraaSError(.fileNotFound, "cannot open database '\(path)' to replace it: \(error.message)")
        }
        let repository = Repository(database: existing, options: options)
        do {
            _ = try Migrator().inspect(existing)
            try existing.execute("BEGIN IMMEDIATE")
        } catch let error as DatabaseError where error.isCorruption {
            guard PraaSError.hasSQLiteHeader(path) else {
                throw PraaSError(
                    .corruptDatabase,
                    "'\(path)' is not an SQLite database, so --force does not replace it; delete it yourself if it "
                        + "is not needed, or choose another file with --db")
            }
        } catch let error as DatabaseError {
            throw repository.translate(error, operation: "replacing the database")
        }

        for suffix in ["", "-wal", "-shm", "-journal"] where FileManager.default.fileExists(atPath: path + suffix) {
            do {
                try FileManager.default.removeItem(atPath: path + suffix)
            } catch {
                throw PraaSError(.failure, "cannot delete '\(path + suffix)' to replace it: \(StateFileDecoder.describe(error))")
            }
        }
        // Closing the connection ends its transaction on the deleted file and releases the lock.
    }

    /// Opens the database at `path`, creating it when it does not exist.
    public static func openOrCreate(at path: String, options: RepositoryOptions = RepositoryOptions()) throws -> Repository {
        try connect(at: path, mode: .readWriteCreate, requiresSchema: false, options: options)
    }

    /// Opens the connection, checks that the file is a praas-db database, and migrates it.
    ///
    /// - Parameter requiresSchema: reject a file without tables instead of creating the schema in it.
    private static func connect(
        at path: String, mode: Database.Mode, requiresSchema: Bool, options: RepositoryOptions
    ) throws -> Repository {
        if let problem = Name.problem(with: options.actor) {
            throw PraaSError.invalidArgument("the actor name \(JSONWriter.quoted(options.actor)) in RepositoryOptions.actor \(problem)")
        }
        let database: Database
        do {
            database = try Database(path: path, mode: mode, busyTimeout: options.busyTimeoutMilliseconds)
        } catch let error as DatabaseError {
            throw PraaSError(.fileNotFound, "cannot open database '\(path)': \(error.message)")
        }
        database.traceHandler = options.trace
        let repository = Repository(database: database, options: options)
        try repository.perform("opening the database") {
            let migrator = Migrator()
            if try migrator.inspect(database).isEmpty, requiresSchema {
                throw PraaSError.emptyDatabase(at: path)
            }
            try database.useWriteAheadLog()
            try migrator.migrate(database, now: options.clock())
        }
        return repository
    }

    // MARK: - Error mapping

    /// Runs `body` and turns SQLite's errors into `PraaSError`s that name `operation`.
    func perform<T>(_ operation: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw translate(error, operation: operation)
        }
    }

    func translate(_ error: DatabaseError, operation: String) -> PraaSError {
        if error.isBusy {
            let seconds = Double(options.busyTimeoutMilliseconds) / 1000
            return PraaSError(
                .busy,
                "\(operation) timed out after \(Self.formatSeconds(seconds)) s waiting for another process to release "
                    + "the database lock; nothing was changed, and the operation can be retried "
                    + "(raise the wait with --busy-timeout SECONDS)")
        }
        if error.isCorruption {
            return PraaSError.unusableDatabase(at: database.path, reason: error.message)
        }
        if error.isReadOnlyFolder {
            return PraaSError.readOnlyFolder(at: database.path)
        }
        if error.isConstraintViolation {
            return PraaSError(.constraintViolation, "\(operation) was rejected by the database: \(error.message)")
        }
        if error.code == SQLITE_READONLY {
            return PraaSError(.failure, "\(operation) failed: '\(database.path)' is read-only (\(error.message))")
        }
        if error.code == SQLITE_FULL {
            return PraaSError(.failure, "\(operation) failed: the disk is full (\(error.message)); nothing was changed")
        }
        return PraaSError(.failure, "\(operation) failed: \(error.message)")
    }

    private static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    // MARK: - Small reads

    /// The revision of the deployed state: 0 for a new database.
    public func revision() throws -> Int {
        try perform("reading the revision") {
            try database.scalarInt("SELECT revision FROM state WHERE id = 1") ?? 0
        }
    }

    func nodeCount() throws -> Int {
        try database.scalarInt("SELECT count(*) FROM nodes") ?? 0
    }

    var now: String { Timestamp.format(options.clock()) }

    /// A writer for history events stamped with the current time and actor.
    func historyWriter() -> HistoryWriter {
        HistoryWriter(database: database, actor: options.actor, at: now)
    }
}

extension Database {
    /// Switches the file to WAL with `synchronous=FULL`. Called only after the file
    /// is known to be a praas-db database (or empty), because the switch writes to
    /// the file's header.
    func useWriteAheadLog() throws {
        guard mode != .readOnly, path != ":memory:" else { return }
        // journal_mode answers with the mode in force; WAL needs the file's folder to be
        // writable, so any other answer is an error rather than a silent fallback.
        let journalMode = try scalarString("PRAGMA journal_mode = WAL")
        guard journalMode?.lowercased() == "wal" else {
            throw DatabaseError(
                extendedCode: SQLITE_CANTOPEN,
                message: "cannot switch \(path) to WAL journal mode (it stayed \(journalMode ?? "unknown"))")
        }
        try execute("PRAGMA synchronous = FULL")
    }
}
