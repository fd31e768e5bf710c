import ArgumentParsing
import Foundation
import PraaSDB

/// `praas-db generate`: a synthetic topology of any size, as a state file.
enum GenerateCommand {
    static let command = Command(
        spec: CommandSpec(
            "generate",
            summary: "Write a synthetic topology of any size as a state file.",
            discussion: """
                Writes a tree of --nodes nodes in the Python prototype's format, ready for 'praas-db import': \
                nodes N0, N1, ... in breadth-first order, the deepest at --depth. The root has at most --fanout \
                children, and each depth below allows three quarters of the depth above, but at least 2. Up to \
                a quarter of the nodes above the deepest depth are leaves. Capacity shrinks with depth as in \
                oslo-80 (8192 MB and 16 cores at the root, 512 MB and 1 core at depth 6, 256 MB from depth 8 \
                on). Households sit on the leaves only, named h<k>-001 and so on after their node N<k>. There \
                are no containers. The same arguments give the same file, byte for byte.
                """,
            group: DatabaseCommands.group,
            options: [
                OptionSpec(
                    "--nodes", valueName: "n",
                    help: "The number of nodes, from 1 to \(TopologyGenerator.maxNodes).",
                    isRequired: true,
                    validate: Validators.integer(minimum: 1, maximum: TopologyGenerator.maxNodes)),
                OptionSpec(
                    "--depth", valueName: "d",
                    help: "The depth of the deepest nodes (the root has depth 0), at most \(TopologyGenerator.maxDepth).",
                    defaultDescription:
                        "\(TopologyGenerator.defaultExtraDepth) more than the smallest depth that holds the nodes",
                    validate: Validators.integer(minimum: 0, maximum: TopologyGenerator.maxDepth)),
                OptionSpec(
                    "--fanout", valueName: "f",
                    help: "The maximum number of children of the root, from 2 to \(TopologyGenerator.maxFanout).",
                    defaultDescription: String(TopologyGenerator.defaultFanout),
                    validate: Validators.integer(minimum: 2, maximum: TopologyGenerator.maxFanout)),
                OptionSpec(
                    "--seed", valueName: "s",
                    help: "The seed of the random choices, from 0 to \(UInt64.max); another seed gives another tree.",
                    defaultDescription: String(TopologyGenerator.defaultSeed),
                    validate: { text in
                        UInt64(text) == nil ? "expected a whole number from 0 to \(UInt64.max)" : nil
                    }),
                OptionSpec(
                    "--households", valueName: "h",
                    help: "The number of households in the whole network, spread over the leaves, at most "
                        + "\(TopologyGenerator.maxHouseholds). Each adds about 30 bytes to the file.",
                    defaultDescription: "\(TopologyGenerator.defaultHouseholdsPerNode) per node",
                    validate: Validators.integer(minimum: 0, maximum: TopologyGenerator.maxHouseholds)),
                OptionSpec(
                    "--output", aliases: ["-o"], valueName: "file",
                    help: "Write to this file instead of standard output. The file is replaced only once it is "
                        + "completely written.",
                    completion: .file),
            ],
            examples: [
                Example(
                    "praas-db generate --nodes 1000000 --output national.json",
                    "Write a network of 1,000,000 nodes (about 600 MB) to national.json."),
                Example(
                    "praas-db generate --nodes 80 --depth 6 --seed 7 > lab.json",
                    "Write an 80-node network as deep as oslo-80."),
            ]),
        run: { context in
            let arguments = context.arguments
            let generator = try TopologyGenerator(
                nodes: arguments.integer("--nodes")!,
                depth: arguments.integer("--depth"),
                fanout: arguments.integer("--fanout") ?? TopologyGenerator.defaultFanout,
                seed: arguments.value("--seed").map { UInt64($0)! } ?? TopologyGenerator.defaultSeed,
                households: arguments.integer("--households"))

            guard let path = arguments.value("--output") else {
                let progress = context.startProgress(writesToStandardOutput: true)
                try generator.write(to: { context.output.write(bytes: $0) }, progress: progress)
                return
            }
            try generator.write(toFile: path, progress: context.startProgress())
            context.finishProgress()
            context.output.writeLine(
                "Generated \(generator.nodeCount) nodes of depth 0 to \(generator.depth) (\(generator.leafCount) "
                    + "leaves, \(generator.householdCount) households) in '\(path)'.")
        })
}
