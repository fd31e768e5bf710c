import Foundation

/// A fresh directory under the system's temporary directory, removed when the
/// value is released. Each test makes its own, so tests never share files.
final class TemporaryDirectory {
    let path: String

    init() {
        let template = NSTemporaryDirectory() + "praas-db-test-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard mkdtemp(&bytes) != nil else {
            fatalError("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        path = String(cString: bytes)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String {
        path + "/" + name
    }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let path = file(name)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            fatalError("cannot write \(path)")
        }
        return path
    }
}
