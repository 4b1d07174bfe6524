/*
 * What the libFuzzer harnesses share: a failed property aborts with a
 * message, so libFuzzer keeps the input as a crash; every event line is
 * checked with json-c's strict parser, independent of the encoder.
 */
#ifndef SECCOMPMON_FUZZ_H
#define SECCOMPMON_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry points. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Print "fuzz: " and the message on stderr, then abort(). */
void fuzz_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/*
 * The len bytes at line must be one event line: exactly one '\n', at the
 * end; no other byte below 0x20; before it, one JSON object that json-c
 * accepts in strict mode with UTF-8 validation, and nothing after it.
 * Aborts (fuzz_fail) otherwise.
 */
void fuzz_check_line(const char *line, size_t len);

/*
 * Make one memfd (reused by every call) hold exactly the size bytes at
 * data, and put the path that reopens it, "/proc/self/fd/N", in path (len
 * bytes); for code that reads a file by name.  Aborts on failure.
 */
void fuzz_memfd(const uint8_t *data, size_t size, char *path, size_t len);

struct obuf;
struct sink_event;
struct violation;

/*
 * Decode the len bytes at text as a SECCOMP record into v and encode its
 * event into b (reset first), then fill e as the pipeline does for its
 * message outputs (daemon/pipeline.c send_event()): e points into b and v.
 * 0, or -1 when the record does not decode.  Aborts on ENOMEM.
 */
int fuzz_event(const char *text, size_t len, struct violation *v,
    struct obuf *b, struct sink_event *e);

#endif
