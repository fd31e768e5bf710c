import Foundation

@testable import PraaSDB

/// Large trees built in the test itself, for crash and size tests.
enum SyntheticTree {
    /// Returns a tree of `nodes` nodes in breadth-first order, node k's children being
    /// `fanout * k + 1` to `fanout * k + fanout`. Every node has room for
    /// `room` containers of 64 MB and 0.1 cores.
    static func breadthFirst(nodes: Int, fanout: Int, room: Int64 = 8) -> StateFile {
        var list: [StateFile.Node] = []
        list.reserveCapacity(nodes)
        for index in 0..<nodes {
            let parent = index == 0 ? nil : (index - 1) / fanout
            let depth = parent.map { list[$0].depth + 1 } ?? 0
            list.append(
                StateFile.Node(
                    name: "N\(index)", parent: parent, depth: depth, memoryMB: 64 * room, millicores: 100 * room,
                    households: ["h\(index)"]))
        }
        return StateFile(containers: [], nodes: list)
    }

    /// Returns a chain of `nodes` nodes, each the only child of the one before.
    static func chain(nodes: Int) -> StateFile {
        let list = (0..<nodes).map { index in
            StateFile.Node(
                name: "N\(index)", parent: index == 0 ? nil : index - 1, depth: index, memoryMB: 1024, millicores: 1000)
        }
        return StateFile(containers: [], nodes: list)
    }

    /// Writes `file` as a state file at `path`, one node per line, with the
    /// fields the prototype requires and no optional ones.
    static func write(_ file: StateFile, to path: String) throws {
        var text = "{\n    \"containerlist\": [\n"
        text += file.containers.map { container in
            "        {\"name\": \(quoted(container.name)), \"resource_mem\": \(container.memoryMB), "
                + "\"resource_cpu\": \(Quantity.formatCores(container.millicores)), \"customer\": \(quoted(container.customer))}"
        }.joined(separator: ",\n")
        text += "\n    ],\n    \"nodelist\": [\n"
        var first = true
        for node in file.nodes {
            if !first {
                text += ",\n"
            }
            first = false
            let parent = node.parent.map { "\"N\($0)\"" } ?? "\"none\""
            let households = node.households.map(quoted).joined(separator: ", ")
            let containers = node.containers.map(quoted).joined(separator: ", ")
            text += "        {\"name\": \(quoted(node.name)), \"parent\": \(parent), \"capacity_mem\": \(node.memoryMB), "
            text += "\"capacity_cpu\": \(Quantity.formatCores(node.millicores)), \"households\": [\(households)], "
            text += "\"containers\": [\(containers)], \"depth\": \(node.depth)}"
        }
        text += "\n    ]\n}\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    private static func quoted(_ text: String) -> String {
        JSONWriter.quoted(text)
    }
}
