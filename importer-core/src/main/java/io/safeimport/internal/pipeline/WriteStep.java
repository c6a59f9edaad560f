package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportError;
import io.safeimport.api.ImportResult;
import io.safeimport.api.ImportWarning;
import io.safeimport.api.ProgressListener;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.AuditLog;
import io.safeimport.internal.audit.StepGate;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.internal.run.RunStore;
import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.Severity;
import java.io.IOException;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Steps 5 to 7 of DESIGN.md §2 in the import's one transaction: apply the plan files, run the
 * integrity checks after and fail on what the run introduced, record the snapshot's changes and the
 * run as committed, then commit under the import lock ({@link Transactions#useWriteTransaction}).
 * Everything that must commit with the writes happens before {@code StepGate.pass("commit")}.
 */
final class WriteStep {
    private final ImportRun run;
    private final Database db;
    private final ImportResult result;
    private final AuditLog audit;
    private final StepTimer timer;
    private final ProgressListener progress;

    WriteStep(ImportRun run) {
        this.run = run;
        this.db = run.db();
        this.result = run.result();
        this.audit = run.audit();
        this.timer = run.timer();
        this.progress = run.progress();
    }

    /**
     * Steps 5 to 7 in the import's transaction: the one begun before planning when {@code early}
     * (the checks' first run on it) is given, else one begun now, the checks' first run starting
     * on it first.
     */
    void apply(ObjectNode manifest, EarlyChecks early) throws IOException {
        run.applying(true);
        new RunRecord(run).describe(manifest != null);
        if (early != null) {
            write(early.tx(), early, manifest);
            return;
        }
        try (Handle own = db.open()) {
            inImportTransaction(own, t -> {
                try (EarlyChecks late = run.request().validate() ? EarlyChecks.start(t, db.dialect(), run.checks(), timer) : null) {
                    write(t, late, manifest);
                }
            });
        }
    }

    /**
     * Runs {@code steps} in the import's transaction on {@code tx}, committed under the import
     * lock ({@link Transactions#useWriteTransaction}). Once the writes have begun, a failure is
     * logged as the rollback it caused and a database error is told in the user's terms.
     */
    void inImportTransaction(Handle tx, Transactions.Steps<IOException> steps) throws IOException {
        try {
            Transactions.useWriteTransaction(tx, run.lock(), steps);
        } catch (RuntimeException | IOException e) {
            if (run.writing()) {
                audit.event("rollback", "transaction rolled back: " + e.getClass().getSimpleName());
                if (e instanceof RuntimeException re && !(e instanceof SafeImportException)) {
                    throw DbErrors.translate(re, "apply");
                }
            }
            throw e;
        }
        if (run.writing()) {
            run.recorded(false); // its record committed with it
            audit.event("commit", "ok");
            result.finish("committed", ExitCode.OK, null);
        }
    }

    /**
     * The writes and everything that must commit with them: the integrity checks after, the
     * snapshot's record of the changes, the run's committed record. Ends at the commit's test
     * gate; the caller commits.
     */
    private void write(Handle tx, EarlyChecks early, ObjectNode manifest) throws IOException {
        run.writing(true);
        RowStore store = new RowStore(tx, db.dialect(), run.catalog(), false).rememberIds();
        // before and after on the transaction's own snapshot: what others commit meanwhile is in neither
        progress.progress("checks before", 0, -1);
        IntegrityRun integrity = early == null ? null : timer.time("check.before.wait", early::awaitBefore);
        if (integrity != null) {
            audit.event("check-before", "findings=" + integrity.preExisting() + " left to enforced foreign keys: "
                    + integrity.guardedByForeignKeys().stream().map(IntegrityCheck::code).toList());
        }
        Applier applier = applyPlan(tx, store);
        if (integrity != null) {
            requireNothingIntroduced(integrity, tx);
        }
        if (manifest != null) {
            new SnapshotStep(run).recordChanges(applier, store, manifest);
        }
        new RunRecord(run).committedIn(tx);
        if (manifest != null) {
            // binds the snapshot to this run: rollback trusts no other manifest
            new RunStore(tx).recordManifest(result.runId(), run.snapshots().manifestSha256(run.snapshotId()));
        }
        StepGate.pass("commit");
        progress.progress("commit", 0, -1);
    }

    /** Step 5: the plan files written in batches, chunk by chunk or table by table. */
    private Applier applyPlan(Handle tx, RowStore store) throws IOException {
        audit.event("apply", "begin writes=" + result.counts().writes());
        ChunkOrder order = run.order();
        // one table gains nothing from chunk order and would write it in smaller batches
        boolean byChunk = order.byChunk() && run.planFiles().size() > 1;
        audit.event("apply", byChunk ? "order: chunk by chunk" : "order: table by table"
                + (order.byChunk() ? " (one table)" : ", as " + order.why()));
        Applier applier = new Applier(tx, db.dialect(), store, run.work(), progress, result.counts().writes(), timer, byChunk);
        long applyStart = System.nanoTime();
        applier.apply();
        timer.add("apply", System.nanoTime() - applyStart);
        audit.event("apply", "end");
        return applier;
    }

    /** Step 6: the checks after the writes; what they find that the run introduced fails it (exit 3) or warns. */
    private void requireNothingIntroduced(IntegrityRun integrity, Handle tx) {
        progress.progress("checks after", 0, -1);
        List<Finding> introduced = timer.time("check.after", () -> integrity.introduced(tx));
        List<Finding> errors = introduced.stream().filter(f -> f.severity() == Severity.ERROR).toList();
        for (Finding f : introduced) {
            audit.event("check-after", f.severity().label() + " " + f.code() + " " + f.table() + " " + f.key() + ": " + f.message());
            if (f.severity() == Severity.WARNING) {
                result.warnings().add(ImportWarning.ofTable(f.code(), f.table(), f.key(), f.message()));
            }
        }
        if (!errors.isEmpty()) {
            for (Finding f : errors) {
                result.error(new ImportError(null, 0, f.table(), f.code(), f.key() + ": " + f.message()));
            }
            throw new SafeImportException(ExitCode.POST_VALIDATION_FAILED, errors.size()
                    + " integrity check" + (errors.size() == 1 ? "" : "s") + " failed after applying (first: "
                    + errors.get(0).code() + " " + errors.get(0).key() + ": " + errors.get(0).message()
                    + "); the transaction was rolled back, nothing was written");
        }
    }
}
