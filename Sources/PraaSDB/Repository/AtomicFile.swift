import Foundation

/// Writing a file so that readers see either the old file or the complete new
/// one, never a part: the bytes go to a uniquely named temporary file beside
/// it, which is synced, renamed over the target, and made durable by syncing
/// the folder. Nothing is left behind in the system's temporary folder.
public enum AtomicFile {
    /// Writes `bytes` to `path`, replacing any file there only once they are all on disk.
    ///
    /// - Throws: `.failure` naming the path and the reason when it cannot be written.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { sink in
            try sink(bytes)
        }
    }

    /// Calls `produce` with a sink for the bytes, then moves the finished file into place.
    public static func write(to path: String, _ produce: (@escaping ([UInt8]) throws -> Void) throws -> Void) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        // mkstemp picks a name no other process holds, so a file left by a crashed run never blocks this one.
        var template = Array("\(folder)/.\((path as NSString).lastPathComponent).XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else {
            throw PraaSError(.failure, "cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        let temporary = String(cString: template)
        fchmod(descriptor, 0o644)
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
        // The rename is durable only once the folder's entry is on disk.
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }
}
