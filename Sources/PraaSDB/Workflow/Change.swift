/// A distribution model: how a placement came to be.
public enum PlacementModel: String, Sendable, CaseIterable {
    /// Every node down to a depth.
    case balloon
    /// A node and every node on its path to the root.
    case fog
    /// Exactly the nodes named.
    case micro
}

/// Where a change is in the workflow.
public enum ChangeStatus: String, Sendable, CaseIterable {
    /// Planned and checked; waits for approval.
    case planned
    /// Broke a rule when planned, or rejected by an operator.
    case rejected
    /// Approved; waits for deploy.
    case approved
    /// Applied to the state; its `deployedRevision` is the revision it created.
    case deployed
    /// The deploy failed and changed nothing; `reasons` says why.
    case failed
    /// Planned against a revision that is no longer current; plan it again.
    case stale
}

/// What a change does to one node.
public enum PlacementAction: String, Sendable {
    /// The container is placed on the node.
    case add
    /// The container leaves the node.
    case remove
    /// The container stays, billed under another model because the claim that
    /// placed it is gone and another still holds the node.
    case remodel
}

/// One node a change touches, with its capacity before and after.
public struct PlannedPlacement: Equatable, Sendable {
    public var node: String
    public var nodeID: Int
    public var depth: Int
    public var action: PlacementAction
    /// The model after the change; for a removal, the model the placement had.
    public var model: PlacementModel
    public var memoryMB: Int64
    public var memoryUsedBeforeMB: Int64
    public var memoryUsedAfterMB: Int64
    public var millicores: Int64
    public var millicoresUsedBefore: Int64
    public var millicoresUsedAfter: Int64
}

/// A stored change: the request, who asked, the revision it was planned
/// against, what it does to each node, and where it is in the workflow.
public struct Change: Equatable, Sendable {
    public var id: Int
    public var request: ChangeRequest
    public var author: String
    /// UTC, ISO 8601.
    public var plannedAt: String
    public var baseRevision: Int
    public var status: ChangeStatus
    /// Why the change was rejected or failed, one sentence each.
    public var reasons: [String]
    public var approvedBy: String?
    public var approvedAt: String?
    /// Who deployed or rejected the change, or whose deploy failed.
    public var decidedBy: String?
    /// When the change was deployed, rejected, failed or found stale.
    public var decidedAt: String?
    public var deployedRevision: Int?
    /// Every node the change touches, in node id order. Empty when the change
    /// was loaded without its placements.
    public var placements: [PlannedPlacement]
    /// Counts of the change's placements by action, always filled.
    public var addedCount: Int
    public var removedCount: Int
    public var remodeledCount: Int
    /// The container's proximity to the households before and after the change,
    /// as planned; nil when the network was over the plan's node limit.
    public var proximity: PlanProximity?

    /// The placements the change adds.
    public var added: [PlannedPlacement] { placements.filter { $0.action == .add } }
    /// The placements the change removes.
    public var removed: [PlannedPlacement] { placements.filter { $0.action == .remove } }
}
