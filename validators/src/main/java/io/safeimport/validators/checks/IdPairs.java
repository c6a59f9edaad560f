package io.safeimport.validators.checks;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code (id, target)} pairs read in ascending id order, kept in fixed-size blocks of two
 * primitive arrays: 16 bytes a pair, nothing copied as it grows and no count needed up front
 * (a count is one more full scan of the table, which right after a large import in the same
 * transaction costs as much as reading the pairs).
 */
final class IdPairs {
    private final int blockBits;
    private final int blockMask;
    private final List<long[]> ids = new ArrayList<>();
    private final List<long[]> targets = new ArrayList<>();
    private int size;

    /**
     * Blocks of 32,768 pairs: each array 256 KB, under half of G1's smallest region (1 MB, the size
     * at {@code -Xmx256m}), so none is a humongous object that would take a whole region for itself.
     */
    IdPairs() {
        this(15);
    }

    /** @param blockBits log2 of the pairs per block (small in tests, to cross blocks) */
    IdPairs(int blockBits) {
        this.blockBits = blockBits;
        this.blockMask = (1 << blockBits) - 1;
    }

    /** Appends a pair; {@code id} must be greater than every id before it. */
    void add(long id, long target) {
        if (size > 0 && id <= id(size - 1)) {
            throw new IllegalArgumentException("ids must ascend: " + id + " after " + id(size - 1));
        }
        if ((size & blockMask) == 0) {
            ids.add(new long[1 << blockBits]);
            targets.add(new long[1 << blockBits]);
        }
        ids.get(size >>> blockBits)[size & blockMask] = id;
        targets.get(size >>> blockBits)[size & blockMask] = target;
        size++;
    }

    int size() {
        return size;
    }

    long id(int i) {
        return ids.get(i >>> blockBits)[i & blockMask];
    }

    long target(int i) {
        return targets.get(i >>> blockBits)[i & blockMask];
    }

    /**
     * The position of {@code id}, or -1. Ids an import's {@code AUTO_INCREMENT} handed out are
     * nearly consecutive, so the place {@code id - first id} is tried before a binary search.
     */
    int indexOf(long id) {
        if (size == 0) {
            return -1;
        }
        long guess = id - id(0);
        if (guess >= 0 && guess < size && id(Math.toIntExact(guess)) == id) {
            return (int) guess;
        }
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long at = id(mid);
            if (at < id) {
                lo = mid + 1;
            } else if (at > id) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }
}
