import Foundation

// A libFuzzer target for the state-file importer. run-libfuzzer.sh compiles
// it together with the decoder's sources into one module, so it calls the
// decoder's internal API directly; SwiftPM never builds this folder.
//
// Each input must be rejected with a PraaSError of kind .invalidInput whose
// lines contain no control or bidirectional characters, or decode to a
// consistent tree. Any other outcome stops the run with a crash that
// libFuzzer saves as an input.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStateFile(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    do {
        let file = try StateFileDecoder.decode(data, source: "fuzz.json")
        if let problem = consistencyProblem(file) {
            fatalError("the decoder accepted an inconsistent tree: \(problem)")
        }
    } catch let error as PraaSError {
        guard error.kind == .invalidInput else {
            fatalError("a PraaSError of kind \(error.kind): \(error)")
        }
        for line in [error.message] + error.details where !isPrintable(line) {
            fatalError("a message with a control or bidirectional character: \(line.debugDescription)")
        }
    } catch {
        fatalError("an error that is not a PraaSError: \(error)")
    }
    return 0
}

/// True when `text` contains no control character, line or paragraph
/// separator, or bidirectional control.
func isPrintable(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { scalar in
        !scalar.properties.isBidiControl
            && ![.control, .lineSeparator, .paragraphSeparator].contains(scalar.properties.generalCategory)
    }
}

/// Returns the first way `file` is not a consistent tree, found without the
/// decoder's own code, or nil. Node k must be `N<k>` and the root N0, and every
/// other node's parent must exist and be one level up. Container names must be
/// valid and unique, and each node's containers must exist, appear once and fit.
func consistencyProblem(_ file: StateFile) -> String? {
    var keys = Set<String>()
    var needs: [String: (memory: Int64, millicores: Int64)] = [:]
    for container in file.containers {
        guard keys.insert(Name.collisionKey(container.name)).inserted else { return "\(container.name) is registered twice" }
        if let problem = Name.problem(with: container.name) { return "container name \(container.name) \(problem)" }
        guard (1...Quantity.maxMemoryMB).contains(container.memoryMB), (1...Quantity.maxMillicores).contains(container.millicores)
        else { return "container \(container.name) has an invalid size" }
        needs[container.name] = (container.memoryMB, container.millicores)
    }
    guard !file.nodes.isEmpty else { return "there are no nodes" }
    for (index, node) in file.nodes.enumerated() {
        guard node.name.unicodeScalars.elementsEqual("N\(index)".unicodeScalars) else { return "node \(index) is named \(node.name)" }
        if index == 0 {
            guard node.parent == nil, node.depth == 0 else { return "the root has a parent or a depth" }
        } else {
            guard let parent = node.parent, file.nodes.indices.contains(parent), parent != index else {
                return "N\(index) has no valid parent"
            }
            guard node.depth == file.nodes[parent].depth + 1 else { return "N\(index) has the wrong depth" }
        }
        guard (0...Quantity.maxMemoryMB).contains(node.memoryMB), (0...Quantity.maxMillicores).contains(node.millicores)
        else { return "N\(index) has an invalid capacity" }
        guard Set(node.containers).count == node.containers.count else { return "N\(index) lists a container twice" }
        var memory: Int64 = 0
        var millicores: Int64 = 0
        for name in node.containers {
            guard let need = needs[name] else { return "N\(index) runs unregistered \(name)" }
            memory += need.memory
            millicores += need.millicores
        }
        guard memory <= node.memoryMB, millicores <= node.millicores else { return "N\(index) is over capacity" }
    }
    return nil
}
