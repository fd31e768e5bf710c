import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// Balloon, fog and micromanagement on the Oslo topology: what growing,
/// shrinking, retracting, moving and removing leave behind, also where the
/// models overlap.
@Suite struct ModelTests {
    private func oslo(with container: String = "hbo", in directory: TemporaryDirectory) throws -> Repository {
        let repository = try WorkflowFixtures.oslo(in: directory)
        try repository.deployNow(.register(container: container, memoryMB: 256, millicores: 200, customer: "ACME"))
        return repository
    }

    @Test func registerPlacesOnRoot() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        #expect(try repository.nodeNames(of: "hbo") == ["N0"])
        #expect(try repository.claims(ofContainer: "hbo") == ContainerClaims(balloonDepth: 0, fogTargets: [], microNodes: []))
    }

    @Test func balloonGrowsAndShrinks() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)

        let grow = try repository.deployNow(.balloon(container: "hbo", depth: 2))
        #expect(grow.addedCount == 23)
        #expect(try repository.nodeNames(of: "hbo") == names(0...23))

        let shrink = try repository.deployNow(.balloon(container: "hbo", depth: 1))
        #expect(shrink.removedCount == 14)
        #expect(shrink.addedCount == 0)
        #expect(try repository.nodeNames(of: "hbo") == names(0...9))

        try repository.deployNow(.balloon(container: "hbo", depth: 0))
        #expect(try repository.nodeNames(of: "hbo") == ["N0"])
    }

    @Test func balloonFullDepthCoversEveryNode() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.balloon(container: "hbo", depth: 1))
        #expect(try repository.nodeNames(of: "hbo").count == 10)
        try repository.deployNow(.balloon(container: "hbo", depth: 6))
        #expect(try repository.nodeNames(of: "hbo").count == 80)
    }

    @Test func balloonRulesAreChecked() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        let same = try repository.plan(.balloon(container: "hbo", depth: 0))
        #expect(same.reasons == ["hbo's balloon already has depth 0"])
        let deep = try repository.plan(.balloon(container: "hbo", depth: 7))
        #expect(deep.reasons == ["depth 7 is deeper than the network, whose deepest nodes are at depth 6"])
        let negative = try #require(throws: PraaSError.self) { try repository.plan(.balloon(container: "hbo", depth: -1)) }
        #expect(negative.kind == .invalidArgument)
    }

    /// Shrinking a balloon keeps the nodes a fog still needs, now billed as fog.
    @Test func shrinkKeepsFogPath() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.balloon(container: "hbo", depth: 3))
        let fog = try repository.deployNow(.fog(container: "hbo", nodes: ["N50"]))
        #expect(fog.addedCount == 1)  // N31, N13, N2 and N0 are already inside the balloon.

        let shrink = try repository.deployNow(.balloon(container: "hbo", depth: 1))
        #expect(shrink.remodeledCount == 2)
        #expect(shrink.removedCount == 14 + 22 - 2)
        #expect(try repository.nodeNames(of: "hbo") == names(0...9) + ["N13", "N31", "N50"])

        let models = try repository.models(of: "hbo")
        #expect(models["N2"] == .balloon)
        #expect(models["N13"] == .fog)
        #expect(models["N31"] == .fog)
        #expect(models["N50"] == .fog)
    }

    @Test func fogTakesPathToRoot() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        let change = try repository.deployNow(.fog(container: "hbo", nodes: ["N76"]))
        #expect(change.addedCount == 6)
        #expect(try repository.nodeNames(of: "hbo") == ["N0", "N5", "N17", "N36", "N54", "N65", "N76"])
    }

    @Test func fogTargetTwiceIsRejected() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.fog(container: "hbo", nodes: ["N13"]))
        let again = try repository.plan(.fog(container: "hbo", nodes: ["N13", "N28"]))
        #expect(again.status == .rejected)
        #expect(again.reasons == ["N13 is already a fog target of hbo"])

        let twice = try #require(throws: PraaSError.self) { try repository.plan(.fog(container: "hbo", nodes: ["N28", "N28"])) }
        #expect(twice.kind == .invalidArgument)
        #expect(twice.message == "the node N28 is given twice")
    }

    @Test func retractKeepsSharedPath() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.fog(container: "hbo", nodes: ["N46", "N48"]))
        #expect(try repository.nodeNames(of: "hbo") == ["N0", "N2", "N13", "N28", "N29", "N46", "N48"])

        let retract = try repository.deployNow(.retract(container: "hbo", node: "N46"))
        #expect(retract.removedCount == 2)
        #expect(try repository.nodeNames(of: "hbo") == ["N0", "N2", "N13", "N29", "N48"])
        #expect(try repository.claims(ofContainer: "hbo").fogTargets == ["N48"])
    }

    /// Retracting from a node above the targets pulls back every target below it.
    @Test func retractFromInnerNode() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.fog(container: "hbo", nodes: UseCase.oslo[1].requests.compactMap {
            if case .fog(_, let nodes) = $0 { return nodes } else { return nil }
        }.first!))
        try repository.deployNow(.fog(container: "hbo", nodes: ["N19"]))

        let retract = try repository.deployNow(.retract(container: "hbo", node: "N2"))
        #expect(retract.removedCount == 11)
        #expect(try repository.nodeNames(of: "hbo") == ["N0", "N6", "N19"])
        #expect(try repository.claims(ofContainer: "hbo").fogTargets == ["N19"])
    }

    @Test func retractOutsideFogIsRejected() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.fog(container: "hbo", nodes: ["N19"]))
        let change = try repository.plan(.retract(container: "hbo", node: "N20"))
        #expect(change.reasons == ["hbo's fog does not reach N20; its fog targets are N19"])
    }

    /// Retracting a fog inside a balloon keeps the balloon's nodes, billed as balloon.
    @Test func retractInsideBalloon() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.fog(container: "hbo", nodes: ["N28"]))
        try repository.deployNow(.balloon(container: "hbo", depth: 2))
        #expect(try repository.models(of: "hbo")["N13"] == .fog)

        let retract = try repository.deployNow(.retract(container: "hbo", node: "N28"))
        #expect(retract.removedCount == 1)
        #expect(retract.remodeledCount == 2)
        #expect(try repository.models(of: "hbo")["N13"] == .balloon)
        #expect(try repository.models(of: "hbo")["N2"] == .balloon)
        #expect(try repository.nodeNames(of: "hbo") == names(0...23))
    }

    @Test func placeAndRemoveExactNode() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.place(container: "hbo", node: "N77"))
        #expect(try repository.nodeNames(of: "hbo") == ["N0", "N77"])
        #expect(try repository.models(of: "hbo")["N77"] == .micro)

        let again = try repository.plan(.place(container: "hbo", node: "N77"))
        #expect(again.reasons == ["hbo already runs on N77 (placed by the micromanagement model)"])

        try repository.deployNow(.remove(container: "hbo", node: "N77"))
        #expect(try repository.nodeNames(of: "hbo") == ["N0"])

        let missing = try repository.plan(.remove(container: "hbo", node: "N77"))
        #expect(missing.reasons == ["hbo does not run on N77"])
    }

    @Test func removeInsideModelIsRejected() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.balloon(container: "hbo", depth: 2))
        try repository.deployNow(.fog(container: "hbo", nodes: ["N50"]))

        let inBalloon = try repository.plan(.remove(container: "hbo", node: "N12"))
        #expect(inBalloon.reasons == ["N12 (depth 2) is inside hbo's balloon (depth 2); shrink the balloon first with 'praas-db balloon hbo --depth 1'"])
        let onPath = try repository.plan(.remove(container: "hbo", node: "N31"))
        #expect(onPath.reasons == ["N31 is on hbo's fog path to N50; pull the fog back with 'praas-db retract hbo --node N31' instead"])
        #expect(try repository.nodeNames(of: "hbo").count == 26)
    }

    @Test func moveIsOneChange() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.place(container: "hbo", node: "N77"))
        let move = try repository.deployNow(.move(container: "hbo", from: "N77", to: "N78"))
        #expect(move.addedCount == 1)
        #expect(move.removedCount == 1)
        #expect(try repository.nodeNames(of: "hbo") == ["N0", "N78"])
        #expect(try repository.claims(ofContainer: "hbo").microNodes == ["N78"])
    }

    @Test func moveIntoFullNodeChangesNothing() throws {
        var file = WorkflowFixtures.tree(depth: 1, fanout: 2)
        file.nodes[2].memoryMB = 100
        let directory = TemporaryDirectory()
        let repository = try WorkflowFixtures.database(file, in: directory)
        try repository.deployNow(.register(container: "game", memoryMB: 256, millicores: 100, customer: "ACME"))
        try repository.deployNow(.place(container: "game", node: "N1"))

        let move = try repository.plan(.move(container: "game", from: "N1", to: "N2"))
        #expect(move.status == .rejected)
        #expect(move.reasons == ["N2: needs 256 MB, 100 MB free"])
        #expect(try repository.nodeNames(of: "game") == ["N0", "N1"])
    }

    /// A container leaves every node, then unregisters: the full life cycle.
    @Test func unregisterAfterLastPlacement() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.balloon(container: "hbo", depth: 1))
        try repository.deployNow(.fog(container: "hbo", nodes: ["N76"]))
        try repository.deployNow(.place(container: "hbo", node: "N79"))

        let early = try repository.plan(.unregister(container: "hbo"))
        #expect(early.reasons == ["hbo still runs on 16 nodes (N0, N1, N2, N3, N4, ...); shrink its balloon, retract its fog and remove its placements first"])

        let rootFirst = try repository.plan(.remove(container: "hbo", node: "N0"))
        #expect(rootFirst.reasons == ["N0 is on hbo's fog path to N76; pull the fog back with 'praas-db retract hbo --node N0' instead"])

        try repository.deployNow(.retract(container: "hbo", node: "N76"))
        try repository.deployNow(.balloon(container: "hbo", depth: 0))
        try repository.deployNow(.remove(container: "hbo", node: "N0"))
        // The micromanagement placement stays without the root.
        #expect(try repository.nodeNames(of: "hbo") == ["N79"])
        #expect(try repository.claims(ofContainer: "hbo").balloonDepth == nil)
        try repository.deployNow(.remove(container: "hbo", node: "N79"))
        #expect(try repository.nodeNames(of: "hbo") == [])

        try repository.deployNow(.unregister(container: "hbo"))
        #expect(try repository.containers() == [])
        let error = try #require(throws: PraaSError.self) { try repository.nodeNames(of: "hbo") }
        #expect(error.kind == .notFound)
    }

    @Test func reRegisterAfterUnregister() throws {
        let directory = TemporaryDirectory()
        let repository = try oslo(in: directory)
        try repository.deployNow(.remove(container: "hbo", node: "N0"))
        try repository.deployNow(.unregister(container: "hbo"))
        try repository.deployNow(.register(container: "hbo", memoryMB: 512, millicores: 100, customer: "HBO Max"))
        let containers = try repository.containers()
        #expect(containers.map(\.name) == ["hbo"])
        #expect(containers.map(\.memoryMB) == [512])
        #expect(containers.map(\.id) == [2])
    }
}
