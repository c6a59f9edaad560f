package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Dialect;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowIds;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.Ref;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * References an import cannot write with their row, because the row they point at is inserted later
 * in the run: left out of the row, recorded in {@code deferred.jsonl.gz} in the run's work folder,
 * and set once every row is written. Separate from {@link Applier} because both its inserts and its
 * updates defer references, and the file is read only at the end.
 */
final class DeferredReferences {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Handle handle;
    private final Dialect dialect;
    private final RowStore store;
    private final StepTimer timer;
    private final Path file;
    private final JsonLines.Writer deferred;

    DeferredReferences(Handle handle, Dialect dialect, RowStore store, StepTimer timer, Path work) throws IOException {
        this.handle = handle;
        this.dialect = dialect;
        this.store = store;
        this.timer = timer;
        this.file = work.resolve("deferred.jsonl.gz");
        this.deferred = JsonLines.write(file);
    }

    /** Ends the recording: {@link #applyDeferred} reads what was recorded. */
    void close() throws IOException {
        deferred.close();
    }

    /**
     * Replaces references by ids. A nullable reference whose row does not exist yet (inserted later
     * in this run) is left out here and filled in by {@link #applyDeferred}; for an update it is
     * recorded at once, for an insert after the id is known.
     */
    Map<String, Object> resolveValues(TableSpec spec, Map<String, Object> values, Map<Ref, Long> resolved, long updateId)
            throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getValue() instanceof Ref r) {
                Long id = resolved.get(r);
                if (id != null) {
                    out.put(e.getKey(), RowIds.refValue(spec.requireColumn(e.getKey()), id));
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

    void writeDeferred(TableSpec spec, long id, Map<String, Object> values, Map<Ref, Long> resolved) throws IOException {
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

    /** Sets every reference recorded, once all the run's rows are written. */
    void applyDeferred() throws IOException {
        JsonLines.forEachChunk(file, Applier.CHUNK, this::applyDeferredChunk);
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
            TableSpec spec = store.catalog().table(tc[0]);
            ColumnSpec column = spec.requireColumn(tc[1]);
            if (spec.keyed() || RowIds.pointsAtKeyed(column)) {
                timer.run("apply.deferred.set", () -> setByKey(spec, column, e.getValue()));
            } else {
                timer.run("apply.deferred.set", () -> dialect.setReferences(handle, spec, tc[1], e.getValue()));
            }
        }
    }

    /**
     * Sets references where a row or its target is known by its natural primary key, one UPDATE per
     * row: the dialects' bulk paths join on surrogate ids.
     */
    private void setByKey(TableSpec spec, ColumnSpec column, Map<Long, Long> targets) {
        PreparedBatch batch = handle.prepareBatch("UPDATE " + spec.name() + " SET " + column.name() + " = :v WHERE " + RowIds.whereOne(spec, "row"));
        targets.forEach((id, target) -> RowIds.bind(batch.bind("v", RowIds.refValue(column, target)), spec, "row", id).add());
        batch.execute();
    }
}
