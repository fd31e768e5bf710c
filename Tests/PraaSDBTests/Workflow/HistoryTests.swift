import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// The append-only history: what it records, that it replays to the current
/// placements, and that it rebuilds every past state exactly.
@Suite struct HistoryTests {
    /// A clock that advances one minute per reading, so every step has its own time.
    final class SteppingClock: @unchecked Sendable {
        private var minutes = 0
        private let start = Date(timeIntervalSince1970: 1_800_000_000)

        func now() -> Date {
            defer { minutes += 1 }
            return start.addingTimeInterval(Double(minutes) * 60)
        }
    }

    private func oslo(in directory: TemporaryDirectory, clock: SteppingClock = SteppingClock()) throws -> Repository {
        let repository = try Repository.create(
            at: directory.file("praas.db"), options: RepositoryOptions(clock: clock.now, actor: "alice"))
        let topology = try BuiltInTopology.named("oslo-80")
        try repository.importState(try topology.stateFile(), source: topology.name)
        return repository
    }

    @Test func eventsOfOneChange() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.register(container: "hbo", memoryMB: 256, millicores: 200, customer: "HBO"))
        try repository.deployNow(.fog(container: "hbo", nodes: ["N13"]))

        let events = try repository.history()
        #expect(events.map(\.event) == [
            "history_started", "topology_loaded",
            "change_planned", "change_approved", "container_registered", "placement_added", "change_deployed",
            "change_planned", "change_approved", "placement_added", "placement_added", "change_deployed",
        ])
        #expect(events.map(\.revision) == [0, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3])
        let fog = events.filter { $0.event == "placement_added" && $0.changeID == 2 }
        #expect(fog.map { $0.node } == ["N2", "N13"])
        #expect(fog.map { $0.model } == [.fog, .fog])
        #expect(fog.map { $0.customer } == ["HBO", "HBO"])
        #expect(events[2].details == "{\"operation\":\"register\",\"arguments\":{\"memory_mb\":256,\"cpu_millicores\":200,\"customer\":\"HBO\"}}")
        // The migration that creates the history starts it; people do the rest.
        #expect(events.first?.actor == "praas-db")
        #expect(events.dropFirst().allSatisfy { $0.actor == "alice" })
    }

    @Test func rejectedAndStaleChangesAreRecorded() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.register(container: "hbo", memoryMB: 256, millicores: 200, customer: "HBO"))
        _ = try repository.plan(.place(container: "hbo", node: "N0"))
        let late = try repository.plan(.place(container: "hbo", node: "N5"))
        try repository.deployNow(.place(container: "hbo", node: "N6"))
        _ = try? repository.approve(late.id)

        let events = try repository.history(HistoryFilter(container: "hbo")).map(\.event)
        #expect(events.filter { $0 == "change_rejected" }.count == 1)
        #expect(events.last == "change_stale")
    }

    @Test func filtersNarrowEvents() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        for useCase in UseCase.oslo {
            for request in useCase.requests {
                try repository.deployNow(request)
            }
        }
        let onN13 = try repository.history(HistoryFilter(node: "N13"))
        #expect(onN13.map { $0.container } == ["hbo", "Lillestrom", "Fortnite"])
        let epic = try repository.history(HistoryFilter(customer: "Epic games"))
        #expect(epic.filter { $0.event == "placement_added" }.count == 22)
        let both = try repository.history(HistoryFilter(container: "Fortnite", node: "N76"))
        #expect(both.map(\.event) == ["placement_added"])
        let unknown = try #require(throws: PraaSError.self) { try repository.history(HistoryFilter(node: "N80")) }
        #expect(unknown.kind == .notFound)
    }

    @Test func unknownFilterNamesAreNotFound() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        for request in UseCase.oslo.flatMap(\.requests) {
            try repository.deployNow(request)
        }
        let cases: [(HistoryFilter, String)] = [
            (HistoryFilter(container: "ghost"),
             "container \"ghost\" not found in the history; 'praas-db containers' lists the registered containers"),
            (HistoryFilter(container: "Fortnit"), "container \"Fortnit\" not found in the history; did you mean \"Fortnite\"?"),
            (HistoryFilter(customer: "ghost"),
             "customer \"ghost\" not found in the history; 'praas-db containers' lists the customers of the registered containers"),
            (HistoryFilter(customer: "Epic game"), "customer \"Epic game\" not found in the history; did you mean \"Epic games\"?"),
        ]
        for (filter, message) in cases {
            let error = try #require(throws: PraaSError.self) { try repository.history(filter) }
            #expect(error.kind == .notFound)
            #expect(error.message == message)
        }
    }

    /// A container that is gone, or that was never registered because its change
    /// was rejected, still has events under its name and its customer's.
    @Test func filtersFindPastContainers() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.register(container: "temp", memoryMB: 256, millicores: 200, customer: "Temp"))
        try repository.deployNow(.remove(container: "temp", node: "N0"))
        try repository.deployNow(.unregister(container: "temp"))
        let rejected = try repository.plan(.register(container: "huge", memoryMB: 100_000, millicores: 1000, customer: "Huge"))
        #expect(rejected.status == .rejected)

        let temp = try repository.history(HistoryFilter(container: "temp")).map(\.event)
        #expect(temp.first == "change_planned")
        #expect(temp.suffix(2) == ["container_unregistered", "change_deployed"])
        #expect(try repository.history(HistoryFilter(customer: "Temp")).map(\.event) == temp)
        #expect(try repository.history(HistoryFilter(container: "huge")).map(\.event) == ["change_planned", "change_rejected"])
        #expect(try repository.history(HistoryFilter(customer: "Huge")).map(\.event) == ["change_planned", "change_rejected"])
        #expect(try repository.hourlyRates(customer: "Temp").containers.isEmpty)
    }

    @Test func historyRowsCannotChange() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        let update = try #require(throws: DatabaseError.self) { try repository.database.run("UPDATE history SET actor = 'mallory'") }
        #expect(update.message == "history is append-only: its rows cannot be changed")
        let delete = try #require(throws: DatabaseError.self) { try repository.database.run("DELETE FROM history") }
        #expect(delete.message == "history is append-only: its rows cannot be deleted")
        #expect(try repository.history().count == 2)
    }

    @Test func decidedChangesCannotChange() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        let change = try repository.deployNow(.register(container: "hbo", memoryMB: 256, millicores: 200, customer: "HBO"))
        let update = try #require(throws: DatabaseError.self) {
            try repository.database.run("UPDATE changes SET author = 'mallory' WHERE id = ?", change.id)
        }
        #expect(update.message == "a deployed, rejected, failed or stale change cannot be changed")
        let delete = try #require(throws: DatabaseError.self) { try repository.database.run("DELETE FROM change_placements") }
        #expect(delete.message == "a change's planned placements cannot be deleted")
    }

    /// Every revision of a timeline rebuilds to exactly the file `export` wrote
    /// at that revision, and `diff` of consecutive revisions names what each deploy did.
    @Test func everyRevisionRebuildsExactly() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        var exports: [Int: [UInt8]] = [:]
        func snapshot() throws {
            var bytes: [UInt8] = []
            try repository.exportState { bytes += $0 }
            exports[try repository.revision()] = bytes
        }
        try snapshot()
        let timeline: [ChangeRequest] = UseCase.oslo.flatMap(\.requests) + [
            .balloon(container: "hbo", depth: 2),
            .fog(container: "hbo", nodes: ["N77"]),
            .place(container: "Lillestrom", node: "N79"),
            .balloon(container: "hbo", depth: 1),
            .move(container: "Lillestrom", from: "N79", to: "N78"),
            .retract(container: "Fortnite", node: "N5"),
            .retract(container: "hbo", node: "N77"),
            .balloon(container: "hbo", depth: 0),
            .remove(container: "hbo", node: "N0"),
            .unregister(container: "hbo"),
        ]
        for request in timeline {
            try repository.deployNow(request)
            try snapshot()
        }
        #expect(exports.count == timeline.count + 1)

        for (revision, expected) in exports.sorted(by: { $0.key < $1.key }) {
            var rebuilt: [UInt8] = []
            try repository.exportState(atRevision: revision) { rebuilt += $0 }
            #expect(rebuilt == expected, "revision \(revision)")
        }

        let diff = try repository.diff(from: 7, to: 8)
        #expect(diff.removed.count == 40)
        #expect(diff.added.isEmpty)
        // Shrinking hbo's balloon to depth 1 keeps N20, which its fog to N77 still needs.
        let shrink = try repository.diff(from: 10, to: 11)
        #expect(shrink.remodeled.map(\.node) == ["N20"])
        #expect(shrink.remodeled.map(\.previousModel) == [.balloon])
        #expect(shrink.remodeled.map(\.model) == [.fog])
        #expect(shrink.removed.count == 13)
    }

    @Test func revisionAtTime() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.register(container: "hbo", memoryMB: 256, millicores: 200, customer: "HBO"))
        let deployedAt = try #require(try repository.history().last?.at)
        let time = try #require(Timestamp.parse(deployedAt))

        #expect(try repository.revision(at: time) == 2)
        #expect(try repository.revision(at: time.addingTimeInterval(-0.001)) == 1)
        let early = try #require(throws: PraaSError.self) { try repository.revision(at: Date(timeIntervalSince1970: 0)) }
        #expect(early.kind == .notFound)
        #expect(early.message == "no revision existed at 1970-01-01T00:00:00.000Z; the first revision was made at 2027-01-15T08:01:00.000Z")
    }

    @Test func unknownRevisionIsNotFound() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        let error = try #require(throws: PraaSError.self) { try repository.exportState(atRevision: 9) { _ in } }
        #expect(error.kind == .notFound)
        #expect(error.message == "revision 9 not found; revisions 1 to 1 exist")
    }
}
