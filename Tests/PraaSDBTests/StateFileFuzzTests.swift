import Foundation
import Testing

@testable import PraaSDB
import TestSupport

/// Mutated state files fed to the importer: each must be rejected with an
/// `.invalidInput` error whose lines name where the problem is, or decode to a
/// consistent tree that imports and passes `check`. A crash or a hang fails the
/// run.
///
/// The inputs are a fixed sequence from `PRAAS_DB_FUZZ_SEED` (default 1), so a
/// failure repeats. `PRAAS_DB_FUZZ_INPUTS` sets how many (default 3000);
/// docs/RELIABILITY.md describes the longer libFuzzer run.
@Suite struct StateFileFuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let seed = UInt64(environment["PRAAS_DB_FUZZ_SEED"] ?? "") ?? 1
    static let inputCount = Int(environment["PRAAS_DB_FUZZ_INPUTS"] ?? "") ?? 3_000

    /// Valid files the mutations start from: the small tree as the prototype
    /// writes it, the same tree with numbers, booleans and null, and a file
    /// written by `export`.
    static func seeds() throws -> [[UInt8]] {
        let numeric = SmallTree.text
            .replacing(#/"(\d+(?:\.\d+)?)"/#) { "\($0.1)" }
            .replacingOccurrences(of: "\"false\"", with: "false")
            .replacingOccurrences(of: "\"true\"", with: "true")
            .replacingOccurrences(of: "\"parent\": \"none\"", with: "\"parent\": null")
        let directory = TemporaryDirectory()
        let repository = try SmallTree.makeDatabase(in: directory)
        _ = try repository.planApproveDeploy(.register(container: "café ;'%\"", memoryMB: 128, millicores: 50, customer: "Ünïcode"))
        _ = try repository.planApproveDeploy(.fog(container: "café ;'%\"", nodes: ["N4"]))
        var exported: [UInt8] = []
        try repository.exportState { exported += $0 }
        return [Array(SmallTree.text.utf8), Array(numeric.utf8), exported]
    }

    /// Bytes and texts the mutations insert: JSON's punctuation, bytes that are
    /// not valid UTF-8, and values at the edges of what a field accepts.
    static let tokens: [String] = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", " ", "\n", "null", "true", "false", "-", "+", ".", "e", "E",
        "0", "-0", "1", "-1", "0.0005", "0.001", "1.5", "1e999", "1e-999", "NaN", "\"NaN\"", "Infinity", "-Infinity",
        "\"inf\"", "18446744073709551616", "9223372036854775807", "1000000000", "1000000001", "100000000",
        "\"none\"", "\"N0\"", "\"N1\"", "\"N3\"", "\"N9\"", "\"hbo\"", "\"HBO\"", "\"cafe\\u0301\"", "\"\\u202e\"",
        "\"\\ud800\"", "\"\\u0000\"", "\"\\u200f\"", "\"\\u061c\"", "\"\\u0602\"", "\"name\"", "\"parent\"", "\"depth\"", "\"containers\"", "\"children\"",
        "\"capacity_mem\"", "\"resource_cpu\"", "\"nodelist\"", "\"containerlist\"", "[[[[[[[[", "]]]]]]]]",
    ]
    static let rawBytes: [UInt8] = [0x00, 0x09, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF8, 0xFE, 0xFF]

    /// Applies one to four random edits to `input`.
    static func mutate(_ input: [UInt8], using random: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<9, using: &random) {
            case 0 where !bytes.isEmpty:
                bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            case 1 where !bytes.isEmpty:
                bytes[position] = rawBytes.randomElement(using: &random)!
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...40, using: &random))
                bytes.removeSubrange(position..<end)
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...200, using: &random))
                let target = Int.random(in: 0...bytes.count, using: &random)
                bytes.insert(contentsOf: Array(bytes[position..<end]), at: target)
            case 4:
                bytes.insert(contentsOf: Array(tokens.randomElement(using: &random)!.utf8), at: position)
            case 5:
                bytes = replaceToken(in: bytes, at: position, using: &random, where: isDigit)
            case 6:
                bytes = replaceToken(in: bytes, at: position, using: &random) { $0 == UInt8(ascii: "\"") }
            case 7 where !bytes.isEmpty:
                bytes.removeSubrange(position...)
            default:
                if bytes.count > 1 {
                    bytes.swapAt(position, Int.random(in: 0..<bytes.count, using: &random))
                }
            }
        }
        return bytes
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Replaces the first token at or after `position` that starts with a byte
    /// matching `starts` (a number, or a quoted string) with a random token.
    static func replaceToken(
        in bytes: [UInt8], at position: Int, using random: inout SeededGenerator, where starts: (UInt8) -> Bool
    ) -> [UInt8] {
        guard let start = bytes[position...].firstIndex(where: starts) else { return bytes }
        var end = start + 1
        if bytes[start] == UInt8(ascii: "\"") {
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                end += 1
            }
            end = min(end + 1, bytes.count)
        } else {
            while end < bytes.count, isDigit(bytes[end]) || bytes[end] == UInt8(ascii: ".") {
                end += 1
            }
        }
        var result = bytes
        result.replaceSubrange(start..<end, with: Array(tokens.randomElement(using: &random)!.utf8))
        return result
    }

    /// Returns the problems of a decoded file, found without the decoder's own
    /// checks. Node k must be `N<k>` and the root N0, and every other node's
    /// parent must exist and be one level up. Container names must be valid and
    /// unique, and every node's containers must exist, appear once and fit.
    static func consistencyProblems(_ file: StateFile) -> [String] {
        var problems: [String] = []
        var keys = Set<String>()
        var needs: [String: (memory: Int64, millicores: Int64)] = [:]
        for container in file.containers {
            if !keys.insert(Name.collisionKey(container.name)).inserted {
                problems.append("container \(container.name) is registered twice")
            }
            if let problem = Name.problem(with: container.name) {
                problems.append("container name \(container.name) \(problem)")
            }
            if !(1...Quantity.maxMemoryMB).contains(container.memoryMB) || !(1...Quantity.maxMillicores).contains(container.millicores) {
                problems.append("container \(container.name) needs \(container.memoryMB) MB and \(container.millicores) millicores")
            }
            needs[container.name] = (container.memoryMB, container.millicores)
        }
        guard !file.nodes.isEmpty else { return problems + ["there are no nodes"] }
        for (index, node) in file.nodes.enumerated() {
            if !node.name.unicodeScalars.elementsEqual("N\(index)".unicodeScalars) {
                problems.append("node \(index) is named \(node.name)")
            }
            if index == 0 {
                if node.parent != nil || node.depth != 0 {
                    problems.append("the root has parent \(String(describing: node.parent)) and depth \(node.depth)")
                }
            } else if let parent = node.parent, file.nodes.indices.contains(parent), parent != index {
                if node.depth != file.nodes[parent].depth + 1 {
                    problems.append("N\(index) has depth \(node.depth) under a parent of depth \(file.nodes[parent].depth)")
                }
            } else {
                problems.append("N\(index) has parent \(String(describing: node.parent))")
            }
            if !(0...Quantity.maxMemoryMB).contains(node.memoryMB) || !(0...Quantity.maxMillicores).contains(node.millicores) {
                problems.append("N\(index) has \(node.memoryMB) MB and \(node.millicores) millicores")
            }
            if Set(node.containers).count != node.containers.count {
                problems.append("N\(index) lists a container twice")
            }
            var memory: Int64 = 0
            var millicores: Int64 = 0
            for name in node.containers {
                guard let need = needs[name] else {
                    problems.append("N\(index) runs unregistered \(name)")
                    continue
                }
                memory += need.memory
                millicores += need.millicores
            }
            if memory > node.memoryMB || millicores > node.millicores {
                problems.append("N\(index) is over capacity")
            }
        }
        return problems
    }

    /// True when `text` contains no control character, line or paragraph
    /// separator, or bidirectional control, any of which could move the cursor
    /// or reorder the text when a message shows it on a terminal.
    static func isPrintable(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            !scalar.properties.isBidiControl
                && ![.control, .lineSeparator, .paragraphSeparator].contains(scalar.properties.generalCategory)
        }
    }

    /// The place a problem line names: the top level, or an entry of either list.
    static var problemLine: Regex<Substring> { #/(?:top level|nodelist|containerlist|(?:nodelist|containerlist)\[\d+\](?: \(.*\))?): .+/# }
    static var syntaxMessage: Regex<Substring> { #/'fuzz\.json' is not valid JSON: line \d+, column \d+: .+/# }
    static var invalidHeader: Regex<Substring> {
        #/'fuzz\.json' is not a valid state file \(\d+ problems?\); nothing was imported:/#
    }

    @Test(.timeLimit(.minutes(3)))
    func mutatedFilesAreRejectedOrConsistent() throws {
        let seeds = try Self.seeds()
        var random = SeededGenerator(seed: Self.seed)
        var imported = Set<[UInt8]>()
        var accepted = 0
        for iteration in 0..<Self.inputCount {
            let input = Self.mutate(seeds.randomElement(using: &random)!, using: &random)
            let context = Comment(rawValue: "seed \(Self.seed), input \(iteration): \(String(decoding: input.prefix(2_000), as: UTF8.self))")
            let started = Date()
            let file: StateFile
            do {
                file = try StateFileDecoder.decode(Data(input), source: "fuzz.json")
            } catch let error as PraaSError {
                let context = Comment(rawValue: "\(error)\n\(context.rawValue)")
                #expect(error.kind == .invalidInput, context)
                for line in [error.message] + error.details {
                    #expect(Self.isPrintable(line), context)
                }
                if error.details.isEmpty {
                    #expect(error.message.wholeMatch(of: Self.syntaxMessage) != nil, context)
                } else {
                    #expect(error.message.wholeMatch(of: Self.invalidHeader) != nil, context)
                    for line in error.details where !line.hasPrefix("... and ") {
                        #expect(line.wholeMatch(of: Self.problemLine) != nil, context)
                    }
                }
                continue
            } catch {
                Issue.record(Comment(rawValue: "an error that is not a PraaSError: \(error); \(context.rawValue)"))
                continue
            }
            #expect(Date().timeIntervalSince(started) < 2, context)
            accepted += 1
            #expect(Self.consistencyProblems(file) == [], context)

            // Each distinct accepted file is imported once, into a database in memory.
            guard imported.insert(input).inserted, imported.count <= 200 else { continue }
            let repository = try Repository.create(at: ":memory:")
            try repository.importState(file, source: "fuzz.json")
            for result in try repository.check() {
                #expect(result.problems == [], "check \(result.name), \(context)")
            }
            #expect(try repository.currentState() == file, context)
        }
        // Mutations that keep a file valid (in whitespace, or a value within its range) must occur.
        #expect(accepted > 0)
    }
}
