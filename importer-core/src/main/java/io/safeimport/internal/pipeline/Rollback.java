package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.ProgressListener;
import io.safeimport.api.RollbackResult;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.AuditLog;
import io.safeimport.internal.audit.StepGate;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.Migrations;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.internal.run.DatabaseIdentity;
import io.safeimport.internal.run.RunStore;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.spi.Catalog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;

/**
 * One rollback, from the snapshot it restores to its commit: the state its steps share (the
 * snapshot's manifest and changes file, the run it protects, the runs committed after it) and the
 * order of the steps, as {@link RollbackPipeline} describes them. Each step that reads or writes
 * rows is its own class ({@link DriftCheck}, {@link SafetySnapshot}, {@link RestoreWriter},
 * {@link DependentsCheck}, {@link RemoveWriter}); this class owns the lock and the transaction.
 */
final class Rollback {
    /** Rows of the changes file handled together. */
    static final int CHUNK = 1000;

    private final Database db;
    private final SnapshotStore snapshots;
    private final Clock clock;
    private final int lockWaitSeconds;
    private final ProgressListener progress;
    private final Catalog catalog;
    private final SnapshotTrust trust;
    private final String snapshotId;
    private final boolean dryRun;
    private final boolean force;
    private final Predicate<Map<String, RollbackResult.TableCounts>> confirm;
    private final RollbackResult result;
    private final AuditLog audit;
    private final StepTimer timer;
    private final Migrations migrations;
    private ObjectNode manifest;
    /** This database's identity, recorded in the safety snapshot. */
    private String here;
    /** The snapshot's record of what the run changed, and its number of rows (-1 unknown). */
    private Path changes;
    private long rows;
    /** The run history, read and written in the rollback's transaction. */
    private RunStore runs;
    /** The committed run the snapshot protects, and the runs committed after it. */
    private RunStore.Run run;
    private List<RunStore.Run> later;
    /** When the steps the commit's time is counted from began. */
    private long committing;

    Rollback(RollbackPipeline pipeline, String snapshotId, boolean dryRun, boolean force,
             Predicate<Map<String, RollbackResult.TableCounts>> confirm, RollbackResult result, AuditLog audit, StepTimer timer) {
        this.db = pipeline.db();
        this.snapshots = pipeline.snapshots();
        this.clock = pipeline.clock();
        this.lockWaitSeconds = pipeline.lockWaitSeconds();
        this.progress = pipeline.progress();
        this.catalog = pipeline.catalog();
        this.trust = new SnapshotTrust(db, snapshots, catalog);
        this.migrations = new Migrations(db, !catalog.fingerprints().isEmpty());
        this.snapshotId = snapshotId;
        this.dryRun = dryRun;
        this.force = force;
        this.confirm = confirm;
        this.result = result;
        this.audit = audit;
        this.timer = timer;
    }

    void execute() throws IOException {
        long started = System.nanoTime();
        verifySnapshot();
        try (Handle tx = db.open()) {
            runs = new RunStore(tx);
            run = SnapshotTrust.committedRun(runs, snapshotId);
            trust.requireBound(snapshotId, manifest, run, runs, result);
            audit.event("verify", "snapshot " + snapshotId + " is the one run " + run.runId() + " committed with");
            timer.add("verify", System.nanoTime() - started);
            long waiting = System.nanoTime();
            try (ImportLock lock = dryRun ? null : takeLock()) {
                if (lock != null) {
                    new RunStore(lock.connection()).markInterrupted()
                            .forEach(dead -> result.warnings().add("run " + dead + " had been interrupted; now marked so"));
                    // with --wait, another rollback of the same run may have committed while this one waited
                    run = SnapshotTrust.committedRun(runs, snapshotId);
                    timer.add("lock", System.nanoTime() - waiting);
                }
                restoreInTransaction(tx, lock);
            }
        }
    }

    /** The snapshot must match its manifest, this database and its schema version, and hold a committed run's changes. */
    private void verifySnapshot() {
        migrations.requireCurrent();
        manifest = snapshots.manifest(snapshotId);
        here = DatabaseIdentity.of(db).orElse(null);
        trust.requireThisDatabase(snapshotId, manifest, here);
        snapshots.requireSound(snapshotId);
        audit.event("verify", "snapshot " + snapshotId + " matches its manifest");
        String schema = manifest.path("schema_version").asText();
        if (!migrations.restores(schema)) {
            throw new SafeImportException(ExitCode.REFUSED, "snapshot " + snapshotId + " was taken at schema version " + schema
                    + " but the database is now at " + migrations.currentVersion() + "; restoring it could corrupt data, so it is refused");
        }
        trust.requireSameDefinitions(snapshotId, manifest);
        if (!"complete".equals(manifest.path("state").asText()) || !manifest.path("files").has(SnapshotStore.CHANGES)) {
            throw new SafeImportException(ExitCode.REFUSED, "snapshot " + snapshotId
                    + " belongs to a run that never committed (it has no record of changes): there is nothing to roll back");
        }
        changes = snapshots.dir(snapshotId).resolve(SnapshotStore.CHANGES);
        rows = manifest.path("files").path(SnapshotStore.CHANGES).path("rows").asLong(-1);
    }

    /** The import lock, taken once the run is known to be committed. */
    private ImportLock takeLock() {
        audit.event("lock", "run " + run.runId() + " is committed; taking the import lock");
        return ImportLock.acquire(db, lockWaitSeconds, "rollback", result.runId());
    }

    /**
     * Everything from the drift check on, in one transaction committed under {@code lock}
     * ({@code null} for a dry run, which rolls back). A failure discards the safety snapshot;
     * a broken reference is refused as one (exit 5).
     */
    private void restoreInTransaction(Handle tx, ImportLock lock) throws IOException {
        boolean restored;
        try {
            restored = Transactions.inWriteTransaction(tx, lock, this::stepsInTransaction);
        } catch (RuntimeException | IOException e) {
            Exception failure = e;
            if (e instanceof RuntimeException re && !(e instanceof SafeImportException) && DbErrors.isConstraintViolation(re)) {
                failure = new SafeImportException(ExitCode.REFUSED, "restoring snapshot " + snapshotId + " would break a reference ("
                        + DbErrors.rootMessage(re) + "); rows written later depend on it: roll back later runs first"
                        + " (newest first, see `runs list`). Nothing was restored", re);
            }
            if (result.safetySnapshotId() != null) {
                snapshots.discard(result.safetySnapshotId());
                result.safetySnapshotId(null);
            }
            if (failure instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) failure;
        }
        if (restored) {
            timer.add("commit", System.nanoTime() - committing);
            audit.event("commit", "ok");
            result.finish("restored", ExitCode.OK, null);
        }
    }

    /**
     * The steps in the transaction: the drift check, then what a dry run would do, or (once
     * confirmed) the safety snapshot, the restore and the run's record, up to the commit's test
     * gate. Returns whether there is something to commit; when not, it has rolled back itself.
     */
    private boolean stepsInTransaction(Handle tx) throws IOException {
        RowStore store = new RowStore(tx, db.dialect(), catalog, false);
        requireNoDrift(store);
        if (dryRun) {
            JsonLines.forEachChunk(changes, CHUNK, chunk -> count(chunk, result));
            new DependentsCheck(catalog, snapshots).checkDependents(store, changes, later);
            tx.rollback();
            result.finish("planned", ExitCode.OK, null);
            return false;
        }
        RollbackResult planned = new RollbackResult(snapshotId, result.runId());
        JsonLines.forEachChunk(changes, CHUNK, chunk -> count(chunk, planned));
        long asking = System.nanoTime();
        boolean confirmed = confirm.test(Collections.unmodifiableMap(planned.tables()));
        timer.add("confirm", System.nanoTime() - asking);
        if (!confirmed) {
            tx.rollback();
            result.finish("refused", ExitCode.REFUSED, "not confirmed; nothing was restored");
            return false;
        }
        // one ID for the rollback's run and its safety snapshot: `rollback ID` undoes the rollback
        String safetyId = result.runId();
        ObjectNode safety = new SafetySnapshot(this).take(store, safetyId);
        restoreRows(store, planned);
        committing = System.nanoTime();
        safety.put("state", "complete");
        snapshots.writeManifest(safetyId, safety);
        snapshots.requireSound(safetyId);
        Map<String, String> me = RunStore.whoAmI();
        Instant now = clock.instant();
        runs.insert(new RunStore.Run(result.runId(), "rollback", "apply", "committed", now, now, null, null, safetyId,
                null, RollbackPipeline.countsJson(result), me.get("host"), me.get("user"), result.logFile(), "rollback of " + snapshotId));
        runs.markRolledBack(run.runId(), result.runId());
        runs.recordManifest(result.runId(), snapshots.manifestSha256(safetyId));
        StepGate.pass("commit");
        return true;
    }

    /** Step 1: every row must still be as the run left it, unless {@code --force}. */
    private void requireNoDrift(RowStore store) throws IOException {
        long phase = System.nanoTime();
        Set<String> drifted = new HashSet<>();
        long[] done = {0};
        DriftCheck check = new DriftCheck(catalog, snapshots);
        progress.progress("drift check", 0, rows);
        JsonLines.forEachChunk(changes, CHUNK, chunk -> {
            check.checkDrift(store, chunk, result, drifted);
            done[0] += chunk.size();
            progress.progress("drift check", done[0], rows);
        });
        later = runs.committedAfter(run);
        // ... and no later import may have written them again, even if their values are back as the run left them
        Map<String, RunStore.Run> writers = new LinkedHashMap<>();
        Set<String> traced = new HashSet<>();
        check.checkRewritten(changes, new RunOrder(snapshots).newestFirst(later), drifted, writers, traced, result);
        audit.event("drift", "changed_since=" + result.drift().size());
        timer.add("drift", System.nanoTime() - phase);
        if (!result.drift().isEmpty() && !force) {
            throw new SafeImportException(ExitCode.REFUSED, check.driftMessage(run, result.drift(), drifted.size() - traced.size(), writers));
        }
        if (!result.drift().isEmpty()) {
            result.warnings().add("--force: restoring over " + result.drift().size() + " row(s) changed since the run");
        }
    }

    /** Step 3: the pre-images back, then the rows the run inserted removed, children first, unless rows written later point at them. */
    private void restoreRows(RowStore store, RollbackResult planned) throws IOException {
        long phase = System.nanoTime();
        long restores = planned.tables().values().stream().mapToLong(RollbackResult.TableCounts::restored).sum();
        long removals = planned.tables().values().stream().mapToLong(RollbackResult.TableCounts::removed).sum();
        progress.progress("restore", 0, restores);
        new RestoreWriter(catalog, db, progress).restore(store, changes, result, audit, restores);
        timer.add("restore", System.nanoTime() - phase);
        phase = System.nanoTime();
        new DependentsCheck(catalog, snapshots).checkDependents(store, changes, later);
        timer.add("dependents", System.nanoTime() - phase);
        phase = System.nanoTime();
        progress.progress("remove", 0, removals);
        new RemoveWriter(catalog, progress).remove(store, changes, result, removals);
        timer.add("remove", System.nanoTime() - phase);
        audit.event("restore", "done");
    }

    /** Counts, per table, the rows a chunk of the changes file restores and removes. */
    static void count(List<ObjectNode> chunk, RollbackResult result) {
        for (ObjectNode n : chunk) {
            if ("insert".equals(n.get("op").asText())) {
                result.table(n.get("table").asText()).removed(1);
            } else {
                result.table(n.get("table").asText()).restored(1);
            }
        }
    }

    Database db() {
        return db;
    }

    SnapshotStore snapshots() {
        return snapshots;
    }

    Clock clock() {
        return clock;
    }

    ProgressListener progress() {
        return progress;
    }

    Catalog catalog() {
        return catalog;
    }

    Migrations migrations() {
        return migrations;
    }

    String snapshotId() {
        return snapshotId;
    }

    RollbackResult result() {
        return result;
    }

    AuditLog audit() {
        return audit;
    }

    StepTimer timer() {
        return timer;
    }

    /** The manifest of the snapshot being restored. */
    ObjectNode manifest() {
        return manifest;
    }

    /** This database's identity. */
    String here() {
        return here;
    }

    /** The snapshot's record of what the run changed. */
    Path changes() {
        return changes;
    }

    /** The number of rows in {@link #changes()}, -1 when unknown. */
    long rows() {
        return rows;
    }
}
