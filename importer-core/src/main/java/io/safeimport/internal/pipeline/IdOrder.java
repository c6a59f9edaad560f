package io.safeimport.internal.pipeline;

import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.TableSpec;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows a file that lists a large table's rows in about the order of their ids, as an export of
 * that table usually does (and as a file imported before leaves them): the stored rows are then
 * read as consecutive pages of the table by primary key ({@code id > last ORDER BY id LIMIT n}),
 * several times cheaper for the server than looking a thousand keys up in a unique index. Rows a
 * page holds for later chunks wait in a window of up to {@link #AHEAD} rows ({@link #AHEAD_TIGHT}
 * when the run's key sets fill much of the heap; rows written in a
 * different order within a few thousand, as an import that put managers before their reports
 * leaves them, are still found); keys no page has found are looked up by key as before, so the
 * rows found are exactly the same either way, only the cost differs.
 *
 * <p>Pages are read in chunk order: the look-ahead's readers take turns ({@link #awaitTurn},
 * {@link #finish}) for this step only. The first chunk of a table is looked up by key, and where
 * most of its rows are stored, the pages start at its first id. A table whose chunks find fewer
 * than half their rows this way {@link #MISSES} times in a row is not followed any more (the file
 * is in another order, or mostly new): its chunks go back to key lookups alone, read in parallel.
 */
final class IdOrder {
    /** Rows read ahead of the chunks, at most; about 1 KB each. */
    static final int AHEAD = 12_000;
    /** Rows read ahead where the heap is tight (five million keys in 256 MB). */
    static final int AHEAD_TIGHT = 3_000;
    /** Rows per page. */
    static final int PAGE = 1_000;
    /** Chunks in a row that find fewer than half their rows in the pages before a table is given up. */
    static final int MISSES = 3;
    /** How long a reader waits for the previous chunk's turn before giving up following (a stalled run). */
    private static final long TURN_WAIT_MILLIS = 30_000;

    private final int ahead;
    private final Map<String, Table> tables = new HashMap<>();
    private final BitSet finished = new BitSet();
    private int turn;
    private boolean closed;

    /** @param ahead rows read ahead of the chunks at most ({@link #AHEAD} or {@link #AHEAD_TIGHT}) */
    IdOrder(int ahead) {
        this.ahead = ahead;
    }

    /**
     * What {@link #page} found for a chunk: rows by tuple, and whether every key of the chunk was
     * looked up by key already (the first chunk of a table), so that none is left to look up.
     */
    record Found(Map<String, Map<String, Object>> rows, boolean allLookedUp) {
    }

    /** What is known of one table's order. */
    private static final class Table {
        /** The last id read by page; {@code -1} before the first chunk found where the file starts. */
        long after = -1;
        /** Rows read by page and not taken by a chunk yet, by key tuple, oldest first. */
        final LinkedHashMap<String, Map<String, Object>> window = new LinkedHashMap<>();
        /** Keys of the first chunk, found by key: the first pages hold them again. */
        final Set<String> seen = new HashSet<>();
        int misses;
        boolean given;
    }

    /** Whether chunks of {@code spec}'s table may still be read by page (a table with a natural primary key has no id order). */
    synchronized boolean follows(TableSpec spec) {
        return !closed && spec.large() && !spec.keyed() && !(tables.containsKey(spec.name()) && tables.get(spec.name()).given);
    }

    /**
     * Waits until every earlier chunk has finished its turn; {@code false} when following was given
     * up meanwhile (closed, or the wait took too long), then the caller looks up by key alone.
     */
    synchronized boolean awaitTurn(int seq) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TURN_WAIT_MILLIS;
        while (turn < seq && !closed) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                close();
                break;
            }
            wait(left);
        }
        return !closed;
    }

    /** Ends chunk {@code seq}'s turn (again is harmless; also for a chunk that failed or never paged). */
    synchronized void finish(int seq) {
        finished.set(seq);
        while (finished.get(turn)) {
            turn++;
        }
        notifyAll();
    }

    /** Stops following: waiting readers go on with key lookups. */
    synchronized void close() {
        closed = true; // a page being read in its turn ends as it is; no more follow
        notifyAll();
    }

    /**
     * During the caller's turn: the stored rows of {@code wanted} (canonical key tuples, by
     * {@link RowStore#tuple}) found in the window or in the next pages, by tuple; the caller looks
     * up the rest by key. The first chunk of a table is looked up by key here, in full, to find
     * where the file starts in the table.
     */
    Found page(RowStore store, TableSpec spec, Map<String, List<Object>> wanted) {
        Table t;
        synchronized (this) {
            t = tables.computeIfAbsent(spec.name(), n -> new Table());
        }
        Map<String, Map<String, Object>> found = new HashMap<>();
        if (t.after < 0) {
            found.putAll(store.rowsByTuple(spec, wanted.values()));
            long min = Long.MAX_VALUE;
            for (Map<String, Object> row : found.values()) {
                min = Math.min(min, (Long) row.get("id"));
            }
            if (found.size() * 2 >= wanted.size()) {
                t.after = min - 1;
                t.seen.addAll(found.keySet());
            }
            miss(t, found.size(), wanted.size());
            return new Found(found, true);
        }
        for (Map.Entry<String, List<Object>> w : wanted.entrySet()) {
            Map<String, Object> row = t.window.get(w.getKey());
            if (row != null && sameKey(spec, row, w.getValue())) {
                t.window.remove(w.getKey());
                found.put(w.getKey(), row);
            }
        }
        // read on while rows are missing, as long as fewer than `ahead` rows wait in the window
        while (found.size() < wanted.size() && t.window.size() < ahead) {
            List<Map<String, Object>> page = store.rowsAfterId(spec, t.after, PAGE);
            for (Map<String, Object> row : page) {
                t.after = Math.max(t.after, (Long) row.get("id"));
                List<Object> key = RowStore.keyOf(spec, row);
                String tuple = RowStore.tuple(key);
                if (key.equals(wanted.get(tuple))) {
                    found.put(tuple, row);
                } else if (!t.seen.remove(tuple)) {
                    t.window.put(tuple, row);
                }
            }
            for (Iterator<String> it = t.window.keySet().iterator(); t.window.size() > ahead + PAGE && it.hasNext(); ) {
                it.next();
                it.remove();
            }
            if (page.size() < PAGE) {
                break; // the end of the table
            }
        }
        miss(t, found.size(), wanted.size());
        return new Found(found, false);
    }

    /**
     * Whether a stored row has exactly the file's key. A {@link RowStore#tuple} folds case and
     * blanks; whether {@code Eve@Acme.example} is the row of {@code eve@acme.example} is for the
     * database's comparison of that column to decide, so a row that differs in any other way is
     * left to the lookup by key.
     */
    private static boolean sameKey(TableSpec spec, Map<String, Object> row, List<Object> key) {
        return RowStore.keyOf(spec, row).equals(key);
    }

    /** Counts a chunk that found fewer than half its rows; gives the table up after {@link #MISSES} in a row. */
    private void miss(Table t, int found, int wanted) {
        if (found * 2 >= wanted) {
            t.misses = 0;
        } else if (++t.misses >= MISSES) {
            give(t);
        }
    }

    private void give(Table t) {
        synchronized (this) {
            t.given = true;
            t.window.clear();
        }
    }
}
