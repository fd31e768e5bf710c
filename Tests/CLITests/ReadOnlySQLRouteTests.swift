import Foundation
import Testing
import TestSupport

/// Routes around `praas-db sql`'s read-only checks: functions with side
/// effects, ATTACH with a URI that requests write access, and table-valued
/// functions of PRAGMAs that are not allowed, alone or beside an allowed one.
/// Each is rejected, and the database file keeps every byte.
@Suite struct ReadOnlySQLRouteTests {
    @Test(arguments: [
        ("SELECT fts3_tokenizer('simple')", "the function fts3_tokenizer()"),
        ("SELECT fts3_tokenizer('mine', x'0000000000000000')", "the function fts3_tokenizer()"),
        ("SELECT load_extension('/tmp/evil.so')", "the function load_extension()"),
        ("ATTACH 'file:other.db?mode=rwc' AS other", "ATTACH of 'file:other.db?mode=rwc'"),
        ("ATTACH ':memory:' AS scratch", "ATTACH of ':memory:'"),
        ("SELECT * FROM pragma_journal_mode('delete')", "the table-valued function pragma_journal_mode()"),
        ("SELECT * FROM pragma_table_info('nodes'), pragma_journal_mode('delete')", "the table-valued function pragma_journal_mode()"),
        ("SELECT * FROM pragma_compile_options", "the table-valued function pragma_compile_options()"),
        ("PRAGMA main.journal_mode = DELETE", "PRAGMA journal_mode = DELETE"),
        ("PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA wal_checkpoint = TRUNCATE"),
        ("PRAGMA temp_store_directory = '/tmp'", "PRAGMA temp_store_directory = /tmp"),
        ("VACUUM main INTO 'copy.db'", "VACUUM"),
        ("WITH x AS (SELECT 1) INSERT INTO settings (id) SELECT * FROM x", "INSERT into table 'settings'"),
    ])
    func routeIsRejected(query: String, deniedAction: String) throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let path = directory.file("praas.db")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let filesBefore = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))

        let result = try CLI.run(["sql", query], in: directory.path)
        #expect(result.exitCode == 64)
        #expect(result.standardError.hasPrefix("Error: \(deniedAction) is not allowed: 'praas-db sql' is read-only"), "\(result.standardError)")
        #expect(result.standardOutput == "")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        // A read-only connection to a WAL database leaves its -wal and -shm files; nothing else may appear.
        let created = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path)).subtracting(filesBefore)
        #expect(created.isSubset(of: ["praas.db-wal", "praas.db-shm"]), "\(created)")
    }
}
