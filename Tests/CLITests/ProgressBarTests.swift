import PraaSDB
import Testing

@testable import praas_db

@Suite struct ProgressBarTests {
    static func report(_ completed: Int, of total: Int, unit: ProgressReport.Unit = .items("nodes")) -> ProgressReport {
        ProgressReport(phase: "inserting nodes", completed: completed, total: total, unit: unit)
    }

    @Test func rendersBarPercentAndCounts() {
        let text = ProgressBar.render(Self.report(470_000, of: 1_000_000), width: 80)
        #expect(text == "Inserting nodes  [============>             ]   47%  470,000 of 1,000,000 nodes")
        #expect(text.count == 79)
    }

    @Test func rendersStartAndEnd() {
        #expect(
            ProgressBar.render(Self.report(0, of: 10), width: 60)
                == "Inserting nodes  [>                  ]    0%  0 of 10 nodes")
        #expect(
            ProgressBar.render(Self.report(10, of: 10), width: 60)
                == "Inserting nodes  [==================]  100%  10 of 10 nodes")
    }

    @Test func barStopsAtFiftyColumns() {
        let text = ProgressBar.render(Self.report(1, of: 2), width: 200)
        #expect(text == "Inserting nodes  [" + String(repeating: "=", count: 25) + ">" + String(repeating: " ", count: 24) + "]   50%  1 of 2 nodes")
    }

    @Test func narrowTerminalDropsBarThenText() {
        #expect(ProgressBar.render(Self.report(5, of: 10), width: 40) == "Inserting nodes   50%  5 of 10 nodes")
        #expect(ProgressBar.render(Self.report(5, of: 10), width: 12) == "Inserting n")
        #expect(ProgressBar.render(Self.report(5, of: 10), width: 0) == "")
    }

    @Test func rendersBytesInMegabytes() {
        let report = ProgressReport(phase: "reading net.json", completed: 312_449_999, total: 600_000_000, unit: .bytes)
        #expect(ProgressBar.countsText(report) == "312.4 of 600.0 MB")
        #expect(ProgressBar.megabytes(50_000) == "0.1")
        #expect(ProgressBar.megabytes(0) == "0.0")
    }

    @Test func emptyPhaseIsComplete() {
        #expect(ProgressBar.render(Self.report(0, of: 0), width: 60).contains("100%  0 of 0 nodes"))
    }

    @Test func groupsThousands() {
        #expect(ProgressBar.grouped(0) == "0")
        #expect(ProgressBar.grouped(999) == "999")
        #expect(ProgressBar.grouped(1_000) == "1,000")
        #expect(ProgressBar.grouped(1_234_567) == "1,234,567")
        #expect(ProgressBar.grouped(-45_000) == "-45,000")
    }

    @Test func redrawsAtMostTenTimesASecond() {
        var now: UInt64 = 0
        let output = TextOutput(descriptor: -1)
        let bar = ProgressBar(output: output, width: 80, clock: { now })
        var draws = 0
        for step in 0..<1_000 {
            now = UInt64(step) * 10_000_000  // 10 ms apart: 10 seconds in all
            if bar.update(Self.report(step, of: 1_000)) {
                draws += 1
            }
        }
        #expect(draws == 99)
    }

    @Test func quickWorkDrawsNothing() {
        var now: UInt64 = 5_000
        let bar = ProgressBar(output: TextOutput(descriptor: -1), width: 80, clock: { now })
        now += 99_000_000
        #expect(!bar.update(Self.report(1, of: 2)))
        #expect(!bar.finish())
    }

    @Test func finishErasesOnlyOnce() {
        var now: UInt64 = 0
        let bar = ProgressBar(output: TextOutput(descriptor: -1), width: 80, clock: { now })
        now = 200_000_000
        #expect(bar.update(Self.report(1, of: 2)))
        #expect(bar.finish())
        #expect(!bar.finish())
    }
}
