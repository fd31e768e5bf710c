import Testing

@testable import PraaSDB

@Suite struct SQLTextTests {
    @Test func blankTextHasNoStatement() {
        for text in ["", " \t\r\n\u{0C}", ";", " ; ;", "-- comment", "-- a\n-- b\n", "/* c */", "/* unterminated", "; /* a */ -- b"] {
            #expect(SQLText.containsNoStatement(text), "\(text)")
        }
    }

    @Test func wordsAreStatements() {
        for text in ["DELETE FROM nodes", " ; x", "/* a */ SELECT 1", "-- a\nSELECT 1", "-", "/"] {
            #expect(!SQLText.containsNoStatement(text), "\(text)")
        }
    }

    @Test func schemaKeywordsNameStatement() {
        let cases: [(sql: String, keywords: String)] = [
            ("CREATE TABLE x (a)", "CREATE TABLE"),
            ("create temp table nodes (a)", "CREATE TEMP TABLE"),
            ("/* why */ CREATE UNIQUE INDEX i ON t (a)", "CREATE UNIQUE INDEX"),
            ("-- note\nDROP TRIGGER IF EXISTS t", "DROP TRIGGER"),
            ("VACUUM INTO 'x.db'", "VACUUM INTO"),
            ("ANALYZE", "ANALYZE"),
            ("SELECT 1", ""),
            ("INSERT INTO t VALUES (1)", ""),
            ("EXPLAIN CREATE TABLE x (a)", ""),
        ]
        for (sql, keywords) in cases {
            #expect(SQLText.schemaKeywords(of: sql) == keywords, "\(sql)")
        }
    }

    @Test func firstWordIsUppercased() {
        #expect(SQLText.firstWord(of: " -- a\n select 1") == "SELECT")
        #expect(SQLText.firstWord(of: "(SELECT 1)") == "")
    }

    @Test func pragmaFunctionsInOrder() {
        #expect(SQLText.pragmaFunctions(in: "SELECT * FROM PRAGMA_Table_Info('x'), pragma_journal_mode") == ["pragma_table_info", "pragma_journal_mode"])
        #expect(SQLText.pragmaFunctions(in: "SELECT * FROM nodes") == [])
        #expect(SQLText.pragmaFunctions(in: "SELECT pragma_ FROM xpragma_y") == [])
    }
}
