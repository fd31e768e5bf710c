import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// Plan, approve, deploy and reject: what each step records and refuses.
@Suite struct WorkflowStepTests {
    private func registered(in directory: TemporaryDirectory) throws -> Repository {
        let repository = try WorkflowFixtures.oslo(in: directory)
        try repository.deployNow(.register(container: "hbo", memoryMB: 256, millicores: 200, customer: "HBO"))
        return repository
    }

    @Test func planRecordsRequestAndRevision() throws {
        let directory = TemporaryDirectory()
        let repository = try registered(in: directory)

        let change = try repository.plan(.balloon(container: "hbo", depth: 1))
        #expect(change.id == 2)
        #expect(change.status == .planned)
        #expect(change.author == "alice")
        #expect(change.plannedAt == "2027-01-15T08:00:00.000Z")
        #expect(change.baseRevision == 2)
        #expect(change.addedCount == 9)
        #expect(change.removedCount == 0)
        #expect(change.placements.map(\.node) == names(1...9))
        #expect(change.request.argumentsJSON == "{\"depth\":1}")

        let first = try #require(change.placements.first)
        #expect(first.memoryUsedBeforeMB == 0)
        #expect(first.memoryUsedAfterMB == 256)
        #expect(first.millicoresUsedAfter == 200)
        #expect(first.memoryMB == 4096)

        // Planning moves nothing.
        #expect(try repository.revision() == 2)
        #expect(try repository.nodeNames(of: "hbo") == ["N0"])
    }

    @Test func staleChangeIsRefused() throws {
        let directory = TemporaryDirectory()
        let repository = try registered(in: directory)
        let first = try repository.plan(.balloon(container: "hbo", depth: 1))
        let second = try repository.plan(.fog(container: "hbo", nodes: ["N76"]))
        _ = try repository.approve(first.id)
        _ = try repository.approve(second.id)
        try #require(try repository.deploy(first.id).status == .deployed)
        let before = try repository.currentState()

        let error = try #require(throws: PraaSError.self) { try repository.deploy(second.id) }
        #expect(error.kind == .conflict)
        #expect(error.message == "change 3 was planned at revision 2, but the state is now at revision 3; plan the change again")

        #expect(try repository.currentState() == before)
        #expect(try repository.revision() == 3)
        let stale = try repository.change(second.id)
        #expect(stale.status == .stale)
        #expect(stale.reasons == [error.message])
    }

    @Test func staleChangeCannotBeApproved() throws {
        let directory = TemporaryDirectory()
        let repository = try registered(in: directory)
        let late = try repository.plan(.place(container: "hbo", node: "N5"))
        try repository.deployNow(.place(container: "hbo", node: "N6"))

        let error = try #require(throws: PraaSError.self) { try repository.approve(late.id) }
        #expect(error.kind == .conflict)
        #expect(error.message == "change 2 was planned at revision 2, but the state is now at revision 3; plan the change again")
        #expect(try repository.change(late.id).status == .stale)
    }

    @Test func changeDeploysOnce() throws {
        let directory = TemporaryDirectory()
        let repository = try registered(in: directory)
        let change = try repository.deployNow(.place(container: "hbo", node: "N5"))

        let error = try #require(throws: PraaSError.self) { try repository.deploy(change.id) }
        #expect(error.kind == .conflict)
        #expect(error.message == "change 2 is already deployed (revision 3); a change deploys only once")
        #expect(try repository.revision() == 3)
        #expect(try repository.change(change.id).status == .deployed)
    }

    @Test func unapprovedChangeCannotDeploy() throws {
        let directory = TemporaryDirectory()
        let repository = try registered(in: directory)
        let change = try repository.plan(.place(container: "hbo", node: "N5"))

        let error = try #require(throws: PraaSError.self) { try repository.deploy(change.id) }
        #expect(error.kind == .conflict)
        #expect(error.message == "change 2 is not approved yet; approve it with 'praas-db approve 2'")
        #expect(try repository.change(change.id).status == .planned)
    }

    @Test func overfullNodeRejectsWholeChange() throws {
        var file = WorkflowFixtures.tree(depth: 3, fanout: 3)
        file.nodes[17].memoryMB = 100
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.database(file, in: directory)
        try repository.deployNow(.register(container: "cache", memoryMB: 256, millicores: 100, customer: "ACME"))
        let before = try repository.currentState()

        let change = try repository.plan(.balloon(container: "cache", depth: 3))
        #expect(change.status == .rejected)
        #expect(change.reasons == ["N17: needs 256 MB, 100 MB free"])
        #expect(change.addedCount == 39)
        #expect(try repository.currentState() == before)
        #expect(try repository.revision() == 2)

        let error = try #require(throws: PraaSError.self) { try repository.approve(change.id) }
        #expect(error.kind == .conflict)
    }

    @Test func shortfallNamesMemoryAndCPU() throws {
        var file = WorkflowFixtures.tree(depth: 1, fanout: 2)
        file.nodes[2].memoryMB = 128
        file.nodes[2].millicores = 100
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.database(file, in: directory)
        try repository.deployNow(.register(container: "game", memoryMB: 256, millicores: 250, customer: "ACME"))

        let change = try repository.plan(.balloon(container: "game", depth: 1))
        #expect(change.reasons == ["N2: needs 256 MB, 128 MB free, and 0.25 cores, 0.1 cores free"])
    }

    @Test func exactFitIsAccepted() throws {
        var file = WorkflowFixtures.tree(depth: 1, fanout: 1)
        file.nodes[1].memoryMB = 256
        file.nodes[1].millicores = 200
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.database(file, in: directory)
        try repository.deployNow(.register(container: "hbo", memoryMB: 256, millicores: 200, customer: "HBO"))

        let change = try repository.deployNow(.place(container: "hbo", node: "N1"))
        #expect(change.status == .deployed)
    }

    /// A deploy whose re-check fails rolls back, and the failure is recorded.
    @Test func failedDeployChangesNothing() throws {
        let directory = TemporaryDirectory()
        let repository = try registered(in: directory)
        let change = try repository.plan(.balloon(container: "hbo", depth: 2))
        _ = try repository.approve(change.id)
        // Shrink N12's memory behind the workflow's back, without a new revision.
        try repository.database.run("UPDATE nodes SET memory_mb = 100 WHERE name = 'N12'")
        let before = try repository.currentState()

        let error = try #require(throws: PraaSError.self) { try repository.deploy(change.id) }
        #expect(error.kind == .constraintViolation)
        #expect(error.message == "change 2 cannot be deployed: N12: needs 256 MB, 100 MB free")
        #expect(try repository.currentState() == before)
        #expect(try repository.revision() == 2)
        let failed = try repository.change(change.id)
        #expect(failed.status == .failed)
        #expect(failed.reasons == [error.message])
        #expect(failed.decidedAt == "2027-01-15T08:00:00.000Z")
    }

    @Test func rejectStopsChange() throws {
        let directory = TemporaryDirectory()
        let repository = try registered(in: directory)
        let change = try repository.plan(.place(container: "hbo", node: "N5"))
        let rejected = try repository.reject(change.id, reason: "wrong node")
        #expect(rejected.status == .rejected)
        #expect(rejected.reasons == ["rejected by alice: wrong node"])

        let error = try #require(throws: PraaSError.self) { try repository.approve(change.id) }
        #expect(error.message == "change 2 was rejected (rejected by alice: wrong node) and cannot be approved; plan a new change")
        #expect(try repository.nodeNames(of: "hbo") == ["N0"])
    }

    @Test func distinctApproverIsEnforced() throws {
        let directory = TemporaryDirectory()
        let repository = try registered(in: directory)
        try repository.setRequiresDistinctApprover(true)
        let change = try repository.plan(.place(container: "hbo", node: "N5"))

        let error = try #require(throws: PraaSError.self) { try repository.approve(change.id) }
        #expect(error.kind == .constraintViolation)
        #expect(
            error.message
                == "change 2 was planned by alice, and this database requires another person to approve it; approve it with --by NAME as someone else")
        #expect(try repository.change(change.id).status == .planned)

        let approved = try repository.approve(change.id, by: "bob")
        #expect(approved.status == .approved)
        #expect(approved.approvedBy == "bob")
    }

    @Test(arguments: [
        ("ALICE", "ALICE"),
        ("Alice", "Alice"),
        // "alice" with a combining acute accent on the e, against the precomposed é.
        ("alic\u{E9}", "alice\u{301}"),
    ])
    func distinctApproverIgnoresCase(author: String, approver: String) throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory, actor: author.lowercased())
        try repository.deployNow(.register(container: "hbo", memoryMB: 256, millicores: 200, customer: "HBO"))
        try repository.setRequiresDistinctApprover(true)
        let change = try repository.plan(.place(container: "hbo", node: "N5"))

        let error = try #require(throws: PraaSError.self) { try repository.approve(change.id, by: approver) }
        #expect(error.kind == .constraintViolation)
        #expect(
            error.message
                == "change 2 was planned by \(author.lowercased()), the same person as \(approver) (names that differ only in "
                + "letter case or Unicode normalization are the same), and this database requires another person to approve it; "
                + "approve it with --by NAME as someone else")
        #expect(try repository.change(change.id).status == .planned)

        let approved = try repository.approve(change.id, by: "bob")
        #expect(approved.approvedBy == "bob")
    }

    @Test(arguments: [
        ("bob\tx", "the approver name \"bob\\tx\" contains the control character U+0009 at position 4; names must be printable"),
        ("bob\u{200B}", "the approver name \"bob\u{200B}\" contains the format character U+200B at position 4; names must be printable"),
        ("\u{202E}bob", "the approver name \"\\u202ebob\" contains the bidirectional control character U+202E at position 1; names must be printable"),
        (" bob", "the approver name \" bob\" starts with whitespace"),
        ("bob ", "the approver name \"bob \" ends with whitespace"),
        ("", "the approver name \"\" is empty"),
    ])
    func invalidApproverIsRejected(approver: String, message: String) throws {
        let directory = TemporaryDirectory()
        let repository = try registered(in: directory)
        let change = try repository.plan(.place(container: "hbo", node: "N5"))

        let error = try #require(throws: PraaSError.self) { try repository.approve(change.id, by: approver) }
        #expect(error.kind == .invalidArgument)
        #expect(error.message == message)
        #expect(try repository.change(change.id).status == .planned)
    }

    @Test(arguments: [
        ("bob\tx", "the actor name \"bob\\tx\" in RepositoryOptions.actor contains the control character U+0009 at position 4; names must be printable"),
        ("alice\u{200D}", "the actor name \"alice\u{200D}\" in RepositoryOptions.actor contains the format character U+200D at position 6; names must be printable"),
        (" alice ", "the actor name \" alice \" in RepositoryOptions.actor starts with whitespace"),
        ("", "the actor name \"\" in RepositoryOptions.actor is empty"),
    ])
    func invalidActorIsRejectedOnOpen(actor: String, message: String) throws {
        let directory = TemporaryDirectory()
        let repository = try registered(in: directory)
        let path = repository.database.path

        let opened = try #require(throws: PraaSError.self) { try WorkflowFixtures.reopen(repository, actor: actor) }
        #expect(opened.kind == .invalidArgument)
        #expect(opened.message == message)

        let created = try #require(throws: PraaSError.self) {
            try Repository.create(at: directory.file("new.db"), options: RepositoryOptions(actor: actor))
        }
        #expect(created.message == message)
        #expect(!FileManager.default.fileExists(atPath: directory.file("new.db")))
        #expect(try repository.changes().count == 1)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func unknownNamesAreNotFound() throws {
        let directory = TemporaryDirectory()
        let repository = try registered(in: directory)

        let container = try #require(throws: PraaSError.self) { try repository.plan(.place(container: "hbx", node: "N5")) }
        #expect(container.kind == .notFound)
        #expect(container.message == "container \"hbx\" not found; did you mean \"hbo\"?")

        let node = try #require(throws: PraaSError.self) { try repository.plan(.place(container: "hbo", node: "N99")) }
        #expect(node.kind == .notFound)
        #expect(node.message == "node \"N99\" not found; the network's 80 nodes are named N0 to N79")

        let lowercase = try #require(throws: PraaSError.self) { try repository.plan(.fog(container: "hbo", nodes: ["n13"])) }
        #expect(lowercase.message == "node \"n13\" not found; did you mean \"N13\"?")

        // Nothing was stored for requests that named nothing real.
        #expect(try repository.changes().count == 1)
    }

    @Test func duplicateRegistrationIsRejected() throws {
        let directory = TemporaryDirectory()
        let repository = try registered(in: directory)
        let change = try repository.plan(.register(container: "HBO", memoryMB: 256, millicores: 200, customer: "HBO"))
        #expect(change.status == .rejected)
        #expect(
            change.reasons
                == ["container \"hbo\" is already registered (names that differ only in letter case or Unicode normalization are the same)"])
    }

    @Test func planApproveDeployRecordsSteps() throws {
        let directory = TemporaryDirectory()
        let repository = try registered(in: directory)
        let change = try repository.planApproveDeploy(.place(container: "hbo", node: "N5"))
        #expect(change.status == .deployed)
        #expect(change.approvedBy == "alice")
        #expect(change.approvedAt == "2027-01-15T08:00:00.000Z")
        #expect(change.decidedBy == "alice")
        #expect(change.deployedRevision == 3)
    }

    /// Two connections, as two operators: the second one's plan at the old
    /// revision is refused once the first deploys.
    @Test func secondOperatorSeesStaleChange() throws {
        let directory = TemporaryDirectory()
        let alice = try registered(in: directory)
        let bob = try WorkflowFixtures.reopen(alice, actor: "bob")
        let bobs = try bob.plan(.place(container: "hbo", node: "N7"))
        try alice.deployNow(.place(container: "hbo", node: "N8"))

        let error = try #require(throws: PraaSError.self) { try bob.approve(bobs.id) }
        #expect(error.kind == .conflict)
        #expect(try bob.nodeNames(of: "hbo") == ["N0", "N8"])
    }
}
