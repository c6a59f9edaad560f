package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ProgressListener;
import io.safeimport.api.RollbackResult;
import io.safeimport.internal.audit.AuditLog;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowIds;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Step 3 of a rollback, the restore: the rows the run deleted inserted again with their ids, and
 * the pre-images of the rows it updated written back (through {@link UpdateWriter}, as an
 * import writes its updates). Separate from {@link Rollback} because it is the rollback's writer of
 * rows, with its own ordering of parents, children and references; the run's new rows are removed
 * by {@link RemoveWriter}.
 */
final class RestoreWriter {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int CHUNK = Rollback.CHUNK;

    private final Catalog catalog;
    private final Database db;
    private final ProgressListener progress;

    RestoreWriter(Catalog catalog, Database db, ProgressListener progress) {
        this.catalog = catalog;
        this.db = db;
        this.progress = progress;
    }

    /** Puts back the rows the run deleted and the pre-images of the rows it updated, counting them in {@code result}. */
    void restore(RowStore store, Path changes, RollbackResult result, AuditLog audit, long total) throws IOException {
        // 1. rows the original run deleted come back first, parents before children, with their
        //    nullable references left empty (they may point at rows not yet back);
        // 2. then every pre-image is restored, whole (references included: everything exists again);
        // 3. then the references of the re-inserted rows are filled in.
        List<ObjectNode> refsLater = reinsertDeleted(store, changes, result, total);
        restoreUpdated(store, changes, result, audit, total);
        for (ObjectNode s : refsLater) {
            TableSpec spec = catalog.table(s.get("table").asText());
            Map<String, Object> set = RowCodec.read(catalog, spec, s.get("set"));
            long id = (Long) set.remove("id");
            updateAll(store.handle(), spec, id, set);
        }
    }

    /**
     * Re-inserts the rows the run deleted, parents before children, their nullable references left
     * empty; returns those references, to be set once every row is back.
     */
    private List<ObjectNode> reinsertDeleted(RowStore store, Path changes, RollbackResult result, long total) throws IOException {
        List<ObjectNode> refsLater = new ArrayList<>();
        for (TableSpec spec : catalog.tables()) {
            JsonLines.forEachChunk(changes, CHUNK, chunk -> {
                for (ObjectNode n : chunk) {
                    if (!n.get("table").asText().equals(spec.name()) || !"delete".equals(n.get("op").asText())) {
                        continue;
                    }
                    Map<String, Object> row = RowCodec.read(catalog, spec, n.get("pre"));
                    Map<String, Object> later = new LinkedHashMap<>();
                    for (ColumnSpec c : spec.columns()) {
                        if (c.isReference() && c.nullable() && row.get(c.name()) != null) {
                            later.put(c.name(), row.get(c.name()));
                            row.put(c.name(), null);
                        }
                    }
                    insertWithId(store.handle(), spec, row);
                    if (!later.isEmpty()) {
                        ObjectNode s = JSON.objectNode();
                        s.put("table", spec.name());
                        s.set("set", RowCodec.values(catalog, spec, withId(later, n.get("id").asLong())));
                        refsLater.add(s);
                    }
                    result.table(spec.name()).restored(1);
                }
                progress.progress("restore", restored(result), total);
            });
            store.forget(spec);
        }
        return refsLater;
    }

    /** Writes back the pre-images of the rows the run updated. */
    private void restoreUpdated(RowStore store, Path changes, RollbackResult result, AuditLog audit, long total) throws IOException {
        // pre-images of updated rows, a chunk at a time, rows that set the same columns together: through a
        // staging table where the database offers LOAD DATA, else in batches of UPDATE statements
        StepTimer timer = new StepTimer();
        UpdateWriter updates = new UpdateWriter(store.handle(), db.dialect(), db.dialect().bulkWriter(store.handle()), timer);
        JsonLines.forEachChunk(changes, Applier.CHUNK, chunk -> {
            Map<TableSpec, Map<String, List<Object[]>>> groups = new LinkedHashMap<>();
            for (ObjectNode n : chunk) {
                if ("update".equals(n.get("op").asText())) {
                    TableSpec spec = catalog.table(n.get("table").asText());
                    Map<String, Object> values = RowCodec.read(catalog, spec, n.get("pre"));
                    values.remove("id");
                    if (spec.keyed()) {
                        spec.key().forEach(values::remove); // they name the row; an import never changes them
                    }
                    if (!values.isEmpty()) {
                        groups.computeIfAbsent(spec, t -> new LinkedHashMap<>()).computeIfAbsent(String.join(",", values.keySet()),
                                k -> new ArrayList<>()).add(new Object[] {n.get("id").asLong(), values});
                    }
                    result.table(spec.name()).restored(1);
                }
            }
            for (Map.Entry<TableSpec, Map<String, List<Object[]>>> t : groups.entrySet()) {
                for (List<Object[]> group : t.getValue().values()) {
                    @SuppressWarnings("unchecked")
                    List<String> cols = new ArrayList<>(((Map<String, Object>) group.get(0)[1]).keySet());
                    updates.write(t.getKey(), cols, group);
                }
            }
            progress.progress("restore", restored(result), total);
        });
        audit.event("restore", "updates " + timer);
    }

    private static long restored(RollbackResult result) {
        return result.tables().values().stream().mapToLong(RollbackResult.TableCounts::restored).sum();
    }

    private static Map<String, Object> withId(Map<String, Object> m, long id) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.put("id", id);
        return out;
    }

    private static void insertWithId(Handle h, TableSpec spec, Map<String, Object> row) {
        List<String> cols = new ArrayList<>();
        spec.columns().forEach(c -> cols.add(c.name()));
        String values = String.join(", ", cols.stream().map(c -> ":" + c).toList());
        PreparedBatch b = spec.keyed() // the key columns are the primary key
                ? h.prepareBatch("INSERT INTO " + spec.name() + " (" + String.join(", ", cols) + ") VALUES (" + values + ")")
                : h.prepareBatch("INSERT INTO " + spec.name() + " (" + spec.id() + ", " + String.join(", ", cols) + ") VALUES (:id, " + values + ")")
                        .bind("id", (Long) row.get("id"));
        for (ColumnSpec c : spec.columns()) {
            ColumnValues.bind(b, c, row.get(c.name()));
        }
        b.add();
        b.execute();
    }

    private static void updateAll(Handle h, TableSpec spec, long id, Map<String, Object> values) {
        List<String> cols = new ArrayList<>();
        for (String c : values.keySet()) {
            if (!c.equals("id")) {
                cols.add(c);
            }
        }
        if (cols.isEmpty()) {
            return;
        }
        PreparedBatch b = h.prepareBatch("UPDATE " + spec.name() + " SET " + String.join(", ", cols.stream().map(c -> c + " = :" + c).toList())
                + " WHERE " + RowIds.whereOne(spec, "row__"));
        for (String c : cols) {
            ColumnValues.bind(b, spec.requireColumn(c), values.get(c));
        }
        RowIds.bind(b, spec, "row__", id).add();
        b.execute();
    }
}
