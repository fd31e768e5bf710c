import ArgumentParsing
import Foundation
import PraaSDB

/// `praas-db graph`: the network drawn with Graphviz.
enum GraphCommand {
    static let formats = ["dot", "svg", "png"]

    static let command = Command(
        spec: CommandSpec(
            "graph",
            summary: "Draw the network with Graphviz, colouring where chosen containers run.",
            discussion: """
                Writes a Graphviz graph with one column per depth. Each node shows its memory and CPU in use of its \
                capacity and its households. The nodes holding each --container are filled in that container's \
                colour; a balloon is a dashed box around the depths it covers; a fog's paths to the root are thick \
                edges in its colour, with its targets drawn with a double border. A legend names each container and \
                its claims.
                With --proximity and one container, each node with households is coloured by their latency to the \
                nearest node holding the container instead (a heat map from green to red, with the bands in the \
                legend); nodes without households are grey.
                The dot format needs nothing else. svg and png run Graphviz's 'dot' program, which Debian and Ubuntu \
                install with 'sudo apt-get install graphviz'; without it the command exits with 1. The same database \
                state always gives the same DOT text.
                """,
            group: InspectCommands.group,
            options: [
                OptionSpec(
                    "--container", aliases: ["-c"], valueName: "name", help: "Colour the nodes holding this container.",
                    isRepeatable: true, completion: .dynamic("container")),
                OptionSpec(
                    "--format", valueName: "format",
                    help: "dot (Graphviz source), svg or png. Without it, the extension of --output decides, else dot.",
                    defaultDescription: "dot", completion: .choices(formats), validate: Validators.oneOf(formats)),
                OptionSpec(
                    "--output", aliases: ["-o"], valueName: "file",
                    help: "Write to this file instead of standard output. Its extension, if it has one, must be the "
                        + "format's: .dot or .gv for dot, .svg for svg, .png for png.",
                    completion: .file),
                .flag("--proximity", help: "Colour nodes by their households' latency to the one --container (a heat map)."),
                OptionSpec(
                    "--root", valueName: "node", help: "Draw only the subtree below this node.", defaultDescription: "N0",
                    completion: .dynamic("node")),
                OptionSpec(
                    "--depth", aliases: ["-d"], valueName: "d", help: "Draw nodes down to this depth, in hops from the root N0.",
                    defaultDescription: "every level", validate: Validators.integer(minimum: 0)),
            ],
            examples: [
                Example("praas-db graph --container Fortnite --output fortnite.svg", "Draw Fortnite's fog as an SVG picture."),
                Example("praas-db graph --container hbo --container Fortnite --format dot > both.dot", "Both containers in one DOT file."),
                Example("praas-db graph --container Fortnite --proximity --format png --output latency.png", "A heat map of latency to Fortnite."),
            ]),
        run: { context in
            let arguments = context.arguments
            let containers = arguments.values("--container")
            let output = arguments.value("--output")
            let format = try outputFormat(requested: arguments.value("--format"), output: output)
            if arguments.flag("--proximity"), containers.count != 1 {
                throw PraaSError.invalidArgument("--proximity colours by the latency to one container; give exactly one --container")
            }
            if format == "png", output == nil, context.output.isTerminal {
                throw PraaSError.invalidArgument("PNG is binary and standard output is a terminal; give --output FILE or redirect the output")
            }

            let repository = try context.openRepository()
            let map = try repository.networkMap(containers: containers, root: arguments.value("--root"), maxDepth: arguments.integer("--depth"))
            var drawing = GraphDrawing(map: map)
            if arguments.flag("--proximity") {
                let report = try repository.proximity(ofContainer: containers[0], byNode: true)
                var latencies: [String: Int64?] = [:]
                for node in report.nodes {
                    latencies[node.node] = node.latencyMicroseconds
                }
                drawing.heatMap = GraphDrawing.HeatMap(container: report.container, latencyByNode: latencies)
            }
            let dot = drawing.dot()

            if format == "dot" {
                if let output {
                    try write(Array(dot.utf8), to: output)
                    context.output.writeLine("Wrote the DOT graph to '\(output)'.")
                } else {
                    context.output.write(dot)
                }
                return
            }
            let image = try Graphviz.render(dot, format: format, environment: context.environment)
            if let output {
                try write(image, to: output)
                context.output.writeLine("Wrote the \(format.uppercased()) picture to '\(output)'.")
            } else {
                context.output.write(bytes: image)
            }
        })

    /// The format each file extension names, in lower case.
    static let formatsByExtension = ["dot": "dot", "gv": "dot", "svg": "svg", "png": "png"]

    /// Returns the format to write: `requested` (the --format value) when given,
    /// else the one the extension of `output` names, else dot.
    ///
    /// - Throws: `.invalidArgument` when `output` has an extension that names no
    ///   format graph writes, or one that names another format than `requested`.
    static func outputFormat(requested: String?, output: String?) throws -> String {
        guard let output else { return requested ?? "dot" }
        let fileExtension = (output as NSString).pathExtension
        guard !fileExtension.isEmpty else { return requested ?? "dot" }
        guard let named = formatsByExtension[fileExtension.lowercased()] else {
            throw PraaSError.invalidArgument(
                "'\(output)' has the extension .\(fileExtension), which names no format that graph writes; "
                    + "give the file the extension .dot, .gv, .svg or .png")
        }
        if let requested, requested != named {
            let extensions = formatsByExtension.filter { $0.value == requested }.keys.sorted().map { "." + $0 }
            throw PraaSError.invalidArgument(
                "'--format \(requested)' and the extension of '\(output)', which names \(named), cannot be combined; "
                    + "give the file the extension \(extensions.joined(separator: " or ")), or leave out --format")
        }
        return named
    }

    private static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try AtomicFile.write(bytes, to: path)
        } catch let error as PraaSError {
            throw PraaSError(.failure, error.message + "; check that its folder exists and is writable")
        }
    }

    /// A container's claims as the tree and graph JSON show them.
    static func writeLayout(_ layout: ContainerLayout, into json: inout JSONWriter) {
        json.beginObject()
        json.field("name", layout.name)
        json.field("customer", layout.customer)
        json.key("balloon_depth")
        if let depth = layout.claims.balloonDepth { json.integer(depth) } else { json.null() }
        json.stringArray("fog_targets", layout.claims.fogTargets)
        json.stringArray("micro_nodes", layout.claims.microNodes)
        json.field("nodes", layout.placements.count)
        json.endObject()
    }
}

/// Runs Graphviz's `dot` to turn DOT text into a picture.
enum Graphviz {
    static let installHint = "install Graphviz with 'sudo apt-get install graphviz' (Debian, Ubuntu) or 'brew install graphviz' (macOS)"

    /// Returns `dot` rendered in `format` (svg or png).
    ///
    /// - Throws: `.failure` when `dot` is not on `$PATH` or fails.
    static func render(_ dot: String, format: String, environment: [String: String]) throws -> [UInt8] {
        guard let program = findProgram("dot", path: environment["PATH"] ?? "/usr/bin:/bin") else {
            throw PraaSError(
                .failure,
                "the \(format) format needs Graphviz's 'dot' program, which is not on PATH; \(installHint), or use --format dot")
        }
        // Files rather than pipes: dot can write any amount without waiting for a reader.
        let folder = NSTemporaryDirectory() + "praas-db-graph-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = folder + "/graph.dot"
        let output = folder + "/graph.\(format)"
        let errors = folder + "/stderr"
        try Data(dot.utf8).write(to: URL(fileURLWithPath: input))
        try Data().write(to: URL(fileURLWithPath: errors))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["-T\(format)", "-o", output, input]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        process.standardError = errorHandle
        try process.run()
        process.waitUntilExit()
        try errorHandle.close()

        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: output) else {
            let message = (try? String(contentsOfFile: errors, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            throw PraaSError(.failure, "Graphviz's dot failed with exit code \(process.terminationStatus)" + (message.isEmpty ? "" : ": \(message)"))
        }
        return [UInt8](data)
    }

    /// The first executable `name` in the folders of `path`.
    static func findProgram(_ name: String, path: String) -> String? {
        path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
