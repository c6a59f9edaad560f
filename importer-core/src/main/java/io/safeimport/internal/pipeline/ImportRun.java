package io.safeimport.internal.pipeline;

import io.safeimport.api.CsvFormat;
import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportError;
import io.safeimport.api.ImportRequest;
import io.safeimport.api.ImportResult;
import io.safeimport.api.ImportWarning;
import io.safeimport.api.ProgressListener;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.AuditLog;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.KeySet;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.spi.AcyclicReference;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * One import run as its steps share it: what was asked, where it reports, and what one step leaves
 * for the next (the key sets validation fills and planning reads, the plan files planning writes and
 * apply reads, the snapshot's pre-images, whether the writes have begun). The steps are separate
 * classes so that each can be read alone; this is the one place their shared state lives, typed.
 */
final class ImportRun {
    private final Database db;
    private final SnapshotStore snapshots;
    private final Clock clock;
    private final ProgressListener progress;
    private final ImportRequest request;
    private final ImportResult result;
    private final AuditLog audit;
    private final Path work;
    private final Instant started;
    private final Catalog catalog;
    private final StepTimer timer = new StepTimer();
    /** Per table: fingerprints of keys this run provides, value = file index << 28 | line of the first. */
    private final Map<String, KeySet> inRun = new HashMap<>();
    private final List<BitSet> invalidRows = new ArrayList<>();
    private final List<String> shas = new ArrayList<>();
    private final Map<String, JsonLines.Writer> planFiles = new HashMap<>();
    private final Set<String> tables = new LinkedHashSet<>();
    private final List<IntegrityCheck> checks = new ArrayList<>();
    private final ChunkOrder order = new ChunkOrder();
    private final Map<Integer, RejectsFile> rejects = new HashMap<>();
    private boolean fatal;
    /** The run is rejected already: planning only looks for more errors, and prepares nothing to write. */
    private boolean checkOnly;
    /**
     * Autocommit connection open for the whole run: it holds the import lock (not for a
     * dry-run) and records the run as running as soon as it has it.
     */
    private Handle control;
    private boolean recorded;
    /** Whether the run got to its writes: from then on its record stays, whatever the outcome. */
    private boolean applying;
    private PlanDigest digest;
    /** The import lock, held from before the run is recorded to the end (none for a dry run). */
    private ImportLock lock;
    /** The snapshot's pre-images, written while planning (a real run with --backup only). */
    private JsonLines.Writer pre;
    private boolean snapshotKept;
    /**
     * Whether the writes have begun in the import's transaction: a failure from then on (the
     * lock check and the commit included) is logged as the rollback it caused.
     */
    private boolean writing;

    ImportRun(Database db, SnapshotStore snapshots, Clock clock, ProgressListener progress, ImportRequest request,
              ImportResult result, AuditLog audit, Path work) {
        this.db = db;
        this.snapshots = snapshots;
        this.clock = clock;
        this.progress = progress;
        this.request = request;
        this.result = result;
        this.audit = audit;
        this.work = work;
        this.started = clock.instant();
        this.catalog = catalogOf(request);
    }

    private static Catalog catalogOf(ImportRequest request) {
        Catalog catalog = null;
        for (ImportRequest.ImportFile f : request.files()) {
            Catalog c = f.importer().catalog();
            if (catalog != null && c != catalog) {
                throw new IllegalArgumentException("the importers of one run must share one catalog; "
                        + f.importer().name() + " has its own");
            }
            catalog = c;
        }
        return catalog == null ? Catalog.reference() : catalog;
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

    ImportRequest request() {
        return request;
    }

    ImportResult result() {
        return result;
    }

    AuditLog audit() {
        return audit;
    }

    /** The run's scratch folder: plan files and the applier's spill files. */
    Path work() {
        return work;
    }

    Instant started() {
        return started;
    }

    StepTimer timer() {
        return timer;
    }

    /** The snapshot of an import is named after its run. */
    String snapshotId() {
        return result.runId();
    }

    Map<String, KeySet> inRun() {
        return inRun;
    }

    List<BitSet> invalidRows() {
        return invalidRows;
    }

    List<String> shas() {
        return shas;
    }

    Map<String, JsonLines.Writer> planFiles() {
        return planFiles;
    }

    Set<String> tables() {
        return tables;
    }

    /** The tables of this run's importers (every file's importer hands out the same one). */
    Catalog catalog() {
        return catalog;
    }

    /** The self-reference the run's importers keep acyclic, or {@code null}. */
    AcyclicReference acyclic() {
        for (ImportRequest.ImportFile f : request.files()) {
            AcyclicReference a = f.importer().acyclic();
            if (a != null && tables.contains(a.table())) {
                return a;
            }
        }
        return null;
    }

    /** The table of {@link #acyclic()}, or {@code null}. */
    TableSpec acyclicTable() {
        AcyclicReference a = acyclic();
        return a == null ? null : catalog.table(a.table());
    }

    List<IntegrityCheck> checks() {
        return checks;
    }

    ChunkOrder order() {
        return order;
    }

    Map<Integer, RejectsFile> rejects() {
        return rejects;
    }

    boolean fatal() {
        return fatal;
    }

    void fatal(boolean fatal) {
        this.fatal = fatal;
    }

    boolean checkOnly() {
        return checkOnly;
    }

    void checkOnly(boolean checkOnly) {
        this.checkOnly = checkOnly;
    }

    Handle control() {
        return control;
    }

    void control(Handle control) {
        this.control = control;
    }

    boolean recorded() {
        return recorded;
    }

    void recorded(boolean recorded) {
        this.recorded = recorded;
    }

    boolean applying() {
        return applying;
    }

    void applying(boolean applying) {
        this.applying = applying;
    }

    PlanDigest digest() {
        return digest;
    }

    void digest(PlanDigest digest) {
        this.digest = digest;
    }

    ImportLock lock() {
        return lock;
    }

    void lock(ImportLock lock) {
        this.lock = lock;
    }

    JsonLines.Writer pre() {
        return pre;
    }

    void pre(JsonLines.Writer pre) {
        this.pre = pre;
    }

    boolean snapshotKept() {
        return snapshotKept;
    }

    void snapshotKept(boolean snapshotKept) {
        this.snapshotKept = snapshotKept;
    }

    boolean writing() {
        return writing;
    }

    void writing(boolean writing) {
        this.writing = writing;
    }

    /** An error of the input: in the result and in the audit log. */
    void error(ImportError e) {
        result.error(e);
        audit.event("error", e.describe());
    }

    /** With {@code --max-errors N > 0}, keeps the skipped row in the rejects CSV next to the audit log. */
    void reject(int fileIndex, List<String> header, List<String> fields, long line, List<ImportError> errors) {
        if (request.maxErrors() <= 0) {
            return;
        }
        RejectsFile r = rejects.get(fileIndex);
        if (r == null) {
            String stem = request.files().get(fileIndex).path().getFileName().toString().replaceAll("\\.csv$", "");
            Path logFile = Path.of(result.logFile());
            Path target = (logFile.getParent() == null ? Path.of(".") : logFile.getParent())
                    .resolve(result.runId() + "." + stem + ".rejects.csv");
            try {
                r = RejectsFile.create(target, header);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the rejects file " + target + ": " + e.getMessage(), e);
            }
            rejects.put(fileIndex, r);
        }
        r.write(fields, line, errors);
    }

    /** Closes the rejects files and tells where they are: a warning each and an audit line. */
    void closeRejects() throws IOException {
        for (Map.Entry<Integer, RejectsFile> e : rejects.entrySet()) {
            RejectsFile r = e.getValue();
            r.close();
            result.warnings().add(ImportWarning.ofFile("rows_rejected", request.files().get(e.getKey()).display(),
                    r.rows() + " rejected row(s) written to " + r.file() + " (fix them and import that file again)"));
            audit.event("rejects", "file=" + r.file() + " rows=" + r.rows());
        }
    }

    /** Stops the run (exit 1) when a file could not be read through or there are more errors than --max-errors. */
    void rejectIfTooMany() {
        if (fatal || result.errorCount() > request.maxErrors()) {
            throw new SafeImportException(ExitCode.REJECTED, result.errorCount() + " error" + (result.errorCount() == 1 ? "" : "s")
                    + " in the input" + (fatal ? "" : " (more than --max-errors " + request.maxErrors() + ")")
                    + "; nothing was written" + firstError());
        }
    }

    private String firstError() {
        return result.errors().isEmpty() ? "" : ". First: " + result.errors().get(0).describe();
    }

    /**
     * The options a saved plan is bound to: the importers' options, and the CSV format where it
     * is not the default (a plan made by reading the file in one encoding must not apply values
     * read in another); plans saved before the format existed still match.
     */
    String planOptions() {
        return request.csvFormat().equals(CsvFormat.DEFAULT) ? String.valueOf(request.options())
                : request.options() + " " + request.csvFormat();
    }

    /**
     * Whether planning may hold more than its key sets: the checks' first run (a check of the
     * manager graph keeps 16 bytes per managed user) and {@link IdOrder}'s full window of rows
     * read ahead (about 12 MB). Only when those sets take less than a quarter of the heap: a
     * million rows qualify with {@code -Xmx256m}, five million do not; their checks run after
     * planning has let go of its memory, as they always could, and the window is a quarter.
     */
    boolean roomAlongsidePlanning() {
        long bytes = 0;
        for (KeySet set : inRun.values()) {
            bytes += set.bytes();
        }
        return bytes < Runtime.getRuntime().maxMemory() / 4;
    }

    /** The plan file of {@code table} in the work folder, opened on first use. */
    JsonLines.Writer planFile(String table) {
        return planFiles.computeIfAbsent(table, t -> {
            try {
                return JsonLines.write(work.resolve("plan-" + t + ".jsonl.gz"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Closes the plan files (again: a writer closes once). */
    void closePlanFiles() throws IOException {
        for (JsonLines.Writer w : planFiles.values()) {
            w.close();
        }
    }
}
