import Foundation

/// An error the operator can act on: what failed, on which value, and what to do.
///
/// `kind` decides the CLI's exit code; `message` is one sentence (or a few) that
/// names the value; `details` holds one line per problem when there are several,
/// such as every invalid entry of a state file.
public struct PraaSError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The class of failure, one per documented exit code.
    public enum Kind: Sendable, Equatable {
        /// A value given on the command line or to the library is invalid.
        case invalidArgument
        /// A state file or JSON document is invalid.
        case invalidInput
        /// An input file or the database file does not exist or cannot be read.
        case fileNotFound
        /// A node, container, change or revision does not exist.
        case notFound
        /// The request breaks a rule: capacity, the tree's shape or a model's rule.
        case constraintViolation
        /// The change was planned against an older revision, or is past the step asked for.
        case conflict
        /// Another process held the database lock for longer than the busy timeout.
        case busy
        /// The database is damaged, inconsistent, or not a praas-db database this
        /// binary can open.
        case corruptDatabase
        /// Anything else: an I/O error or a missing tool.
        case failure
    }

    public let kind: Kind
    public let message: String
    public let details: [String]

    public init(_ kind: Kind, _ message: String, details: [String] = []) {
        self.kind = kind
        self.message = message
        self.details = details
    }

    public var description: String {
        ([message] + details.map { "  " + $0 }).joined(separator: "\n")
    }

    public static func invalidArgument(_ message: String) -> PraaSError { PraaSError(.invalidArgument, message) }
    public static func notFound(_ message: String) -> PraaSError { PraaSError(.notFound, message) }
    static func incompatibleDatabase(_ message: String) -> PraaSError { PraaSError(.corruptDatabase, message) }

    /// Returns the error for a database path where no file exists.
    static func missingDatabase(at path: String) -> PraaSError {
        PraaSError(
            .fileNotFound,
            "database '\(path)' does not exist; create it with 'praas-db init' or 'praas-db import FILE', "
                + "or point --db (or PRAAS_DB) at an existing database")
    }

    /// Returns the error for a database file without any schema, such as the
    /// empty file `sqlite3` leaves behind when it opens a path that does not exist.
    static func emptyDatabase(at path: String) -> PraaSError {
        PraaSError(
            .fileNotFound,
            "database '\(path)' is empty (it has no tables); create the database in it with 'praas-db init' or "
                + "'praas-db import FILE', or point --db (or PRAAS_DB) at an existing database")
    }

    /// Returns the error for a database in a folder this user cannot write.
    static func readOnlyFolder(at path: String) -> PraaSError {
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        return PraaSError(
            .fileNotFound,
            "cannot open database '\(path)': its folder '\(folder.isEmpty ? "/" : folder)' is not writable, and SQLite "
                + "must create the '-wal' and '-shm' files beside the database, even to read it; make the folder "
                + "writable for this user, or run praas-db as a user who can write it")
    }

    /// Returns the error for a file SQLite rejected as damaged or as no database.
    /// A file without SQLite's header is another file passed by mistake, and a
    /// file with it is a damaged database that needs its backup.
    static func unusableDatabase(at path: String, reason: String) -> PraaSError {
        if hasSQLiteHeader(path) {
            return PraaSError(
                .corruptDatabase,
                "'\(path)' is a damaged SQLite database (\(reason)); restore it from a backup, "
                    + "and keep the damaged file for inspection")
        }
        return PraaSError(
            .corruptDatabase,
            "'\(path)' is not an SQLite database (it lacks SQLite's file header); point --db (or PRAAS_DB) at a "
                + "praas-db database, or restore this file from a backup if it was one")
    }

    /// Returns whether the file starts with the 16-byte header of every SQLite database.
    static func hasSQLiteHeader(_ path: String) -> Bool {
        guard let file = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? file.close() }
        let header = (try? file.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\u{0}".utf8)
    }
}
