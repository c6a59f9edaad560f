package io.safeimport.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.dev.Reset.Step;
import io.safeimport.internal.audit.AuditLog;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.internal.run.DatabaseIdentity;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;

/**
 * The writes of one {@link Reset} step inside its transaction, each behind its snapshot: the
 * pre-image of every row about to change is written and verified before the first write, the
 * counts written are compared with it, and the changes file completes the snapshot. {@link Reset}
 * decides what to change and owns the lock, the transaction and the run records.
 */
final class ResetWrites {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int CHUNK = 1000;

    private final DevDatabase dev;
    private final Database db;
    private final SnapshotStore snapshots;
    private final Clock clock;

    ResetWrites(DevDatabase dev, SnapshotStore snapshots, Clock clock) {
        this.dev = dev;
        this.db = dev.database();
        this.snapshots = snapshots;
        this.clock = clock;
    }

    /** Sets the references to doomed rows empty; the snapshot has every such row before and after. */
    Step cut(Handle tx, Step step, Map<TableSpec, List<String>> cuts, ObjectNode manifest, AuditLog audit) throws IOException {
        String id = step.snapshotId();
        snapshots.create(id);
        Map<String, Long> rows = new LinkedHashMap<>();
        try (JsonLines.Writer pre = snapshots.writer(id, SnapshotStore.PRE)) {
            for (Map.Entry<TableSpec, List<String>> e : cuts.entrySet()) {
                TableSpec spec = e.getKey();
                rows.put(spec.name(), dump(tx, spec, " WHERE " + Reset.anySet(e.getValue()), "update", pre));
            }
            pre.close();
            SnapshotStore.record(manifest, pre);
        }
        verified(id, manifest, audit);
        for (Map.Entry<TableSpec, List<String>> e : cuts.entrySet()) {
            String table = e.getKey().name();
            int n = tx.createUpdate("UPDATE " + table + " SET " + Reset.setEmpty(e.getValue()) + " WHERE " + Reset.anySet(e.getValue())).execute();
            requireSame(table, "updated", n, rows.get(table));
            audit.event("update", "table=" + table + " set_empty=" + e.getValue() + " rows=" + n);
        }
        RowStore store = new RowStore(tx, db.dialect());
        try (JsonLines.Writer changes = snapshots.writer(id, SnapshotStore.CHANGES)) {
            JsonLines.forEachChunk(snapshots.dir(id).resolve(SnapshotStore.PRE), CHUNK, chunk -> {
                Map<String, List<ObjectNode>> byTable = JsonLines.byTable(chunk);
                for (Map.Entry<String, List<ObjectNode>> e : byTable.entrySet()) {
                    TableSpec spec = ReferenceSchema.table(e.getKey());
                    Map<Long, Map<String, Object>> now = store.rowsById(spec,
                            e.getValue().stream().map(n -> n.get("id").asLong()).toList(), false);
                    for (ObjectNode n : e.getValue()) {
                        Map<String, Object> post = now.get(n.get("id").asLong());
                        if (post == null) {
                            throw new IllegalStateException(spec.name() + " #" + n.get("id").asLong() + " vanished inside the transaction");
                        }
                        changes.write(change(spec.name(), "update", n, RowCodec.row(spec, post)));
                    }
                }
            });
            changes.close();
            SnapshotStore.record(manifest, changes);
        }
        complete(id, manifest, audit);
        return new Step(id, step.importer(), step.action(), rows);
    }

    /** Deletes every row of the tables, children first; the snapshot has every row. */
    Step delete(Handle tx, Step step, List<TableSpec> deleted, ObjectNode manifest, AuditLog audit) throws IOException {
        String id = step.snapshotId();
        snapshots.create(id);
        Map<String, Long> rows = new LinkedHashMap<>();
        try (JsonLines.Writer pre = snapshots.writer(id, SnapshotStore.PRE)) {
            for (TableSpec spec : deleted) {
                rows.put(spec.name(), dump(tx, spec, "", "delete", pre));
            }
            pre.close();
            SnapshotStore.record(manifest, pre);
        }
        verified(id, manifest, audit);
        // references between doomed rows (a team's leader, a user's manager) go first, so that
        // deleting children before parents never trips a foreign key
        Set<String> names = new LinkedHashSet<>(deleted.stream().map(TableSpec::name).toList());
        for (TableSpec spec : deleted) {
            List<String> cols = Reset.refsInto(spec, names);
            if (!cols.isEmpty()) {
                tx.createUpdate("UPDATE " + spec.name() + " SET " + Reset.setEmpty(cols) + " WHERE " + Reset.anySet(cols)).execute();
            }
        }
        List<TableSpec> reverse = new ArrayList<>(deleted);
        Collections.reverse(reverse);
        for (TableSpec spec : reverse) {
            int n = tx.createUpdate("DELETE FROM " + spec.name()).execute();
            requireSame(spec.name(), "deleted", n, rows.get(spec.name()));
            audit.event("delete", "table=" + spec.name() + " rows=" + n);
        }
        try (JsonLines.Writer changes = snapshots.writer(id, SnapshotStore.CHANGES)) {
            JsonLines.forEachChunk(snapshots.dir(id).resolve(SnapshotStore.PRE), CHUNK, chunk -> {
                for (ObjectNode n : chunk) {
                    changes.write(change(n.get("table").asText(), "delete", n, JSON.nullNode()));
                }
            });
            changes.close();
            SnapshotStore.record(manifest, changes);
        }
        complete(id, manifest, audit);
        return new Step(id, step.importer(), step.action(), rows);
    }

    /** Streams the rows (locked until the end of the transaction) into the pre file; returns how many. */
    private long dump(Handle tx, TableSpec spec, String where, String op, JsonLines.Writer pre) throws IOException {
        long n = 0;
        try (Stream<Map<String, Object>> rows = tx.createQuery("SELECT * FROM " + spec.name() + where + " ORDER BY id"
                        + db.dialect().forUpdate())
                .setFetchSize(db.dialect().streamingFetchSize()).map(RowStore.canonicalRows(spec)).stream()) {
            for (Map<String, Object> canonical : (Iterable<Map<String, Object>>) rows::iterator) {
                ObjectNode line = JSON.objectNode();
                line.put("table", spec.name());
                line.put("op", op);
                line.put("id", (Long) canonical.get("id"));
                line.set("row", RowCodec.row(spec, canonical));
                pre.write(line);
                n++;
            }
        }
        return n;
    }

    private static ObjectNode change(String table, String op, ObjectNode preLine, JsonNode post) {
        ObjectNode c = JSON.objectNode();
        c.put("table", table);
        c.put("op", op);
        c.put("id", preLine.get("id").asLong());
        c.set("pre", preLine.get("row"));
        c.set("post", post);
        return c;
    }

    private void verified(String id, ObjectNode manifest, AuditLog audit) {
        snapshots.writeManifest(id, manifest);
        snapshots.requireSound(id);
        audit.event("snapshot", "id=" + id + " pre-image verified dir=" + snapshots.dir(id));
    }

    private void complete(String id, ObjectNode manifest, AuditLog audit) {
        manifest.put("state", "complete");
        snapshots.writeManifest(id, manifest);
        snapshots.requireSound(id);
        audit.event("snapshot", "id=" + id + " changes recorded and verified");
    }

    private static void requireSame(String table, String verb, int n, long snapshotted) {
        if (n != snapshotted) {
            throw new SafeImportException(ExitCode.REFUSED, table + ": " + n + " row(s) " + verb + " but " + snapshotted
                    + " were snapshotted; another session changed the table during the reset, so nothing was changed. Run it again");
        }
    }

    /**
     * The manifest of {@code step}'s snapshot in state {@code pre}, its files not yet recorded.
     *
     * @param ids every snapshot of the reset, oldest first (more than one: the rollback order is recorded)
     */
    ObjectNode manifest(Step step, String schema, List<String> ids) {
        ObjectNode m = JSON.objectNode();
        m.put("format", 1);
        m.put("snapshot_id", step.snapshotId());
        m.put("run_id", step.snapshotId());
        m.put("kind", "dev-reset");
        m.put("importer", step.importer());
        m.put("command", "safeimport-dev " + dev.command());
        m.put("created_at", clock.instant().toString());
        m.put("schema_version", schema);
        m.put("database", db.settings().redactedUrl());
        m.put(DatabaseIdentity.FIELD, DatabaseIdentity.of(db).orElse(null));
        m.put("mode", "touched");
        m.put("state", "pre");
        ArrayNode tables = m.putArray("tables");
        step.rows().keySet().forEach(tables::add);
        if (ids.size() > 1) {
            ArrayNode order = m.putArray("rollback_order");
            Reset.reversed(ids).forEach(order::add);
        }
        m.putObject("files");
        return m;
    }
}
