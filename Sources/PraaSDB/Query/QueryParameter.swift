/// A value for one parameter of a read-only query, bound by SQLite and never
/// pasted into the SQL text.
///
/// `name` picks the parameter:
/// - `node` binds every parameter spelled `:node`, `@node` or `$node`;
/// - `:node`, `@node` or `$node` binds only that spelling;
/// - `2` or `?2` binds parameter number 2: a `?2`, or the second `?` when the
///   query numbers none of them.
public struct QueryParameter: Equatable, Sendable {
    /// The name as the caller gave it, such as `node`, `:node`, `2` or `?2`.
    public let name: String
    public let value: SQLValue

    public init(name: String, value: SQLValue) {
        self.name = name
        self.value = value
    }

    /// Creates a parameter whose type comes from its text, as `praas-db sql
    /// --param` binds it. The value is an INTEGER when `text` is a decimal integer
    /// written the way SQLite prints it (`42`, `-7`, `0`, within 64 bits). Any
    /// other text, such as `007`, `+1`, `1.5` or `1e3`, stays TEXT. A query that
    /// needs another type converts the parameter with `CAST(:name AS ...)`.
    public init(name: String, text: String) {
        if let integer = Int64(text), String(integer) == text {
            self.init(name: name, value: .integer(integer))
        } else {
            self.init(name: name, value: .text(text))
        }
    }
}

extension QueryParameter {
    /// Returns the values for a statement's parameters in index order.
    ///
    /// - Parameter parameterNames: the statement's parameter names in index
    ///   order, nil for a nameless `?`, as `Statement.parameterNames` returns them.
    /// - Throws: `.invalidArgument` when a parameter matches none of the
    ///   statement's, when two parameters bind the same one, or when one of the
    ///   statement's parameters gets no value.
    static func values(for parameterNames: [String?], from parameters: [QueryParameter]) throws -> [SQLValue] {
        var values = [SQLValue?](repeating: nil, count: parameterNames.count)
        for parameter in parameters {
            let indexes = matchingIndexes(of: parameter.name, in: parameterNames)
            guard !indexes.isEmpty else {
                throw PraaSError.invalidArgument(
                    "the query has no parameter '\(parameter.name)'; " + describeParameters(parameterNames))
            }
            for index in indexes {
                guard values[index] == nil else {
                    throw PraaSError.invalidArgument(
                        "parameter '\(label(at: index, in: parameterNames))' was given more than once; give it once")
                }
                values[index] = parameter.value
            }
        }

        // NOTE: SQLite cannot tell a nameless `?` from a number that `?NNN` skips,
        // so after `?1, ?3` parameter 2 also needs a value.
        if let missing = values.firstIndex(of: nil) {
            let label = label(at: missing, in: parameterNames)
            let plainName = parameterNames[missing].map { String($0.dropFirst()) } ?? String(missing + 1)
            throw PraaSError.invalidArgument(
                "missing value for parameter '\(label)'; pass it with --param \(plainName) VALUE")
        }
        return values.map { $0! }
    }

    private static func matchingIndexes(of name: String, in parameterNames: [String?]) -> [Int] {
        var number = name
        if number.hasPrefix("?") {
            number.removeFirst()
        }
        if !number.isEmpty, number.allSatisfy(\.isASCII), number.allSatisfy(\.isNumber), let position = Int(number) {
            let index = position - 1
            guard index >= 0, index < parameterNames.count else { return [] }
            let parameterName = parameterNames[index]
            return parameterName == nil || parameterName == "?\(position)" ? [index] : []
        }

        if let prefix = name.first, ":@$".contains(prefix) {
            return parameterNames.indices.filter { parameterNames[$0] == name }
        }
        let spellings: Set<String> = [":" + name, "@" + name, "$" + name]
        return parameterNames.indices.filter { parameterNames[$0].map(spellings.contains) ?? false }
    }

    /// Returns the parameter's name as the query spells it, or `?N` for a
    /// nameless `?`.
    private static func label(at index: Int, in parameterNames: [String?]) -> String {
        parameterNames[index] ?? "?\(index + 1)"
    }

    private static func describeParameters(_ parameterNames: [String?]) -> String {
        guard !parameterNames.isEmpty else {
            return "it has no parameters"
        }
        let labels = parameterNames.indices.map { "'\(label(at: $0, in: parameterNames))'" }
        return "its parameters are " + labels.joined(separator: ", ")
    }
}
