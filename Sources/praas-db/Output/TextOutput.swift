import Foundation

/// Buffered writing to standard output or standard error.
final class TextOutput {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// True when the stream is a terminal, so colour and progress bars make sense.
    let isTerminal: Bool

    init(descriptor: Int32) {
        self.descriptor = descriptor
        isTerminal = isatty(descriptor) == 1
        buffer.reserveCapacity(1 << 16)
    }


    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 {
            flush()
        }
    }

    func writeLine(_ text: String = "") {
        write(text)
        write("\n")
    }

    func write(bytes: [UInt8]) {
        if buffer.isEmpty, bytes.count >= 1 << 16 {
            writeAll(bytes)
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 {
            flush()
        }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
