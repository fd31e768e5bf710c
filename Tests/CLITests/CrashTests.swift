import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// SIGKILL at random moments while the real binary deploys a large change,
/// imports a large file and writes a backup. After every kill the database
/// passes `check` and contains either all of the operation or none of it.
///
/// Each kill time is drawn from its own slice of the operation's measured
/// run time, so the kills cover the whole run, the commit included.
/// `PRAAS_DB_STRESS=1` kills more often; see docs/RELIABILITY.md.
@Suite(.serialized) struct CrashTests {
    /// Nodes in the deploy test's tree: a balloon over all of them is one
    /// transaction of about 20,000 placements and as many history rows.
    static let deployNodes = StressMode.size("PRAAS_DB_STRESS_CRASH_NODES", suite: 20_000, stress: 50_000)

    /// Starts `praas-db` with `arguments` in `directory` without waiting for it.
    static func start(_ arguments: [String], in directory: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "USER": "tester"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `praas-db` to the end and returns how long it took, in seconds.
    static func measure(_ arguments: [String], in directory: String) throws -> TimeInterval {
        let started = Date()
        let process = try start(arguments, in: directory)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "praas-db \(arguments.joined(separator: " "))")
        return Date().timeIntervalSince(started)
    }

    /// Runs `praas-db`, sends SIGKILL after `delay` seconds, and returns true when
    /// the signal ended it, false when it had already exited.
    static func kill(_ arguments: [String], in directory: String, after delay: TimeInterval) throws -> Bool {
        let process = try start(arguments, in: directory)
        Thread.sleep(forTimeInterval: delay)
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal {
            #expect(process.terminationStatus == SIGKILL)
            return true
        }
        #expect(process.terminationStatus == 0, "praas-db \(arguments.joined(separator: " ")) failed before the kill")
        return false
    }

    /// Kills `count` runs of `arguments`, each after a random time in its own
    /// slice of the run time, calling `verify` after each with a description of
    /// the kill. A run that ended before its kill time is run again with the run
    /// time shortened below that kill time, up to ten times per slice, because on
    /// a busy machine run times vary from one run to the next.
    ///
    /// - Returns: how many runs a SIGKILL ended.
    static func killRepeatedly(
        _ arguments: [String], in directory: String, count: Int, duration measured: TimeInterval,
        using random: inout SeededGenerator, prepare: () throws -> Void, verify: (_ comment: String) throws -> Void
    ) throws -> Int {
        var duration = measured
        var killed = 0
        for slice in 0..<count {
            for _ in 0..<10 {
                let delay = duration * (Double(slice) + Double.random(in: 0..<1, using: &random)) / Double(count)
                try prepare()
                let wasKilled = try kill(arguments, in: directory, after: delay)
                try verify("kill \(slice + 1) of \(count), \(Int(delay * 1000)) ms into a \(Int(duration * 1000)) ms run")
                if wasKilled {
                    killed += 1
                    break
                }
                duration = min(duration, delay) * 0.8
            }
        }
        return killed
    }

    static func removeDatabase(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    static func expectCheckPasses(_ repository: Repository, _ comment: String) throws {
        for result in try repository.check() {
            #expect(result.problems == [], "\(comment): check \(result.name)")
        }
    }

    // MARK: - Deploy

    /// What the deploy test's template database contains before the deploy.
    struct DeployFixture {
        let changeID: Int
        let containerID: Int
        let baseRevision: Int
    }

    /// Creates `path` with the synthetic tree, the container `big` on N0, and an
    /// approved change that balloons `big` over every node.
    static func makeDeployTemplate(at path: String) throws -> DeployFixture {
        let tree = SyntheticTree.breadthFirst(nodes: deployNodes, fanout: 8)
        let repository = try Repository.create(at: path)
        try repository.importState(tree, source: "synthetic")
        _ = try repository.planApproveDeploy(.register(container: "big", memoryMB: 64, millicores: 100, customer: "Crash"))
        let planned = try repository.plan(.balloon(container: "big", depth: tree.maxDepth), placementLimit: 0)
        #expect(planned.status == .planned)
        #expect(planned.addedCount == deployNodes - 1)
        _ = try repository.approve(planned.id)
        let containerID = try #require(try repository.database.scalarInt("SELECT id FROM containers WHERE name = 'big'"))
        return DeployFixture(changeID: planned.id, containerID: containerID, baseRevision: try repository.revision())
    }

    /// Checks that the balloon of `fixture` is in the database completely or not at all.
    static func expectAllOrNothing(at path: String, _ fixture: DeployFixture, _ comment: String) throws -> Bool {
        let repository = try Repository.open(at: path)
        try expectCheckPasses(repository, comment)
        let database = repository.database
        let change = try repository.change(fixture.changeID, placementLimit: 0)
        let revision = try repository.revision()
        let placed = try database.scalarInt("SELECT count(*) FROM placements WHERE container_id = ?", fixture.containerID)
        let deployEvents = try database.scalarInt(
            "SELECT count(*) FROM history WHERE change_id = ? AND event = 'change_deployed'", fixture.changeID)
        let placementEvents = try database.scalarInt(
            "SELECT count(*) FROM history WHERE change_id = ? AND event LIKE 'placement_%'", fixture.changeID)

        if revision == fixture.baseRevision + 1 {
            #expect(change.status == .deployed, "\(comment)")
            #expect(change.deployedRevision == revision, "\(comment)")
            #expect(placed == deployNodes, "\(comment)")
            #expect(deployEvents == 1, "\(comment)")
            #expect(placementEvents == deployNodes - 1, "\(comment)")
            return true
        }
        #expect(revision == fixture.baseRevision, "\(comment)")
        #expect(change.status == .approved, "\(comment)")
        #expect(placed == 1, "\(comment)")
        #expect(deployEvents == 0, "\(comment)")
        #expect(placementEvents == 0, "\(comment)")
        return false
    }

    @Test(.timeLimit(.minutes(10)))
    func killDuringDeploy() throws {
        let kills = StressMode.size("PRAAS_DB_STRESS_KILLS", suite: 20, stress: 100)
        var random = SeededGenerator(seed: UInt64(StressMode.size("PRAAS_DB_STRESS_SEED", suite: 7, stress: Int(Date().timeIntervalSince1970))))
        let directory = TemporaryDirectory()
        let template = directory.file("template.db")
        let fixture = try Self.makeDeployTemplate(at: template)
        let deploy = ["--db", "run.db", "deploy", String(fixture.changeID)]

        // The first run also warms the page cache, so the second gives the run time.
        let run = directory.file("run.db")
        var duration: TimeInterval = .infinity
        for _ in 0..<2 {
            Self.removeDatabase(run)
            try FileManager.default.copyItem(atPath: template, toPath: run)
            duration = min(duration, try Self.measure(deploy, in: directory.path))
            #expect(try Self.expectAllOrNothing(at: run, fixture, "a deploy that was not killed"))
        }

        var notApplied = 0
        let killed = try Self.killRepeatedly(
            deploy, in: directory.path, count: kills, duration: duration, using: &random,
            prepare: {
                Self.removeDatabase(run)
                try FileManager.default.copyItem(atPath: template, toPath: run)
            },
            verify: { comment in
                if try !Self.expectAllOrNothing(at: run, fixture, comment) {
                    notApplied += 1
                }
            })
        #expect(killed == kills)
        // Most kill times fall before the commit, so some kills must have found the deploy unfinished.
        #expect(notApplied > 0)

        // A change that a kill stopped is still approved, and deploys when run again.
        Self.removeDatabase(directory.file("run.db"))
        try FileManager.default.copyItem(atPath: template, toPath: directory.file("run.db"))
        _ = try Self.kill(deploy, in: directory.path, after: 0.05)
        let again = try CLI.run(deploy, in: directory.path)
        #expect(again.exitCode == 0, "\(again.standardError)")
        #expect(try Self.expectAllOrNothing(at: directory.file("run.db"), fixture, "the deploy run again"))
    }

    // MARK: - Import

    @Test(.timeLimit(.minutes(5)))
    func killDuringImport() throws {
        let kills = StressMode.size("PRAAS_DB_STRESS_IMPORT_KILLS", suite: 6, stress: 40)
        let nodes = 10_000
        var random = SeededGenerator(seed: 11)
        let directory = TemporaryDirectory()
        try SyntheticTree.write(SyntheticTree.breadthFirst(nodes: nodes, fanout: 8), to: directory.file("big.json"))
        let importing = ["--db", "run.db", "import", "big.json"]
        let duration = try Self.measure(importing, in: directory.path)

        var outcomes: [String] = []
        let killed = try Self.killRepeatedly(
            importing, in: directory.path, count: kills, duration: duration, using: &random,
            prepare: { Self.removeDatabase(directory.file("run.db")) },
            verify: { comment in
                guard FileManager.default.fileExists(atPath: directory.file("run.db")) else {
                    outcomes.append("none")
                    return
                }
                // A kill before the schema's first commit leaves a file without tables,
                // which the next import fills.
                let repository: Repository
                do {
                    repository = try Repository.open(at: directory.file("run.db"))
                } catch let error as PraaSError where error.kind == .fileNotFound {
                    #expect(error.message.contains("is empty (it has no tables)"), "\(comment)")
                    let again = try CLI.run(importing, in: directory.path)
                    #expect(again.exitCode == 0, "\(comment): \(again.standardError)")
                    outcomes.append("blank")
                    return
                }
                try Self.expectCheckPasses(repository, comment)
                let status = try repository.status()
                if status.nodeCount == 0 {
                    #expect(status.revision == 0, "\(comment)")
                    #expect(status.containerCount == 0, "\(comment)")
                    #expect(try repository.history().filter { $0.event != "history_started" }.isEmpty, "\(comment)")
                    outcomes.append("empty")
                } else {
                    #expect(status.nodeCount == nodes, "\(comment)")
                    #expect(status.revision == 1, "\(comment)")
                    outcomes.append("imported")
                }
            })
        #expect(killed == kills)
        // The first slices fall in the reading of the file, before any database exists.
        #expect(outcomes.contains("none"), "\(outcomes)")

        // An empty database left by a kill takes the import when it is run again.
        Self.removeDatabase(directory.file("run.db"))
        #expect(try CLI.run(["--db", "run.db", "init"], in: directory.path).exitCode == 0)
        let again = try CLI.run(importing, in: directory.path)
        #expect(again.exitCode == 0, "\(again.standardError)")
    }

    // MARK: - Backup

    @Test(.timeLimit(.minutes(5)))
    func killDuringBackup() throws {
        let kills = StressMode.size("PRAAS_DB_STRESS_BACKUP_KILLS", suite: 6, stress: 40)
        var random = SeededGenerator(seed: 13)
        let directory = TemporaryDirectory()
        let source = directory.file("praas.db")
        let repository = try Repository.create(at: source)
        try repository.importState(SyntheticTree.breadthFirst(nodes: 10_000, fanout: 8), source: "synthetic")
        _ = try repository.planApproveDeploy(.register(container: "big", memoryMB: 64, millicores: 100, customer: "Crash"))
        _ = try repository.planApproveDeploy(.balloon(container: "big", depth: 3), placementLimit: 0)
        let revision = try repository.revision()
        let duration = try Self.measure(["backup", "copy.db"], in: directory.path)
        try FileManager.default.removeItem(atPath: directory.file("copy.db"))

        let killed = try Self.killRepeatedly(
            ["backup", "backup.db"], in: directory.path, count: kills, duration: duration, using: &random,
            prepare: { Self.removeDatabase(directory.file("backup.db")) },
            verify: { comment in
                guard FileManager.default.fileExists(atPath: directory.file("backup.db")) else { return }
                let backup = try Repository.open(at: directory.file("backup.db"))
                try Self.expectCheckPasses(backup, comment)
                #expect(try backup.revision() == revision, "\(comment)")
            })
        #expect(killed == kills)
        try Self.expectCheckPasses(repository, "the source after the kills")
        #expect(try repository.revision() == revision)
    }
}
