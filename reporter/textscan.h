/*
 * Number parsers over (pointer, length) for untrusted record text.  Unlike
 * strtoull() they accept no blanks, no sign where none belongs, no base
 * prefix, and they never read past the length they are given.
 */
#ifndef SECCOMPMON_TEXTSCAN_H
#define SECCOMPMON_TEXTSCAN_H

#include <stddef.h>
#include <stdint.h>

/* Value of a hex digit (either case), or -1. */
int scan_hexdigit(char c);

/*
 * Decimal digits only, 1 to 20 of them, value <= max: 0 and *out set.
 * Otherwise -1 and *out untouched.
 */
int scan_udec(const char *s, size_t n, uint64_t max, uint64_t *out);

/* An optional '-' then decimal digits, within int64_t: 0, else -1. */
int scan_sdec(const char *s, size_t n, int64_t *out);

/* Hex digits only (no "0x"), 1 to 16 of them, value <= max: 0, else -1. */
int scan_hex(const char *s, size_t n, uint64_t max, uint64_t *out);

/* First occurrence of needle in s[0..n), or NULL. */
const char *scan_find(const char *s, size_t n, const char *needle, size_t nlen);

#endif
