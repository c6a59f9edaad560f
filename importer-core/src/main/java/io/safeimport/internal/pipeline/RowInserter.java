package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.BulkWriter;
import io.safeimport.internal.db.Dialect;
import io.safeimport.internal.plan.Keys;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowIds;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Inserts a chunk's new rows for {@link Applier}: through the database's bulk path ({@code LOAD
 * DATA}, {@code COPY}) where it has one, else with multi-row INSERTs; a self-referencing table's rows
 * ordered so that each reference is written with its row where it can be; each new row's id recorded
 * for the rows after it and its post-image, when read, for the snapshot. Separate from {@link Applier}
 * because new rows take most of an import's writing code, and none of it concerns updates.
 */
final class RowInserter {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Handle handle;
    private final Dialect dialect;
    private final RowStore store;
    private final StepTimer timer;
    private final boolean byChunk;
    /** The applier's ids of rows the current chunk knows by key, in chunk order ({@link Applier}). */
    private final Map<String, Long> chunkIds;
    /** The applier's values of the current chunk's entries, decoded once. */
    private final Map<ObjectNode, Map<String, Object>> parsed;
    private final TouchedRows touched;
    private final DeferredReferences deferred;
    /** The bulk path for new rows, asked for at the first insert; {@code null} when the database has none. */
    private BulkWriter bulk;
    private boolean bulkChecked;

    RowInserter(Handle handle, Dialect dialect, RowStore store, StepTimer timer, boolean byChunk, Map<String, Long> chunkIds,
                Map<ObjectNode, Map<String, Object>> parsed, TouchedRows touched, DeferredReferences deferred) {
        this.handle = handle;
        this.dialect = dialect;
        this.store = store;
        this.timer = timer;
        this.byChunk = byChunk;
        this.chunkIds = chunkIds;
        this.parsed = parsed;
        this.touched = touched;
        this.deferred = deferred;
    }

    /**
     * Inserts a chunk's new rows. Where a table references itself (a user's manager) and a row's
     * target is another new row of the same chunk, the target goes in first, in an earlier
     * statement, so the reference is written with the row instead of by a second UPDATE of it
     * afterwards: files commonly name a manager a few lines after their reports. Only targets in a
     * later chunk are left to {@link DeferredReferences#applyDeferred}.
     */
    void applyInserts(TableSpec spec, List<ObjectNode> inserts, Map<Ref, Long> resolved) throws IOException {
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
     * of a deeper chain get theirs from {@link DeferredReferences#applyDeferred}.
     */
    static final int SELF_REFERENCE_ROUNDS = 8;

    /** Inserts rows (through {@link #loadRows} or multi-row INSERTs); returns each row's generated id. */
    private Map<ObjectNode, Long> insertRows(TableSpec spec, List<ObjectNode> inserts, Map<Ref, Long> resolved) throws IOException {
        Map<ObjectNode, Long> generated = new IdentityHashMap<>();
        for (List<Object[]> group : groups(spec, inserts, resolved).values()) {
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
                    deferred.writeDeferred(spec, id, parsed.get(in), resolved);
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

    /**
     * The rows to insert, each {@code {entry, Map column -> value, whether a reference was left out}},
     * grouped by the columns they set, references replaced by ids.
     */
    private Map<String, List<Object[]>> groups(TableSpec spec, List<ObjectNode> inserts, Map<Ref, Long> resolved) throws IOException {
        Map<String, List<Object[]>> groups = new LinkedHashMap<>();
        for (ObjectNode in : inserts) {
            Map<String, Object> values = deferred.resolveValues(spec, parsed.get(in), resolved, -1);
            // a reference left out (its row is inserted later in the run) is filled in afterwards
            boolean deferredRefs = values.size() < parsed.get(in).size();
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
            groups.computeIfAbsent(String.join(",", values.keySet()), k -> new ArrayList<>()).add(new Object[] {in, values, deferredRefs});
        }
        return groups;
    }

    /** Inserts a group of rows with one multi-row INSERT (rewritten batch); returns their generated ids in order. */
    private List<Long> insertStatements(TableSpec spec, List<String> cols, List<Object[]> group) {
        PreparedBatch b = handle.prepareBatch("INSERT INTO " + spec.name() + " (" + String.join(", ", cols) + ") VALUES ("
                + String.join(", ", cols.stream().map(c -> ":" + c).toList()) + ")");
        for (Object[] g : group) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) g[1];
            for (String c : cols) {
                ColumnValues.bind(b, spec.requireColumn(c), values.get(c));
            }
            b.add();
        }
        try {
            if (spec.keyed()) {
                // the rows' keys are their primary key: nothing is generated, each id is its key's fingerprint
                timer.run("apply.insert.execute", b::execute);
                List<Long> ids = new ArrayList<>(group.size());
                for (Object[] g : group) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> values = (Map<String, Object>) g[1];
                    ids.add(RowIds.ofRow(spec, values));
                }
                return ids;
            }
            return timer.time("apply.insert.execute", () -> b.executePreparedBatch(spec.id()).mapTo(Long.class).list());
        } catch (RuntimeException e) {
            if (DbErrors.isDataError(e)) {
                throw DbErrors.valueRefused(dialect, spec, cols, group, e);
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
        if (spec.keyed() || bulk() == null) {
            return null; // the bulk path reads new rows back by their id range, which a natural primary key has not
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
                throw DbErrors.valueRefused(dialect, spec, cols, group, e);
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
        return idsByKey(spec, loaded, keys, tuples, posts);
    }

    /**
     * The ids of rows just loaded, in order: from the id range the server reported, read whole (each
     * row as stored goes to {@code posts}), and by key lookup for any row outside it ({@code null} in
     * {@code posts}).
     */
    private List<Long> idsByKey(TableSpec spec, BulkWriter.Loaded loaded, List<String> keys, List<List<Object>> tuples,
                                List<Map<String, Object>> posts) {
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

    /** The bulk path for rows, asked for once, also by updates; {@code null} when the database has none (or refused it since). */
    BulkWriter bulk() {
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
}
