package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.ProgressListener;
import io.safeimport.api.RollbackResult;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.AuditLog;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.run.RunIds;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.spi.Catalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * {@code rollback SNAPSHOT_ID}: puts back exactly the state before a run. In order: verify the
 * snapshot against its manifest and the schema version; find the committed run it protects;
 * under the import lock and row locks, check that every row the run wrote is still as the run
 * left it (else refuse, unless {@code --force}); take a safety snapshot of the current state (so
 * the rollback can itself be rolled back); then, in one transaction, re-insert rows the run
 * deleted (only rollbacks delete), restore pre-images, and remove the rows the run inserted,
 * children first — refusing if rows written later still point at them. This class opens the audit
 * log and turns failures into the result; {@link Rollback} runs the steps.
 */
public final class RollbackPipeline {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Database db;
    private final SnapshotStore snapshots;
    private final Path logDir;
    private final Clock clock;
    private final int lockWaitSeconds;
    private final ProgressListener progress;
    private final Catalog catalog;

    public RollbackPipeline(Database db, Path snapshotDir, Path logDir, Clock clock, int lockWaitSeconds) {
        this(db, snapshotDir, logDir, clock, lockWaitSeconds, ProgressListener.NONE);
    }

    /** A rollback of runs over the reference schema; see {@link #RollbackPipeline(Database, Path, Path, Clock, int, ProgressListener, Catalog)}. */
    public RollbackPipeline(Database db, Path snapshotDir, Path logDir, Clock clock, int lockWaitSeconds, ProgressListener progress) {
        this(db, snapshotDir, logDir, clock, lockWaitSeconds, progress, Catalog.reference());
    }

    /**
     * A rollback that reports its phases to {@code progress}: {@code drift check}, {@code safety snapshot},
     * {@code restore} and {@code remove}, each once when it begins (0 rows done) and after every chunk.
     *
     * @param catalog the tables the snapshots describe
     */
    public RollbackPipeline(Database db, Path snapshotDir, Path logDir, Clock clock, int lockWaitSeconds, ProgressListener progress,
                            Catalog catalog) {
        this.catalog = catalog;
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.db = db;
        this.snapshots = new SnapshotStore(snapshotDir);
        this.logDir = logDir;
        this.clock = clock;
        this.lockWaitSeconds = lockWaitSeconds;
    }

    /**
     * What the rollback would do, or does. {@code confirm} is called after all checks passed and
     * before anything is written; returning {@code false} cancels (status {@code refused}).
     */
    public RollbackResult run(String snapshotId, boolean dryRun, boolean force, BooleanSupplier confirm) {
        return run(snapshotId, dryRun, force, planned -> confirm.getAsBoolean());
    }

    /**
     * Like {@link #run(String, boolean, boolean, BooleanSupplier)}, the confirmation
     * being shown, per table, how many rows the rollback will restore and remove (to ask with them).
     */
    public RollbackResult run(String snapshotId, boolean dryRun, boolean force,
                              Predicate<Map<String, RollbackResult.TableCounts>> confirm) {
        RunIds.require(snapshotId);
        String runId = RunIds.next("rollback", clock);
        RollbackResult result = new RollbackResult(snapshotId, runId);
        Path logFile = logDir.resolve(runId + ".log");
        result.logFile(logFile.toString());
        AuditLog opened;
        try {
            opened = AuditLog.open(logFile, clock);
        } catch (UncheckedIOException e) {
            // as an import says it: a folder the user chose, so a usage error, before anything is read
            result.finish("failed", ExitCode.USAGE, e.getMessage() + " (choose another folder with --log-dir)");
            return result;
        }
        try (AuditLog audit = opened) {
            audit.event("start", "run_id=" + runId + " rollback of " + snapshotId + " dry_run=" + dryRun + " force=" + force
                    + " database=" + db.settings().redactedUrl());
            StepTimer timer = new StepTimer();
            try {
                new Rollback(this, snapshotId, dryRun, force, confirm, result, audit, timer).execute();
            } catch (SafeImportException e) {
                // DESIGN.md §3: refused is exit 4 or 5; anything else (a snapshot that does not exist is a usage error) failed
                result.finish(e.exitCode().failureStatus(),
                        e.exitCode(), e.getMessage());
                audit.event("error", "exit=" + e.exitCode().code() + " " + e.getMessage());
            } catch (IOException | UncheckedIOException e) {
                result.finish("failed", ExitCode.INTERNAL, "I/O error: " + e.getMessage() + "; nothing was restored");
                audit.event("error", e.toString());
            } catch (RuntimeException e) {
                SafeImportException t = DbErrors.translate(e, "the rollback");
                result.finish("failed", t.exitCode(), t.getMessage());
                audit.event("error", e.toString());
            }
            // like an import's: what each table got, and where the time went
            result.tables().forEach((table, c) -> audit.event("rows", "table=" + table + " restored=" + c.restored() + " removed=" + c.removed()
                    + ("restored".equals(result.status()) ? "" : " (not written)")));
            audit.event("timings", timer.toString());
            audit.event("end", "status=" + result.status() + " exit=" + result.exitCode().code() + " counts=" + countsJson(result)
                    + (result.safetySnapshotId() == null ? "" : " safety_snapshot_id=" + result.safetySnapshotId()));
        }
        return result;
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

    int lockWaitSeconds() {
        return lockWaitSeconds;
    }

    ProgressListener progress() {
        return progress;
    }

    Catalog catalog() {
        return catalog;
    }

    /** Per table, the rows restored and removed, as the audit log and the run table record them. */
    static String countsJson(RollbackResult result) {
        ObjectNode n = JSON.objectNode();
        result.tables().forEach((t, c) -> n.putObject(t).put("restored", c.restored()).put("removed", c.removed()));
        return n.toString();
    }
}
