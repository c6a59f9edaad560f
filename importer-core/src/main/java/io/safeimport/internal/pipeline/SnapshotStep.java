package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ImportRequest;
import io.safeimport.api.ImportResult;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.Migrations;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.internal.run.DatabaseIdentity;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Step 4 of DESIGN.md §2: the snapshot a rollback restores. Its pre-images are written while
 * planning ({@link #begin}), so the rows are read once; before the first write they are closed,
 * the manifest written and everything read back against it ({@link #take}); the record of what the
 * writes did is added inside the import's transaction, before its commit ({@link #recordChanges}).
 */
final class SnapshotStep {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ImportRun run;
    private final SnapshotStore snapshots;
    private final String snapshotId;

    SnapshotStep(ImportRun run) {
        this.run = run;
        this.snapshots = run.snapshots();
        this.snapshotId = run.snapshotId();
    }

    /** Creates the snapshot's folder and opens its pre-images, which planning writes. */
    void begin() throws IOException {
        snapshots.create(snapshotId);
        run.pre(snapshots.writer(snapshotId, SnapshotStore.PRE));
    }

    /** The pre-images written while planning, and with --snapshot full every table whole, verified against the manifest. */
    ObjectNode take(RowStore store) throws IOException {
        JsonLines.Writer pre = run.pre();
        run.progress().progress("snapshot", 0, -1);
        pre.close();
        ObjectNode manifest = manifest();
        SnapshotStore.record(manifest, pre);
        if (run.request().fullSnapshot()) {
            try (JsonLines.Writer full = snapshots.writer(snapshotId, SnapshotStore.FULL)) {
                dumpTables(store, full);
                full.close();
                SnapshotStore.record(manifest, full);
            }
        }
        snapshots.writeManifest(snapshotId, manifest);
        snapshots.requireSound(snapshotId);
        run.snapshotKept(true);
        run.result().snapshotId(snapshotId);
        run.audit().event("snapshot", "id=" + snapshotId + " verified rows=" + pre.rows() + " dir=" + snapshots.dir(snapshotId));
        return manifest;
    }

    /** The snapshot's record of what the writes did, added to it and verified before the commit. */
    void recordChanges(Applier applier, RowStore store, ObjectNode manifest) throws IOException {
        run.progress().progress("snapshot changes", 0, -1);
        try (JsonLines.Writer changes = snapshots.writer(snapshotId, SnapshotStore.CHANGES)) {
            long t = System.nanoTime();
            applier.writeChanges(store, changes);
            run.timer().add("snapshot.changes", System.nanoTime() - t);
            changes.close();
            SnapshotStore.record(manifest, changes);
        }
        manifest.put("state", "complete");
        snapshots.writeManifest(snapshotId, manifest);
        snapshots.requireSound(snapshotId);
        run.audit().event("snapshot", "changes recorded and verified");
    }

    private ObjectNode manifest() {
        ImportRequest request = run.request();
        ImportResult result = run.result();
        Database db = run.db();
        ObjectNode m = JSON.objectNode();
        m.put("format", 1);
        m.put("snapshot_id", snapshotId);
        m.put("run_id", result.runId());
        m.put("kind", "import");
        m.put("importer", request.name());
        m.put("created_at", run.clock().instant().toString());
        m.put("schema_version", new Migrations(db).currentVersion());
        m.put("database", db.settings().redactedUrl());
        m.put(DatabaseIdentity.FIELD, DatabaseIdentity.of(db).orElse(null));
        m.put("mode", request.fullSnapshot() ? "full" : "touched");
        m.put("state", "pre");
        ArrayNode csv = m.putArray("csv");
        for (ImportResult.CsvInfo c : result.csv()) {
            csv.addObject().put("path", c.path()).put("sha256", c.sha256()).put("rows", c.rows());
        }
        ArrayNode t = m.putArray("tables");
        run.tables().forEach(t::add);
        Map<String, String> fingerprints = run.catalog().fingerprints();
        if (!fingerprints.isEmpty()) {
            // the operator's own tables: a rollback refuses when one of them was redefined since (the
            // reference schema is versioned by its migrations instead: schema_version)
            ObjectNode defs = m.putObject(SnapshotStore.DEFINITIONS);
            run.tables().forEach(name -> defs.put(name, fingerprints.get(name)));
        }
        m.putObject("files");
        return m;
    }

    private void dumpTables(RowStore store, JsonLines.Writer full) throws IOException {
        // reads only, in a transaction rolled back at the end: PostgreSQL streams a result set only with autocommit off
        Transactions.useReadTransaction(store.handle(), h -> dumpTablesStreaming(store, full));
    }

    private void dumpTablesStreaming(RowStore store, JsonLines.Writer full) throws IOException {
        for (String table : run.tables()) {
            TableSpec spec = store.catalog().table(table);
            try (Stream<Map<String, Object>> rows = store.handle().createQuery("SELECT * FROM " + table + " ORDER BY " + (spec.keyed() ? String.join(", ", spec.key()) : spec.id()))
                    .setFetchSize(run.db().dialect().streamingFetchSize()).map(RowStore.canonicalRows(spec)).stream()) {
                for (Map<String, Object> row : (Iterable<Map<String, Object>>) rows::iterator) {
                    ObjectNode n = JSON.objectNode();
                    n.put("table", table);
                    n.set("row", RowCodec.row(spec, row));
                    full.write(n);
                }
            }
        }
    }
}
