import Foundation
import Suggestions

/// Reads a state file in the prototype's format and checks that it describes a
/// consistent tree.
///
/// Every value may be a JSON string or a number or boolean (`"256"` and `256`,
/// `"false"` and `false`); the root's parent may be `"none"` or `null`. The
/// redundant fields `children`, `leaf`, `capacity_mem_used`,
/// `capacity_cpu_used`, `households` and `containers` may be left out, and are
/// checked against the rest of the file when present.
///
/// A file that fails any check is rejected with one line per problem, each
/// naming the entry (`nodelist[13] (N13)`) and the field.
public enum StateFileDecoder {
    /// The most problems an error lists; the rest are counted.
    public static let maxListedProblems = 50

    /// Reads and checks the state file at `path`.
    ///
    /// - Parameter progress: receives the phases "reading <file name>", in bytes,
    ///   and "checking the tree", in nodes.
    /// - Throws: `PraaSError` of kind `.fileNotFound` when the file cannot be read,
    ///   and `.invalidInput` listing every problem when it is not a valid state file.
    public static func decode(contentsOfFile path: String, progress: ProgressHandler? = nil) throws -> StateFile {
        let phase = "reading \((path as NSString).lastPathComponent)"
        if let file = MappedFile(path: path) {
            return try decode(file.bytes, source: path, progress: progress, phase: phase) { offset in
                file.release(upTo: offset)
            }
        }
        // An empty file, a pipe such as /dev/stdin, or a device cannot be mapped, so it is read to its end.
        let data = try readStream(path)
        return try data.withUnsafeBytes { bytes in
            try decode(bytes, source: path, progress: progress, phase: phase)
        }
    }

    /// Reads and checks a state file held in memory. `source` names it in errors.
    ///
    /// - Parameter progress: receives the phases "reading <source>", in bytes, and
    ///   "checking the tree", in nodes.
    public static func decode(_ data: Data, source: String, progress: ProgressHandler? = nil) throws -> StateFile {
        try data.withUnsafeBytes { bytes in
            try decode(bytes, source: source, progress: progress, phase: "reading \(source)")
        }
    }

    /// - Parameter entryRead: called with the offset reached after each entry of a list.
    private static func decode(
        _ bytes: UnsafeRawBufferPointer, source: String, progress: ProgressHandler?, phase: String,
        entryRead: (Int) -> Void = { _ in }
    ) throws -> StateFile {
        var reader = JSONReader(bytes: bytes)
        var problems = ProblemList()
        let raw: RawStateFile
        do {
            var meter = ProgressMeter(progress, phase: phase, total: bytes.count, unit: .bytes)
            raw = try RawStateFile.read(from: &reader, problems: &problems) { offset in
                meter.advance(to: offset)
                entryRead(offset)
            }
            meter.finish()
        } catch let error as JSONReader.SyntaxError {
            let position = reader.lineAndColumn(of: error.offset)
            throw PraaSError(
                .invalidInput,
                "'\(source)' is not valid JSON: line \(position.line), column \(position.column): \(error.message)")
        }
        var checking = ProgressMeter(progress, phase: "checking the tree", total: raw.nodes.count, unit: .items("nodes"))
        let file = StateFileValidator.validate(raw, problems: &problems)
        checking.finish()
        guard problems.isEmpty, let file else {
            throw problems.error(source: source)
        }
        return file
    }

    /// Reads one container object in the prototype's format, such as
    /// `{"name": "hbo", "resource_mem": "256", "resource_cpu": "0.2", "customer": "HBO"}`.
    ///
    /// - Parameter source: names the input in errors, such as `--json`.
    /// - Throws: `.invalidInput` listing every problem.
    public static func decodeContainer(_ text: String, source: String) throws -> StateFile.Container {
        var utf8 = Array(text.utf8)
        return try utf8.withUnsafeMutableBytes { buffer in
            var reader = JSONReader(bytes: UnsafeRawBufferPointer(buffer))
            var problems = ProblemList()
            let container: RawContainer
            do {
                try reader.beginDocument()
                guard try reader.peekKind() == .object else {
                    throw JSONReader.SyntaxError(
                        offset: reader.offset,
                        message: "expected a container object such as {\"name\": \"hbo\", \"resource_mem\": \"256\", "
                            + "\"resource_cpu\": \"0.2\", \"customer\": \"HBO\"}")
                }
                container = try RawContainer.read(from: &reader, index: 0, problems: &problems)
                try reader.endDocument()
            } catch let error as JSONReader.SyntaxError {
                let position = reader.lineAndColumn(of: error.offset)
                throw PraaSError(.invalidInput, "\(source) is not valid JSON: column \(position.column): \(error.message)")
            }
            guard problems.isEmpty, let name = container.name, let memoryMB = container.memoryMB,
                let millicores = container.millicores, let customer = container.customer
            else {
                let lines = problems.lines.map { $0.replacingOccurrences(of: "containerlist[0]", with: source) }
                throw PraaSError(.invalidInput, "\(source) is not a valid container:", details: lines)
            }
            return StateFile.Container(name: name, memoryMB: memoryMB, millicores: millicores, customer: customer)
        }
    }

    /// Returns every byte of the file at `path`, read with `read(2)` until its end.
    ///
    /// - Throws: `.fileNotFound` naming the path when it is a folder or cannot be read.
    private static func readStream(_ path: String) throws -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw PraaSError(.fileNotFound, "cannot read state file '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw PraaSError(.fileNotFound, "'\(path)' is a folder, not a state file; pass the path of a JSON state file")
        }

        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return data }
            if count < 0 {
                if errno == EINTR { continue }
                throw PraaSError(.fileNotFound, "cannot read state file '\(path)': \(String(cString: strerror(errno)))")
            }
            data.append(contentsOf: buffer[..<count])
        }
    }

    static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        // Foundation on Linux often gives no underlying POSIX error, so the common
        // cases get the C library's wording too.
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError {
            return String(cString: strerror(ENOENT))
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoPermissionError {
            return String(cString: strerror(EACCES))
        }
        return nsError.localizedDescription
    }
}

/// The problems found in one file, in the order found.
struct ProblemList {
    private(set) var lines: [String] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// The maximum length of a problem line, in UTF-8 bytes. A line that quotes a
    /// longer value, such as a name of megabytes, keeps its start and end.
    static let maxLineBytes = 400

    mutating func add(_ location: String, _ message: String) {
        count += 1
        if lines.count < StateFileDecoder.maxListedProblems {
            lines.append(Self.shortened("\(location): \(message)"))
        }
    }

    static func shortened(_ line: String) -> String {
        guard line.utf8.count > maxLineBytes else { return line }
        let head = line.prefix(200)
        let tail = line.suffix(150)
        let omitted = line.utf8.count - head.utf8.count - tail.utf8.count
        return "\(head) ... \(omitted) bytes left out ... \(tail)"
    }

    func error(source: String) -> PraaSError {
        var details = lines
        if count > lines.count {
            details.append("... and \(count - lines.count) more problems")
        }
        let noun = count == 1 ? "problem" : "problems"
        return PraaSError(.invalidInput, "'\(source)' is not a valid state file (\(count) \(noun)); nothing was imported:", details: details)
    }
}

// MARK: - The file as written

/// A value as written, with its exact JSON text for messages.
struct Written<Value> {
    let value: Value
    let scalar: JSONReader.Scalar
}

/// The root's parent, another node's name, or a value that is neither.
enum ParentReference {
    case root
    case named(String)
    case invalid
}

struct RawContainer {
    let index: Int
    var name: String?
    var memoryMB: Int64?
    var millicores: Int64?
    var customer: String?

    var location: String {
        name.map { "containerlist[\(index)] (\($0))" } ?? "containerlist[\(index)]"
    }
}

struct RawNode {
    let index: Int
    var name: String?
    var parent: ParentReference?
    var children: [String]?
    var leaf: Written<Bool>?
    var households: [String] = []
    var memoryMB: Int64?
    var millicores: Int64?
    var memoryUsed: Written<Int64>?
    var cpuUsed: Written<Int64>?
    var depth: Written<Int>?
    var containers: [String] = []

    var location: String {
        name.map { "nodelist[\(index)] (\($0))" } ?? "nodelist[\(index)]"
    }
}

/// The file's two lists, each entry's fields converted where they are valid.
struct RawStateFile {
    /// One entry per position of each list. An entry that is not a JSON object
    /// is kept with no fields, and its problem is already reported.
    var containers: [RawContainer] = []
    var nodes: [RawNode] = []
    var hasNodeList = false
    /// False when "nodelist" is there but is not an array, which is reported as such.
    var nodeListIsArray = false
    /// False when the document is not a JSON object, so it has neither list.
    var isObject = true

    /// - Parameter entryRead: called with the reader's offset after each entry of a list.
    static func read(
        from reader: inout JSONReader, problems: inout ProblemList, entryRead: (Int) -> Void = { _ in }
    ) throws -> RawStateFile {
        var file = RawStateFile()
        try reader.beginDocument()
        guard try reader.peekKind() == .object else {
            // Valid JSON of the wrong shape is a problem with the state file, not a syntax error.
            let found = try describeValue(&reader)
            try reader.endDocument()
            problems.add("top level", "a state file is a JSON object with \"containerlist\" and \"nodelist\", found \(found)")
            file.isObject = false
            return file
        }
        try reader.beginObject()
        var seen = Set<String>()
        var first = true
        while let key = try reader.nextKey(first: first) {
            first = false
            guard seen.insert(key).inserted else {
                problems.add("top level", "the key \(JSONWriter.quoted(key)) appears twice")
                try reader.skipValue()
                continue
            }
            switch key {
            case "containerlist":
                try readList(&reader, name: key, problems: &problems, entryRead: entryRead) { reader, index, problems in
                    file.containers.append(try RawContainer.read(from: &reader, index: index, problems: &problems))
                } invalidEntry: { index in
                    file.containers.append(RawContainer(index: index))
                }
            case "nodelist":
                file.hasNodeList = true
                file.nodeListIsArray = try reader.peekKind() == .array
                try readList(&reader, name: key, problems: &problems, entryRead: entryRead) { reader, index, problems in
                    file.nodes.append(try RawNode.read(from: &reader, index: index, problems: &problems))
                } invalidEntry: { index in
                    file.nodes.append(RawNode(index: index))
                }
            default:
                let hint = suggestion(for: key, among: ["containerlist", "nodelist"])
                problems.add(
                    "top level",
                    "unknown key \(JSONWriter.quoted(key))" + (hint.isEmpty ? "; a state file has only \"containerlist\" and \"nodelist\"" : hint))
                try reader.skipValue()
            }
        }
        try reader.endDocument()
        return file
    }

    /// Reads a list of objects, calling `entry` for each object and `invalidEntry`
    /// for each other value, so that the caller keeps one entry per position.
    /// The validator looks nodes up by position, because node k must be named
    /// `N<k>`, so a skipped entry would shift every later node's index by one.
    private static func readList(
        _ reader: inout JSONReader, name: String, problems: inout ProblemList, entryRead: (Int) -> Void,
        entry: (inout JSONReader, Int, inout ProblemList) throws -> Void,
        invalidEntry: (Int) -> Void
    ) throws {
        guard try reader.peekKind() == .array else {
            problems.add(name, "must be an array of objects, found \(try describeValue(&reader))")
            return
        }
        try reader.beginArray()
        var index = 0
        while try reader.hasNextElement(first: index == 0) {
            if try reader.peekKind() == .object {
                try entry(&reader, index, &problems)
            } else {
                problems.add("\(name)[\(index)]", "must be an object, found \(try describeValue(&reader))")
                invalidEntry(index)
            }
            index += 1
            entryRead(reader.offset)
        }
    }
}

// MARK: - Entries

extension RawContainer {
    static let fields = ["name", "resource_mem", "resource_cpu", "customer"]

    /// Positions in `fields`, for reading an `EntryFields`.
    private enum Field {
        static let name = fields.firstIndex(of: "name")!
        static let memory = fields.firstIndex(of: "resource_mem")!
        static let cpu = fields.firstIndex(of: "resource_cpu")!
        static let customer = fields.firstIndex(of: "customer")!
    }

    static func read(from reader: inout JSONReader, index: Int, problems: inout ProblemList) throws -> RawContainer {
        var container = RawContainer(index: index)
        let entry = try EntryFields.read(from: &reader, known: fields)

        if let scalar = entry.scalar(Field.name) {
            container.name = checkedName(scalar, field: "name", what: "container name", location: "containerlist[\(index)]", problems: &problems)
        }
        let location = container.location
        for message in entry.problems {
            problems.add(location, message)
        }
        for (position, field) in fields.enumerated() where !entry.contains(position) {
            problems.add(location, "\(field) is missing")
        }
        if let scalar = entry.scalar(Field.memory) {
            container.memoryMB = quantity(scalar, field: "resource_mem", location: location, cpu: false, allowZero: false, problems: &problems)
        }
        if let scalar = entry.scalar(Field.cpu) {
            container.millicores = quantity(scalar, field: "resource_cpu", location: location, cpu: true, allowZero: false, problems: &problems)
        }
        if let scalar = entry.scalar(Field.customer) {
            container.customer = checkedName(scalar, field: "customer", what: "customer", location: location, problems: &problems, maxLength: 256)
        }
        return container
    }
}

extension RawNode {
    static let fields = [
        "name", "parent", "children", "leaf", "households", "capacity_mem", "capacity_mem_used",
        "capacity_cpu", "capacity_cpu_used", "containers", "depth",
    ]
    static let requiredFields = ["name", "parent", "capacity_mem", "capacity_cpu", "depth"]

    /// Positions in `fields`, for reading an `EntryFields`.
    private enum Field {
        static let name = position("name")
        static let parent = position("parent")
        static let children = position("children")
        static let leaf = position("leaf")
        static let households = position("households")
        static let memory = position("capacity_mem")
        static let memoryUsed = position("capacity_mem_used")
        static let cpu = position("capacity_cpu")
        static let cpuUsed = position("capacity_cpu_used")
        static let containers = position("containers")
        static let depth = position("depth")
        static let lists = [children, households, containers]
        static let required = requiredFields.map(position)

        static func position(_ field: String) -> Int {
            fields.firstIndex(of: field)!
        }
    }

    static func read(from reader: inout JSONReader, index: Int, problems: inout ProblemList) throws -> RawNode {
        var node = RawNode(index: index)
        let entry = try EntryFields.read(from: &reader, known: fields, lists: Field.lists)

        if let scalar = entry.scalar(Field.name) {
            node.name = checkedName(scalar, field: "name", what: "node name", location: "nodelist[\(index)]", problems: &problems)
        }
        let location = node.location
        for message in entry.problems {
            problems.add(location, message)
        }
        for (field, position) in zip(requiredFields, Field.required) where !entry.contains(position) {
            problems.add(location, "\(field) is missing")
        }

        if let scalar = entry.scalar(Field.parent) {
            node.parent = parentReference(scalar, location: location, problems: &problems)
        }
        node.children = entry.list(Field.children)
        node.households = entry.list(Field.households) ?? []
        node.containers = entry.list(Field.containers) ?? []
        if let scalar = entry.scalar(Field.leaf) {
            switch scalar {
            case .boolean(let value): node.leaf = Written(value: value, scalar: scalar)
            case .string("true"): node.leaf = Written(value: true, scalar: scalar)
            case .string("false"): node.leaf = Written(value: false, scalar: scalar)
            default: problems.add(location, "leaf is \(scalar.json); expected \"true\" or \"false\"")
            }
        }
        if let scalar = entry.scalar(Field.memory) {
            node.memoryMB = quantity(scalar, field: "capacity_mem", location: location, cpu: false, allowZero: true, problems: &problems)
        }
        if let scalar = entry.scalar(Field.cpu) {
            node.millicores = quantity(scalar, field: "capacity_cpu", location: location, cpu: true, allowZero: true, problems: &problems)
        }
        if let scalar = entry.scalar(Field.memoryUsed),
            let value = quantity(scalar, field: "capacity_mem_used", location: location, cpu: false, allowZero: true, problems: &problems)
        {
            node.memoryUsed = Written(value: value, scalar: scalar)
        }
        if let scalar = entry.scalar(Field.cpuUsed),
            let value = usedMillicores(scalar, location: location, problems: &problems)
        {
            node.cpuUsed = Written(value: value, scalar: scalar)
        }
        if let scalar = entry.scalar(Field.depth), let value = depth(scalar, location: location, problems: &problems) {
            node.depth = Written(value: value, scalar: scalar)
        }
        for (field, list) in [("households", node.households), ("containers", node.containers)] {
            for item in repeatedNames(in: list) {
                problems.add(location, "\(field) lists \(JSONWriter.quoted(item)) twice")
            }
        }
        return node
    }

    private static func parentReference(_ scalar: JSONReader.Scalar, location: String, problems: inout ProblemList) -> ParentReference {
        switch scalar {
        case .null, .string("none"):
            return .root
        case .string(let name):
            if let problem = nameProblem(name) {
                problems.add(location, "parent \(scalar.json) \(problem)")
                return .invalid
            }
            return .named(name)
        default:
            problems.add(location, "parent must be a node name such as \"N0\", or \"none\" for the root; found \(scalar.kindAndValue)")
            return .invalid
        }
    }

    private static func depth(_ scalar: JSONReader.Scalar, location: String, problems: inout ProblemList) -> Int? {
        guard let text = numericText(scalar, field: "depth", location: location, problems: &problems) else { return nil }
        switch scaledQuantity(text, decimals: 0, maximum: 100_000_000) {
        case .success(let value):
            return Int(value)
        case .failure(.negative):
            problems.add(location, "depth is \(scalar.json); a depth cannot be negative")
        case .failure(.tooPrecise):
            problems.add(location, "depth is \(scalar.json); a depth is a whole number of hops from the root")
        case .failure(.tooLarge):
            problems.add(location, "depth is \(scalar.json), more than the maximum 100000000")
        case .failure(.notANumber):
            problems.add(location, "depth is \(scalar.json), which is not a number")
        }
        return nil
    }

    /// Reads `capacity_cpu_used`. The prototype writes it as a sum of floats, such as
    /// 0.6000000000000001 for three containers of 0.2 cores, so a value within one
    /// part in 10^9 of a whole millicore counts as that millicore.
    private static func usedMillicores(_ scalar: JSONReader.Scalar, location: String, problems: inout ProblemList) -> Int64? {
        guard let text = numericText(scalar, field: "capacity_cpu_used", location: location, problems: &problems) else { return nil }
        if case .success(let value) = scaledQuantity(text, decimals: 3, maximum: Quantity.maxMillicores) {
            return value
        }
        if let cores = Double(text), cores.isFinite, cores >= 0, cores * 1000 < Double(Quantity.maxMillicores) {
            let millicores = (cores * 1000).rounded()
            if abs(cores * 1000 - millicores) <= max(1e-9 * millicores, 1e-6) {
                return Int64(millicores)
            }
        }
        return quantity(scalar, field: "capacity_cpu_used", location: location, cpu: true, allowZero: true, problems: &problems)
    }
}

// MARK: - Field helpers

/// The members of one `containerlist` or `nodelist` entry, read before any
/// value is checked. Problems found while reading are kept without a location
/// and reported once the entry's name, which the location shows, is known.
///
/// Values are kept in arrays by the field's position in `known` rather than in
/// dictionaries, because hashing the keys of a million nodes was a large part of
/// the time an import took.
private struct EntryFields {
    private var scalarValues: [JSONReader.Scalar?]
    private var listValues: [[String]?]
    private var present: [Bool]
    var problems: [String] = []

    private init(fieldCount: Int) {
        scalarValues = Array(repeating: nil, count: fieldCount)
        listValues = Array(repeating: nil, count: fieldCount)
        present = Array(repeating: false, count: fieldCount)
    }

    /// The value of the single-valued field at `position` in the known fields, or
    /// nil when it is missing or invalid.
    func scalar(_ position: Int) -> JSONReader.Scalar? {
        scalarValues[position]
    }

    /// The names of the list field at `position`, or nil when it is missing or invalid.
    func list(_ position: Int) -> [String]? {
        listValues[position]
    }

    /// True when the entry has the field at `position`, even with an invalid value.
    func contains(_ position: Int) -> Bool {
        present[position]
    }

    /// Reads an object whose members are `known`; those at the positions in
    /// `lists` are arrays of names.
    static func read(from reader: inout JSONReader, known: [String], lists listPositions: [Int] = []) throws -> EntryFields {
        var entry = EntryFields(fieldCount: known.count)
        try reader.beginObject()
        var first = true
        var expected = 0
        while let key = try reader.nextKey(first: first) {
            first = false
            // Files written by the prototype or by praas-db list the keys in the order
            // of `known`, so the key after the last one found is tried first.
            let position = expected < known.count && known[expected] == key ? expected : known.firstIndex(of: key)
            guard let position else {
                entry.problems.append("unknown field \(JSONWriter.quoted(key))\(suggestion(for: key, among: known))")
                try reader.skipValue()
                continue
            }
            if entry.present[position] {
                entry.problems.append("\(key) appears twice")
                try reader.skipValue()
                continue
            }
            entry.present[position] = true
            expected = position + 1
            if listPositions.contains(position) {
                if let list = try readStringList(&reader, field: key, problems: &entry.problems) {
                    entry.listValues[position] = list
                }
            } else {
                switch try reader.peekKind() {
                case .object, .array:
                    entry.problems.append("\(key) must be a single value, found \(try describeValue(&reader))")
                default:
                    entry.scalarValues[position] = try reader.readScalar()
                }
            }
        }
        return entry
    }
}

private func readStringList(_ reader: inout JSONReader, field: String, problems: inout [String]) throws -> [String]? {
    guard try reader.peekKind() == .array else {
        problems.append("\(field) must be an array of names, found \(try describeValue(&reader))")
        return nil
    }
    try reader.beginArray()
    var names: [String] = []
    var isValid = true
    var index = 0
    while try reader.hasNextElement(first: index == 0) {
        if try reader.peekKind() == .string, case .string(let name) = try reader.readScalar() {
            if let problem = nameProblem(name) {
                problems.append("\(field)[\(index)] \(JSONReader.Scalar.quoted(name)) \(problem)")
                isValid = false
            }
            names.append(name)
        } else {
            problems.append("\(field)[\(index)] must be a name in double quotes, found \(try describeValue(&reader))")
            isValid = false
        }
        index += 1
    }
    return isValid ? names : nil
}

private func checkedName(
    _ scalar: JSONReader.Scalar, field: String, what: String, location: String, problems: inout ProblemList,
    maxLength: Int = Name.maxLength
) -> String? {
    guard case .string(let name) = scalar else {
        problems.add(location, "\(field) must be a \(what) in double quotes, found \(scalar.kindAndValue)")
        return nil
    }
    if let problem = nameProblem(name, maxLength: maxLength) {
        problems.add(location, "\(field) \(scalar.json) \(problem)")
        return nil
    }
    return name
}

/// The text of a number written as a JSON number or as a string of one.
private func numericText(_ scalar: JSONReader.Scalar, field: String, location: String, problems: inout ProblemList) -> String? {
    switch scalar {
    case .number(let text), .string(let text):
        return text
    case .boolean, .null:
        problems.add(location, "\(field) must be a number or a string of one, found \(scalar.kindAndValue)")
        return nil
    }
}

private func quantity(
    _ scalar: JSONReader.Scalar, field: String, location: String, cpu: Bool, allowZero: Bool, problems: inout ProblemList
) -> Int64? {
    guard let text = numericText(scalar, field: field, location: location, problems: &problems) else { return nil }
    let result =
        cpu
        ? scaledQuantity(text, decimals: 3, maximum: Quantity.maxMillicores)
        : scaledQuantity(text, decimals: 0, maximum: Quantity.maxMemoryMB)
    let unit = cpu ? "cores" : "megabytes"
    switch result {
    case .success(let value):
        if value == 0, !allowZero {
            problems.add(location, "\(field) is \(scalar.json); a container needs more than 0 \(unit)")
            return nil
        }
        return value
    case .failure(.notANumber):
        let lowered = text.lowercased()
        if ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"].contains(lowered) {
            problems.add(location, "\(field) is \(scalar.json), which is not a finite number of \(unit)")
        } else {
            problems.add(location, "\(field) is \(scalar.json), which is not a number of \(unit)")
        }
    case .failure(.negative):
        problems.add(location, "\(field) is \(scalar.json); it cannot be negative")
    case .failure(.tooPrecise):
        if cpu {
            problems.add(location, "\(field) is \(scalar.json), finer than one millicore (0.001 cores); round it to at most three decimals")
        } else {
            problems.add(location, "\(field) is \(scalar.json); memory is a whole number of megabytes")
        }
    case .failure(.tooLarge):
        let maximum = cpu ? Quantity.formatCores(Quantity.maxMillicores) : String(Quantity.maxMemoryMB)
        problems.add(location, "\(field) is \(scalar.json), more than the maximum \(maximum) \(unit)")
    }
    return nil
}

/// "an object", "the number 5" and so on, consuming the value.
private func describeValue(_ reader: inout JSONReader) throws -> String {
    switch try reader.peekKind() {
    case .object:
        try reader.skipValue()
        return "an object"
    case .array:
        try reader.skipValue()
        return "an array"
    default:
        let scalar = try reader.readScalar()
        return scalar.kindAndValue
    }
}

/// "; did you mean "x"?" when a known name is within two edits of `name`.
func suggestion(for name: String, among candidates: [String]) -> String {
    guard let match = EditDistance.closest(to: name, among: candidates) else { return "" }
    return "; did you mean \"\(match)\"?"
}
