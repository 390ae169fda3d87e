// Open databases, named by u32 handles, each with a small cache of prepared
// statements. Every function that can fail returns 0 on success and nonzero
// on failure, having set *err to a malloc'd message the caller owns.

#ifndef ENGINE_CONNECTION_H
#define ENGINE_CONNECTION_H

#include <stdint.h>

#include "abi.h"
#include "sqlite3.h"

typedef struct connection connection;

// Opens `path` (not NUL-terminated) in WAL mode with synchronous=FULL.
int connection_open(const char *path, size_t path_len, uint32_t *handle, abi_string *err);

// Checkpoints and closes; the handle is released even when this fails.
int connection_close(uint32_t handle, abi_string *err);

// The open connection `handle` names, or NULL with *err set.
connection *connection_get(uint32_t handle, abi_string *err);

sqlite3 *connection_db(connection *c);

// The prepared statement for `sql`, which must hold exactly one statement.
// It stays owned by the connection's cache: use it, then statement_release it.
int connection_statement(connection *c, const char *sql, size_t len, sqlite3_stmt **stmt,
                         abi_string *err);

// Resets a cached statement and unbinds its parameters (which may point into
// argument memory about to be freed).
void statement_release(sqlite3_stmt *stmt);

// "SQLITE_CONSTRAINT (2067): UNIQUE constraint failed: t.id" for result code
// `rc`, with the connection's latest message (db may be NULL).
abi_string sqlite_error(sqlite3 *db, int rc);

#endif
