/// What an operator asks to change. Every request concerns one container.
public enum ChangeRequest: Equatable, Sendable {
    /// Adds a container and places it on the root, as a balloon of depth 0.
    case register(container: String, memoryMB: Int64, millicores: Int64, customer: String)
    /// Removes a container that runs nowhere any more.
    case unregister(container: String)
    /// Sets the container's balloon to cover every node of depth 0 to `depth`,
    /// growing or shrinking it.
    case balloon(container: String, depth: Int)
    /// Adds fog targets: each node and every node on its path to the root.
    case fog(container: String, nodes: [String])
    /// Pulls the fog back from a node: drops every fog target at or below it and
    /// the path nodes no remaining claim needs.
    case retract(container: String, node: String)
    /// Places the container on exactly this node (micromanagement).
    case place(container: String, node: String)
    /// Removes the container from exactly this node (micromanagement).
    case remove(container: String, node: String)
    /// Places the container on `to` and removes it from `from`, in one change.
    case move(container: String, from: String, to: String)

    /// The operation's name, as the `changes.operation` column stores it.
    public var operation: String {
        switch self {
        case .register: "register"
        case .unregister: "unregister"
        case .balloon: "balloon"
        case .fog: "fog"
        case .retract: "retract"
        case .place: "place"
        case .remove: "remove"
        case .move: "move"
        }
    }

    /// The container the request concerns.
    public var container: String {
        switch self {
        case .register(let container, _, _, _), .unregister(let container), .balloon(let container, _),
            .fog(let container, _), .retract(let container, _), .place(let container, _),
            .remove(let container, _), .move(let container, _, _):
            container
        }
    }

    /// A one-line description, such as `balloon hbo to depth 4`.
    public var summary: String {
        switch self {
        case .register(let container, let memoryMB, let millicores, let customer):
            "register \(container) (\(memoryMB) MB, \(Quantity.formatCores(millicores)) cores, customer \(customer))"
        case .unregister(let container):
            "unregister \(container)"
        case .balloon(let container, let depth):
            "balloon \(container) to depth \(depth)"
        case .fog(let container, let nodes):
            "fog \(container) to \(nodes.joined(separator: ", "))"
        case .retract(let container, let node):
            "retract \(container)'s fog from \(node)"
        case .place(let container, let node):
            "place \(container) on \(node)"
        case .remove(let container, let node):
            "remove \(container) from \(node)"
        case .move(let container, let from, let to):
            "move \(container) from \(from) to \(to)"
        }
    }

    /// The arguments besides the container, as the JSON object stored in
    /// `changes.arguments`, on one line.
    public var argumentsJSON: String {
        var json = JSONWriter(indent: 0)
        json.beginObject()
        switch self {
        case .register(_, let memoryMB, let millicores, let customer):
            json.key("memory_mb")
            json.raw(String(memoryMB))
            json.key("cpu_millicores")
            json.raw(String(millicores))
            json.key("customer")
            json.string(customer)
        case .unregister:
            break
        case .balloon(_, let depth):
            json.key("depth")
            json.integer(depth)
        case .fog(_, let nodes):
            json.stringArray("nodes", nodes)
        case .retract(_, let node), .place(_, let node), .remove(_, let node):
            json.key("node")
            json.string(node)
        case .move(_, let from, let to):
            json.key("from")
            json.string(from)
            json.key("to")
            json.string(to)
        }
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// Rebuilds a request from the stored operation, container and arguments.
    init(operation: String, container: String, argumentsJSON: String) throws {
        guard case .object(let members)? = try? JSONValue.parse(argumentsJSON) else {
            throw PraaSError(.corruptDatabase, "the stored arguments of a \(operation) change are not a JSON object: \(argumentsJSON)")
        }
        func scalar(_ key: String) -> JSONReader.Scalar? {
            if case .scalar(let value)? = members.first(where: { $0.key == key })?.value {
                return value
            }
            return nil
        }
        func text(_ key: String) throws -> String {
            switch scalar(key) {
            case .string(let value)?: return value
            case .number(let value)?: return value
            default: throw PraaSError(.corruptDatabase, "the stored \(operation) change lacks '\(key)': \(argumentsJSON)")
            }
        }
        func integer(_ key: String) throws -> Int64 {
            guard let value = Int64(try text(key)) else {
                throw PraaSError(.corruptDatabase, "the stored \(operation) change has an invalid '\(key)': \(argumentsJSON)")
            }
            return value
        }

        switch operation {
        case "register":
            self = .register(
                container: container, memoryMB: try integer("memory_mb"), millicores: try integer("cpu_millicores"),
                customer: try text("customer"))
        case "unregister":
            self = .unregister(container: container)
        case "balloon":
            self = .balloon(container: container, depth: Int(try integer("depth")))
        case "fog":
            guard case .array(let elements)? = members.first(where: { $0.key == "nodes" })?.value else {
                throw PraaSError(.corruptDatabase, "the stored fog change lacks 'nodes': \(argumentsJSON)")
            }
            let nodes = elements.compactMap { element -> String? in
                if case .scalar(.string(let name)) = element { return name }
                return nil
            }
            self = .fog(container: container, nodes: nodes)
        case "retract":
            self = .retract(container: container, node: try text("node"))
        case "place":
            self = .place(container: container, node: try text("node"))
        case "remove":
            self = .remove(container: container, node: try text("node"))
        case "move":
            self = .move(container: container, from: try text("from"), to: try text("to"))
        default:
            throw PraaSError(.corruptDatabase, "unknown stored operation '\(operation)'")
        }
    }
}
