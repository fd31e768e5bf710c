import ArgumentParsing
import PraaSDB

/// The exit codes of `praas-db`, one per class of failure. The table in the
/// README and in `praas-db help` is generated from `ExitCode.documented`.
enum ExitCode: Int32, CaseIterable {
    case success = 0
    case failure = 1
    case notFound = 3
    case constraintViolation = 4
    case conflict = 5
    case busy = 6
    case corruptDatabase = 7
    case usage = 64
    case invalidInput = 65
    case fileNotFound = 66

    init(_ kind: PraaSError.Kind) {
        switch kind {
        case .invalidArgument: self = .usage
        case .invalidInput: self = .invalidInput
        case .fileNotFound: self = .fileNotFound
        case .notFound: self = .notFound
        case .constraintViolation: self = .constraintViolation
        case .conflict: self = .conflict
        case .busy: self = .busy
        case .corruptDatabase: self = .corruptDatabase
        case .failure: self = .failure
        }
    }

    /// What each code means, as the help and the README list it.
    var meaning: String {
        switch self {
        case .success: "Success."
        case .failure: "Any other failure: an I/O error, a missing tool."
        case .notFound: "A node, container, change or revision does not exist."
        case .constraintViolation: "Rejected by a rule: capacity, the tree's shape, a model's rule."
        case .conflict:
            "A stale change (planned at an older revision), or a step the change is not at (such as deploying a "
                + "change that is not approved, or approving one already deployed); also 'init' on an existing "
                + "database, 'import' into a database that holds nodes, and a price change that takes effect before the "
                + "newest price list."
        case .busy: "Another process held the database lock longer than --busy-timeout."
        case .corruptDatabase: "The database is damaged or inconsistent, or not a praas-db database this version can open."
        case .usage: "Invalid command line: unknown command or option, missing or invalid value."
        case .invalidInput: "An invalid state file or JSON input."
        case .fileNotFound: "An input file or the database does not exist or cannot be read."
        }
    }

    /// One row per code, the meaning wrapped to 80 columns under itself.
    static var documented: String {
        allCases.map { code in
            let number = String(code.rawValue)
            let wrapped = HelpFormatter.wrap(code.meaning, indent: 8)
            return "  " + number + String(repeating: " ", count: 6 - number.count) + wrapped.dropFirst(8)
        }.joined(separator: "\n")
    }
}
