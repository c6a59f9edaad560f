package io.safeimport.internal.pipeline;

import io.safeimport.internal.plan.KeySet;
import io.safeimport.internal.plan.Keys;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import io.safeimport.spi.TargetRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Finds cycles a run would create through a self-reference (a user's manager). Every row of the
 * file that has the reference contributes one edge, from its key to the key of the row it will
 * point at after the run: the planned value where the run sets it, else the value stored now.
 *
 * <p>Memory: the file's keys are already in the run's {@link KeySet} (complete once validation
 * ended), so an edge is one {@code int} (the target's slot, or for a target outside the file its
 * place in a list of their fingerprints) in an array indexed by the
 * source's slot in that set, plus two bits: 8 bytes per row, 40 MB for five million people. Walks
 * that leave the file continue through the database, one indexed query per step (cached). Only
 * cycles containing an edge the run sets are reported: dirty data that was already there is the
 * integrity checks' business, not this run's fault.
 */
final class CycleGraph {
    private final TableSpec spec;
    private final String table;
    private final String column;
    private KeySet inFile;
    /** Per source slot: 0 no edge, {@code s + 1} the file's row in slot s, {@code -(i + 1)} the i-th outside target. */
    private int[] target;
    /** Fingerprints of targets outside the file, each once. */
    private long[] outside = new long[16];
    private int outsideCount;
    private final Map<Long, Integer> outsideIndex = new HashMap<>();
    private final BitSet changed = new BitSet();
    private final BitSet done = new BitSet();
    /** Targets outside the file: fingerprint to database id (bounded by the distinct managers named). */
    private final Map<Long, Long> external = new HashMap<>();

    /**
     * @param spec   the table, or {@code null} when the run writes no table with a self-reference
     * @param inFile fingerprints of the keys this run has in its files for that table (complete)
     */
    CycleGraph(TableSpec spec, KeySet inFile) {
        this.spec = spec;
        this.column = spec == null ? null : spec.selfReference();
        this.table = column == null ? null : spec.name();
        this.inFile = inFile;
    }

    /** A key's fingerprint; never 0, which marks "no edge". */
    private static long node(String key) {
        return Keys.hash(key);
    }

    /** Collects the edges of one chunk of one table; {@link Chunk#close} adds them. */
    Chunk chunk(TableSpec spec) {
        return new Chunk(spec.name().equals(table));
    }

    /** Edges of one chunk. */
    final class Chunk {
        private final boolean active;
        private final List<Ref> plannedTargets = new ArrayList<>();
        private final List<long[]> storedTargets = new ArrayList<>();

        private Chunk(boolean active) {
            this.active = active;
        }

        /**
         * @param written the values the run writes to this row (all of them for an insert)
         * @param old     the stored row, or {@code null} for an insert
         */
        void add(TargetRow t, Map<String, Object> written, Map<String, Object> old) {
            if (!active) {
                return;
            }
            int slot = inFile.slotOf(Keys.hash(Keys.of(spec, t.key())));
            if (slot < 0) {
                return;
            }
            if (target == null) {
                target = new int[inFile.capacity() + 1];
            }
            if (written.get(column) instanceof Ref r) {
                target[slot] = encode(node(Keys.of(r)));
                changed.set(slot);
                plannedTargets.add(r);
                return;
            }
            Object stored = old == null ? null : old.get(column);
            if (stored != null) {
                storedTargets.add(new long[] {slot, (Long) stored});
            }
        }

        /**
         * @param known keys of rows by id, read ahead ({@link #keysOf}); ids missing there are read through {@code store}
         */
        void close(RowStore store, Map<Ref, Long> resolved, Map<Long, String> known) {
            if (!active) {
                return;
            }
            for (Ref r : plannedTargets) {
                Long id = resolved.get(r);
                String key = Keys.of(r);
                if (id != null && !inFile.contains(Keys.hash(key))) {
                    external.put(node(key), id);
                }
            }
            if (storedTargets.isEmpty()) {
                return;
            }
            Map<Long, String> keyOfId = new HashMap<>(known);
            Set<Long> unknown = new HashSet<>();
            for (long[] e : storedTargets) {
                if (!keyOfId.containsKey(e[1])) {
                    unknown.add(e[1]);
                }
            }
            keyOfId.putAll(keysOf(store, spec, unknown));
            for (long[] e : storedTargets) {
                String key = keyOfId.get(e[1]);
                if (key != null) {
                    target[(int) e[0]] = encode(node(key));
                    if (!inFile.contains(Keys.hash(key))) {
                        external.put(node(key), e[1]);
                    }
                }
            }
        }
    }

    /** The key ({@link Keys#of}) of each of these rows of a table with a one-column key, by id. */
    static Map<Long, String> keysOf(RowStore store, TableSpec spec, Collection<Long> ids) {
        Map<Long, String> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        List<Long> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += RowStore.CHUNK) {
            store.handle().createQuery("SELECT " + spec.id() + " AS id, " + spec.key().get(0) + " AS k FROM " + spec.name() + " WHERE " + spec.id() + " IN (<ids>)")
                    .bindList("ids", all.subList(from, Math.min(all.size(), from + RowStore.CHUNK)))
                    .mapToMap()
                    .forEach(row -> out.put(((Number) row.get("id")).longValue(), Keys.of(spec.name(), List.of(row.get("k")))));
        }
        return out;
    }

    private String keyColumn() {
        return spec.key().get(0);
    }

    /**
     * Walks from every edge the run sets and returns the fingerprints ({@link Keys#hash}) of the
     * file's rows on cycles that contain such an edge (empty when there are none).
     */
    KeySet cyclicNodes(Handle handle) {
        KeySet cyclic = new KeySet();
        if (table == null || target == null) {
            return cyclic;
        }
        Map<Long, long[]> dbCache = new HashMap<>();
        for (int start = changed.nextSetBit(0); start >= 0; start = changed.nextSetBit(start + 1)) {
            if (done.get(start)) {
                continue;
            }
            List<Long> path = new ArrayList<>();
            Map<Long, Integer> onPath = new HashMap<>();
            long cur = inFile.keyAt(start);
            while (true) {
                int slot = inFile.slotOf(cur);
                if (slot >= 0 && done.get(slot)) {
                    break;
                }
                Integer at = onPath.get(cur);
                if (at != null) {
                    List<Long> loop = path.subList(at, path.size());
                    boolean introduced = false;
                    for (long n : loop) {
                        int s = inFile.slotOf(n);
                        introduced |= s >= 0 && changed.get(s);
                    }
                    if (introduced) {
                        for (long n : loop) {
                            if (inFile.contains(n)) {
                                cyclic.put(n, 1);
                            }
                        }
                    }
                    break;
                }
                onPath.put(cur, path.size());
                path.add(cur);
                long next;
                if (slot >= 0) {
                    if (target[slot] == 0) {
                        break;
                    }
                    next = decode(target[slot]);
                } else {
                    Long id = external.get(cur);
                    if (id == null) {
                        break;
                    }
                    long[] up = dbCache.computeIfAbsent(id, i -> managerOf(handle, i));
                    if (up == null) {
                        break;
                    }
                    external.put(up[1], up[0]);
                    next = up[1];
                }
                cur = next;
            }
            for (long n : path) {
                int s = inFile.slotOf(n);
                if (s >= 0) {
                    done.set(s);
                }
            }
        }
        return cyclic;
    }

    private int encode(long fingerprint) {
        int slot = inFile.slotOf(fingerprint);
        if (slot >= 0) {
            return slot + 1;
        }
        Integer i = outsideIndex.get(fingerprint);
        if (i == null) {
            if (outsideCount == outside.length) {
                outside = Arrays.copyOf(outside, outsideCount * 2);
            }
            i = outsideCount;
            outside[outsideCount++] = fingerprint;
            outsideIndex.put(fingerprint, i);
        }
        return -(i + 1);
    }

    private long decode(int edge) {
        return edge > 0 ? inFile.keyAt(edge - 1) : outside[-edge - 1];
    }

    /** Drops the edges (tens of MB on large files) once the cycles are known. */
    void release() {
        target = null;
        inFile = null;
        outside = null;
        outsideIndex.clear();
    }

    /** {@code [id, fingerprint]} of the row the given row points at, or {@code null}. */
    private long[] managerOf(Handle handle, long id) {
        String key = keyColumn();
        String pk = spec.id();
        return handle.createQuery("SELECT m." + pk + " AS mid, m." + key + " AS k FROM " + table + " u JOIN " + table
                        + " m ON m." + pk + " = u." + column + " WHERE u." + pk + " = :id")
                .bind("id", id)
                .mapToMap()
                .findOne()
                .map(row -> new long[] {((Number) row.get("mid")).longValue(), node(Keys.of(table, List.of(row.get("k"))))})
                .orElse(null);
    }
}
