/// Ready-made value checks for `OptionSpec` and `ArgumentSpec`.
public enum Validators {
    /// A whole number between `minimum` and `maximum`.
    public static func integer(minimum: Int = Int.min, maximum: Int = Int.max) -> @Sendable (String) -> String? {
        { text in
            guard let value = Int(text) else {
                return "expected a whole number"
            }
            if value < minimum {
                return "expected a whole number of at least \(minimum)"
            }
            if value > maximum {
                return "expected a whole number of at most \(maximum)"
            }
            return nil
        }
    }

    /// One of `choices`, exactly.
    public static func oneOf(_ choices: [String]) -> @Sendable (String) -> String? {
        { text in
            choices.contains(text) ? nil : "expected one of \(choices.map { "'\($0)'" }.joined(separator: ", "))"
        }
    }

    /// Any text that is not empty.
    public static let nonEmpty: @Sendable (String) -> String? = { text in
        text.isEmpty ? "expected a value that is not empty" : nil
    }
}
