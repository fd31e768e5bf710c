/// How far a long operation has come: the phase it is in and how many of the
/// phase's units are done.
///
/// The library sends reports to a handler that the caller supplies, such as
/// `RepositoryOptions.progress`, and never prints them itself.
public struct ProgressReport: Equatable, Sendable {
    /// The kind of unit that `completed` and `total` count.
    public enum Unit: Equatable, Sendable {
        /// Items such as nodes or placements, named in the plural: "nodes".
        case items(String)
        /// Bytes of a file.
        case bytes
    }

    /// The step the operation is in, in lowercase words, such as "inserting nodes".
    public var phase: String
    /// The units done so far, from 0 to `total`.
    public var completed: Int
    /// The units the phase has in all.
    public var total: Int
    public var unit: Unit

    public init(phase: String, completed: Int, total: Int, unit: Unit) {
        self.phase = phase
        self.completed = completed
        self.total = total
        self.unit = unit
    }

    /// The part done, from 0 to 1; 1 for a phase with nothing to do.
    public var fraction: Double {
        guard total > 0 else { return 1 }
        return min(1, max(0, Double(completed) / Double(total)))
    }
}

/// Receives progress reports. Called on the thread that runs the operation.
public typealias ProgressHandler = (ProgressReport) -> Void

/// Sends the reports of one phase to a handler: the start, about every
/// thousandth of the total, and the end. Reporting each item would cost a
/// closure call per node, so the meter skips the calls in between.
struct ProgressMeter {
    private let handler: ProgressHandler?
    private var report: ProgressReport
    private let step: Int
    private var nextReport: Int

    /// Starts a phase and reports 0 of `total`. Does nothing when `handler` is nil.
    init(_ handler: ProgressHandler?, phase: String, total: Int, unit: ProgressReport.Unit) {
        self.handler = handler
        report = ProgressReport(phase: phase, completed: 0, total: total, unit: unit)
        step = max(1, total / 1000)
        nextReport = step
        handler?(report)
    }

    /// Records that `count` more units are done.
    mutating func advance(by count: Int = 1) {
        guard handler != nil else { return }
        report.completed += count
        if report.completed >= nextReport {
            nextReport = report.completed + step
            handler?(report)
        }
    }

    /// Records that `completed` units are done in all, such as the bytes read so far.
    mutating func advance(to completed: Int) {
        advance(by: completed - report.completed)
    }

    /// Reports the phase complete.
    mutating func finish() {
        guard let handler else { return }
        report.completed = report.total
        handler(report)
    }
}
