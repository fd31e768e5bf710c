import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// `check` finds every kind of damage a raw SQL session can do, and `backup`
/// writes copies that pass it.
@Suite struct CheckTests {
    private func demo(in directory: TemporaryDirectory) throws -> Repository {
        let repository = try WorkflowFixtures.oslo(in: directory)
        for useCase in UseCase.oslo {
            for request in useCase.requests {
                try repository.deployNow(request)
            }
        }
        return repository
    }

    private func failures(_ repository: Repository) throws -> [String: [String]] {
        var failed: [String: [String]] = [:]
        for result in try repository.check() where !result.passed {
            failed[result.name] = result.problems
        }
        return failed
    }

    @Test func healthyDatabasePasses() throws {
        let directory = TemporaryDirectory()
        let repository = try demo(in: directory)
        let results = try repository.check()
        #expect(results.map(\.name) == ["integrity", "foreign_keys", "schema", "capacity", "tree", "claims", "history", "changes"])
        #expect(results.allSatisfy { $0.passed })
    }

    @Test func droppedHistoryTriggerIsFound() throws {
        let directory = TemporaryDirectory()
        let repository = try demo(in: directory)
        try repository.database.execute("DROP TRIGGER history_no_delete; DELETE FROM history WHERE event = 'change_planned';")
        let failed = try failures(repository)
        #expect(failed.keys.sorted() == ["schema"])
        #expect(failed["schema"] == ["trigger history_no_delete is missing"])
    }

    @Test func deletedPlacementEventIsFound() throws {
        let directory = TemporaryDirectory()
        let repository = try demo(in: directory)
        try repository.database.execute(
            """
            DROP TRIGGER history_no_delete;
            DELETE FROM history WHERE id = (SELECT max(id) FROM history WHERE event = 'placement_added' AND container = 'Fortnite');
            """)
        let failed = try failures(repository)
        #expect(failed.keys.sorted() == ["changes", "history", "schema"])
        #expect(failed["history"] == ["the placements have Fortnite on N76 (fog), which the history does not record"])
        #expect(failed["changes"] == ["change 6 is deployed, but the history records 20 of its 21 placements"])
    }

    @Test func overfullNodeIsFound() throws {
        let directory = TemporaryDirectory()
        let repository = try demo(in: directory)
        try repository.database.execute(
            """
            DROP TRIGGER nodes_capacity_on_update;
            UPDATE nodes SET memory_mb = 500 WHERE name = 'N31';
            """)
        let failed = try failures(repository)
        #expect(failed["capacity"] == ["N31: 768 of 500 MB and 600 of 3000 millicores used"])
    }

    @Test func wrongDepthIsFound() throws {
        let directory = TemporaryDirectory()
        let repository = try demo(in: directory)
        try repository.database.execute(
            """
            DROP TRIGGER nodes_shape_on_update;
            UPDATE nodes SET depth = 5 WHERE name = 'N79';
            """)
        let failed = try failures(repository)
        #expect(failed["tree"] == ["N79: depth 5 but its parent N70 has depth 5"])
    }

    @Test func unclaimedPlacementIsFound() throws {
        let directory = TemporaryDirectory()
        let repository = try demo(in: directory)
        try repository.database.execute("DELETE FROM fog_claims WHERE node_id = (SELECT id FROM nodes WHERE name = 'N76')")
        let failed = try failures(repository)
        #expect(failed.keys.sorted() == ["claims"])
        // N5 and N17 stay claimed: they are on the path to N66, another fog target.
        #expect(failed["claims"] == [
            "Fortnite is placed on N36 but no claim covers it", "Fortnite is placed on N54 but no claim covers it",
            "Fortnite is placed on N65 but no claim covers it", "Fortnite is placed on N76 but no claim covers it",
        ])
    }

    @Test func backupPassesCheck() throws {
        let directory = TemporaryDirectory()
        let repository = try demo(in: directory)
        let path = directory.file("backup.db")
        try repository.backup(to: path)

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let copy = try Repository.open(at: path)
        #expect(try copy.check().allSatisfy { $0.passed })
        #expect(try copy.currentState() == (try repository.currentState()))
        #expect(try copy.history().count == (try repository.history().count))

        let again = try #require(throws: PraaSError.self) { try repository.backup(to: path) }
        #expect(again.message == "'\(path)' already exists; choose a new file name for the backup")
    }
}
