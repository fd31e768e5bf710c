import Foundation

/// A fresh directory under the system's temporary directory, removed when the
/// value is released. Each test makes its own, so tests never share files.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init() {
        let template = NSTemporaryDirectory() + "praas-db-test-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard mkdtemp(&bytes) != nil else {
            fatalError("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        path = String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        let path = file(name)
        // A plain write: FileManager.createFile writes atomically through a folder in
        // /tmp that swift-corelibs-foundation leaves behind.
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            fatalError("cannot write \(path): \(error)")
        }
        return path
    }
}
