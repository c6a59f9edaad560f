package io.safeimport.internal.plan;

import java.util.Arrays;

/**
 * A set of key fingerprints ({@link Keys#hash}) each with a number (the line where it was first seen,
 * or a target fingerprint). Open addressing over primitive arrays: about 24 bytes per key at most, no
 * object per entry, so a million keys cost about 24 MB instead of the ~150 MB a {@code HashMap<String,...>}
 * would. Two different keys share a fingerprint with probability about n²/2⁶⁵ (10⁻⁷ for five million
 * keys); the pipeline accepts that risk only for duplicate detection and in-file references, and a
 * false "exists in file" can only make a reference resolve at apply time, where the database has the
 * last word.
 */
public final class KeySet {
    private static final long EMPTY = 0L;
    private long[] keys;
    private long[] values;
    private boolean hasZero;
    private long zeroValue;
    private int size;

    public KeySet() {
        keys = new long[1024];
        values = new long[1024];
    }

    /** Adds the key if absent; returns the value already stored for it, or {@code -1} if it was absent. */
    public long putIfAbsent(long key, long value) {
        if (key == EMPTY) {
            if (hasZero) {
                return zeroValue;
            }
            hasZero = true;
            zeroValue = value;
            size++;
            return -1;
        }
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
        return -1;
    }

    /** Sets the value of the key, adding it if absent. */
    public void put(long key, long value) {
        if (key == EMPTY) {
            if (!hasZero) {
                size++;
            }
            hasZero = true;
            zeroValue = value;
            return;
        }
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    public boolean contains(long key) {
        return get(key, Long.MIN_VALUE) != Long.MIN_VALUE || key == EMPTY && hasZero;
    }

    /** The value of the key, or {@code absent}. */
    public long get(long key, long absent) {
        if (key == EMPTY) {
            return hasZero ? zeroValue : absent;
        }
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return absent;
    }

    public int size() {
        return size;
    }

    /** Calls the visitor for every key and value. */
    public void forEach(java.util.function.BiConsumer<Long, Long> visitor) {
        if (hasZero) {
            visitor.accept(EMPTY, zeroValue);
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                visitor.accept(keys[i], values[i]);
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long k = oldKeys[j];
            if (k != EMPTY) {
                int i = (int) (k ^ (k >>> 32)) & mask;
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                values[i] = oldValues[j];
            }
        }
        Arrays.fill(oldKeys, 0);
    }
}
