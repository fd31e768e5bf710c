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

    /// Returns `bytes` as lowercase hexadecimal, two digits a byte.
    static func hexadecimal(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
