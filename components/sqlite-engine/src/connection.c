// The connection table and the statement cache. A handle is an ever-growing
// counter, never reused, so a stale handle finds nothing instead of someone
// else's database. store-sqlite runs the same few statements over and over;
// caching them keeps the SQL parser out of every call but the first.

#include "connection.h"

#include <stdlib.h>
#include <string.h>

#define MAX_CONNECTIONS 64
#define STATEMENT_CACHE_SIZE 32

typedef struct {
  char *sql;  // malloc'd copy of the SQL text, the cache key
  size_t len;
  sqlite3_stmt *stmt;
  uint64_t last_used;
} cached_statement;

struct connection {
  uint32_t handle;  // 0: free slot
  sqlite3 *db;
  uint64_t clock;
  cached_statement cache[STATEMENT_CACHE_SIZE];
};

static connection connections[MAX_CONNECTIONS];
static uint32_t last_handle;

static const char *const PRIMARY_CODE_NAMES[] = {
    "SQLITE_OK",        "SQLITE_ERROR",    "SQLITE_INTERNAL", "SQLITE_PERM",
    "SQLITE_ABORT",     "SQLITE_BUSY",     "SQLITE_LOCKED",   "SQLITE_NOMEM",
    "SQLITE_READONLY",  "SQLITE_INTERRUPT", "SQLITE_IOERR",   "SQLITE_CORRUPT",
    "SQLITE_NOTFOUND",  "SQLITE_FULL",     "SQLITE_CANTOPEN", "SQLITE_PROTOCOL",
    "SQLITE_EMPTY",     "SQLITE_SCHEMA",   "SQLITE_TOOBIG",   "SQLITE_CONSTRAINT",
    "SQLITE_MISMATCH",  "SQLITE_MISUSE",   "SQLITE_NOLFS",    "SQLITE_AUTH",
    "SQLITE_FORMAT",    "SQLITE_RANGE",    "SQLITE_NOTADB",   "SQLITE_NOTICE",
    "SQLITE_WARNING",
};

abi_string sqlite_error(sqlite3 *db, int rc) {
  int primary = rc & 0xFF;
  const char *name = primary < (int)(sizeof PRIMARY_CODE_NAMES / sizeof *PRIMARY_CODE_NAMES)
                         ? PRIMARY_CODE_NAMES[primary]
                         : "SQLITE_UNKNOWN";
  const char *message = db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return abi_error("%s (%d): %s", name, rc, message);
}

connection *connection_get(uint32_t handle, abi_string *err) {
  for (size_t i = 0; i < MAX_CONNECTIONS; i++) {
    if (handle != 0 && connections[i].handle == handle) return &connections[i];
  }
  *err = abi_error("engine: no open connection %u (closed, or never opened)", handle);
  return NULL;
}

sqlite3 *connection_db(connection *c) { return c->db; }

// Runs a pragma and checks the single value it returns.
static int pragma(sqlite3 *db, const char *sql, const char *expect, abi_string *err) {
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const char *got = (const char *)sqlite3_column_text(stmt, 0);
    if (got != NULL && strcmp(got, expect) != 0 && strcmp(got, "memory") != 0) {
      *err = abi_error("engine: '%s' returned '%s'", sql, got);
      sqlite3_finalize(stmt);
      return 1;
    }
    rc = SQLITE_DONE;
  }
  if (rc != SQLITE_DONE) {
    *err = sqlite_error(db, rc);
    sqlite3_finalize(stmt);
    return 1;
  }
  sqlite3_finalize(stmt);
  return 0;
}

// The settings the durability promise rests on may be read but not changed
// (SQLite then fails the statement with SQLITE_AUTH). Consulted when a
// statement is prepared, never when it runs.
static int authorize(void *unused, int action, const char *name, const char *value,
                     const char *database, const char *trigger) {
  (void)unused, (void)database, (void)trigger;
  if (action != SQLITE_PRAGMA || value == NULL) return SQLITE_OK;
  static const char *const FIXED[] = {"journal_mode", "locking_mode", "synchronous"};
  for (size_t i = 0; i < sizeof FIXED / sizeof *FIXED; i++) {
    if (sqlite3_stricmp(name, FIXED[i]) == 0) return SQLITE_DENY;
  }
  return SQLITE_OK;
}

int connection_open(const char *path, size_t path_len, uint32_t *handle, abi_string *err) {
  connection *slot = NULL;
  for (size_t i = 0; i < MAX_CONNECTIONS && slot == NULL; i++) {
    if (connections[i].handle == 0) slot = &connections[i];
  }
  if (slot == NULL) {
    *err = abi_error("engine: %d connections are open; close one first", MAX_CONNECTIONS);
    return 1;
  }
  if (memchr(path, 0, path_len) != NULL) {
    *err = abi_error("engine: the path contains a NUL character");
    return 1;
  }
  char *zpath = malloc(path_len + 1);
  if (zpath == NULL) {
    *err = ABI_OUT_OF_MEMORY;
    return 1;
  }
  memcpy(zpath, path, path_len);
  zpath[path_len] = 0;

  sqlite3 *db = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE;
  int rc = sqlite3_open_v2(zpath, &db, flags, NULL);
  free(zpath);
  if (rc != SQLITE_OK) {
    *err = sqlite_error(db, rc);
    sqlite3_close_v2(db);
    return 1;
  }
  // Exclusive locking (the compiled default) comes first: WAL without shared
  // memory, which WASI lacks, works only in exclusive mode. Reading the mode
  // back also reads the header, so a file that is no database fails here.
  if (pragma(db, "PRAGMA locking_mode=EXCLUSIVE", "exclusive", err) ||
      pragma(db, "PRAGMA journal_mode=WAL", "wal", err) ||
      pragma(db, "PRAGMA synchronous=FULL", "", err)) {
    sqlite3_close_v2(db);
    return 1;
  }
  sqlite3_set_authorizer(db, authorize, NULL);
  if (++last_handle == 0) ++last_handle;
  memset(slot, 0, sizeof *slot);
  slot->handle = last_handle;
  slot->db = db;
  *handle = slot->handle;
  return 0;
}

int connection_close(uint32_t handle, abi_string *err) {
  connection *c = connection_get(handle, err);
  if (c == NULL) return 1;
  for (size_t i = 0; i < STATEMENT_CACHE_SIZE; i++) {
    sqlite3_finalize(c->cache[i].stmt);
    free(c->cache[i].sql);
  }
  // Closing checkpoints too, but silently; doing it first reports a failure.
  int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  if (rc != SQLITE_OK) *err = sqlite_error(c->db, rc);
  sqlite3_close_v2(c->db);
  memset(c, 0, sizeof *c);
  return rc != SQLITE_OK;
}

// Prepares `sql`, refusing anything but exactly one statement.
static int prepare_one(sqlite3 *db, const char *sql, size_t len, sqlite3_stmt **out,
                       abi_string *err) {
  if (len > 0x7FFFFFFF) {
    *err = abi_error("engine: SQL text of %zu bytes is too long", len);
    return 1;
  }
  const char *tail = NULL;
  int rc = sqlite3_prepare_v3(db, sql, (int)len, SQLITE_PREPARE_PERSISTENT, out, &tail);
  if (rc != SQLITE_OK) {
    *err = sqlite_error(db, rc);
    return 1;
  }
  if (*out == NULL) {
    *err = abi_error("engine: no SQL statement in '%.*s'", (int)len, sql);
    return 1;
  }
  size_t rest = len - (size_t)(tail - sql);
  sqlite3_stmt *more = NULL;
  if (rest > 0 && (sqlite3_prepare_v2(db, tail, (int)rest, &more, NULL) != SQLITE_OK || more)) {
    sqlite3_finalize(more);
    sqlite3_finalize(*out);
    *out = NULL;
    *err = abi_error("engine: expected one SQL statement, found more: '%.*s'", (int)len, sql);
    return 1;
  }
  return 0;
}

int connection_statement(connection *c, const char *sql, size_t len, sqlite3_stmt **stmt,
                         abi_string *err) {
  cached_statement *victim = &c->cache[0];
  for (size_t i = 0; i < STATEMENT_CACHE_SIZE; i++) {
    cached_statement *e = &c->cache[i];
    if (e->stmt != NULL && e->len == len && memcmp(e->sql, sql, len) == 0) {
      e->last_used = ++c->clock;
      *stmt = e->stmt;
      return 0;
    }
    if (e->stmt == NULL || (victim->stmt != NULL && e->last_used < victim->last_used)) victim = e;
  }
  sqlite3_stmt *fresh = NULL;
  if (prepare_one(c->db, sql, len, &fresh, err)) return 1;
  abi_string key = abi_string_copy(sql, len);
  if (key.ptr == ABI_OUT_OF_MEMORY.ptr) {
    sqlite3_finalize(fresh);
    *err = ABI_OUT_OF_MEMORY;
    return 1;
  }
  sqlite3_finalize(victim->stmt);
  free(victim->sql);
  *victim = (cached_statement){.sql = key.ptr, .len = len, .stmt = fresh, .last_used = ++c->clock};
  *stmt = fresh;
  return 0;
}

void statement_release(sqlite3_stmt *stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
}
