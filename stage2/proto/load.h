/*
 * load.h - what every boot protocol does to get files into memory: open a
 * regular file, read it (to an address, with the progress bar), check that
 * it fits in usable RAM.  Each failure prints one line naming the file,
 * starting with who: the protocol's name ("linux: could not read ...").
 */
#ifndef LOAD_H
#define LOAD_H

#include "bios/e820.h"
#include "fs/fs.h"

/* Open path, which must be a regular file. */
int load_open(const char *who, struct fs *fs, const char *path, struct fs_file *f);
/* Read len bytes at offset of f (path) to buf, quietly. */
int load_read(const char *who, struct fs *fs, struct fs_file *f, const char *path,
	      uint64_t offset, void *buf, uint64_t len);
/* The same to addr, saying so: "loading PATH 1.96 MiB [####...] 100% ok",
 * and in the trace where it went and a fingerprint of what arrived. */
int load_file(const char *who, struct fs *fs, struct fs_file *f, const char *path,
	      uint64_t offset, uint32_t addr, uint64_t len);
/* The end of the usable RAM range that holds addr (0: none does). */
uint64_t load_usable_end(const struct memory_map *mm, uint64_t addr);
/* "1.96 MiB" in buf (16 bytes), for messages about sizes. */
const char *load_mib(char *buf, uint64_t bytes);

#endif
