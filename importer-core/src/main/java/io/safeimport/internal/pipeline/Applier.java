package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.ProgressListener;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Dialect;
import io.safeimport.internal.db.BulkWriter;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.Keys;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.ColumnType;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Executes a plan inside the caller's transaction: per table in dependency order, updates (after
 * checking under row lock that each row is still exactly as planned) and plain inserts (a key that
 * appeared since planning breaks the unique index: drift), then the references that pointed at
 * rows inserted later in the run. Never deletes; writes only the columns the plan changes. Every
 * row written is listed in the {@code touched} file for the snapshot's post-images; a row loaded by
 * the database's bulk path ({@code LOAD DATA}, {@code COPY}) carries its post-image there already,
 * read back right after its statement.
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
    private final JsonLines.Writer touched;
    private final JsonLines.Writer deferred;
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
    /** The bulk path for new rows, asked for at the first insert; {@code null} when the database has none. */
    private BulkWriter bulk;
    private boolean bulkChecked;
    /** Writes changed rows, created at the first update. */
    private UpdateWriter updateWriter;
    /**
     * Rows this run inserted and then changed again (an earlier file's new row filled in by a merge),
     * as {@code table#id}: their post-image read at insert time is stale, so {@link #writeChanges}
     * reads them again. Rows whose references are set afterwards never get one at insert time.
     */
    private final Set<String> changedAfterInsert = new HashSet<>();

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
        this.touched = JsonLines.write(work.resolve("touched.jsonl.gz"));
        this.deferred = JsonLines.write(work.resolve("deferred.jsonl.gz"));
    }

    Path touchedFile() {
        return work.resolve("touched.jsonl.gz");
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
        applyDeferred();
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
        long t0 = System.nanoTime();
        if (!updates.isEmpty()) {
            applyUpdates(spec, updates, resolved);
        }
        long t1 = System.nanoTime();
        if (!inserts.isEmpty()) {
            applyInserts(spec, inserts, resolved);
        }
        timer.add("apply.update", t1 - t0);
        timer.add("apply.insert", System.nanoTime() - t1);
        if (!merges.isEmpty()) {
            applyMerges(spec, merges, store.resolve(all));
        }
        done += chunk.size();
        progress.progress("apply", done, total);
    }

    private void applyUpdates(TableSpec spec, List<ObjectNode> updates, Map<Ref, Long> resolved) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (ObjectNode u : updates) {
            ids.add(u.get("id").asLong());
        }
        Map<Long, Map<String, Object>> now = store.rowsById(spec, ids, true);
        for (ObjectNode u : updates) {
            long id = u.get("id").asLong();
            Map<String, Object> pre = RowCodec.read(store.catalog(), spec, u.get("pre"));
            Map<String, Object> cur = now.get(id);
            String changed = cur == null ? "it was deleted" : firstDifference(spec, pre, cur);
            if (changed != null) {
                throw new SafeImportException(ExitCode.REFUSED, u.get("file").asText() + ":" + u.get("line").asLong()
                        + ": " + spec.noun() + " #" + id + " changed in the database since it was planned (" + changed
                        + "); nothing was written. Run the import again to plan against the current data");
            }
        }
        // rows that set the same columns go together: through a staging table where the database has a
        // bulk path, else in one batch of UPDATE statements
        Map<String, List<Object[]>> groups = new LinkedHashMap<>();
        for (ObjectNode u : updates) {
            long id = u.get("id").asLong();
            Map<String, Object> set = resolveValues(spec, parsed.get(u), resolved, id);
            if (!set.isEmpty()) {
                groups.computeIfAbsent(String.join(",", set.keySet()), k -> new ArrayList<>()).add(new Object[] {id, set});
            }
        }
        for (List<Object[]> group : groups.values()) {
            @SuppressWarnings("unchecked")
            List<String> cols = new ArrayList<>(((Map<String, Object>) group.get(0)[1]).keySet());
            if (updateWriter == null) {
                updateWriter = new UpdateWriter(handle, dialect, bulk(), timer);
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

    /** Fewest rows worth a staging table: below this, creating and dropping it costs more than the statements. */
    private static final int STAGE_MIN_ROWS = 50;

    /**
     * Writes groups of changed rows that set the same columns (each element {@code {id, Map column -> value}}):
     * through a staging table ({@link BulkWriter#updateById}) for groups of {@link #STAGE_MIN_ROWS} or more
     * where the database offers one, else with a batch of UPDATE statements. Once the database refuses the
     * staging table, the rest of the run uses statements. Shared by imports and rollback's restore.
     */
    static final class UpdateWriter {
        private final Handle handle;
        private final Dialect dialect;
        private final StepTimer timer;
        private BulkWriter bulk;

        /** @param bulk the database's bulk path, or {@code null} when it has none */
        UpdateWriter(Handle handle, Dialect dialect, BulkWriter bulk,
                     StepTimer timer) {
            this.handle = handle;
            this.dialect = dialect;
            this.bulk = bulk;
            this.timer = timer;
        }

        void write(TableSpec spec, List<String> cols, List<Object[]> group) {
            if (bulk != null && group.size() >= STAGE_MIN_ROWS) {
                if (stageUpdates(bulk, dialect, spec, cols, group, timer) != null) {
                    return;
                }
                bulk = null; // the database refused the staging table: statements from now on
            }
            updateStatements(handle, dialect, spec, cols, group, timer);
        }
    }

    /**
     * Updates rows by id through {@code bulk}'s staging table; {@code null} when the database refused
     * the staging table (nothing changed). Refuses the run when the server did not take every row as
     * given or the update did not find every row.
     */
    private static BulkWriter.Updated stageUpdates(BulkWriter bulk, Dialect dialect, TableSpec spec, List<String> cols,
                                                   List<Object[]> group, StepTimer timer) {
        List<ColumnSpec> columns = cols.stream().map(spec::requireColumn).toList();
        List<Object[]> rows = new ArrayList<>(group.size());
        for (Object[] g : group) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) g[1];
            Object[] row = new Object[columns.size() + 1];
            row[0] = g[0];
            for (int i = 0; i < columns.size(); i++) {
                row[i + 1] = columns.get(i).type().canonical(values.get(cols.get(i)));
            }
            rows.add(row);
        }
        BulkWriter.Updated updated;
        long t = System.nanoTime();
        try {
            updated = bulk.updateById(spec, columns, rows);
        } catch (SQLException e) {
            if (DbErrors.isDataError(e)) {
                throw valueRefused(dialect, spec, cols, group, e);
            }
            throw new IllegalStateException("updating " + spec.name() + " rows failed: " + DbErrors.rootMessage(e), e);
        } finally {
            timer.add("apply.update.staged", System.nanoTime() - t);
        }
        if (updated != null && (updated.staged() != rows.size() || updated.matched() != rows.size() || updated.warning() != null)) {
            throw new SafeImportException(ExitCode.REFUSED, "the database did not take the new values of " + rows.size() + " "
                    + spec.name() + " rows as given (" + (updated.warning() != null ? updated.warning()
                    : updated.staged() + " staged, " + updated.matched() + " matched") + "); nothing was written");
        }
        return updated;
    }

    /** Updates a group of rows that set the same columns with one batch of UPDATE statements; see {@link UpdateWriter}. */
    private static void updateStatements(Handle handle, Dialect dialect, TableSpec spec, List<String> cols,
                                 List<Object[]> group,
                                 StepTimer timer) {
        long t = System.nanoTime();
        PreparedBatch b = handle.prepareBatch("UPDATE " + spec.name() + " SET "
                + String.join(", ", cols.stream().map(c -> c + " = :" + c).toList()) + " WHERE " + spec.id() + " = :id");
        for (Object[] g : group) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) g[1];
            for (String c : cols) {
                bind(b, spec.requireColumn(c), values.get(c));
            }
            b.bind("id", (Long) g[0]).add();
        }
        try {
            b.execute();
        } catch (RuntimeException e) {
            if (DbErrors.isDataError(e)) {
                throw valueRefused(dialect, spec, cols, group, e);
            }
            throw e;
        }
        timer.add("apply.update.statements", System.nanoTime() - t);
    }

    /**
     * The refusal of a value a batch of statements or a bulk load wrote ({@code group}: elements whose second is
     * the row's {@code Map column -> value}), naming the column where the database's words do not
     * ({@link Dialect#refusedColumns}).
     */
    private static SafeImportException valueRefused(Dialect dialect, TableSpec spec, List<String> cols,
                                                    List<Object[]> group, Exception e) {
        String detail = DbErrors.rootMessage(e);
        Map<String, Integer> longest = new LinkedHashMap<>();
        for (Object[] g : group) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) g[1];
            for (String c : cols) {
                if (values.get(c) instanceof String text) {
                    longest.merge(c, text.codePointCount(0, text.length()), Math::max);
                }
            }
        }
        return DbErrors.valueRefused(spec.name(), detail, dialect.refusedColumns(detail, longest), e);
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
            Map<String, Object> set = resolveValues(spec, parsed.get(merges.get(i)), resolved, id);
            if (!set.isEmpty()) {
                changedAfterInsert.add(spec.name() + "#" + id);
                handle.createUpdate("UPDATE " + spec.name() + " SET " + String.join(", ", set.keySet().stream().map(c -> c + " = :" + c).toList())
                        + " WHERE " + spec.id() + " = :id").bindMap(set).bind("id", id).execute();
            }
        }
    }

    /**
     * Inserts a chunk's new rows. Where a table references itself (a user's manager) and a row's
     * target is another new row of the same chunk, the target goes in first, in an earlier
     * statement, so the reference is written with the row instead of by a second UPDATE of it
     * afterwards: files commonly name a manager a few lines after their reports. Only targets in a
     * later chunk are left to {@link #applyDeferred}.
     */
    private void applyInserts(TableSpec spec, List<ObjectNode> inserts, Map<Ref, Long> resolved) throws IOException {
        String self = spec.selfReference();
        if (self == null) {
            insertRows(spec, inserts, resolved);
            return;
        }
        Map<String, ObjectNode> byKey = new HashMap<>();
        for (ObjectNode in : inserts) {
            byKey.put(Keys.of(spec, parsed.get(in)), in);
        }
        // each row's target among this chunk's new rows, found once
        Map<ObjectNode, ObjectNode> targetOf = new IdentityHashMap<>();
        for (ObjectNode in : inserts) {
            if (parsed.get(in).get(self) instanceof Ref r && !resolved.containsKey(r)) {
                ObjectNode target = byKey.get(Keys.of(r));
                if (target != null && target != in) {
                    targetOf.put(in, target);
                }
            }
        }
        Map<Ref, Long> known = new HashMap<>(resolved);
        List<ObjectNode> pending = inserts;
        int rounds = 0;
        while (!pending.isEmpty()) {
            Set<ObjectNode> pendingSet = Collections.newSetFromMap(new IdentityHashMap<>());
            pendingSet.addAll(pending);
            Set<ObjectNode> waiting = Collections.newSetFromMap(new IdentityHashMap<>());
            for (ObjectNode in : pending) {
                ObjectNode target = targetOf.get(in);
                if (target != null && pendingSet.contains(target)) {
                    waiting.add(in);
                }
            }
            List<ObjectNode> ready = new ArrayList<>();
            List<ObjectNode> later = new ArrayList<>();
            for (ObjectNode in : pending) {
                (waiting.contains(in) ? later : ready).add(in);
            }
            if (ready.isEmpty() || ++rounds > SELF_REFERENCE_ROUNDS) {
                // a cycle inside the chunk leaves nothing ready (planning rejects those), and a chain deeper than
                // a management hierarchy (a file listing each row's manager after it) would take one statement
                // per row: the rest go in together and their references are set afterwards, in one pass
                ready = pending;
                later = List.of();
            }
            Map<ObjectNode, Long> ids = insertRows(spec, ready, known);
            for (ObjectNode in : later) {
                ObjectNode target = targetOf.get(in);
                Long id = target == null ? null : ids.get(target);
                if (id != null) {
                    known.put((Ref) parsed.get(in).get(self), id);
                }
            }
            pending = later;
        }
    }

    /**
     * How many statements a chunk's new rows of a self-referencing table may take so that each
     * reference is written with its row (a hierarchy this deep, manager of manager, ...); the rows
     * of a deeper chain get theirs from {@link #applyDeferred}.
     */
    static final int SELF_REFERENCE_ROUNDS = 8;

    /** Inserts rows (through {@link #loadRows} or multi-row INSERTs); returns each row's generated id. */
    private Map<ObjectNode, Long> insertRows(TableSpec spec, List<ObjectNode> inserts, Map<Ref, Long> resolved) throws IOException {
        Map<ObjectNode, Long> generated = new IdentityHashMap<>();
        Map<String, List<Object[]>> groups = new LinkedHashMap<>();
        for (ObjectNode in : inserts) {
            Map<String, Object> values = resolveValues(spec, parsed.get(in), resolved, -1);
            // a reference left out (its row is inserted later in the run) is filled in afterwards
            boolean deferred = values.size() < parsed.get(in).size();
            // every column, in table order: one statement shape per table, so one multi-row INSERT per chunk
            Map<String, Object> row = new LinkedHashMap<>();
            for (ColumnSpec c : spec.columns()) {
                if (values.containsKey(c.name())) {
                    row.put(c.name(), values.get(c.name()));
                } else if (c.nullable()) {
                    row.put(c.name(), null);
                } else if (c.defaultValue() != null) {
                    row.put(c.name(), c.defaultValue());
                }
            }
            values = row;
            groups.computeIfAbsent(String.join(",", values.keySet()), k -> new ArrayList<>()).add(new Object[] {in, values, deferred});
        }
        for (List<Object[]> group : groups.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> first = (Map<String, Object>) group.get(0)[1];
            List<String> cols = new ArrayList<>(first.keySet());
            List<Map<String, Object>> posts = new ArrayList<>(group.size());
            List<Long> ids = loadRows(spec, cols, group, posts);
            if (ids == null) {
                ids = insertStatements(spec, cols, group);
                posts = null;
            }
            if (ids.size() != group.size()) {
                throw new IllegalStateException("the driver returned " + ids.size() + " generated ids for " + group.size() + " rows");
            }
            for (int i = 0; i < group.size(); i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> values = (Map<String, Object>) group.get(i)[1];
                long id = ids.get(i);
                List<Object> key = new ArrayList<>();
                for (String k : spec.key()) {
                    key.add(values.get(k));
                }
                store.inserted(spec, key, id);
                ObjectNode in = (ObjectNode) group.get(i)[0];
                generated.put(in, id);
                if (byChunk) {
                    chunkIds.put(Keys.of(spec, parsed.get(in)), id);
                }
                boolean deferredRefs = (Boolean) group.get(i)[2];
                if (deferredRefs) {
                    writeDeferred(spec, id, parsed.get(in), resolved);
                }
                ObjectNode t = JSON.objectNode();
                t.put("table", spec.name());
                t.put("op", "insert");
                t.put("id", id);
                // as stored now; a row whose references are set afterwards is read again at the end
                if (posts != null && posts.get(i) != null && !deferredRefs) {
                    t.set("post", RowCodec.row(spec, posts.get(i)));
                }
                touched.write(t);
            }
        }
        return generated;
    }

    /** Inserts a group of rows with one multi-row INSERT (rewritten batch); returns their generated ids in order. */
    private List<Long> insertStatements(TableSpec spec, List<String> cols, List<Object[]> group) {
        PreparedBatch b = handle.prepareBatch("INSERT INTO " + spec.name() + " (" + String.join(", ", cols) + ") VALUES ("
                + String.join(", ", cols.stream().map(c -> ":" + c).toList()) + ")");
        for (Object[] g : group) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) g[1];
            for (String c : cols) {
                bind(b, spec.requireColumn(c), values.get(c));
            }
            b.add();
        }
        try {
            return timer.time("apply.insert.execute", () -> b.executePreparedBatch(spec.id()).mapTo(Long.class).list());
        } catch (RuntimeException e) {
            if (DbErrors.isDataError(e)) {
                throw valueRefused(dialect, spec, cols, group, e);
            }
            if (DbErrors.isConstraintViolation(e)) {
                throw drift(spec, DbErrors.rootMessage(e), e);
            }
            throw e;
        }
    }

    /**
     * Loads a group of rows through the database's bulk path ({@link BulkWriter}: {@code LOAD DATA
     * LOCAL INFILE}, {@code COPY}); returns their ids in order, or {@code null} when there is no such
     * path (then the caller inserts with INSERT statements). The server must take every row without a
     * warning, or the run is refused (MySQL's LOCAL turns a duplicate key into a skipped row and a
     * warning). Ids are read back by key: from the id range the server reports, and by key lookup for
     * any row outside it, so they are right whatever the server's auto-increment lock mode. The range is
     * read whole, every column: {@code posts} receives each row as stored (its snapshot post-image,
     * read while its pages are still in the server's buffer pool), or {@code null} for a row found
     * outside the range.
     */
    private List<Long> loadRows(TableSpec spec, List<String> cols, List<Object[]> group, List<Map<String, Object>> posts) {
        if (bulk() == null) {
            return null;
        }
        List<ColumnSpec> columns = cols.stream().map(spec::requireColumn).toList();
        List<Object[]> rows = new ArrayList<>(group.size());
        List<String> keys = new ArrayList<>(group.size());
        List<List<Object>> tuples = new ArrayList<>(group.size());
        for (Object[] g : group) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) g[1];
            Object[] row = new Object[columns.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = columns.get(i).type().canonical(values.get(cols.get(i)));
            }
            rows.add(row);
            List<Object> key = new ArrayList<>(spec.key().size());
            for (String k : spec.key()) {
                key.add(spec.requireColumn(k).type().canonical(values.get(k)));
            }
            tuples.add(key);
            keys.add(RowStore.tuple(key));
        }
        BulkWriter.Loaded loaded;
        long t = System.nanoTime();
        try {
            loaded = bulk.load(spec, columns, rows);
        } catch (UncheckedIOException e) {
            bulk = null; // the rows could not be written for the server to read (before any statement): INSERT statements from now on
            return null;
        } catch (SQLException e) {
            if (bulk.refused(e)) {
                bulk = null; // the server refused the bulk path before reading a row: INSERT statements from now on
                return null;
            }
            if (DbErrors.isDataError(e)) {
                throw valueRefused(dialect, spec, cols, group, e);
            }
            if (DbErrors.isConstraintViolation(e)) {
                throw drift(spec, DbErrors.rootMessage(e), e);
            }
            throw new IllegalStateException("loading new " + spec.name() + " rows failed", e);
        } finally {
            timer.add("apply.insert.load", System.nanoTime() - t);
        }
        if (loaded.valueWarning()) {
            // LOCAL turns a value the column cannot hold into a warning and a truncated value: not someone else's write
            throw DbErrors.valueRefused(spec.name(), loaded.warning(), null);
        }
        if (loaded.rows() != rows.size() || loaded.warning() != null) {
            throw drift(spec, loaded.warning() != null ? loaded.warning()
                    : "the database took " + loaded.rows() + " of " + rows.size() + " rows", null);
        }
        Map<String, Map<String, Object>> inRange = timer.time("apply.insert.ids",
                () -> store.rowsInRange(spec, loaded.firstId(), loaded.lastId()));
        List<List<Object>> outside = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!inRange.containsKey(keys.get(i))) {
                outside.add(tuples.get(i));
            }
        }
        Map<String, Long> found = outside.isEmpty() ? Map.of() : store.idsByTuple(spec, outside);
        List<Long> ids = new ArrayList<>(keys.size());
        for (String k : keys) {
            Map<String, Object> row = inRange.get(k);
            Long id = row != null ? (Long) row.get("id") : found.get(k);
            if (id == null) {
                throw new IllegalStateException(spec.noun() + " " + k + " was loaded but is not found by its key");
            }
            ids.add(id);
            posts.add(row);
        }
        return ids;
    }

    /** The bulk path for rows, asked for once; {@code null} when the database has none (or refused it since). */
    private BulkWriter bulk() {
        if (!bulkChecked) {
            bulkChecked = true;
            bulk = dialect.bulkWriter(handle);
        }
        return bulk;
    }

    private static SafeImportException drift(TableSpec spec, String detail, Exception cause) {
        return new SafeImportException(ExitCode.REFUSED, "a " + spec.noun() + " planned as new now exists in the database ("
                + detail + "): someone wrote to " + spec.name() + " since it was planned; nothing was written. Run the import again", cause);
    }

    /**
     * Replaces references by ids. A nullable reference whose row does not exist yet (inserted later
     * in this run) is left out here and filled in by {@link #applyDeferred}; for an update it is
     * recorded at once, for an insert after the id is known.
     */
    private Map<String, Object> resolveValues(TableSpec spec, Map<String, Object> values, Map<Ref, Long> resolved, long updateId)
            throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getValue() instanceof Ref r) {
                Long id = resolved.get(r);
                if (id != null) {
                    out.put(e.getKey(), id);
                } else if (!spec.requireColumn(e.getKey()).nullable()) {
                    throw new SafeImportException(ExitCode.REJECTED, spec.noun() + " refers to " + store.catalog().table(r.table()).noun()
                            + " " + r.display() + " which this run did not create (its row was rejected); nothing was written");
                } else if (updateId >= 0) {
                    deferred(spec, updateId, e.getKey(), r);
                }
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private void writeDeferred(TableSpec spec, long id, Map<String, Object> values, Map<Ref, Long> resolved) throws IOException {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getValue() instanceof Ref r && !resolved.containsKey(r)) {
                deferred(spec, id, e.getKey(), r);
            }
        }
    }

    private void deferred(TableSpec spec, long id, String column, Ref r) throws IOException {
        ObjectNode d = JSON.objectNode();
        d.put("table", spec.name());
        d.put("id", id);
        d.put("column", column);
        d.set("ref", RowCodec.ref(store.catalog(), r));
        deferred.write(d);
    }

    private void applyDeferred() throws IOException {
        JsonLines.forEachChunk(work.resolve("deferred.jsonl.gz"), CHUNK, this::applyDeferredChunk);
    }

    private void applyDeferredChunk(List<ObjectNode> chunk) {
        Set<Ref> refs = new HashSet<>();
        for (ObjectNode d : chunk) {
            refs.add(RowCodec.readRef(store.catalog(), d.get("ref")));
        }
        Map<Ref, Long> resolved = timer.time("apply.deferred.resolve", () -> store.resolve(refs));
        Map<String, Map<Long, Long>> byColumn = new LinkedHashMap<>();
        for (ObjectNode d : chunk) {
            Ref ref = RowCodec.readRef(store.catalog(), d.get("ref"));
            Long target = resolved.get(ref);
            TableSpec spec = store.catalog().table(d.get("table").asText());
            ColumnSpec column = spec.requireColumn(d.get("column").asText());
            if (target == null) {
                throw new SafeImportException(ExitCode.REJECTED, spec.noun() + " #" + d.get("id").asLong() + ": "
                        + store.catalog().table(ref.table()).noun() + " " + ref.display()
                        + " was not created by this run (its row was rejected); nothing was written");
            }
            byColumn.computeIfAbsent(spec.name() + "." + column.name(), k -> new LinkedHashMap<>()).put(d.get("id").asLong(), target);
        }
        for (Map.Entry<String, Map<Long, Long>> e : byColumn.entrySet()) {
            String[] tc = e.getKey().split("\\.");
            timer.run("apply.deferred.set", () -> dialect.setReferences(handle, store.catalog().table(tc[0]), tc[1], e.getValue()));
        }
    }

    /**
     * Binds by the column's Java type, nulls included: a prepared batch fixes each parameter's type
     * from its first row, so a typed null keeps later rows with values bindable.
     */
    static void bind(PreparedBatch b, ColumnSpec c, Object value) {
        b.bindByType(c.name(), c.type().canonical(value), javaType(c.type()));
    }

    static Class<?> javaType(ColumnType type) {
        return switch (type) {
            case TEXT -> String.class;
            case INTEGER -> Integer.class;
            case BIGINT -> Long.class;
            case DATETIME -> LocalDateTime.class;
            case DECIMAL -> BigDecimal.class;
            case DATE -> LocalDate.class;
            case BOOLEAN -> Boolean.class;
            case ID -> Long.class;
        };
    }

    /** The first column whose value differs, as {@code "title"}, or {@code null} when the rows are the same. */
    static String firstDifference(TableSpec spec, Map<String, Object> a, Map<String, Object> b) {
        for (ColumnSpec c : spec.columns()) {
            if (!c.type().same(a.get(c.name()), b.get(c.name()))) {
                return c.name() + " is now " + (b.get(c.name()) == null ? "empty" : "\"" + b.get(c.name()) + "\"");
            }
        }
        return null;
    }

    /**
     * Writes the snapshot's changes file: every touched row with its pre-image and its post-image as
     * stored now. Rows that carry a post-image from their insert and were not changed since keep it;
     * the others are read by id, a chunk at a time.
     */
    void writeChanges(RowStore store, JsonLines.Writer changes) throws IOException {
        JsonLines.forEachChunk(touchedFile(), CHUNK, chunk -> {
            Map<String, List<Long>> toRead = new LinkedHashMap<>();
            boolean[] read = new boolean[chunk.size()];
            for (int i = 0; i < chunk.size(); i++) {
                ObjectNode t = chunk.get(i);
                read[i] = !t.has("post") || changedAfterInsert.contains(t.get("table").asText() + "#" + t.get("id").asLong());
                if (read[i]) {
                    toRead.computeIfAbsent(t.get("table").asText(), k -> new ArrayList<>()).add(t.get("id").asLong());
                }
            }
            Map<String, Map<Long, Map<String, Object>>> rows = new LinkedHashMap<>();
            toRead.forEach((table, ids) -> rows.put(table, store.rowsById(store.catalog().table(table), ids, false)));
            for (int i = 0; i < chunk.size(); i++) {
                ObjectNode t = chunk.get(i);
                if (read[i]) {
                    TableSpec spec = store.catalog().table(t.get("table").asText());
                    Map<String, Object> post = rows.get(spec.name()).get(t.get("id").asLong());
                    if (post == null) {
                        throw new IllegalStateException(spec.name() + " #" + t.get("id").asLong() + " vanished inside the transaction");
                    }
                    t.set("post", RowCodec.row(spec, post));
                }
                changes.write(t);
            }
        });
    }
}
