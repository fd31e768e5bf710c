
/// SQLite's extended result codes that the tests expect. The C macros build them
/// with shifts (`SQLITE_CONSTRAINT | (8<<8)`), which Swift does not import, so
/// the values come from sqlite3.h of SQLite 3.40.
enum ExtendedResultCode {
    static let constraintForeignKey: Int32 = 787
    static let constraintPrimaryKey: Int32 = 1555
    static let constraintTrigger: Int32 = 1811
    static let constraintUnique: Int32 = 2067
    static let constraintCheck: Int32 = 275
}
