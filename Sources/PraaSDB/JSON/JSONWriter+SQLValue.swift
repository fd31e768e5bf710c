extension JSONWriter {
    /// Writes an SQLite value: NULL as `null`, an integer or a real as a number,
    /// text as a string and a blob as a string of lowercase hexadecimal.
    ///
    /// A real is written with the fewest digits that read back as the same double
    /// (`0.30000000000000004`, `1e+20`). JSON has no infinity, so an infinite
    /// real is written as `9e999` or `-9e999`, numbers that overflow to infinity
    /// when a parser reads them as doubles. SQLite stores NaN as NULL, so a real
    /// is never NaN.
    public mutating func value(_ value: SQLValue) {
        switch value {
        case .null:
            null()
        case .integer(let integer):
            raw(String(integer))
        case .real(let real) where real.isInfinite:
            raw(real > 0 ? "9e999" : "-9e999")
        case .real(let real):
            raw(String(real))
        case .text(let text):
            string(text)
        case .blob(let bytes):
            // Hexadecimal digits need no escaping, so the text goes in as it is.
            raw("\"" + SQLValue.hexadecimal(bytes) + "\"")
        }
    }
}
