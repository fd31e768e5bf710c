import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// Many processes place a large container on the same small node at once.
/// Each runs `place --yes` and, when its change turns stale because another
/// deployed first, plans it again, as the error message instructs.
@Suite struct CapacityRaceTests {
    /// N1 has 1024 MB and 1 core: room for three of the twelve 300 MB, 0.3-core
    /// containers, which all run on N0.
    static func stateFile(containers: Int) -> String {
        let names = (0..<containers).map { "\"r\($0)\"" }.joined(separator: ", ")
        let list = (0..<containers).map {
            "{\"name\": \"r\($0)\", \"resource_mem\": \"300\", \"resource_cpu\": \"0.3\", \"customer\": \"Racer\"}"
        }.joined(separator: ",\n        ")
        return """
            {
                "containerlist": [
                    \(list)
                ],
                "nodelist": [
                    {"name": "N0", "parent": "none", "capacity_mem": "8192", "capacity_cpu": "16", "containers": [\(names)], "depth": "0"},
                    {"name": "N1", "parent": "N0", "capacity_mem": "1024", "capacity_cpu": "1", "containers": [], "depth": "1"}
                ]
            }

            """
    }

    struct Outcome: Sendable {
        let container: String
        let attempts: [CommandResult]
    }

    @Test(.timeLimit(.minutes(5)))
    func exactlyAsManyAsFitSucceed() throws {
        let racers = 12
        let directory = TemporaryDirectory()
        directory.write("race.json", Self.stateFile(containers: racers))
        #expect(try CLI.run(["import", "race.json"], in: directory.path).exitCode == 0)

        let path = directory.path
        let outcomes = SharedList<Outcome>()
        Parallel.run(racers) { index in
            var attempts: [CommandResult] = []
            // Each retry follows a deploy by another racer, so twelve racers need at most twelve tries.
            for _ in 0..<(racers + 1) {
                guard let result = try? CLI.run(["place", "r\(index)", "--node", "N1", "--yes"], in: path) else { break }
                attempts.append(result)
                if result.exitCode != 5 {
                    break
                }
            }
            outcomes.append(Outcome(container: "r\(index)", attempts: attempts))
        }

        let finals = outcomes.snapshot.compactMap(\.attempts.last)
        #expect(finals.count == racers)
        #expect(finals.filter { $0.exitCode == 0 }.count == 3)
        let rejected = finals.filter { $0.exitCode == 4 }
        #expect(rejected.count == racers - 3)
        for result in rejected {
            let message = result.standardError.replacing(#/change \d+/#, with: "change ID")
            #expect(message == "Error: change ID was rejected: N1: needs 300 MB, 124 MB free, and 0.3 cores, 0.1 cores free\n")
        }
        for outcome in outcomes.snapshot {
            for retried in outcome.attempts.dropLast() {
                #expect(retried.exitCode == 5, "\(outcome.container): \(retried.standardError)")
                #expect(retried.standardError.contains("; plan the change again"), "\(outcome.container): \(retried.standardError)")
            }
        }

        let repository = try Repository.open(at: directory.file("praas.db"))
        for result in try repository.check() {
            #expect(result.problems == [], "check \(result.name)")
        }
        let winners = Set(outcomes.snapshot.filter { $0.attempts.last?.exitCode == 0 }.map(\.container))
        let state = try repository.currentState()
        #expect(Set(state.nodes[1].containers) == winners)
        #expect(try repository.revision() == 1 + winners.count)
    }
}
