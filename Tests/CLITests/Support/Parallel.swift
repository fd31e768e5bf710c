import Foundation

/// Runs work on real threads at once. Each CLI test thread spends its time
/// blocked on a child process, so Swift's cooperative pool, one thread per core,
/// would run only two of them at a time on a two-core machine.
enum Parallel {
    /// Calls `body` with 0 to `count - 1`, each on its own thread, and returns
    /// when every call has returned. The calls start together: each thread waits
    /// until all of them exist.
    static func run(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let ready = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for index in 0..<count {
            ready.enter()
            done.enter()
            let thread = Thread {
                ready.leave()
                start.wait()
                body(index)
                done.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        ready.wait()
        for _ in 0..<count {
            start.signal()
        }
        done.wait()
    }
}

/// An array that several threads append to.
final class SharedList<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var elements: [Element] = []

    func append(_ element: Element) {
        lock.withLock { elements.append(element) }
    }

    /// The elements appended so far, in the order they were appended.
    var snapshot: [Element] {
        lock.withLock { elements }
    }
}

/// A seeded pseudo-random generator (SplitMix64), so a failing run can be
/// repeated with the seed it reports.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
