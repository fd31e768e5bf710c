/// Writes a state file the prototype can read and keep operating on, one
/// container and one node at a time, so a network of any size streams out in
/// bounded memory.
///
/// The layout is the prototype's own output (keys sorted, 4-space indent), so
/// a `diff` against a file the prototype printed shows only real changes. Each
/// value takes the one form that every place the prototype reads it accepts:
///
/// - `name`, `parent`, `depth`, `leaf` and the name lists are strings, because the
///   prototype concatenates them with strings.
/// - `capacity_mem`, `resource_mem` and `resource_cpu` are strings of exact
///   decimals (`"256"`, `"0.2"`), as in hand-written files.
/// - `capacity_cpu` is a string when it is a whole number of cores and a JSON
///   number otherwise, and both `_used` fields are JSON numbers (`768`, `0.6`).
///   The prototype passes these through `int()`, which accepts the number `0.6`
///   but rejects the string `"0.6"`.
struct StateFileWriter {
    /// Receives the encoded bytes in pieces of about `flushThreshold` bytes.
    typealias Sink = ([UInt8]) throws -> Void

    private var json: JSONWriter
    private let sink: Sink
    private let flushThreshold: Int

    init(flushThreshold: Int = 1 << 20, sink: @escaping Sink) {
        self.sink = sink
        self.flushThreshold = flushThreshold
        json = JSONWriter(indent: 4, reservingCapacity: flushThreshold + 4096)
    }

    /// Starts the document and its `containerlist`.
    mutating func begin() {
        json.beginObject()
        json.key("containerlist")
        json.beginArray()
    }

    mutating func container(_ container: StateFile.Container) throws {
        json.beginObject()
        json.key("customer")
        json.string(container.customer)
        json.key("name")
        json.string(container.name)
        json.key("resource_cpu")
        json.string(Quantity.formatCores(container.millicores))
        json.key("resource_mem")
        json.string(String(container.memoryMB))
        json.endObject()
        try flushIfFull()
    }

    /// Ends `containerlist` and starts `nodelist`.
    mutating func beginNodes() {
        json.endArray()
        json.key("nodelist")
        json.beginArray()
    }

    /// Writes one node. Nodes must come in list order: `N0`, `N1`, ...
    ///
    /// - Parameters:
    ///   - parent: the parent's name; nil for the root.
    ///   - memoryUsedMB: the sum of the node's containers' memory.
    ///   - millicoresUsed: the sum of the node's containers' CPU.
    mutating func node(
        _ node: StateFile.Node, parent: String?, children: [String], memoryUsedMB: Int64, millicoresUsed: Int64
    ) throws {
        json.beginObject()
        json.key("capacity_cpu")
        if node.millicores % 1000 == 0 {
            json.string(Quantity.formatCores(node.millicores))
        } else {
            json.raw(Quantity.formatCores(node.millicores))
        }
        json.key("capacity_cpu_used")
        json.raw(Quantity.formatCores(millicoresUsed))
        json.key("capacity_mem")
        json.string(String(node.memoryMB))
        json.key("capacity_mem_used")
        json.raw(String(memoryUsedMB))
        json.stringArray("children", children)
        json.stringArray("containers", node.containers)
        json.key("depth")
        json.string(String(node.depth))
        json.stringArray("households", node.households)
        json.key("leaf")
        json.string(children.isEmpty ? "true" : "false")
        json.key("name")
        json.string(node.name)
        json.key("parent")
        json.string(parent ?? "none")
        json.endObject()
        try flushIfFull()
    }

    /// Ends the document and hands the rest of the bytes to the sink.
    mutating func end() throws {
        json.endArray()
        json.endObject()
        json.finish()
        try sink(json.drain())
    }

    private mutating func flushIfFull() throws {
        if json.bytes.count >= flushThreshold {
            try sink(json.drain())
        }
    }
}

extension StateFile {
    /// The file in the prototype's format, as `StateFileWriter` writes it.
    public func encoded() -> [UInt8] {
        var output: [UInt8] = []
        var children = Array(repeating: [String](), count: nodes.count)
        for node in nodes {
            if let parent = node.parent {
                children[parent].append(node.name)
            }
        }
        let memoryByContainer = Dictionary(containers.map { ($0.name, $0.memoryMB) }, uniquingKeysWith: { first, _ in first })
        let cpuByContainer = Dictionary(containers.map { ($0.name, $0.millicores) }, uniquingKeysWith: { first, _ in first })

        var writer = StateFileWriter { output.append(contentsOf: $0) }
        writer.begin()
        // The sink appends to memory and cannot fail.
        for container in containers {
            try! writer.container(container)
        }
        writer.beginNodes()
        for (index, node) in nodes.enumerated() {
            try! writer.node(
                node,
                parent: node.parent.map { nodes[$0].name },
                children: children[index],
                memoryUsedMB: node.containers.reduce(0) { $0 + (memoryByContainer[$1] ?? 0) },
                millicoresUsed: node.containers.reduce(0) { $0 + (cpuByContainer[$1] ?? 0) })
        }
        try! writer.end()
        return output
    }
}
