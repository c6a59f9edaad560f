package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ProgressListener;
import io.safeimport.api.RollbackResult;
import io.safeimport.internal.audit.AuditLog;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.Migrations;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.internal.run.DatabaseIdentity;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Step 2 of a rollback: the safety snapshot, so that the rollback can itself be rolled back. For
 * every row the rollback touches it records the row as it is now and the inverse of what the run
 * did, and is verified before the first write. Separate from {@link Rollback} because it writes a
 * snapshot in the import's format, which nothing else in the rollback does.
 */
final class SafetySnapshot {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int CHUNK = Rollback.CHUNK;

    private final Database db;
    private final SnapshotStore snapshots;
    private final Clock clock;
    private final ProgressListener progress;
    private final Catalog catalog;
    private final Migrations migrations;
    private final String snapshotId;
    private final RollbackResult result;
    private final AuditLog audit;
    private final StepTimer timer;
    private final ObjectNode manifest;
    private final String here;
    private final Path changes;
    private final long rows;

    SafetySnapshot(Rollback rollback) {
        this.db = rollback.db();
        this.snapshots = rollback.snapshots();
        this.clock = rollback.clock();
        this.progress = rollback.progress();
        this.catalog = rollback.catalog();
        this.migrations = rollback.migrations();
        this.snapshotId = rollback.snapshotId();
        this.result = rollback.result();
        this.audit = rollback.audit();
        this.timer = rollback.timer();
        this.manifest = rollback.manifest();
        this.here = rollback.here();
        this.changes = rollback.changes();
        this.rows = rollback.rows();
    }

    /**
     * Step 2: a snapshot of the current state, verified before the first write: the current
     * state of every row the rollback touches (pre) and what the rollback will make of it
     * (changes): restoring writes exactly the original pre-images, so both are known now.
     */
    ObjectNode take(RowStore store, String safetyId) throws IOException {
        long phase = System.nanoTime();
        snapshots.create(safetyId);
        ObjectNode safety = JSON.objectNode().put("format", 1).put("snapshot_id", safetyId).put("run_id", result.runId())
                .put("kind", "rollback").put("rollback_of", snapshotId).put("importer", "rollback")
                .put("created_at", clock.instant().toString()).put("schema_version", migrations.currentVersion())
                .put("database", db.settings().redactedUrl()).put(DatabaseIdentity.FIELD, here).put("mode", "touched").put("state", "pre");
        safety.set("tables", manifest.get("tables"));
        if (manifest.has(SnapshotStore.DEFINITIONS)) {
            safety.set(SnapshotStore.DEFINITIONS, manifest.get(SnapshotStore.DEFINITIONS));
        }
        safety.putObject("files");
        try (JsonLines.Writer pre = snapshots.writer(safetyId, SnapshotStore.PRE);
             JsonLines.Writer out = snapshots.writer(safetyId, SnapshotStore.CHANGES)) {
            long[] done = {0};
            progress.progress("safety snapshot", 0, rows);
            JsonLines.forEachChunk(changes, CHUNK, chunk -> {
                writeSafety(store, chunk, pre, out);
                done[0] += chunk.size();
                progress.progress("safety snapshot", done[0], rows);
            });
            pre.close();
            out.close();
            SnapshotStore.record(safety, pre);
            SnapshotStore.record(safety, out);
        }
        snapshots.writeManifest(safetyId, safety);
        snapshots.requireSound(safetyId);
        result.safetySnapshotId(safetyId);
        audit.event("snapshot", "safety snapshot " + safetyId + " verified");
        timer.add("snapshot", System.nanoTime() - phase);
        return safety;
    }

    private void writeSafety(RowStore store, List<ObjectNode> chunk, JsonLines.Writer pre, JsonLines.Writer out) throws IOException {
        for (Map.Entry<String, List<ObjectNode>> e : JsonLines.byTable(chunk).entrySet()) {
            TableSpec spec = catalog.table(e.getKey());
            Map<Long, Map<String, Object>> now = DriftCheck.current(store, spec, e.getValue());
            for (ObjectNode n : e.getValue()) {
                long id = n.get("id").asLong();
                String op = n.get("op").asText();
                Map<String, Object> cur = now.get(id);
                JsonNode current = cur == null ? JSON.nullNode() : RowCodec.row(spec, cur);
                String inverse = switch (op) {
                    case "insert" -> "delete";
                    case "delete" -> "insert";
                    default -> "update";
                };
                ObjectNode p = JSON.objectNode();
                p.put("table", spec.name());
                p.put("op", cur == null ? "insert" : inverse);
                p.put("id", id);
                if (cur != null) {
                    p.set("row", current);
                }
                pre.write(p);
                ObjectNode c = JSON.objectNode();
                c.put("table", spec.name());
                c.put("op", inverse);
                c.put("id", id);
                c.set("pre", "delete".equals(op) ? JSON.nullNode() : current);
                c.set("post", "insert".equals(op) ? JSON.nullNode() : n.get("pre"));
                out.write(c);
            }
        }
    }
}
