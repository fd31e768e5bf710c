import ArgumentParsing
import Foundation
import PraaSDB

/// The commands that plan a change: register, the three models, and removal.
/// Each stores a change and prints its plan; with --yes it also approves and
/// deploys it.
enum ChangeCommands {
    static let group = "Changing placements (each plans a change; --yes also approves and deploys it)"

    static let containerArgument = ArgumentSpec(
        "container", help: "The container's name.", completion: .dynamic("container"))

    /// Options every change-planning command takes.
    static let workflowOptions: [OptionSpec] = [
        .flag("--yes", aliases: ["-y"], help: "Approve and deploy the change right after planning it (each step is still recorded)."),
        ActorName.option(help: "Who plans (and with --yes approves) the change."),
        FormatOptions.format,
        FormatOptions.json,
    ]

    static func nodeOption(_ help: String, repeatable: Bool = false) -> OptionSpec {
        OptionSpec("--node", aliases: ["-n"], valueName: "node", help: help, isRepeatable: repeatable, isRequired: true, completion: .dynamic("node"))
    }

    /// Plans `request`, and with --yes approves and deploys it, then prints the plan.
    ///
    /// - Throws: `.constraintViolation` when the plan is rejected, after printing it.
    static func run(_ request: ChangeRequest, context: CommandContext) throws {
        let repository = try context.openRepository()
        let limit = context.format == .json ? 0 : ChangeOutput.tableLimit
        let change: Change
        if context.arguments.flag("--yes") {
            let planned = try repository.plan(request, placementLimit: limit)
            guard planned.status == .planned else {
                return try reportRejected(planned, repository: repository, context: context)
            }
            if context.format != .json {
                context.output.write(ChangeOutput.plan(planned, showingNextStep: false))
                context.output.flush()
            }
            let approved = try repository.approve(planned.id)
            var deployed = try repository.deploy(approved.id)
            deployed.placements = planned.placements
            change = deployed
            if context.format != .json {
                let approver = try approved.approvedBy ?? context.actor()
                context.output.writeLine(
                    "Approved by \(approver) and deployed: revision \(change.baseRevision) -> \(change.deployedRevision ?? 0).")
                return
            }
        } else {
            change = try repository.plan(request, placementLimit: limit)
            guard change.status == .planned else {
                return try reportRejected(change, repository: repository, context: context)
            }
        }
        try ChangeOutput.write(change, repository: repository, context: context)
    }

    private static func reportRejected(_ change: Change, repository: Repository, context: CommandContext) throws {
        try ChangeOutput.write(change, repository: repository, context: context)
        let reason = change.reasons.count == 1 ? change.reasons[0] : "\(change.reasons.count) problems, listed above"
        throw PraaSError(.constraintViolation, "change \(change.id) was rejected: \(reason)")
    }

    static let register = Command(
        spec: CommandSpec(
            "register",
            summary: "Register a container and place it on the root node.",
            discussion: """
                Plans a change that adds the container and places it on the root (N0) as a balloon of depth 0, \
                as the prototype does. Give the needs with --memory, --cpu and --customer, or give the prototype's \
                container object with --json. CPU is exact to the millicore: 0.2 is 200 millicores, and 0.0005 is \
                an error.
                """,
            group: group,
            arguments: [ArgumentSpec("container", help: "The new container's name (optional with --json).", isOptional: true)],
            options: [
                OptionSpec(
                    "--memory", valueName: "mb", help: "Memory the container needs, in whole megabytes written in digits only, such as 256.",
                    validate: validateMemory),
                OptionSpec(
                    "--cpu", valueName: "cores",
                    help: "CPU the container needs, in cores: digits with at most three decimals and a digit before the point, "
                        + "such as 2 or 0.25.",
                    validate: validateCores),
                OptionSpec("--customer", valueName: "text", help: "The customer who rents the container, such as \"Epic games\"."),
                OptionSpec("--json", valueName: "object", help: "The container as the prototype's JSON object, with name, resource_mem, resource_cpu and customer."),
            ] + workflowOptions.filter { $0.name != "--json" },
            examples: [
                Example("praas-db register netflix --memory 256 --cpu 0.2 --customer Netflix", "Plan registering netflix on N0."),
                Example(
                    "praas-db register --json '{\"name\": \"Minecraft\", \"resource_mem\": \"256\", \"resource_cpu\": \"0.2\", \"customer\": \"Mojang\"}' --yes",
                    "Register from the prototype's container object, and approve and deploy at once."),
            ]),
        run: { context in
            try run(registerRequest(context), context: context)
        })

    private static func registerRequest(_ context: CommandContext) throws -> ChangeRequest {
        let name = context.arguments.positional(0)
        if let json = context.arguments.value("--json") {
            for option in ["--memory", "--cpu", "--customer"] where context.arguments.value(option) != nil {
                throw PraaSError.invalidArgument("\(option) cannot be combined with --json, which gives the whole container")
            }
            let container = try StateFileDecoder.decodeContainer(json, source: "--json")
            if let name, name != container.name {
                throw PraaSError.invalidArgument("the name '\(name)' differs from the name \"\(container.name)\" in --json; give one of them")
            }
            return .register(container: container.name, memoryMB: container.memoryMB, millicores: container.millicores, customer: container.customer)
        }
        guard let name else {
            throw PraaSError.invalidArgument("missing the container's name; give it, or give the whole container with --json")
        }
        let missing = ["--memory", "--cpu", "--customer"].filter { context.arguments.value($0) == nil }
        guard missing.isEmpty else {
            throw PraaSError.invalidArgument("missing \(missing.joined(separator: ", ")); a container needs memory, CPU and a customer")
        }
        return .register(
            container: name,
            memoryMB: try Quantity.megabytes(context.arguments.value("--memory")!, notation: .plain).get(),
            millicores: try Quantity.millicores(context.arguments.value("--cpu")!, notation: .plain).get(),
            customer: context.arguments.value("--customer")!)
    }

    static let validateMemory: @Sendable (String) -> String? = { text in
        switch Quantity.megabytes(text, notation: .plain) {
        case .success(let value) where value > 0: nil
        case .success: "a container needs more than 0 MB"
        case .failure(.negative): "memory cannot be negative; give a whole number of megabytes, such as 256"
        case .failure(.tooLarge): "the maximum is \(Quantity.maxMemoryMB) MB"
        case .failure: "expected a whole number of megabytes in digits only, such as 256"
        }
    }

    static let validateCores: @Sendable (String) -> String? = { text in
        switch Quantity.millicores(text, notation: .plain) {
        case .success(let value) where value > 0: nil
        case .success: "a container needs more than 0 cores"
        case .failure(.negative): "CPU cannot be negative; give a number of cores, such as 0.25"
        case .failure(.tooPrecise): "finer than one millicore (0.001 cores); round it to at most three decimals, such as 0.125"
        case .failure(.tooLarge): "the maximum is \(Quantity.formatCores(Quantity.maxMillicores)) cores"
        case .failure: "expected a number of cores in digits, with a digit on each side of any point, such as 2 or 0.25"
        }
    }

    static let unregister = Command(
        spec: CommandSpec(
            "unregister",
            summary: "Remove a container that no longer runs on any node.",
            group: group,
            arguments: [containerArgument],
            options: workflowOptions,
            examples: [Example("praas-db unregister hbo --yes", "Remove hbo for good, once it runs nowhere.")]),
        run: { context in
            try run(.unregister(container: context.arguments.positional(0)!), context: context)
        })

    static let balloon = Command(
        spec: CommandSpec(
            "balloon",
            summary: "Grow or shrink a container's balloon: every node of depth 0 to D (balloon model).",
            discussion: """
                A larger depth grows the balloon; a smaller one shrinks it and removes the deeper placements, \
                except on nodes that a fog target or a micromanagement placement of the same container still holds.
                """,
            group: group,
            arguments: [containerArgument],
            options: [
                OptionSpec(
                    "--depth", aliases: ["-d"], valueName: "d", help: "The deepest level to cover, in hops from the root (0 is the root alone).",
                    isRequired: true, validate: Validators.integer(minimum: 0))
            ] + workflowOptions,
            examples: [
                Example("praas-db balloon hbo --depth 5", "Plan hbo on N0 and every node of depth 1 to 5."),
                Example("praas-db balloon hbo --depth 1 --yes", "Shrink hbo's balloon to depth 1 at once."),
            ]),
        run: { context in
            try run(.balloon(container: context.arguments.positional(0)!, depth: context.arguments.integer("--depth")!), context: context)
        })

    static let fog = Command(
        spec: CommandSpec(
            "fog",
            summary: "Extend a container's fog to nodes and every node on their paths to the root (fog model).",
            discussion: "Several --node options form one change. Each node becomes a fog target; 'retract' pulls the fog back.",
            group: group,
            arguments: [containerArgument],
            options: [nodeOption("A node to reach; the path to the root comes with it.", repeatable: true)] + workflowOptions,
            examples: [
                Example("praas-db fog Fortnite --node N24 --node N64", "Plan Fortnite on N24, N64 and their paths to N0."),
            ]),
        run: { context in
            try run(.fog(container: context.arguments.positional(0)!, nodes: context.arguments.values("--node")), context: context)
        })

    static let retract = Command(
        spec: CommandSpec(
            "retract",
            summary: "Pull a container's fog back from a node.",
            discussion: """
                Drops every fog target at or below the node, and removes the placements on their paths that no \
                remaining fog target, balloon or micromanagement placement needs.
                """,
            group: group,
            arguments: [containerArgument],
            options: [nodeOption("The node to pull the fog back from.")] + workflowOptions,
            examples: [Example("praas-db retract Lillestrom --node N28", "Plan removing N28 from Lillestrom's fog.")]),
        run: { context in
            try run(.retract(container: context.arguments.positional(0)!, node: context.arguments.value("--node")!), context: context)
        })

    static let place = Command(
        spec: CommandSpec(
            "place",
            summary: "Place a container on exactly one node (micromanagement model).",
            group: group,
            arguments: [containerArgument],
            options: [nodeOption("The node to place the container on.")] + workflowOptions,
            examples: [Example("praas-db place Fortnite --node N77", "Plan Fortnite on N77 only, without its path.")]),
        run: { context in
            try run(.place(container: context.arguments.positional(0)!, node: context.arguments.value("--node")!), context: context)
        })

    static let remove = Command(
        spec: CommandSpec(
            "remove",
            summary: "Remove a container from exactly one node (micromanagement model).",
            discussion: """
                Removes a micromanagement placement, or the root placement of a balloon of depth 0 (which ends the \
                balloon). A node inside the container's balloon or on its fog's path is refused: shrink the balloon \
                or retract the fog instead.
                """,
            group: group,
            arguments: [containerArgument],
            options: [nodeOption("The node to remove the container from.")] + workflowOptions,
            examples: [Example("praas-db remove Fortnite --node N77 --yes", "Remove Fortnite from N77 at once.")]),
        run: { context in
            try run(.remove(container: context.arguments.positional(0)!, node: context.arguments.value("--node")!), context: context)
        })

    static let move = Command(
        spec: CommandSpec(
            "move",
            summary: "Move a container from one node to another in one change.",
            discussion: "Places a new instance on the target and removes the one on the source together, so either both happen or neither does.",
            group: group,
            arguments: [containerArgument],
            options: [
                OptionSpec("--from", valueName: "node", help: "The node the container leaves.", isRequired: true, completion: .dynamic("node")),
                OptionSpec("--to", valueName: "node", help: "The node the container moves to.", isRequired: true, completion: .dynamic("node")),
            ] + workflowOptions,
            examples: [Example("praas-db move Fortnite --from N77 --to N78", "Plan moving Fortnite from N77 to N78.")]),
        run: { context in
            try run(
                .move(container: context.arguments.positional(0)!, from: context.arguments.value("--from")!, to: context.arguments.value("--to")!),
                context: context)
        })

    static let all = [register, unregister, balloon, fog, retract, place, remove, move]
}
