package io.safeimport.internal.plan;

/**
 * A set of 64-bit key fingerprints ({@link Keys#hash}), each with an {@code int} (a line number,
 * a file index). Open addressing over two primitive arrays, at most three quarters full: about
 * 16 bytes per key and no object per entry, so five million keys cost about 100 MB instead of the
 * gigabyte a {@code HashMap<String, ...>} would. Two different keys share a fingerprint with
 * probability about n²/2⁶⁵ (10⁻⁶ for five million keys); the pipeline accepts that risk only for
 * duplicate detection and in-file references, and a false "exists in file" can only make a
 * reference fail at apply time, where the database has the last word.
 *
 * <p>A key keeps its {@link #slotOf slot} until the set grows, so once it is complete the slot can
 * index parallel arrays kept by the caller ({@link #capacity()} + 1 entries: the key 0 lives apart).
 */
public final class KeySet {
    private static final long EMPTY = 0L;
    private long[] keys;
    private int[] values;
    private boolean hasZero;
    private int zeroValue;
    private int size;

    public KeySet() {
        keys = new long[1024];
        values = new int[1024];
    }

    /** Adds the key if absent; returns the value already stored for it, or {@code -1} if it was absent. */
    public int putIfAbsent(long key, int value) {
        if (key == EMPTY) {
            if (hasZero) {
                return zeroValue;
            }
            hasZero = true;
            zeroValue = value;
            size++;
            return -1;
        }
        int i = find(key);
        if (keys[i] == key) {
            return values[i];
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 4 > keys.length * 3) {
            grow();
        }
        return -1;
    }

    /** Sets the value of the key, adding it if absent. */
    public void put(long key, int value) {
        if (putIfAbsent(key, value) >= 0) {
            if (key == EMPTY) {
                zeroValue = value;
            } else {
                values[find(key)] = value;
            }
        }
    }

    public boolean contains(long key) {
        return key == EMPTY ? hasZero : keys[find(key)] == key;
    }

    /** The value of the key, or {@code absent}. */
    public int get(long key, int absent) {
        if (key == EMPTY) {
            return hasZero ? zeroValue : absent;
        }
        int i = find(key);
        return keys[i] == key ? values[i] : absent;
    }

    /** The key's slot (stable until the set grows), or {@code -1} when absent. */
    public int slotOf(long key) {
        if (key == EMPTY) {
            return hasZero ? keys.length : -1;
        }
        int i = find(key);
        return keys[i] == key ? i : -1;
    }

    /** The key in a slot. */
    public long keyAt(int slot) {
        return slot == keys.length ? EMPTY : keys[slot];
    }

    /** Slots are {@code 0..capacity()} inclusive. */
    public int capacity() {
        return keys.length;
    }

    public int size() {
        return size;
    }

    /** The memory its arrays take. */
    public long bytes() {
        return (long) keys.length * (Long.BYTES + Integer.BYTES);
    }

    private int find(long key) {
        int mask = keys.length - 1;
        int i = (int) (key ^ (key >>> 32)) & mask;
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = find(oldKeys[j]);
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }
}
