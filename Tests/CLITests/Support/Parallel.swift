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
