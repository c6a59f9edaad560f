package io.safeimport.internal.pipeline;

import io.safeimport.internal.plan.KeySet;
import io.safeimport.internal.plan.Keys;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Finds cycles a run would create through a self-reference (a user's manager). Every row of the
 * file that has the reference contributes one edge, from its key to the key of the row it will
 * point at after the run: the planned value where the run sets it, else the value stored now.
 * Edges are 63-bit key fingerprints in a {@link KeySet}, so a million people cost tens of MB, not
 * hundreds. Walks that leave the file continue through the database, one indexed query per step
 * (cached). Only cycles that contain an edge the run sets are reported: dirty data that was already
 * there is the integrity checks' business, not this run's fault.
 */
final class CycleGraph {
    private static final long CHANGED = Long.MIN_VALUE;
    private static final long DONE = -1L;

    private final String table;
    private final String column;
    private final KeySet edges = new KeySet();
    /** Targets outside the file: fingerprint to database id. */
    private final KeySet external = new KeySet();
    private final KeySet inFile;

    /**
     * @param spec   the table, or {@code null} when the run writes no table with a self-reference
     * @param inFile fingerprints of the keys this run has in its files for that table
     */
    CycleGraph(TableSpec spec, KeySet inFile) {
        Optional<ColumnSpec> self = spec == null ? Optional.empty()
                : spec.columns().stream().filter(c -> spec.name().equals(c.references())).findFirst();
        this.table = self.isPresent() ? spec.name() : null;
        this.column = self.map(ColumnSpec::name).orElse(null);
        this.inFile = inFile;
    }

    static long fingerprint(String key) {
        return Keys.hash(key) & Long.MAX_VALUE;
    }

    /** Collects the edges of one chunk of one table; {@link Chunk#close} adds them. */
    Chunk chunk(TableSpec spec) {
        return new Chunk(spec.name().equals(table));
    }

    /** Edges of one chunk. */
    final class Chunk {
        private final boolean active;
        private final List<long[]> pendingOld = new ArrayList<>();
        private final List<Long> oldIds = new ArrayList<>();

        private Chunk(boolean active) {
            this.active = active;
        }

        /**
         * @param written the values the run writes to this row (all of them for an insert)
         * @param old     the stored row, or {@code null} for an insert
         */
        void add(io.safeimport.spi.TargetRow t, Map<String, Object> written, Map<String, Object> old) {
            if (!active) {
                return;
            }
            long node = fingerprint(Keys.of(t.table(), t.key()));
            Object planned = written.get(column);
            if (planned instanceof Ref r) {
                long target = fingerprint(Keys.of(r));
                edges.put(node, target | CHANGED);
                pendingRefs.add(r);
                return;
            }
            Object stored = old == null ? null : old.get(column);
            if (stored != null) {
                pendingOld.add(new long[] {node, (Long) stored});
                oldIds.add((Long) stored);
            }
        }

        private final List<Ref> pendingRefs = new ArrayList<>();

        void close(RowStore store, Map<Ref, Long> resolved) {
            if (!active) {
                return;
            }
            for (Ref r : pendingRefs) {
                long target = fingerprint(Keys.of(r));
                Long id = resolved.get(r);
                if (id != null && !inFile.contains(Keys.hash(Keys.of(r)))) {
                    external.put(target, id);
                }
            }
            if (oldIds.isEmpty()) {
                return;
            }
            Map<Long, String> keyOfId = new HashMap<>();
            store.handle().createQuery("SELECT id, " + keyColumn() + " AS k FROM " + table + " WHERE id IN (<ids>)")
                    .bindList("ids", oldIds)
                    .mapToMap()
                    .forEach(row -> keyOfId.put(((Number) row.get("id")).longValue(), Keys.of(table, List.of(row.get("k")))));
            for (long[] e : pendingOld) {
                String key = keyOfId.get(e[1]);
                if (key != null) {
                    long target = fingerprint(key);
                    edges.put(e[0], target);
                    if (!inFile.contains(Keys.hash(key))) {
                        external.put(target, e[1]);
                    }
                }
            }
        }
    }

    private String keyColumn() {
        return io.safeimport.spi.ReferenceSchema.table(table).key().get(0);
    }

    /**
     * Walks every edge the run sets and returns the fingerprints of the rows on cycles that
     * contain such an edge (empty when there are none).
     */
    KeySet cyclicNodes(Handle handle) {
        KeySet cyclic = new KeySet();
        if (table == null) {
            return cyclic;
        }
        Map<Long, long[]> dbCache = new HashMap<>();
        List<Long> starts = new ArrayList<>();
        edges.forEach((node, value) -> {
            if ((value & CHANGED) != 0 && value != DONE) {
                starts.add(node);
            }
        });
        for (long start : starts) {
            List<Long> path = new ArrayList<>();
            Map<Long, Integer> onPath = new HashMap<>();
            long cur = start;
            boolean cycle = false;
            int steps = 0;
            while (steps++ < 10_000_000) {
                long value = edges.get(cur, 0L);
                boolean fileNode = edges.contains(cur);
                if (fileNode && value == DONE) {
                    break;
                }
                Integer at = onPath.get(cur);
                if (at != null) {
                    List<Long> loop = path.subList(at, path.size());
                    boolean introduced = false;
                    for (long n : loop) {
                        long v = edges.get(n, 0L);
                        if (edges.contains(n) && (v & CHANGED) != 0) {
                            introduced = true;
                        }
                    }
                    if (introduced) {
                        for (long n : loop) {
                            if (edges.contains(n)) {
                                cyclic.put(n, 1);
                            }
                        }
                    }
                    cycle = true;
                    break;
                }
                onPath.put(cur, path.size());
                path.add(cur);
                long next;
                if (fileNode) {
                    next = value & Long.MAX_VALUE;
                } else {
                    long id = external.get(cur, -1);
                    if (id < 0) {
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
                if (edges.contains(n) && (!cycle || !cyclic.contains(n))) {
                    edges.put(n, DONE);
                }
            }
        }
        return cyclic;
    }

    /** {@code [id, fingerprint]} of the row the given row points at, or {@code null}. */
    private long[] managerOf(Handle handle, long id) {
        String key = keyColumn();
        return handle.createQuery("SELECT m.id AS mid, m." + key + " AS k FROM " + table + " u JOIN " + table
                        + " m ON m.id = u." + column + " WHERE u.id = :id")
                .bind("id", id)
                .mapToMap()
                .findOne()
                .map(row -> new long[] {((Number) row.get("mid")).longValue(), fingerprint(Keys.of(table, List.of(row.get("k"))))})
                .orElse(null);
    }
}
