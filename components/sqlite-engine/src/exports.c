// The exports of secure-log:sqlite/engine@0.1.0 in the Canonical ABI's core
// form: each takes its flattened parameters (a string or list is ptr, len; a
// connection is its u32), returns a pointer to its result in RESULT, and has
// a post-return function that frees what that result points to once the host
// has copied it out. Each export frees its own arguments before returning.
// The host never calls into an instance twice at once, so one static result
// area serves every export.

#include <stdlib.h>

#include "abi.h"
#include "connection.h"
#include "sqlite3.h"
#include "values.h"

#define EXPORT(name) __attribute__((export_name("secure-log:sqlite/engine@0.1.0#" name)))
#define POST_RETURN(name) \
  __attribute__((export_name("cabi_post_secure-log:sqlite/engine@0.1.0#" name)))

static union {
  abi_result_unit unit;
  abi_result_u32 u32;
  abi_result_u64 u64;
  abi_result_rows rows;
} RESULT;

// Built with -nostartfiles and no entry point, so nothing runs wasi-libc's
// constructors (among them the one that reads the preopened directories)
// unless we do, once, before the first call that may touch a file.
extern void __wasm_call_ctors(void);

static void initialize(void) {
  static int done;
  if (!done) {
    done = 1;
    __wasm_call_ctors();
  }
}

static void free_bytes(void *ptr, size_t len) {
  if (len != 0) free(ptr);
}

static abi_result_unit *unit_result(int failed, abi_string err) {
  RESULT.unit = failed ? (abi_result_unit){.is_err = 1, .val.err = err} : (abi_result_unit){0};
  return &RESULT.unit;
}

EXPORT("open") abi_result_u32 *engine_open(char *path, size_t path_len) {
  initialize();
  uint32_t handle = 0;
  abi_string err;
  if (connection_open(path, path_len, &handle, &err)) {
    RESULT.u32 = (abi_result_u32){.is_err = 1, .val.err = err};
  } else {
    RESULT.u32 = (abi_result_u32){.is_err = 0, .val.ok = handle};
  }
  free_bytes(path, path_len);
  return &RESULT.u32;
}

EXPORT("close") abi_result_unit *engine_close(uint32_t handle) {
  initialize();
  abi_string err;
  return unit_result(connection_close(handle, &err), err);
}

// Runs every statement of a script; nothing is cached, as a script is
// typically run once (schema, pragmas, BEGIN/COMMIT).
static int run_script(sqlite3 *db, const char *sql, size_t len, abi_string *err) {
  if (len > 0x7FFFFFFF) {
    *err = abi_error("engine: SQL text of %zu bytes is too long", len);
    return 1;
  }
  const char *end = sql + len;
  while (sql < end) {
    sqlite3_stmt *stmt = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(db, sql, (int)(end - sql), &stmt, &tail);
    if (rc != SQLITE_OK) {
      *err = sqlite_error(db, rc);
      return 1;
    }
    if (stmt == NULL) break;  // only whitespace or comments remain
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) *err = sqlite_error(db, rc);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) return 1;
    sql = tail;
  }
  return 0;
}

EXPORT("execute") abi_result_unit *engine_execute(uint32_t handle, char *sql, size_t sql_len) {
  initialize();
  abi_string err;
  connection *c = connection_get(handle, &err);
  int failed = c == NULL || run_script(connection_db(c), sql, sql_len, &err);
  free_bytes(sql, sql_len);
  return unit_result(failed, err);
}

// Runs a cached statement (SAVEPOINT, RELEASE, ROLLBACK TO) with no parameters.
static int run_cached(connection *c, const char *sql, size_t len, abi_string *err) {
  sqlite3_stmt *stmt;
  if (connection_statement(c, sql, len, &stmt, err)) return 1;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) *err = sqlite_error(connection_db(c), rc);
  statement_release(stmt);
  return rc != SQLITE_DONE;
}

#define SQL(text) text, sizeof(text) - 1
#define BATCH_BEGIN SQL("SAVEPOINT sqlite_engine_batch")
#define BATCH_COMMIT SQL("RELEASE sqlite_engine_batch")
#define BATCH_ROLLBACK SQL("ROLLBACK TO sqlite_engine_batch")

// One statement per parameter row inside one savepoint: all rows or none.
static int run_batch(connection *c, const char *sql, size_t len, abi_value_lists params,
                     uint64_t *changes, abi_string *err) {
  sqlite3 *db = connection_db(c);
  sqlite3_stmt *stmt;
  if (connection_statement(c, sql, len, &stmt, err)) return 1;
  int writes = !sqlite3_stmt_readonly(stmt);
  if (params.len == 0) return 0;
  // Caching the savepoint statements evicts the least recently used entry,
  // never `stmt`, which was just used; after the loop `stmt` is not needed.
  if (run_cached(c, BATCH_BEGIN, err)) return 1;
  for (size_t i = 0; i < params.len; i++) {
    int failed = bind_values(db, stmt, params.ptr[i], err);
    if (!failed) {
      int rc;
      while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      }
      if (rc != SQLITE_DONE) {
        *err = sqlite_error(db, rc);
        failed = 1;
      }
    }
    statement_release(stmt);
    if (failed) goto rollback;
    if (writes) *changes += (uint64_t)sqlite3_changes64(db);
  }
  if (run_cached(c, BATCH_COMMIT, err)) goto rollback;
  return 0;

rollback:;
  // Undo the batch and end the savepoint; failures here change nothing the
  // caller can act on (a failed commit may already have rolled back).
  abi_string ignored = {0};
  if (run_cached(c, BATCH_ROLLBACK, &ignored) == 0) run_cached(c, BATCH_COMMIT, &ignored);
  abi_string_free(ignored);
  return 1;
}

EXPORT("execute-many")
abi_result_u64 *engine_execute_many(uint32_t handle, char *sql, size_t sql_len,
                                    abi_values *params, size_t params_len) {
  initialize();
  abi_string err;
  uint64_t changes = 0;
  abi_value_lists rows = {.ptr = params, .len = params_len};
  connection *c = connection_get(handle, &err);
  if (c == NULL || run_batch(c, sql, sql_len, rows, &changes, &err)) {
    RESULT.u64 = (abi_result_u64){.is_err = 1, .val.err = err};
  } else {
    RESULT.u64 = (abi_result_u64){.is_err = 0, .val.ok = changes};
  }
  free_bytes(sql, sql_len);
  abi_value_lists_free(rows);
  return &RESULT.u64;
}

// Steps the statement to the end, appending each row to `out`.
static int collect_rows(sqlite3 *db, sqlite3_stmt *stmt, abi_value_lists *out, abi_string *err) {
  size_t capacity = 0;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (out->len == capacity) {
      size_t grown = capacity ? capacity * 2 : 16;
      abi_values *bigger = realloc(out->ptr, grown * sizeof *bigger);
      if (bigger == NULL) {
        *err = ABI_OUT_OF_MEMORY;
        return 1;
      }
      out->ptr = bigger;
      capacity = grown;
    }
    // Counted before it is filled, so a half-read row is freed with the rest.
    if (read_row(db, stmt, &out->ptr[out->len++], err)) return 1;
  }
  if (rc != SQLITE_DONE) {
    *err = sqlite_error(db, rc);
    return 1;
  }
  return 0;
}

static int run_query(connection *c, const char *sql, size_t len, abi_values params,
                     abi_rows *rows, abi_string *err) {
  sqlite3 *db = connection_db(c);
  sqlite3_stmt *stmt;
  if (connection_statement(c, sql, len, &stmt, err)) return 1;
  int failed = bind_values(db, stmt, params, err) || read_columns(stmt, &rows->columns, err) ||
               collect_rows(db, stmt, &rows->rows, err);
  statement_release(stmt);
  return failed;
}

EXPORT("query")
abi_result_rows *engine_query(uint32_t handle, char *sql, size_t sql_len, abi_value *params,
                              size_t params_len) {
  initialize();
  abi_string err;
  abi_rows rows = {{0}, {0}};
  abi_values values = {.ptr = params, .len = params_len};
  connection *c = connection_get(handle, &err);
  if (c == NULL || run_query(c, sql, sql_len, values, &rows, &err)) {
    abi_strings_free(rows.columns);
    abi_value_lists_free(rows.rows);
    RESULT.rows = (abi_result_rows){.is_err = 1, .val.err = err};
  } else {
    RESULT.rows = (abi_result_rows){.is_err = 0, .val.ok = rows};
  }
  free_bytes(sql, sql_len);
  abi_values_free(values);
  return &RESULT.rows;
}

// Post-return: the host has copied the result out; free what it points to.

static void free_unit(abi_result_unit *r) {
  if (r->is_err) abi_string_free(r->val.err);
}

POST_RETURN("open") void engine_open_post(abi_result_u32 *r) {
  if (r->is_err) abi_string_free(r->val.err);
}

POST_RETURN("close") void engine_close_post(abi_result_unit *r) { free_unit(r); }

POST_RETURN("execute") void engine_execute_post(abi_result_unit *r) { free_unit(r); }

POST_RETURN("execute-many") void engine_execute_many_post(abi_result_u64 *r) {
  if (r->is_err) abi_string_free(r->val.err);
}

POST_RETURN("query") void engine_query_post(abi_result_rows *r) {
  if (r->is_err) {
    abi_string_free(r->val.err);
  } else {
    abi_strings_free(r->val.ok.columns);
    abi_value_lists_free(r->val.ok.rows);
  }
}
