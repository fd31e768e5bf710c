import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// The three Oslo use cases, each run through plan, approve and deploy on one database.
@Suite struct UseCaseTests {
    static let lillestrom = ["N0", "N2", "N13", "N28", "N29", "N30", "N31", "N46", "N47", "N48", "N49", "N50"]
    static let fortnite = [
        "N0", "N1", "N2", "N4", "N5", "N6", "N7", "N10", "N12", "N13", "N16", "N17", "N19", "N20", "N31", "N36", "N37",
        "N54", "N56", "N65", "N66", "N76",
    ]

    @Test func useCasesPlaceExactNodes() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)

        for useCase in UseCase.oslo {
            for request in useCase.requests {
                let planned = try repository.plan(request)
                #expect(planned.status == .planned, "\(request.summary): \(planned.reasons)")
                let approved = try repository.approve(planned.id)
                #expect(approved.status == .approved)
                let deployed = try repository.deploy(planned.id)
                #expect(deployed.status == .deployed)
                #expect(deployed.deployedRevision == planned.baseRevision + 1)
            }
        }

        let hbo = try repository.nodeNames(of: "hbo")
        #expect(hbo.count == 64)
        #expect(hbo == names(0...63))
        #expect(try repository.nodeNames(of: "Lillestrom") == Self.lillestrom)
        #expect(try repository.nodeNames(of: "Fortnite") == Self.fortnite)
        #expect(try repository.nodeNames(of: "Fortnite").count == 22)

        let status = try repository.status()
        #expect(status.revision == 7)
        #expect(status.placementCount == 64 + 12 + 22)
        #expect(status.memoryUsedMB == 98 * 256)
        #expect(status.millicoresUsed == 98 * 200)
    }

    @Test func useCasesFitInAnyOrder() throws {
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let directory = TemporaryDirectory()
            let repository = try WorkflowFixtures.oslo(in: directory)
            for index in order {
                for request in UseCase.oslo[index].requests {
                    try repository.deployNow(request)
                }
            }
            #expect(try repository.status().placementCount == 98, "order \(order)")
        }
    }

    @Test func useCaseModelsAreRecorded() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        for useCase in UseCase.oslo {
            for request in useCase.requests {
                try repository.deployNow(request)
            }
        }
        #expect(Set(try repository.models(of: "hbo").values) == [.balloon])
        let lillestrom = try repository.models(of: "Lillestrom")
        #expect(lillestrom["N0"] == .balloon)
        #expect(lillestrom.filter { $0.value == .fog }.count == 11)

        let claims = try repository.claims(ofContainer: "Fortnite")
        #expect(claims.balloonDepth == 0)
        #expect(claims.fogTargets == ["N10", "N12", "N16", "N19", "N20", "N31", "N66", "N76"])
        #expect(claims.microNodes == [])
    }

    /// An exported state reads back with the same placements and, because the
    /// import recognises balloons and fogs, with the same models.
    @Test func exportAfterUseCasesReimports() throws {
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.oslo(in: directory)
        for useCase in UseCase.oslo {
            for request in useCase.requests {
                try repository.deployNow(request)
            }
        }
        let exported = try repository.currentState()

        let copyDirectory = TemporaryDirectory()
        let copy = try WorkflowFixtures.database(exported, in: copyDirectory)
        #expect(try copy.currentState() == exported)
        for name in ["hbo", "Lillestrom", "Fortnite"] {
            #expect(try copy.models(of: name) == (try repository.models(of: name)), "\(name)")
        }
        #expect(try copy.claims(ofContainer: "hbo").balloonDepth == 4)
        #expect(try copy.claims(ofContainer: "Lillestrom").fogTargets == ["N46", "N47", "N48", "N49", "N50"])

        // The imported balloon shrinks like one planned here.
        let shrink = try copy.deployNow(.balloon(container: "hbo", depth: 1))
        #expect(shrink.removedCount == 54)
        #expect(try copy.nodeNames(of: "hbo") == names(0...9))
    }
}
