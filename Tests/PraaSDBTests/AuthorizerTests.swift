import CSQLite
import Testing

@testable import PraaSDB

@Suite struct AuthorizerTests {
    @Test func authorizerSeesEachAction() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (a INTEGER, b TEXT)")
        var requests: [AuthorizerRequest] = []
        database.authorizer = { request in
            requests.append(request)
            return .allow
        }

        _ = try database.scalarInt("SELECT a FROM t")
        #expect(requests.count == 2)
        #expect(requests.first == AuthorizerRequest(action: SQLITE_SELECT))
        #expect(
            requests.last
                == AuthorizerRequest(action: SQLITE_READ, firstArgument: "t", secondArgument: "a", databaseName: "main"))
    }

    @Test func deniedActionFailsStatement() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (a INTEGER)")
        database.authorizer = { request in request.action == SQLITE_INSERT ? .deny : .allow }

        let error = try #require(throws: DatabaseError.self) {
            try database.run("INSERT INTO t VALUES (1)")
        }
        #expect(error.code == SQLITE_AUTH)
        #expect(error.message == "not authorized")
        #expect(try database.scalarInt("SELECT count(*) FROM t") == 0)
    }

    @Test func removedAuthorizerAllowsAll() throws {
        let database = try Database(path: ":memory:", mode: .readWriteCreate)
        try database.execute("CREATE TABLE t (a INTEGER)")
        database.authorizer = { _ in .deny }
        database.authorizer = nil

        try database.run("INSERT INTO t VALUES (1)")
        #expect(try database.scalarInt("SELECT count(*) FROM t") == 1)
    }
}
