/// Appends events to the `history` table inside the caller's transaction, so an
/// event is recorded exactly when what it describes is committed.
struct HistoryWriter {
    let database: Database
    let actor: String
    /// The timestamp of every event written through this value: one operation,
    /// one moment.
    let at: String

    /// The kinds of `history.event`.
    enum Event: String {
        case historyStarted = "history_started"
        case topologyLoaded = "topology_loaded"
        case containerRegistered = "container_registered"
        case containerUnregistered = "container_unregistered"
        case placementAdded = "placement_added"
        case placementRemoved = "placement_removed"
        case placementRemodeled = "placement_remodeled"
        case changePlanned = "change_planned"
        case changeRejected = "change_rejected"
        case changeApproved = "change_approved"
        case changeDeployed = "change_deployed"
        case changeFailed = "change_failed"
        case changeStale = "change_stale"
        case settingChanged = "setting_changed"
        case priceChanged = "price_changed"
        case latencyChanged = "latency_changed"
    }

    /// The container an event concerns. The id is nil for a container not
    /// registered yet, such as the subject of a planned register.
    struct Subject {
        var id: Int?
        var name: String
        var customer: String?

        init(_ container: ContainerRef) {
            self.id = container.id
            self.name = container.name
            self.customer = container.customer
        }

        init(id: Int?, name: String, customer: String?) {
            self.id = id
            self.name = name
            self.customer = customer
        }
    }

    /// Records an event that concerns at most one change and one container.
    func record(
        _ event: Event, revision: Int, change: Int? = nil, container: Subject? = nil, details: String? = nil
    ) throws {
        try database.run(
            """
            INSERT INTO history (revision, at, actor, event, change_id, container_id, container, customer, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            revision, at, actor, event.rawValue, change, container?.id, container?.name, container?.customer, details)
    }

    /// Records the registration of a container, with its needs.
    func recordRegistration(_ container: ContainerRef, revision: Int, change: Int?) throws {
        try record(
            .containerRegistered, revision: revision, change: change, container: Subject(container),
            details: "{\"memory_mb\":\(container.memoryMB),\"cpu_millicores\":\(container.millicores)}")
    }

    /// Records every current placement as added: the placements an import loaded.
    func recordAllPlacementsAdded(revision: Int) throws {
        try database.run(
            """
            INSERT INTO history (revision, at, actor, event, container_id, container, customer, node_id, placement_id, model)
            SELECT ?, ?, ?, 'placement_added', c.id, c.name, c.customer, p.node_id, p.id, p.model
            FROM placements p JOIN containers c ON c.id = p.container_id
            ORDER BY p.id
            """,
            revision, at, actor)
    }

    /// Records the placements change `change` is about to remove or remodel. Call
    /// it before the placements table changes, so the rows still exist.
    func recordRemovalsAndRemodels(change: Int, container: Int, revision: Int) throws {
        try database.run(
            """
            INSERT INTO history (
                revision, at, actor, event, change_id, container_id, container, customer, node_id, placement_id,
                model, previous_model)
            SELECT ?, ?, ?, CASE cp.action WHEN 'remove' THEN 'placement_removed' ELSE 'placement_remodeled' END,
                cp.change_id, c.id, c.name, c.customer, p.node_id, p.id, cp.model,
                CASE cp.action WHEN 'remodel' THEN p.model END
            FROM change_placements cp
            JOIN placements p ON p.container_id = ? AND p.node_id = cp.node_id
            JOIN containers c ON c.id = p.container_id
            WHERE cp.change_id = ? AND cp.action IN ('remove', 'remodel')
            ORDER BY p.node_id
            """,
            revision, at, actor, container, change)
    }

    /// Records the placements change `change` added. Call it after inserting them.
    func recordAdditions(change: Int, container: Int, revision: Int) throws {
        try database.run(
            """
            INSERT INTO history (
                revision, at, actor, event, change_id, container_id, container, customer, node_id, placement_id, model)
            SELECT ?, ?, ?, 'placement_added', cp.change_id, c.id, c.name, c.customer, p.node_id, p.id, p.model
            FROM change_placements cp
            JOIN placements p ON p.container_id = ? AND p.node_id = cp.node_id
            JOIN containers c ON c.id = p.container_id
            WHERE cp.change_id = ? AND cp.action = 'add'
            ORDER BY p.id
            """,
            revision, at, actor, container, change)
    }
}
