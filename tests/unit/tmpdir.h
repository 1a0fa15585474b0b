/* tmpdir.h - scratch directories and whole-file helpers for the storage tests. */
#ifndef TMPDIR_H
#define TMPDIR_H

#include <stddef.h>

/* A new empty directory under $TMPDIR or /tmp; asserts. Free with tmpdir_remove(). */
char *tmpdir_new(void);
/* Remove the directory and the files in it, and free the string. NULL is a no-op. */
void tmpdir_remove(char *dir);
/* "dir/name" in a static buffer (one at a time). */
const char *tmpdir_path(const char *dir, const char *name);

/* The bytes of a file (NUL-terminated too), or NULL when it cannot be read. */
unsigned char *file_read(const char *path, size_t *len);
/* Replace a file's bytes; asserts. */
void file_write(const char *path, const void *data, size_t len);
/* Whether `needle` occurs in the bytes. */
int bytes_contain(const unsigned char *hay, size_t hlen, const char *needle);

#endif
