package dev.streamformer.tokenize.model;

import java.util.Arrays;

/**
 * BPE merge rules by the pair of ids they join: an open-addressing hash table over primitive longs. Large
 * vocabularies have half a million rules (Gemma 3: 514,906); boxed map entries made loading them slow.
 */
final class MergeTable {

    private static final long EMPTY = -1L;

    private final long[] keys;
    /** {@code rank << 32 | merged id} for each used slot. */
    private final long[] values;
    private final int mask;

    MergeTable(int rules) {
        int capacity = Integer.highestOneBit(Math.max(4, rules * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
    }

    /** Adds the rule joining {@code left} and {@code right} unless that pair already has one (the first rank wins). */
    void putIfAbsent(int left, int right, int rank, int merged) {
        long key = key(left, right);
        int slot = slot(key);
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = (long) rank << 32 | (merged & 0xFFFFFFFFL);
    }

    /** {@code rank << 32 | merged id} of the rule joining the pair, or -1 when there is none. */
    long get(int left, int right) {
        long key = key(left, right);
        for (int slot = slot(key); keys[slot] != EMPTY; slot = (slot + 1) & mask) {
            if (keys[slot] == key) {
                return values[slot];
            }
        }
        return -1;
    }

    static int rank(long rule) { return (int) (rule >>> 32); }

    static int merged(long rule) { return (int) rule; }

    private static long key(int left, int right) {
        return (long) left << 32 | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
