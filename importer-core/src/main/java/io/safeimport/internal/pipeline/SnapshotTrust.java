package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.RollbackResult;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.io.Printable;
import io.safeimport.internal.run.DatabaseIdentity;
import io.safeimport.internal.run.RunStore;
import io.safeimport.internal.snapshot.SnapshotBinding;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.spi.Catalog;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Whether a rollback may trust the snapshot it was given, before it reads a row: the snapshot must
 * be the one its run committed with, taken on this database, of tables defined as they are now, and
 * protect a run that is committed and not yet rolled back. Each refusal says why and what to do
 * instead. Separate from {@link Rollback} because these checks read only the snapshot's manifest
 * and the run history, never the rows.
 */
final class SnapshotTrust {
    private final Database db;
    private final SnapshotStore snapshots;
    private final Catalog catalog;

    SnapshotTrust(Database db, SnapshotStore snapshots, Catalog catalog) {
        this.db = db;
        this.snapshots = snapshots;
        this.catalog = catalog;
    }

    /**
     * Refuses a snapshot folder that is not the one its run committed with: the manifest must name
     * this snapshot and run, and hash to what the run recorded (a swapped folder, a forged file
     * with recomputed sums). A run from before runs were bound to their snapshots has no hash:
     * its snapshot is checked as before, and the result says so.
     */
    void requireBound(String snapshotId, ObjectNode manifest, RunStore.Run run, RunStore runs, RollbackResult result) {
        String recorded = runs.manifestSha256(run.runId()).orElse(null);
        List<String> problems = SnapshotBinding.problems(snapshotId, manifest, snapshots.manifestSha256(snapshotId), run.runId(), recorded);
        if (!problems.isEmpty()) {
            throw new SafeImportException(ExitCode.REFUSED, "snapshot " + snapshotId + " cannot be trusted: " + String.join("; ", problems)
                    + ". Nothing was restored; restore the snapshot folder from a backup");
        }
        if (recorded == null) {
            result.warnings().add("run " + run.runId() + " was recorded before runs were bound to their snapshots: snapshot "
                    + snapshotId + " was checked against its own manifest only");
        }
    }

    /**
     * Refuses a snapshot of the operator's own tables when one of them was redefined since (a column
     * added, dropped or retyped, a key changed: {@code TableInfo#fingerprint}), naming the table, and
     * one such snapshot rolled back without the config that describes its tables. A snapshot of the
     * reference schema has no fingerprints: its migrations' version stands for them.
     */
    void requireSameDefinitions(String snapshotId, ObjectNode manifest) {
        JsonNode recorded = manifest.path(SnapshotStore.DEFINITIONS);
        if (!recorded.isObject()) {
            return;
        }
        Map<String, String> now = catalog.fingerprints();
        for (Iterator<Map.Entry<String, JsonNode>> it = recorded.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (now.isEmpty()) {
                throw new SafeImportException(ExitCode.REFUSED, "snapshot " + snapshotId + " is of tables declared in safeimport.yml ("
                        + e.getKey() + ", ...): roll it back with the config that declares them (--config F or SAFEIMPORT_CONFIG)");
            }
            String current = now.get(e.getKey());
            if (!e.getValue().asText().equals(current)) {
                throw new SafeImportException(ExitCode.REFUSED, "snapshot " + snapshotId + ": table " + e.getKey()
                        + (current == null ? " is not among the tables safeimport.yml declares now"
                        : " was redefined since the snapshot was taken (its columns, types or keys changed)")
                        + "; restoring rows across a schema change could put back values the table no longer means, so it is refused");
            }
        }
    }

    /**
     * Refuses a snapshot taken on another database: its manifest names the database it came from
     * (a manifest without {@code database_id}, written before databases had one, is checked as
     * before: its run must be committed in this database).
     */
    void requireThisDatabase(String snapshotId, ObjectNode manifest, String here) {
        String theirs = manifest.path(DatabaseIdentity.FIELD).asText("");
        if (theirs.isEmpty() || theirs.equals(here)) {
            return;
        }
        String theirUrl = manifest.path("database").asText("an unknown URL");
        throw new SafeImportException(ExitCode.REFUSED, "snapshot " + snapshotId + " was taken on database " + theirs + " ("
                + Printable.escape(theirUrl) + "), not on this one, " + here + " ("
                + db.settings().redactedUrl() + "); nothing was restored. Roll it back on its own database: --db "
                + Printable.escape(theirUrl));
    }

    /** The committed run the snapshot protects, or REFUSED saying why there is nothing to roll back. */
    static RunStore.Run committedRun(RunStore runs, String snapshotId) {
        RunStore.Run run = runs.findBySnapshot(snapshotId).orElseThrow(() -> new SafeImportException(ExitCode.REFUSED,
                "no committed run in this database is protected by snapshot " + snapshotId
                        + " (wrong --db, or the run never committed); nothing was restored"));
        if ("rolled_back".equals(run.status()) && run.rolledBackBy() != null) {
            throw new SafeImportException(ExitCode.REFUSED, alreadyRolledBack(runs, run));
        }
        if (!"committed".equals(run.status())) {
            throw new SafeImportException(ExitCode.REFUSED, "run " + run.runId() + " is " + run.status()
                    + ", not committed: it wrote nothing, so there is nothing to roll back");
        }
        return run;
    }

    /**
     * Why a run that was rolled back cannot be rolled back again, and the snapshot to roll back
     * instead: the chain of rollbacks is followed (a rollback may itself have been rolled back) to
     * the one still committed, and that run's snapshot is named, which is what {@code rollback} takes.
     */
    private static String alreadyRolledBack(RunStore runs, RunStore.Run run) {
        List<RunStore.Run> chain = new ArrayList<>();
        RunStore.Run last = run;
        while ("rolled_back".equals(last.status()) && last.rolledBackBy() != null && chain.size() < 1000) {
            RunStore.Run next = runs.find(last.rolledBackBy()).orElse(null);
            if (next == null) {
                break;
            }
            chain.add(next);
            last = next;
        }
        String by = run.rolledBackBy();
        if (chain.isEmpty() || !"committed".equals(last.status()) || last.snapshotId() == null) {
            return "run " + run.runId() + " was already rolled back by " + by + "; nothing was restored (see `runs show " + by + "`)";
        }
        String target = last.snapshotId();
        if (chain.size() % 2 == 1) {
            return "run " + run.runId() + " was already rolled back by " + by + "; to redo it, roll back " + target + " instead";
        }
        return "run " + run.runId() + " was already rolled back by " + by + ", and that was undone by " + last.runId()
                + ", so its changes are in place again; to undo them again, roll back " + target + " instead";
    }
}
