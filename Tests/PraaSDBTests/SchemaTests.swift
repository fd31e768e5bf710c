import Foundation
import Testing

@testable import PraaSDB

@Suite struct SchemaTests {
    /// The checked-in schema file is what the migrations produce on an empty database.
    @Test func schemaFileMatchesMigrations() throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: packageRoot.appendingPathComponent("Schema/schema.sql"), encoding: .utf8)
        #expect(try SchemaDump.current() == committed, "Schema/schema.sql is stale: regenerate it with 'praas-db schema > Schema/schema.sql'")
    }
}
