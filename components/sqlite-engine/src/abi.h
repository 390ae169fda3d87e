// Canonical ABI memory layouts of the secure-log:sqlite/engine@0.1.0 types
// (wit/deps/sqlite-engine/engine.wit), as the host lowers arguments into our
// linear memory and lifts results out of it. wasm32 only: a pointer and a
// size_t are 4 bytes, as the ABI's i32 pointers and lengths are.
//
// Ownership: every string and list the host lowers into an export's arguments
// was allocated with our cabi_realloc and belongs to the export, which frees
// it before returning. Every string and list an export returns is malloc'd
// here and freed by that export's post-return function, after the host has
// copied the result out.

#ifndef ENGINE_ABI_H
#define ENGINE_ABI_H

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>

// string and list<u8>: (ptr: i32, len: i32), size 8, align 4. `len` counts
// bytes (UTF-8 code units for a string). An empty one may have any pointer.
typedef struct {
  char *ptr;
  size_t len;
} abi_string;

typedef struct {
  uint8_t *ptr;
  size_t len;
} abi_bytes;

// variant value { null, integer(s64), real(f64), text(string), blob(list<u8>) }:
// five cases fit a u8 discriminant at offset 0; the payload starts at the
// alignment of its widest case (s64 and f64: 8), so at offset 8. Size 16.
// Flattened (not used here: lists carry values in memory) it is i32, i64, i32.
enum value_tag { VALUE_NULL = 0, VALUE_INTEGER = 1, VALUE_REAL = 2, VALUE_TEXT = 3, VALUE_BLOB = 4 };

typedef struct {
  uint8_t tag;
  union {
    int64_t integer;
    double real;
    abi_string text;
    abi_bytes blob;
  } of;
} abi_value;

// list<value>, list<list<value>>, list<string>: (ptr, len) like a string; the
// elements are laid out one after another at their own size and alignment.
typedef struct {
  abi_value *ptr;
  size_t len;
} abi_values;

typedef struct {
  abi_values *ptr;
  size_t len;
} abi_value_lists;

typedef struct {
  abi_string *ptr;
  size_t len;
} abi_strings;

// record rows { columns: list<string>, rows: list<list<value>> }: fields in
// order, each at its alignment (4). Size 16.
typedef struct {
  abi_strings columns;
  abi_value_lists rows;
} abi_rows;

// result<T, string>: a u8 discriminant (0 ok, 1 err) at 0, the payload at the
// alignment of the wider of T and string. Every export's result flattens to
// more than one value, so the export returns a pointer to it in memory.
typedef struct {
  uint8_t is_err;
  union {
    abi_string err;
  } val;
} abi_result_unit;

typedef struct {
  uint8_t is_err;
  union {
    uint32_t ok;
    abi_string err;
  } val;
} abi_result_u32;

typedef struct {
  uint8_t is_err;
  union {
    uint64_t ok;
    abi_string err;
  } val;
} abi_result_u64;

typedef struct {
  uint8_t is_err;
  union {
    abi_rows ok;
    abi_string err;
  } val;
} abi_result_rows;

// The layouts above must be the ABI's exactly; the compiler checks them.
_Static_assert(sizeof(void *) == 4 && sizeof(size_t) == 4, "wasm32: 32-bit pointers and lengths");
_Static_assert(sizeof(abi_string) == 8 && alignof(abi_string) == 4, "string: 8 bytes, align 4");
_Static_assert(offsetof(abi_string, len) == 4, "string: len at 4");
_Static_assert(sizeof(abi_bytes) == 8 && alignof(abi_bytes) == 4, "list<u8>: 8 bytes, align 4");
_Static_assert(alignof(int64_t) == 8 && alignof(double) == 8, "s64 and f64 align 8");
_Static_assert(sizeof(abi_value) == 16 && alignof(abi_value) == 8, "value: 16 bytes, align 8");
_Static_assert(offsetof(abi_value, of) == 8, "value: payload at 8");
_Static_assert(offsetof(abi_value, of.text.len) == 12, "value: text len at 12");
_Static_assert(sizeof(abi_values) == 8 && sizeof(abi_value_lists) == 8, "lists: 8 bytes");
_Static_assert(sizeof(abi_strings) == 8 && alignof(abi_strings) == 4, "list<string>: 8 bytes");
_Static_assert(sizeof(abi_rows) == 16 && alignof(abi_rows) == 4, "rows: 16 bytes, align 4");
_Static_assert(offsetof(abi_rows, rows) == 8, "rows: rows field at 8");
_Static_assert(sizeof(abi_result_unit) == 12 && offsetof(abi_result_unit, val) == 4,
               "result<_, string>: 12 bytes, payload at 4");
_Static_assert(sizeof(abi_result_u32) == 12 && offsetof(abi_result_u32, val) == 4,
               "result<u32, string>: 12 bytes, payload at 4");
_Static_assert(sizeof(abi_result_u64) == 16 && alignof(abi_result_u64) == 8 &&
                   offsetof(abi_result_u64, val) == 8,
               "result<u64, string>: 16 bytes, align 8, payload at 8");
_Static_assert(sizeof(abi_result_rows) == 20 && alignof(abi_result_rows) == 4 &&
                   offsetof(abi_result_rows, val) == 4,
               "result<rows, string>: 20 bytes, payload at 4");

// A string with no heap storage, returned when an allocation fails; the free
// functions below recognise it and leave it alone.
extern const abi_string ABI_OUT_OF_MEMORY;

// malloc'd copy of `len` bytes; ABI_OUT_OF_MEMORY when that fails.
abi_string abi_string_copy(const char *bytes, size_t len);

// A printf-formatted error, any invalid UTF-8 in it replaced by '?' (a string
// the host lifts must be valid UTF-8, and messages quote SQL and file names).
abi_string abi_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

// Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF),
// the rule the host applies when it lifts a string.
int utf8_valid(const uint8_t *bytes, size_t len);

// Frees what the matching type owns: the heap storage of every string and
// list in it, then the outer list itself. Empty lists own nothing.
void abi_string_free(abi_string s);
void abi_values_free(abi_values values);
void abi_value_lists_free(abi_value_lists lists);
void abi_strings_free(abi_strings strings);

#endif
