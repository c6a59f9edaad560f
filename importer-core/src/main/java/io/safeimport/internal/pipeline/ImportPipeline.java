package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.CsvFormat;
import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportRequest;
import io.safeimport.api.ImportResult;
import io.safeimport.api.ImportWarning;
import io.safeimport.api.ProgressListener;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.AuditLog;
import io.safeimport.internal.audit.StepGate;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.LockHolder;
import io.safeimport.internal.db.Migrations;
import io.safeimport.internal.io.ScratchFolders;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.internal.run.RunIds;
import io.safeimport.internal.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;

/**
 * The one import pipeline of DESIGN.md §2, for every importer: read, pre-validate, plan, snapshot,
 * apply in one transaction, post-validate, commit and record. Importers only declare what they
 * import; this class owns the order of the steps and every guarantee:
 * <ul>
 *   <li>a dry-run only reads (no INSERT rolled back, not even into the run table);</li>
 *   <li>nothing is written before the snapshot has been written and read back against its manifest;</li>
 *   <li>all writes happen in one transaction that is committed only when the integrity checks found
 *       nothing the run introduced;</li>
 *   <li>the audit log records each step as it happens.</li>
 * </ul>
 * Memory stays flat as files grow: files are read as streams, twice (validate, then plan), in
 * chunks; plans and snapshots go to gzipped files; only 64-bit key fingerprints are kept per row.
 */
public final class ImportPipeline {
    /** Rows planned (and looked up) together, and how often validation reports its progress. */
    static final int CHUNK = 1000;
    /** Bits of a key-set value holding a line number; the rest hold the file's index in the batch. */
    static final int LINE_BITS = 28;

    private final Database db;
    private final SnapshotStore snapshots;
    private final Path logDir;
    private final Clock clock;
    private final ProgressListener progress;
    private final int lockWaitSeconds;

    public ImportPipeline(Database db, Path snapshotDir, Path logDir, Clock clock, ProgressListener progress, int lockWaitSeconds) {
        this.db = db;
        this.snapshots = new SnapshotStore(snapshotDir);
        this.logDir = logDir;
        this.clock = clock;
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.lockWaitSeconds = lockWaitSeconds;
    }

    /** Runs the import. Never throws for problems of the input or the database: they are in the result. */
    public ImportResult run(ImportRequest request) {
        String runId = RunIds.next(request.name(), clock);
        ImportResult result = new ImportResult(runId, request.name(), request.dryRun() ? "dry-run" : "apply");
        Path logFile = request.logFile() != null ? request.logFile() : logDir.resolve(runId + ".log");
        result.logFile(logFile.toString());
        AuditLog audit;
        try {
            audit = request.logFile() != null ? AuditLog.openNamed(logFile, clock) : AuditLog.open(logFile, clock);
        } catch (UncheckedIOException e) {
            result.finish("failed", ExitCode.USAGE, e.getMessage() + " (choose another folder with --log-dir or --log-file)");
            return result;
        } catch (SafeImportException e) {
            result.finish("failed", e.exitCode(), e.getMessage());
            return result;
        }
        try (audit) {
            audit.event("start", "run_id=" + runId + " importer=" + request.name() + " mode=" + result.mode()
                    + " database=" + db.settings().redactedUrl() + " files=" + request.files().stream()
                    .map(f -> f.path().toString()).toList() + " options=" + request.options()
                    + (request.csvFormat().equals(CsvFormat.DEFAULT) ? "" : " csv=" + request.csvFormat())
                    + " max_errors=" + request.maxErrors() + " backup=" + request.backup() + " validate=" + request.validate());
            Path work = null;
            try {
                // named after this process: the next run removes it if this one is killed
                work = ScratchFolders.create("safeimport-" + runId + "-");
                execute(new ImportRun(db, snapshots, clock, progress, request, result, audit, work));
            } catch (SafeImportException e) {
                result.finish(e.exitCode().failureStatus(), e.exitCode(), e.getMessage());
                audit.event("error", "exit=" + e.exitCode().code() + " " + e.getMessage());
                if (e.exitCode() == ExitCode.INTERNAL && e.getCause() != null) {
                    audit.event("cause", String.valueOf(e.getCause()));
                }
            } catch (IOException | UncheckedIOException e) {
                result.finish("failed", ExitCode.INTERNAL, "I/O error: " + e.getMessage() + "; nothing was committed");
                audit.event("error", "exit=70 " + e);
            } catch (RuntimeException e) {
                SafeImportException t = DbErrors.translate(e, "the import");
                result.finish("failed", t.exitCode(), t.getMessage());
                audit.event("error", "exit=" + t.exitCode().code() + " " + e);
            } catch (OutOfMemoryError e) {
                // memory is bounded by design, so this is a bug or a far too small heap; the open
                // transaction (if any) was rolled back when its handle closed
                result.finish("failed", ExitCode.INTERNAL, "ran out of memory (maximum heap "
                        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB); nothing was committed."
                        + " Give the JVM more with JAVA_OPTS=-Xmx... and report the file size");
                audit.event("error", "exit=70 " + e);
            } finally {
                deleteQuietly(work);
            }
            audit.event("end", "status=" + result.status() + " exit=" + result.exitCode().code() + " counts=" + result.counts().asMap()
                    + (result.snapshotId() == null ? "" : " snapshot_id=" + result.snapshotId()));
        }
        return result;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // temp files only
        }
    }

    /** The run under its lock, on a control connection open throughout; what it leaves behind told at the end. */
    private void execute(ImportRun run) throws IOException {
        // the control connection stays open for the whole run: on the embedded database it keeps
        // the file this process's, so nobody can take it between two steps and fail the run
        run.control(db.open());
        try {
            if (!run.request().dryRun() && run.request().backup()) {
                // a folder that cannot hold the snapshot is refused before the first row is read
                snapshots.requireUsable();
            }
            try (ImportLock held = takeLock(run)) {
                run.lock(held);
                steps(run);
            }
        } finally {
            finish(run);
        }
    }

    /** The import lock on the control connection, for a real run; a dry run only reads, and takes none. */
    private ImportLock takeLock(ImportRun run) {
        if (run.request().dryRun()) {
            return null;
        }
        String command = ImportLock.command(db, "import " + run.request().name());
        return ImportLock.take(db, run.control(), lockWaitSeconds, LockHolder.me(run.result().runId(), command, run.started()));
    }

    /** The steps of DESIGN.md §2, the run recorded as running from the moment it holds the lock until they end. */
    private void steps(ImportRun run) throws IOException {
        boolean dryRun = run.request().dryRun();
        RunRecord record = new RunRecord(run);
        try {
            if (!dryRun) {
                run.audit().event("lock", "acquired " + run.lock().name());
                StepGate.pass("locked");
                try {
                    record.start();
                } catch (RuntimeException e) {
                    // no run table yet (a new embedded database): recorded once the schema is there
                }
            }
            // a run of declared importers puts a database on no track yet on the own-tables one
            boolean declared = !run.catalog().fingerprints().isEmpty();
            Migrations migrations = new Migrations(db, declared);
            migrations.requireCurrent();
            if (!declared && migrations.track() == Migrations.Track.OWN_TABLES) {
                throw new SafeImportException(ExitCode.DATABASE, db.settings().redactedUrl() + " holds safeimport's own tables"
                        + " beside the operator's, not the reference schema the built-in importers write (its importers are"
                        + " declared in safeimport.yml): import with those (see `safeimport config check`), or use another database");
            }
            if (!dryRun) {
                if (!run.recorded()) {
                    record.start();
                }
                run.audit().event("run", "recorded as running");
                record.markInterrupted();
            }
            run.timer().run("validate", new ValidateStep(run)::run);
            planAndApply(run);
            if (run.recorded()) {
                // ended without a commit of its own: there was nothing to write
                record.end(run.result().status(), run.result().message());
            }
        } catch (RuntimeException | IOException e) {
            if (run.recorded()) {
                record.end(e);
            }
            throw e;
        }
    }

    /**
     * Steps 3 to 7. For a real run with checks, the import's transaction begins before planning
     * so that the checks' first run on it overlaps planning; the snapshot's pre-images are written
     * while planning, and the snapshot is discarded unless the run got as far as keeping it.
     */
    private void planAndApply(ImportRun run) throws IOException {
        ImportRequest request = run.request();
        boolean writeSnapshot = !request.dryRun() && request.backup() && !run.checkOnly();
        if (writeSnapshot) {
            new SnapshotStep(run).begin();
        }
        try (Handle h = db.open()) {
            if (!request.dryRun() && !run.checkOnly() && request.validate() && run.roomAlongsidePlanning()) {
                WriteStep write = new WriteStep(run);
                try (Handle tx = db.open()) {
                    write.inImportTransaction(tx, t -> {
                        try (EarlyChecks early = EarlyChecks.start(t, db.dialect(), run.checks(), run.timer())) {
                            run.audit().event("plan", "integrity checks (before) started in the import's transaction, alongside planning");
                            planAndWrite(run, h, early);
                        }
                        if (!run.writing()) {
                            t.rollback(); // nothing to write: the transaction ends untouched, and nothing is committed
                        }
                    });
                }
            } else {
                planAndWrite(run, h, null);
            }
        } finally {
            if (run.pre() != null) {
                run.pre().close();
            }
            run.closePlanFiles();
            if (writeSnapshot && !run.snapshotKept()) {
                snapshots.discard(run.snapshotId());
            }
        }
    }

    /**
     * Plans every file on {@code h}; then a dry run reports, and a real run with something to
     * write takes the snapshot and applies. {@code early} is the checks' first run on the
     * import's transaction when that began before planning, else {@code null}.
     */
    private void planAndWrite(ImportRun run, Handle h, EarlyChecks early) throws IOException {
        ImportRequest request = run.request();
        ImportResult result = run.result();
        AuditLog audit = run.audit();
        RowStore store = new RowStore(h, db.dialect(), run.catalog(), true);
        new PlanStep(run).run(h, store);
        if (request.dryRun()) {
            if (request.planOut() != null) {
                run.digest().save(request.planOut(), PlanDigest.header(request.name(), result, run.planOptions()), result);
                audit.event("plan-out", "saved " + request.planOut());
            }
            result.finish("planned", ExitCode.OK, null);
            return;
        }
        if (request.plan() != null) {
            audit.event("plan", "matches the saved plan: " + run.digest().compared() + " rows");
        }
        if (result.counts().writes() == 0) {
            result.warnings().add(ImportWarning.of("nothing_to_write", "nothing to write: the database already matches the input"));
            result.finish("committed", ExitCode.OK, "nothing to write");
            audit.event("apply", "skipped: nothing to write");
            return;
        }
        ObjectNode manifest = null;
        if (run.pre() != null) {
            manifest = new SnapshotStep(run).take(store);
        } else {
            result.warnings().add(ImportWarning.of("no_backup", "--no-backup: no snapshot was taken; this run cannot be rolled back"));
            audit.event("snapshot", "skipped (--no-backup)");
        }
        new WriteStep(run).apply(manifest, early);
    }

    /** What the run leaves behind, told after its steps whatever their outcome: timings, a lost lock, rejects files. */
    private static void finish(ImportRun run) throws IOException {
        run.audit().event("timings", run.timer().toString());
        ImportLock lock = run.lock();
        if (lock != null && lock.lost()) {
            run.result().warnings().add(ImportWarning.of("lock_lost",
                    "the import lock had been lost before this run released it (its database connection ended)"));
            run.audit().event("lock", "lost before release");
        }
        try {
            run.control().close();
        } catch (RuntimeException e) {
            // connection already gone
        }
        run.closeRejects();
    }

    /**
     * The result of work done on another thread; what stopped it is rethrown here as it was thrown
     * there (a database error must reach {@code DbErrors} unwrapped).
     *
     * @param doing what this thread was doing, for the message when it is interrupted
     */
    static <T> T await(Future<T> future, String doing) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The rows a file will have, judged from how many its first {@code bytesRead} bytes held; -1 when unknown. */
    static long estimatedRows(long rows, long bytesRead, long fileSize) {
        if (rows <= 0 || bytesRead <= 0 || fileSize <= 0) {
            return -1;
        }
        return Math.max(rows, Math.round((double) rows * fileSize / bytesRead));
    }

    static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
