#ifndef PRAAS_CSQLITE_SHIM_H
#define PRAAS_CSQLITE_SHIM_H

#include <sqlite3.h>

// Swift cannot call variadic C functions, so the sqlite3_db_config calls
// praas-db needs get fixed-arity wrappers here.

// Sets an integer-valued option such as SQLITE_DBCONFIG_DEFENSIVE and returns
// SQLite's result code; *newValue receives the value now in force.
static inline int praas_db_config_int(sqlite3 *db, int option, int value, int *newValue) {
    return sqlite3_db_config(db, option, value, newValue);
}

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift
// cannot import; this returns it as a destructor value.
static inline sqlite3_destructor_type praas_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

// Writes `value` into `buffer` the way SQLite 3.40 converts a REAL to TEXT,
// with the format "%!.15g". That gives 15 significant digits, a ".0" on whole
// numbers ("1.0", "1.0e+20") and "Inf" or "-Inf" for infinities.
// sqlite3_snprintf is variadic, so Swift calls it through this wrapper.
static inline void praas_format_real(double value, char *buffer, int size) {
    sqlite3_snprintf(size, buffer, "%!.15g", value);
}

#endif
