// Moving `value`s between the ABI and SQLite: binding parameters, reading
// result columns. Functions return 0 on success, nonzero with *err set.

#ifndef ENGINE_VALUES_H
#define ENGINE_VALUES_H

#include "abi.h"
#include "sqlite3.h"

// Binds `values` to the statement's parameters in order; there must be exactly
// as many values as parameters. Text and blobs are bound without copying, so
// the statement must be released (statement_release) before they are freed.
int bind_values(sqlite3 *db, sqlite3_stmt *stmt, abi_values values, abi_string *err);

// The statement's column names.
int read_columns(sqlite3_stmt *stmt, abi_strings *columns, abi_string *err);

// The current row (after sqlite3_step returned SQLITE_ROW) as malloc'd values.
int read_row(sqlite3 *db, sqlite3_stmt *stmt, abi_values *row, abi_string *err);

#endif
