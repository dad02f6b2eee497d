/*
 * facts_file: the facts of one TU as a file of its own, `OBJECT.llfacts`
 * next to the object file the compile wrote.  The wrapper modes write
 * them during a build; `locklint link` reads them back.
 *
 * Layout: "LLTUFCT\0", u32 file version (little endian), u64 hash of the
 * configuration that shaped the facts (ll_config_facts_hash(), little
 * endian), then the TU's facts blob exactly as ir_blob.h writes it.
 *
 * A facts file is untrusted input (it may come from another machine, a CI
 * shard, a pull request's artefacts): the reader checks the header and
 * hands the rest to ll_facts_from_blob(), which bounds-checks everything;
 * files that are not regular or are larger than LL_FACTS_FILE_MAX are
 * refused before anything is read.  Writing goes to a temporary file in
 * the same directory, renamed over the target only when that is a regular
 * file or does not exist.
 */
#ifndef LL_FACTS_FILE_H
#define LL_FACTS_FILE_H

#include "ir.h"

#include <stddef.h>
#include <stdint.h>

#define LL_FACTS_FILE_SUFFIX ".llfacts"
#define LL_FACTS_FILE_MAX ((size_t)1 << 30)

/* Writes `f` to `path`.  Returns 0, or -1 with a message in errbuf. */
int ll_facts_file_write(const char *path, const struct ll_tu_facts *f, uint64_t config_hash,
                        char *errbuf, size_t errlen);

/* Decodes a facts file's bytes into `out` (freshly initialised with
 * ll_tu_facts_init(); released on failure).  Returns 0, or -1 with a
 * reason in errbuf: not a facts file, another file or facts version, or
 * damaged. */
int ll_facts_file_decode(const unsigned char *buf, size_t len, struct ll_tu_facts *out,
                         uint64_t *config_hash, char *errbuf, size_t errlen);

/* Reads and decodes the file at `path`, like ll_facts_file_decode(). */
int ll_facts_file_read(const char *path, struct ll_tu_facts *out, uint64_t *config_hash,
                       char *errbuf, size_t errlen);

#endif
