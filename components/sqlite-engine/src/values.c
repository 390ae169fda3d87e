#include "values.h"

#include <stdlib.h>
#include <string.h>

#include "connection.h"

int bind_values(sqlite3 *db, sqlite3_stmt *stmt, abi_values values, abi_string *err) {
  int expected = sqlite3_bind_parameter_count(stmt);
  if (values.len != (size_t)expected) {
    *err = abi_error("engine: %zu values given for a statement with %d parameters", values.len,
                     expected);
    return 1;
  }
  for (int i = 0; i < expected; i++) {
    const abi_value *v = &values.ptr[i];
    int rc;
    switch (v->tag) {
      case VALUE_NULL:
        rc = sqlite3_bind_null(stmt, i + 1);
        break;
      case VALUE_INTEGER:
        rc = sqlite3_bind_int64(stmt, i + 1, v->of.integer);
        break;
      case VALUE_REAL:
        rc = sqlite3_bind_double(stmt, i + 1, v->of.real);
        break;
      case VALUE_TEXT:
        // An empty string may come with any pointer; SQLite wants a real one.
        rc = sqlite3_bind_text64(stmt, i + 1, v->of.text.len ? v->of.text.ptr : "",
                                 v->of.text.len, SQLITE_STATIC, SQLITE_UTF8);
        break;
      case VALUE_BLOB:
        // A NULL pointer would bind SQL NULL, not an empty blob.
        rc = v->of.blob.len ? sqlite3_bind_blob64(stmt, i + 1, v->of.blob.ptr, v->of.blob.len,
                                                  SQLITE_STATIC)
                            : sqlite3_bind_zeroblob(stmt, i + 1, 0);
        break;
      default:
        *err = abi_error("engine: value %d has unknown case %u", i + 1, v->tag);
        return 1;
    }
    if (rc != SQLITE_OK) {
      *err = sqlite_error(db, rc);
      return 1;
    }
  }
  return 0;
}

int read_columns(sqlite3_stmt *stmt, abi_strings *columns, abi_string *err) {
  int n = sqlite3_column_count(stmt);
  *columns = (abi_strings){.ptr = NULL, .len = 0};
  if (n == 0) return 0;
  abi_string *names = calloc((size_t)n, sizeof *names);
  if (names == NULL) {
    *err = ABI_OUT_OF_MEMORY;
    return 1;
  }
  *columns = (abi_strings){.ptr = names, .len = (size_t)n};
  for (int i = 0; i < n; i++) {
    // Names come from the SQL or the schema; abi_error makes them valid UTF-8.
    const char *name = sqlite3_column_name(stmt, i);
    names[i] = abi_error("%s", name != NULL ? name : "");
    if (names[i].ptr == ABI_OUT_OF_MEMORY.ptr) {
      *err = ABI_OUT_OF_MEMORY;
      return 1;
    }
  }
  return 0;
}

// Copies column `i` of a text or blob value; text must be valid UTF-8.
static int read_bytes(sqlite3 *db, sqlite3_stmt *stmt, int i, abi_value *out, abi_string *err) {
  int is_text = out->tag == VALUE_TEXT;
  const void *bytes = is_text ? (const void *)sqlite3_column_text(stmt, i)
                              : sqlite3_column_blob(stmt, i);
  size_t len = (size_t)sqlite3_column_bytes(stmt, i);
  if (bytes == NULL && len != 0) {
    *err = sqlite_error(db, sqlite3_errcode(db));
    return 1;
  }
  if (is_text && !utf8_valid(bytes, len)) {
    *err = abi_error("engine: column '%s' holds text that is not valid UTF-8; "
                     "read it as a blob (CAST(... AS BLOB))",
                     sqlite3_column_name(stmt, i));
    return 1;
  }
  abi_string copy = abi_string_copy(bytes, len);
  if (copy.ptr == ABI_OUT_OF_MEMORY.ptr) {
    *err = ABI_OUT_OF_MEMORY;
    return 1;
  }
  if (is_text) out->of.text = copy;
  else out->of.blob = (abi_bytes){.ptr = (uint8_t *)copy.ptr, .len = copy.len};
  return 0;
}

int read_row(sqlite3 *db, sqlite3_stmt *stmt, abi_values *row, abi_string *err) {
  int n = sqlite3_data_count(stmt);
  *row = (abi_values){.ptr = NULL, .len = 0};
  if (n == 0) return 0;
  abi_value *values = calloc((size_t)n, sizeof *values);
  if (values == NULL) {
    *err = ABI_OUT_OF_MEMORY;
    return 1;
  }
  *row = (abi_values){.ptr = values, .len = (size_t)n};
  for (int i = 0; i < n; i++) {
    abi_value *v = &values[i];
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        v->tag = VALUE_INTEGER;
        v->of.integer = sqlite3_column_int64(stmt, i);
        break;
      case SQLITE_FLOAT:
        v->tag = VALUE_REAL;
        v->of.real = sqlite3_column_double(stmt, i);
        break;
      case SQLITE_TEXT:
        v->tag = VALUE_TEXT;
        if (read_bytes(db, stmt, i, v, err)) {
          v->tag = VALUE_NULL;  // nothing to free in this one
          return 1;
        }
        break;
      case SQLITE_BLOB:
        v->tag = VALUE_BLOB;
        if (read_bytes(db, stmt, i, v, err)) {
          v->tag = VALUE_NULL;
          return 1;
        }
        break;
      default:
        v->tag = VALUE_NULL;
        break;
    }
  }
  return 0;
}
