import Foundation
import PraaSDB

/// A one-line progress bar on standard error, redrawn in place:
///
///     Inserting nodes  [=============>              ]  47%  470,000 of 1,000,000 nodes
///
/// It redraws at most `redrawsPerSecond` times a second and draws nothing for
/// work that ends sooner than one interval. `finish()` erases the line, so the
/// command's own output starts on a clean line.
final class ProgressBar {
    static let redrawsPerSecond: UInt64 = 10

    private let output: TextOutput
    private let width: Int
    private let clock: () -> UInt64
    private var lastDraw: UInt64
    private var isShowing = false

    /// - Parameters:
    ///   - width: the terminal's width in columns.
    ///   - clock: a monotonic time in nanoseconds.
    init(output: TextOutput, width: Int, clock: @escaping () -> UInt64 = ProgressBar.monotonicNanoseconds) {
        self.output = output
        self.width = width
        self.clock = clock
        lastDraw = clock()
    }

    /// Redraws the bar for `report`, unless it was drawn less than an interval ago.
    /// Returns true when it drew.
    @discardableResult
    func update(_ report: ProgressReport) -> Bool {
        let now = clock()
        guard now &- lastDraw >= 1_000_000_000 / Self.redrawsPerSecond else { return false }
        lastDraw = now
        // Carriage return, the text, then "erase to the end of the line" for a shorter text.
        output.write("\r" + Self.render(report, width: width) + "\u{1B}[K")
        output.flush()
        isShowing = true
        return true
    }

    /// Erases the bar if it is shown, and returns true when it did. Safe to call
    /// more than once.
    @discardableResult
    func finish() -> Bool {
        guard isShowing else { return false }
        output.write("\r\u{1B}[K")
        output.flush()
        isShowing = false
        return true
    }

    // MARK: - Rendering

    /// Returns the bar's text for `report`, at most `width - 1` columns so that the
    /// terminal never wraps it. Narrow terminals lose the bar, then the end of
    /// the text.
    static func render(_ report: ProgressReport, width: Int) -> String {
        let phase = report.phase.prefix(1).uppercased() + report.phase.dropFirst()
        let percent = String(Int(report.fraction * 100))
        let percentText = String(repeating: " ", count: 3 - percent.count) + percent + "%"
        let counts = countsText(report)
        let available = width - 1

        let fixed = phase.count + 2 + 2 + 2 + percentText.count + 2 + counts.count
        let barWidth = min(50, available - fixed)
        if barWidth >= 10 {
            return "\(phase)  [\(bar(fraction: report.fraction, width: barWidth))]  \(percentText)  \(counts)"
        }
        let text = "\(phase)  \(percentText)  \(counts)"
        return String(text.prefix(max(0, available)))
    }

    /// `=====>     ` filling `width` columns in proportion to `fraction`.
    static func bar(fraction: Double, width: Int) -> String {
        let filled = min(width, Int(fraction * Double(width)))
        if filled == width {
            return String(repeating: "=", count: width)
        }
        return String(repeating: "=", count: filled) + ">" + String(repeating: " ", count: width - filled - 1)
    }

    /// "470,000 of 1,000,000 nodes" or "312.4 of 600.0 MB".
    static func countsText(_ report: ProgressReport) -> String {
        switch report.unit {
        case .items(let noun):
            return "\(grouped(report.completed)) of \(grouped(report.total)) \(noun)"
        case .bytes:
            return "\(megabytes(report.completed)) of \(megabytes(report.total)) MB"
        }
    }

    /// `value` with commas between groups of three digits.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 {
                text.append(",")
            }
            text.append(digit)
        }
        return (value < 0 ? "-" : "") + text
    }

    /// Bytes as decimal megabytes (10^6 bytes) with one digit after the point.
    static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    // MARK: - Terminal

    /// Returns the width of the terminal on `descriptor` in columns, or nil when it has none.
    static func terminalWidth(of descriptor: Int32) -> Int? {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
