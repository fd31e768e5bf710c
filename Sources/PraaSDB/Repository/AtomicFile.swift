import Foundation

/// Writing a file so that readers see either the old file or the complete new
/// one, never a part: the bytes go to a temporary file beside it, which is
/// synced and then renamed over the target.
enum AtomicFile {
    /// Calls `produce` with a sink for the bytes, then moves the finished file into place.
    static func write(to path: String, _ produce: (@escaping ([UInt8]) throws -> Void) throws -> Void) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PraaSError(.failure, "cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        var isClosed = false
        defer {
            if !isClosed {
                close(descriptor)
                unlink(temporary)
            }
        }
        try produce { bytes in
            try bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw PraaSError(.failure, "cannot write '\(path)': \(String(cString: strerror(errno)))")
                    }
                    offset += written
                }
            }
        }
        guard fsync(descriptor) == 0 else {
            throw PraaSError(.failure, "cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        isClosed = true
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw PraaSError(.failure, "cannot write '\(path)': \(reason)")
        }
    }
}
