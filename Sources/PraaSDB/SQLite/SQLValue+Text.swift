import CSQLite

extension SQLValue {
    /// The value as the `sqlite3` shell prints it in its list, column and CSV
    /// modes: NULL as the empty string, an integer in decimal, a real as SQLite
    /// turns it into text (`0.3`, `1.0`, `1.0e+20`, `Inf`) and text unchanged. A
    /// blob is the exception: it is written as lowercase hexadecimal, where the
    /// shell would write its raw bytes.
    public var displayText: String {
        switch self {
        case .null: ""
        case .integer(let value): String(value)
        case .real(let value): Self.sqliteText(value)
        case .text(let value): value
        case .blob(let bytes): Self.hexadecimal(bytes)
        }
    }

    /// Returns `value` as SQLite 3.40 converts a REAL to TEXT.
    static func sqliteText(_ value: Double) -> String {
        // "%!.15g" needs at most 23 bytes ("-1.23456789012346e-308") plus the NUL.
        var buffer = [CChar](repeating: 0, count: 32)
        return buffer.withUnsafeMutableBufferPointer { pointer in
            praas_format_real(value, pointer.baseAddress, Int32(pointer.count))
            return String(cString: pointer.baseAddress!)
        }
    }

    /// Returns `bytes` as lowercase hexadecimal, two digits a byte, written
    /// straight into the string's storage: one table lookup and one two-byte
    /// store per byte, with no intermediate array.
    static func hexadecimal(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "" }
        return String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            hexDigitPairs.withUnsafeBufferPointer { pairs in
                bytes.withUnsafeBufferPointer { source in
                    let input = source.baseAddress!
                    let output = UnsafeMutableRawPointer(text.baseAddress!)
                    let table = pairs.baseAddress!
                    for index in 0..<source.count {
                        output.storeBytes(of: table[Int(input[index])], toByteOffset: 2 * index, as: UInt16.self)
                    }
                }
            }
            return bytes.count * 2
        }
    }

    /// The two ASCII hexadecimal digits of each byte value, in memory order.
    private static let hexDigitPairs: [UInt16] = (0...255).map { byte in
        let digits = Array("0123456789abcdef".utf8)
        let pair = [digits[byte >> 4], digits[byte & 0x0F]]
        return pair.withUnsafeBytes { $0.load(as: UInt16.self) }
    }
}
