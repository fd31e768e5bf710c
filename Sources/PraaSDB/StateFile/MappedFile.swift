import Foundation

/// A file mapped read-only into memory, whose pages can be given back once
/// they are read, so that reading a file of hundreds of megabytes from start to
/// end keeps only a window of it in the process's resident memory.
final class MappedFile {
    let bytes: UnsafeRawBufferPointer
    private var releasedUpTo = 0
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    /// How far behind the reader pages are released, and how often.
    private static let releaseStep = 32 << 20

    /// Maps the file at `path`, or returns nil when it cannot be mapped: it does not
    /// exist, is empty, is not a regular file, or mmap fails. The caller then reads
    /// it another way, which also reports the error.
    init?(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0 else {
            return nil
        }
        let size = Int(status.st_size)
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            return nil
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }

    /// Drops the pages before `offset` from resident memory. Reading them again
    /// faults them back in from the file, so this is only a hint about memory.
    func release(upTo offset: Int) {
        guard offset - releasedUpTo >= Self.releaseStep else { return }
        let end = offset / Self.pageSize * Self.pageSize
        let start = releasedUpTo
        madvise(UnsafeMutableRawPointer(mutating: bytes.baseAddress! + start), end - start, MADV_DONTNEED)
        releasedUpTo = end
    }
}
