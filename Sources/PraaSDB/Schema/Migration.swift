/// One numbered SQL file from `Migrations/`, embedded in the binary at build time.
public struct Migration: Sendable, Equatable {
    /// The number that starts the file name: 1 for `0001_core.sql`.
    public let version: Int
    /// The file name.
    public let name: String
    /// The SQL the file contains.
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The migrations this binary carries, in version order.
    public static let all: [Migration] = {
        let migrations = EmbeddedResources.migrations.map { file -> Migration in
            let digits = file.name.prefix { $0.isASCII && $0.isNumber }
            guard let version = Int(digits), !digits.isEmpty, file.name.dropFirst(digits.count).first == "_" else {
                preconditionFailure("migration file '\(file.name)' does not start with a number and '_'")
            }
            return Migration(version: version, name: file.name, sql: file.text)
        }
        for (previous, next) in zip(migrations, migrations.dropFirst()) {
            precondition(previous.version < next.version, "migrations \(previous.name) and \(next.name) share a number")
        }
        return migrations
    }()

    /// The version a database has once every embedded migration has run.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
