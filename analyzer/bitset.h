/*
 * bitset: fixed-size sets of small integers (thread roots, mostly) as
 * arrays of 64-bit words.  The caller owns the words and passes their
 * number; every function here is inline and allocates nothing.
 */
#ifndef LL_BITSET_H
#define LL_BITSET_H

#include <stdbool.h>
#include <stdint.h>

/* Words for a set of `nbits` members, at least one (so that a set of no
 * members is still an array to point at). */
static inline uint32_t ll_bitset_words(uint32_t nbits)
{
    return nbits ? (nbits + 63) / 64 : 1;
}

static inline void ll_bitset_set(uint64_t *s, uint32_t i)
{
    s[i / 64] |= (uint64_t)1 << (i % 64);
}

static inline bool ll_bitset_has(const uint64_t *s, uint32_t i)
{
    return (s[i / 64] >> (i % 64)) & 1;
}

/* d |= s */
static inline void ll_bitset_or(uint64_t *d, const uint64_t *s, uint32_t words)
{
    for (uint32_t k = 0; k < words; k++)
        d[k] |= s[k];
}

/* d |= s; true when d gained a member. */
static inline bool ll_bitset_or_changed(uint64_t *d, const uint64_t *s, uint32_t words)
{
    bool changed = false;
    for (uint32_t k = 0; k < words; k++)
        if (s[k] & ~d[k]) {
            d[k] |= s[k];
            changed = true;
        }
    return changed;
}

/* d &= ~s */
static inline void ll_bitset_andnot(uint64_t *d, const uint64_t *s, uint32_t words)
{
    for (uint32_t k = 0; k < words; k++)
        d[k] &= ~s[k];
}

/* The smallest member >= from, or UINT32_MAX: a loop over the members
 * costs their number plus the words, not every possible member. */
static inline uint32_t ll_bitset_next(const uint64_t *s, uint32_t words, uint32_t from)
{
    uint32_t k = from / 64;
    if (k >= words)
        return UINT32_MAX;
    uint64_t x = s[k] & (~(uint64_t)0 << (from % 64));
    while (!x) {
        if (++k == words)
            return UINT32_MAX;
        x = s[k];
    }
    return k * 64 + (uint32_t)__builtin_ctzll(x);
}

static inline bool ll_bitset_any(const uint64_t *s, uint32_t words)
{
    for (uint32_t k = 0; k < words; k++)
        if (s[k])
            return true;
    return false;
}

#endif
