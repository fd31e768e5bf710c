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

#endif
