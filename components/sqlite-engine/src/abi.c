// The allocator the host lowers arguments with, and the helpers that build
// and free the ABI values of abi.h.

#include "abi.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const abi_string ABI_OUT_OF_MEMORY = {
    .ptr = (char *)"engine: out of memory",
    .len = sizeof("engine: out of memory") - 1,
};

// cabi_realloc(old_ptr, old_size, align, new_size): the host calls it to
// allocate (old_size 0) space for the strings and lists it lowers into an
// export's arguments. wasi-libc's malloc aligns to 16, more than any of our
// types needs (8). A zero-size request gets a non-null, aligned, unusable
// pointer, which nothing frees: only non-empty lists are ever freed. Running
// out of memory here has no error channel, so it traps.
__attribute__((export_name("cabi_realloc"))) void *cabi_realloc(void *old_ptr, size_t old_size,
                                                                 size_t align, size_t new_size) {
  if (align > 16) __builtin_trap();
  if (new_size == 0) {
    if (old_size != 0) free(old_ptr);
    return (void *)align;
  }
  void *p = realloc(old_size != 0 ? old_ptr : NULL, new_size);
  if (p == NULL) __builtin_trap();
  return p;
}

abi_string abi_string_copy(const char *bytes, size_t len) {
  if (len == 0) return (abi_string){.ptr = NULL, .len = 0};
  char *p = malloc(len);
  if (p == NULL) return ABI_OUT_OF_MEMORY;
  memcpy(p, bytes, len);
  return (abi_string){.ptr = p, .len = len};
}

// Length of the valid UTF-8 sequence at `s` (at most `n` bytes), 0 if invalid.
static size_t utf8_sequence(const uint8_t *s, size_t n) {
  uint8_t c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  uint32_t min, cp;
  if ((c & 0xE0) == 0xC0) len = 2, min = 0x80, cp = c & 0x1F;
  else if ((c & 0xF0) == 0xE0) len = 3, min = 0x800, cp = c & 0x0F;
  else if ((c & 0xF8) == 0xF0) len = 4, min = 0x10000, cp = c & 0x07;
  else return 0;
  if (len > n) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

int utf8_valid(const uint8_t *bytes, size_t len) {
  for (size_t i = 0; i < len;) {
    size_t n = utf8_sequence(bytes + i, len - i);
    if (n == 0) return 0;
    i += n;
  }
  return 1;
}

abi_string abi_error(const char *format, ...) {
  va_list args;
  va_start(args, format);
  int n = vsnprintf(NULL, 0, format, args);
  va_end(args);
  if (n <= 0) return (abi_string){.ptr = NULL, .len = 0};
  char *p = malloc((size_t)n + 1);
  if (p == NULL) return ABI_OUT_OF_MEMORY;
  va_start(args, format);
  vsnprintf(p, (size_t)n + 1, format, args);
  va_end(args);
  for (size_t i = 0; i < (size_t)n;) {
    size_t len = utf8_sequence((const uint8_t *)p + i, (size_t)n - i);
    if (len == 0) p[i++] = '?';
    else i += len;
  }
  return (abi_string){.ptr = p, .len = (size_t)n};
}

void abi_string_free(abi_string s) {
  if (s.len != 0 && s.ptr != ABI_OUT_OF_MEMORY.ptr) free(s.ptr);
}

void abi_values_free(abi_values values) {
  for (size_t i = 0; i < values.len; i++) {
    abi_value *v = &values.ptr[i];
    if (v->tag == VALUE_TEXT) abi_string_free(v->of.text);
    else if (v->tag == VALUE_BLOB && v->of.blob.len != 0) free(v->of.blob.ptr);
  }
  if (values.len != 0) free(values.ptr);
}

void abi_value_lists_free(abi_value_lists lists) {
  for (size_t i = 0; i < lists.len; i++) abi_values_free(lists.ptr[i]);
  if (lists.len != 0) free(lists.ptr);
}

void abi_strings_free(abi_strings strings) {
  for (size_t i = 0; i < strings.len; i++) abi_string_free(strings.ptr[i]);
  if (strings.len != 0) free(strings.ptr);
}
