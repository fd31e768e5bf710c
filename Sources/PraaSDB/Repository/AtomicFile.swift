import Foundation

/// Writing a file so that readers see either the old file or the complete new
/// one, never a part: the bytes go to a uniquely named temporary file beside
/// it, which is synced, renamed over the target, and made durable by syncing
/// the folder. Nothing is left behind in the system's temporary folder.
///
/// A symbolic link stays in place and its target is replaced. A pipe or a
/// device, such as `/dev/stdout`, cannot be replaced, so the bytes are written
/// through it as they come.
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
        guard !path.isEmpty else {
            throw PraaSError.invalidArgument("the output file name is empty; name a file")
        }
        var status = stat()
        if stat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                throw PraaSError(.failure, "cannot write '\(path)': it is a folder; name a file inside it")
            case S_IFREG:
                break
            default:
                try writeThrough(to: path, produce)
                return
            }
        }
        let target = try resolveLinks(path)
        let (folder, name) = split(target)
        // mkstemp picks a name no other process holds, so a file left by a crashed run never blocks this one.
        var template = Array("\(folder)/.\(name).XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else {
            throw PraaSError(.failure, "cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        let temporary = String(cString: template)
        // A replaced file keeps its permissions, and a new one gets the usual 0644.
        var existing = stat()
        fchmod(descriptor, stat(target, &existing) == 0 ? existing.st_mode & 0o7777 : 0o644)
        var isClosed = false
        defer {
            if !isClosed {
                close(descriptor)
                unlink(temporary)
            }
        }
        try produce { bytes in
            try writeAll(bytes, to: descriptor, path: path)
        }
        guard fsync(descriptor) == 0 else {
            throw PraaSError(.failure, "cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        isClosed = true
        guard rename(temporary, target) == 0 else {
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
    /// Writes the bytes straight to a pipe or device at `path`, which cannot be replaced.
    private static func writeThrough(
        to path: String, _ produce: (@escaping ([UInt8]) throws -> Void) throws -> Void
    ) throws {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw PraaSError(.failure, "cannot write '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        try produce { bytes in
            try writeAll(bytes, to: descriptor, path: path)
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
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

    /// Returns the path that `path` names once every symbolic link on it is
    /// followed, including a link to a file that does not exist yet.
    static func resolveLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length >= 0 else { return current }
            let destination = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/") ? destination : split(current).folder + "/" + destination
        }
        throw PraaSError(.failure, "cannot write '\(path)': too many levels of symbolic links")
    }

    /// Splits `path` into its folder, "." for a bare name, and its last component.
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }
}
