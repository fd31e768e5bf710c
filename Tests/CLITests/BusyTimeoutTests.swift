import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// Another process holds the database's write lock longer than
/// `--busy-timeout`: writers give up with exit 6 and change nothing, and
/// readers are not held up at all, because the database runs in WAL mode.
@Suite struct BusyTimeoutTests {
    static func busyMessage(_ operation: String) -> String {
        "Error: \(operation) timed out after 0.5 s waiting for another process to release the database lock; "
            + "nothing was changed, and the operation can be retried (raise the wait with --busy-timeout SECONDS)\n"
    }

    /// Returns what the database shows to a reader: the state, the changes and the history.
    static func snapshot(in directory: TemporaryDirectory) throws -> [String] {
        try [
            ["export"], ["changes", "--format", "json"],
            ["sql", "SELECT id, event, revision, change_id FROM history ORDER BY id", "--format", "csv"],
        ].map { arguments in
            let result = try CLI.run(arguments, in: directory.path)
            #expect(result.exitCode == 0, "\(arguments): \(result.standardError)")
            return result.standardOutput
        }
    }

    @Test func heldLockTimesOutWriters() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        #expect(try CLI.run(["place", "hbo", "--node", "N4"], in: directory.path).exitCode == 0)
        #expect(try CLI.run(["approve", "1"], in: directory.path).exitCode == 0)
        #expect(try CLI.run(["place", "Fortnite", "--node", "N2"], in: directory.path).exitCode == 0)
        let before = try Self.snapshot(in: directory)

        let holder = try Database(path: directory.file("praas.db"))
        try holder.execute("BEGIN IMMEDIATE")
        let writes: [([String], String)] = [
            (["place", "hbo", "--node", "N2", "--yes"], "planning 'place hbo on N2'"),
            (["deploy", "1"], "deploying change 1"),
            (["approve", "2"], "approving change 2"),
            (["reject", "2"], "rejecting change 2"),
        ]
        for (arguments, operation) in writes {
            let started = Date()
            let result = try CLI.run(["--busy-timeout", "0.5"] + arguments, in: directory.path)
            let elapsed = Date().timeIntervalSince(started)
            #expect(result.exitCode == 6, "\(arguments)")
            #expect(result.standardError == Self.busyMessage(operation))
            #expect(result.standardOutput == "")
            #expect(elapsed >= 0.5, "\(arguments) gave up after \(elapsed) s")
        }

        // Readers see the last committed state while the writer holds its lock.
        let during = try [["status"], ["check"], ["change", "1"]].map {
            try CLI.run(["--busy-timeout", "0.5"] + $0, in: directory.path)
        }
        for result in during {
            #expect(result.exitCode == 0, "\(result.standardError)")
        }
        #expect(try Self.snapshot(in: directory) == before)

        try holder.execute("ROLLBACK")
        #expect(try Self.snapshot(in: directory) == before)
        let deploy = try CLI.run(["--busy-timeout", "0.5", "deploy", "1"], in: directory.path)
        #expect(deploy.exitCode == 0)
        #expect(deploy.standardOutput.hasPrefix("Deployed change 1 (place hbo on N4): "))
        #expect(deploy.standardOutput.hasSuffix("; revision 1 -> 2.\n"))
    }

    /// The wait is `--busy-timeout`: a lock released within it lets the writer through.
    @Test func lockReleasedInTimeLetsWriterThrough() throws {
        let directory = TemporaryDirectory()
        try Fixtures.importSmallTree(in: directory)
        let holder = try Database(path: directory.file("praas.db"))
        try holder.execute("BEGIN IMMEDIATE")
        let released = DispatchSemaphore(value: 0)
        let holderBox = UncheckedBox(holder)
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            try? holderBox.value.execute("ROLLBACK")
            released.signal()
        }
        let result = try CLI.run(["--busy-timeout", "10", "place", "hbo", "--node", "N4", "--yes"], in: directory.path)
        released.wait()
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasSuffix("Approved by tester and deployed: revision 1 -> 2.\n"))
    }

    /// The help states the unit and the range that the option accepts.
    @Test func helpStatesUnitAndRange() throws {
        let directory = TemporaryDirectory()
        let help = try CLI.run(["help"], in: directory.path).standardOutput
        #expect(
            help.contains(
                """
                  --busy-timeout <seconds>
                                          How long to wait for another process's lock on the
                                          database before giving up, in seconds from 0 to 86400
                                          (one day), such as 30 or 0.5. (default: 30)

                """))
    }
}

/// Hands a value that is not `Sendable` to one other thread, which is its only user from then on.
final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}
