package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.ProgressListener;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Dialect;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.Keys;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowIds;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Executes a plan inside the caller's transaction: per table in dependency order, updates (after
 * checking under row lock that each row is still exactly as planned) and plain inserts (a key that
 * appeared since planning breaks the unique index: drift), then the references that pointed at
 * rows inserted later in the run. Never deletes; writes only the columns the plan changes. Every
 * row written is listed in the {@code touched} file for the snapshot's post-images; a row loaded by
 * the database's bulk path ({@code LOAD DATA}, {@code COPY}) carries its post-image there already,
 * read back right after its statement. This class reads the plan files and writes the updates;
 * new rows are {@link RowInserter}'s, late references {@link DeferredReferences}', the touched rows
 * {@link TouchedRows}'.
 */
final class Applier {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /**
     * Rows applied together. New rows of a chunk go to the server in one statement per table, and
     * LOAD DATA gains from larger ones up to a point (1,000,000 users, same machine, one after the
     * other: 39.2 s in chunks of 1,000 against 43.2 s of multi-row INSERTs; 26.8 s in chunks of
     * 10,000 against 45.9 s), but a chunk's decoded entries, the rows built from them and their
     * post-images read back (about 3 KB a row) live until the chunk is done, and at
     * {@code -Xmx256m} chunks of 10,000 outlived young collections: G1 ran about 200 concurrent
     * cycles and paused 12.6-14.2 s in a fresh import of 1,000,000 users, the JVM used 83-93 s of
     * CPU. In chunks of 2,000: 2 cycles, 2.8-3.5 s of pauses, 54-72 s of CPU, LOAD DATA 22.6 s
     * against 19-21 s and the whole import no slower (2026-12-02, interleaved runs).
     */
    static final int CHUNK = 2_000;

    private final Handle handle;
    private final Dialect dialect;
    private final RowStore store;
    private final Path work;
    private final ProgressListener progress;
    private final TouchedRows touched;
    private final DeferredReferences deferred;
    private final RowInserter inserter;
    private long done;
    private final long total;
    /** The values of the current chunk's entries, decoded once. */
    private final Map<ObjectNode, Map<String, Object>> parsed = new IdentityHashMap<>();
    private final StepTimer timer;
    /** Apply chunk by chunk across tables ({@link ChunkOrder}) rather than table by table. */
    private final boolean byChunk;
    /**
     * In chunk order: ids the current chunk already knows, by {@link Keys#of} key: the rows it
     * inserted (a history row's event, for its snapshots) and the references its earlier tables
     * resolved (that row's user).
     */
    private final Map<String, Long> chunkIds = new HashMap<>();
    /** Writes changed rows, created at the first update. */
    private UpdateWriter updateWriter;

    Applier(Handle handle, Dialect dialect, RowStore store, Path work, ProgressListener progress,
            long total, StepTimer timer, boolean byChunk) throws IOException {
        this.byChunk = byChunk;
        this.dialect = dialect;
        this.timer = timer;
        this.handle = handle;
        this.store = store;
        this.work = work;
        this.progress = progress;
        this.total = total;
        this.touched = new TouchedRows(work);
        this.deferred = new DeferredReferences(handle, dialect, store, timer, work);
        this.inserter = new RowInserter(handle, dialect, store, timer, byChunk, chunkIds, parsed, touched, deferred);
    }

    /** Applies the plan files of every table, then the deferred references. */
    void apply() throws IOException {
        if (byChunk) {
            applyByChunk();
        } else {
            applyByTable();
        }
        deferred.close();
        long t = System.nanoTime();
        deferred.applyDeferred();
        timer.add("apply.deferred", System.nanoTime() - t);
        touched.close();
    }

    /**
     * Chunk by chunk as planned ({@code seq}), each chunk's tables in dependency order: a chunk's
     * rows that reference rows inserted by the same chunk (a snapshot its event) find their ids
     * in {@link #chunkIds} without asking the database.
     */
    private void applyByChunk() throws IOException {
        List<TableSpec> specs = new ArrayList<>();
        List<JsonLines.Reader> readers = new ArrayList<>();
        List<ObjectNode> heads = new ArrayList<>();
        try {
            for (TableSpec spec : store.catalog().tables()) {
                Path plan = work.resolve("plan-" + spec.name() + ".jsonl.gz");
                if (Files.exists(plan)) {
                    JsonLines.Reader r = JsonLines.read(plan);
                    readers.add(r);
                    specs.add(spec);
                    heads.add(r.hasNext() ? r.next() : null);
                }
            }
            while (true) {
                long seq = Long.MAX_VALUE;
                for (ObjectNode h : heads) {
                    if (h != null) {
                        seq = Math.min(seq, h.get("seq").asLong());
                    }
                }
                if (seq == Long.MAX_VALUE) {
                    break;
                }
                chunkIds.clear();
                for (int i = 0; i < specs.size(); i++) {
                    List<ObjectNode> chunk = new ArrayList<>();
                    while (heads.get(i) != null && heads.get(i).get("seq").asLong() == seq) {
                        chunk.add(heads.get(i));
                        heads.set(i, readers.get(i).hasNext() ? readers.get(i).next() : null);
                        if (chunk.size() == CHUNK) {
                            applyChunk(specs.get(i), chunk);
                            chunk = new ArrayList<>();
                        }
                    }
                    applyChunk(specs.get(i), chunk);
                }
            }
            chunkIds.clear();
        } finally {
            for (JsonLines.Reader r : readers) {
                r.close();
            }
        }
    }

    private void applyByTable() throws IOException {
        for (TableSpec spec : store.catalog().tables()) {
            Path plan = work.resolve("plan-" + spec.name() + ".jsonl.gz");
            if (!Files.exists(plan)) {
                continue;
            }
            try (JsonLines.Reader r = JsonLines.read(plan)) {
                List<ObjectNode> chunk = new ArrayList<>(CHUNK);
                while (r.hasNext()) {
                    chunk.add(r.next());
                    if (chunk.size() == CHUNK) {
                        applyChunk(spec, chunk);
                        chunk.clear();
                    }
                }
                applyChunk(spec, chunk);
            }
        }
    }

    private void applyChunk(TableSpec spec, List<ObjectNode> chunk) throws IOException {
        if (chunk.isEmpty()) {
            return;
        }
        List<ObjectNode> updates = new ArrayList<>();
        List<ObjectNode> inserts = new ArrayList<>();
        List<ObjectNode> merges = new ArrayList<>();
        Set<Ref> refs = new LinkedHashSet<>();
        parsed.clear();
        for (ObjectNode e : chunk) {
            String op = e.get("op").asText();
            ("update".equals(op) ? updates : "merge".equals(op) ? merges : inserts).add(e);
            JsonNode vals = e.has("set") ? e.get("set") : e.get("values");
            Map<String, Object> values = RowCodec.read(store.catalog(), spec, vals);
            parsed.put(e, values);
            values.values().forEach(v -> {
                if (v instanceof Ref r) {
                    refs.add(r);
                }
            });
            if (e.has("key")) {
                RowCodec.read(store.catalog(), spec, e.get("key")).values().forEach(v -> {
                    if (v instanceof Ref r) {
                        refs.add(r);
                    }
                });
            }
        }
        Set<Ref> all = merges.isEmpty() ? refs : new LinkedHashSet<>(refs);
        Map<Ref, Long> resolved = resolve(refs);
        long t0 = System.nanoTime();
        if (!updates.isEmpty()) {
            applyUpdates(spec, updates, resolved);
        }
        long t1 = System.nanoTime();
        if (!inserts.isEmpty()) {
            inserter.applyInserts(spec, inserts, resolved);
        }
        timer.add("apply.update", t1 - t0);
        timer.add("apply.insert", System.nanoTime() - t1);
        if (!merges.isEmpty()) {
            applyMerges(spec, merges, store.resolve(all));
        }
        done += chunk.size();
        progress.progress("apply", done, total);
    }

    /**
     * The ids of a chunk's references: in chunk order first those the chunk already knows (taken out
     * of {@code refs}), then the rest from the database, which the chunk then knows too.
     */
    private Map<Ref, Long> resolve(Set<Ref> refs) {
        Map<Ref, Long> resolved = new HashMap<>();
        if (byChunk) {
            for (Iterator<Ref> it = refs.iterator(); it.hasNext(); ) {
                Ref r = it.next();
                Long id = chunkIds.get(Keys.of(r));
                if (id != null) {
                    resolved.put(r, id);
                    it.remove();
                }
            }
        }
        resolved.putAll(timer.time("apply.resolve", () -> store.resolve(refs)));
        if (byChunk) {
            resolved.forEach((r, id) -> chunkIds.put(Keys.of(r), id));
        }
        return resolved;
    }

    private void applyUpdates(TableSpec spec, List<ObjectNode> updates, Map<Ref, Long> resolved) throws IOException {
        List<Long> ids = new ArrayList<>();
        List<Map<String, Object>> pres = new ArrayList<>();
        for (ObjectNode u : updates) {
            ids.add(u.get("id").asLong());
            pres.add(RowCodec.read(store.catalog(), spec, u.get("pre"))); // first: a natural key read here names the row in SQL
        }
        Map<Long, Map<String, Object>> now = store.rowsById(spec, ids, true);
        for (int i = 0; i < updates.size(); i++) {
            ObjectNode u = updates.get(i);
            long id = ids.get(i);
            Map<String, Object> pre = pres.get(i);
            Map<String, Object> cur = now.get(id);
            String changed = cur == null ? "it was deleted" : ColumnValues.firstDifference(spec, pre, cur);
            if (changed != null) {
                throw new SafeImportException(ExitCode.REFUSED, u.get("file").asText() + ":" + u.get("line").asLong()
                        + ": " + spec.noun() + " " + RowIds.name(spec, id) + " changed in the database since it was planned (" + changed
                        + "); nothing was written. Run the import again to plan against the current data");
            }
        }
        // rows that set the same columns go together: through a staging table where the database has a
        // bulk path, else in one batch of UPDATE statements
        Map<String, List<Object[]>> groups = new LinkedHashMap<>();
        for (ObjectNode u : updates) {
            long id = u.get("id").asLong();
            Map<String, Object> set = deferred.resolveValues(spec, parsed.get(u), resolved, id);
            if (!set.isEmpty()) {
                groups.computeIfAbsent(String.join(",", set.keySet()), k -> new ArrayList<>()).add(new Object[] {id, set});
            }
        }
        for (List<Object[]> group : groups.values()) {
            @SuppressWarnings("unchecked")
            List<String> cols = new ArrayList<>(((Map<String, Object>) group.get(0)[1]).keySet());
            if (updateWriter == null) {
                updateWriter = new UpdateWriter(handle, dialect, inserter.bulk(), timer);
            }
            updateWriter.write(spec, cols, group);
        }
        for (ObjectNode u : updates) {
            ObjectNode t = JSON.objectNode();
            t.put("table", spec.name());
            t.put("op", "update");
            t.put("id", u.get("id").asLong());
            t.set("pre", u.get("pre"));
            touched.write(t);
        }
    }

    /** Fills in rows an earlier file of the same batch inserted (they have no pre-image: rollback removes them). */
    private void applyMerges(TableSpec spec, List<ObjectNode> merges, Map<Ref, Long> resolved) throws IOException {
        List<List<Object>> tuples = new ArrayList<>();
        for (ObjectNode m : merges) {
            tuples.add(RowStore.canonicalKey(spec, RowCodec.read(store.catalog(), spec, m.get("key")), resolved));
        }
        Map<String, Long> ids = store.idsByTuple(spec, tuples);
        for (int i = 0; i < merges.size(); i++) {
            Long id = ids.get(RowStore.tuple(tuples.get(i)));
            if (id == null) {
                throw new IllegalStateException(spec.noun() + " planned as created earlier in this run was not found");
            }
            Map<String, Object> set = deferred.resolveValues(spec, parsed.get(merges.get(i)), resolved, id);
            if (!set.isEmpty()) {
                touched.changedAfterInsert(spec.name() + "#" + id);
                RowIds.bind(handle.createUpdate("UPDATE " + spec.name() + " SET " + String.join(", ", set.keySet().stream().map(c -> c + " = :" + c).toList())
                        + " WHERE " + RowIds.whereOne(spec, "row__")).bindMap(set), spec, "row__", id).execute();
            }
        }
    }

    /** Writes the snapshot's changes file; see {@link TouchedRows#writeChanges}. */
    void writeChanges(RowStore store, JsonLines.Writer changes) throws IOException {
        touched.writeChanges(store, changes);
    }
}
