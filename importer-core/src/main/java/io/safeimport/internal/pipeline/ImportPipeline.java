package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.CsvFormat;
import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportError;
import io.safeimport.api.ImportRequest;
import io.safeimport.api.ImportResult;
import io.safeimport.api.ImportWarning;
import io.safeimport.api.ProgressListener;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.AuditLog;
import io.safeimport.internal.audit.StepGate;
import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.csv.CsvFormatException;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.LockHolder;
import io.safeimport.internal.db.Migrations;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.io.ScratchFolders;
import io.safeimport.internal.plan.KeySet;
import io.safeimport.internal.plan.Keys;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.internal.run.DatabaseIdentity;
import io.safeimport.internal.run.RunIds;
import io.safeimport.internal.run.RunStore;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.spi.CsvLayout;
import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.Ref;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.RowEmitter;
import io.safeimport.spi.Severity;
import io.safeimport.spi.TableSpec;
import io.safeimport.spi.TargetRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
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
    private static final int CHUNK = 1000;
    /** Bits of a key-set value holding a line number; the rest hold the file's index in the batch. */
    static final int LINE_BITS = 28;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

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
                new Run(request, result, audit, work).execute();
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

    /** The state of one run. */
    private final class Run {
        private final ImportRequest request;
        private final ImportResult result;
        private final AuditLog audit;
        private final Path work;
        private final Instant started;
        /** Per table: fingerprints of keys this run provides, value = file index << 28 | line of the first. */
        private final Map<String, KeySet> inRun = new HashMap<>();
        private final List<BitSet> invalidRows = new ArrayList<>();
        private final List<String> shas = new ArrayList<>();
        private final Map<String, JsonLines.Writer> planFiles = new HashMap<>();
        private final Set<String> tables = new LinkedHashSet<>();
        private final List<IntegrityCheck> checks = new ArrayList<>();
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
        private final ChunkOrder order = new ChunkOrder();
        private final Map<Integer, RejectsFile> rejects = new HashMap<>();
        private final StepTimer timer = new StepTimer();
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

        Run(ImportRequest request, ImportResult result, AuditLog audit, Path work) {
            this.request = request;
            this.result = result;
            this.audit = audit;
            this.work = work;
            this.started = clock.instant();
        }

        void execute() throws IOException {
            // the control connection stays open for the whole run: on the embedded database it keeps
            // the file this process's, so nobody can take it between two steps and fail the run
            control = db.open();
            try {
                if (!request.dryRun() && request.backup()) {
                    // a folder that cannot hold the snapshot is refused before the first row is read
                    snapshots.requireUsable();
                }
                try (ImportLock held = takeLock()) {
                    lock = held;
                    steps();
                }
            } finally {
                audit.event("timings", timer.toString());
                if (lock != null && lock.lost()) {
                    result.warnings().add(ImportWarning.of("lock_lost",
                            "the import lock had been lost before this run released it (its database connection ended)"));
                    audit.event("lock", "lost before release");
                }
                try {
                    control.close();
                } catch (RuntimeException e) {
                    // connection already gone
                }
                for (Map.Entry<Integer, RejectsFile> e : rejects.entrySet()) {
                    RejectsFile r = e.getValue();
                    r.close();
                    result.warnings().add(ImportWarning.ofFile("rows_rejected", request.files().get(e.getKey()).display(),
                            r.rows() + " rejected row(s) written to " + r.file() + " (fix them and import that file again)"));
                    audit.event("rejects", "file=" + r.file() + " rows=" + r.rows());
                }
            }
        }

        /** The import lock on the control connection, for a real run; a dry run only reads, and takes none. */
        private ImportLock takeLock() {
            if (request.dryRun()) {
                return null;
            }
            String command = ImportLock.command(db, "import " + request.name());
            return ImportLock.take(db, control, lockWaitSeconds, LockHolder.me(result.runId(), command, started));
        }

        /** The steps of DESIGN.md §2, the run recorded as running from the moment it holds the lock until they end. */
        private void steps() throws IOException {
            try {
                if (!request.dryRun()) {
                    audit.event("lock", "acquired " + lock.name());
                    StepGate.pass("locked");
                    try {
                        recordStart();
                    } catch (RuntimeException e) {
                        // no run table yet (a new embedded database): recorded once the schema is there
                    }
                }
                new Migrations(db).requireCurrent();
                if (!request.dryRun()) {
                    if (!recorded) {
                        recordStart();
                    }
                    audit.event("run", "recorded as running");
                    for (String dead : new RunStore(control).markInterrupted()) {
                        result.warnings().add(ImportWarning.of("run_interrupted",
                                "run " + dead + " had been interrupted (its process died); it is now marked interrupted"));
                        audit.event("interrupted", "run " + dead + " marked interrupted");
                    }
                }
                timer.run("validate", this::validate);
                plan();
                if (recorded) {
                    // ended without a commit of its own: there was nothing to write
                    recordEnd(result.status(), result.message());
                }
            } catch (RuntimeException | IOException e) {
                if (recorded) {
                    recordEnd(e);
                }
                throw e;
            }
        }
        private void error(ImportError e) {
            result.error(e);
            audit.event("error", e.describe());
        }

        // ---- step 1 and 2: read and pre-validate ---------------------------------------------

        private void validate() {
            audit.event("validate", "begin");
            for (int i = 0; i < request.files().size(); i++) {
                ImportRequest.ImportFile f = request.files().get(i);
                BitSet invalid = new BitSet();
                invalidRows.add(invalid);
                CsvFile csv = CsvFile.open(f.path(), f.display(), f.importer(), request.options(),
                        request.ignoreUnknownColumns(), request.csvFormat(), this::error);
                if (csv == null) {
                    fatal = true;
                    shas.add(null);
                    continue;
                }
                try (csv) {
                    tables.addAll(csv.layout().tables());
                    checks.addAll(f.importer().checks());
                    long rows = 0;
                    int fileTag = i << LINE_BITS;
                    try {
                        CsvFile.Row row;
                        while ((row = csv.next()) != null) {
                            rows++;
                            List<TargetRow> targets = map(csv.layout(), row, true);
                            if (!row.rejected()) {
                                List<String> keys = new ArrayList<>(targets.size());
                                for (TargetRow t : targets) {
                                    keys.add(Keys.of(t.table(), t.key()));
                                }
                                for (int k = 0; k < targets.size(); k++) {
                                    if (!keyedBySibling(targets.get(k), k, keys)) {
                                        checkDuplicate(csv, row, targets.get(k), keys.get(k), fileTag);
                                    }
                                }
                            }
                            if (row.rejected()) {
                                invalid.set((int) row.ordinal());
                                result.counts().add("invalid");
                                row.errors().forEach(this::error);
                                reject(i, csv.rawHeader(), row.fields(), row.line(), row.errors());
                            }
                            if (rows % CHUNK == 0) {
                                progress.progress("validate " + f.display(), rows, estimatedRows(rows, csv.bytesRead(), fileSize(f.path())));
                            }
                        }
                    } catch (CsvFormatException e) {
                        // a broken file (bad quoting, bad bytes) cannot be read past the fault
                        error(e.toImportError());
                        fatal = true;
                    }
                    String sha = csv.sha256();
                    shas.add(sha);
                    result.csv().add(new ImportResult.CsvInfo(f.path().toString(), sha, rows));
                    audit.event("read", "file=" + f.display() + " rows=" + rows + " sha256=" + sha + " invalid=" + invalid.cardinality());
                }
            }
            audit.event("validate", "end errors=" + result.errorCount());
            if (fatal) {
                rejectIfTooMany(); // a file that cannot be read through cannot be planned
            }
            checkOnly = result.errorCount() > request.maxErrors();
            if (checkOnly) {
                // rejected already, but planning still finds the rows' reference errors: all errors in one run
                audit.event("validate", "more errors than --max-errors; planning only to find the remaining errors");
                return;
            }
            try {
                if (request.plan() != null) {
                    digest = PlanDigest.verifying(work, request.plan());
                    digest.checkHeader(PlanDigest.header(request.name(), result, planOptions()));
                    audit.event("plan", "checking against saved plan " + request.plan());
                } else if (request.planOut() != null) {
                    digest = PlanDigest.recording(work);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * The options a saved plan is bound to: the importers' options, and the CSV format where it
         * is not the default (a plan made by reading the file in one encoding must not apply values
         * read in another); plans saved before the format existed still match.
         */
        private String planOptions() {
            return request.csvFormat().equals(CsvFormat.DEFAULT) ? String.valueOf(request.options())
                    : request.options() + " " + request.csvFormat();
        }

        /** With {@code --max-errors N > 0}, keeps the skipped row in the rejects CSV next to the audit log. */
        private void reject(int fileIndex, List<String> header, List<String> fields, long line, List<ImportError> errors) {
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

        /**
         * Whether {@code t}'s whole key is a reference to another row the same CSV row asks for (a
         * history row's compensation and seniority snapshots are keyed by its event). Such a row is
         * a duplicate exactly when that other row is, which its own key check finds, and no row of
         * any file refers to it: it needs no key set of its own. On 5,000,000 history events the
         * snapshots' key sets took about 100 MB of a 256 MB heap.
         */
        private static boolean keyedBySibling(TargetRow t, int index, List<String> keys) {
            if (t.key().size() != 1 || !(t.key().values().iterator().next() instanceof Ref r)) {
                return false;
            }
            // a key spells its table, so an equal key is a row of the referenced table
            int at = keys.indexOf(Keys.of(r));
            return at >= 0 && at != index;
        }

        /** @param key {@code t}'s key ({@link Keys#of(String, Map)}) */
        private void checkDuplicate(CsvFile csv, CsvFile.Row row, TargetRow t, String key, int fileTag) {
            if (row.line() >= 1L << LINE_BITS) {
                throw new SafeImportException(ExitCode.REJECTED, csv.display() + " has more than " + ((1 << LINE_BITS) - 1)
                        + " lines; split it into smaller files and import them one after another");
            }
            int prior = inRun.computeIfAbsent(t.table(), k -> new KeySet()).putIfAbsent(Keys.hash(key), fileTag | (int) row.line());
            if (prior >= 0 && (prior >>> LINE_BITS) == (fileTag >>> LINE_BITS)) {
                TableSpec spec = ReferenceSchema.table(t.table());
                String code = spec.key().size() == 1 ? "duplicate_" + spec.key().get(0).replaceAll("_id$", "")
                        : "duplicate_" + spec.noun().replace(' ', '_');
                String column = spec.key().size() == 1 ? spec.key().get(0) : null;
                row.reject(column, code, "duplicate key " + Planner.display(t.table(), t.key()) + ": line " + (prior & ((1 << LINE_BITS) - 1))
                        + " has the same " + spec.noun() + " (keys compare ignoring case and extra blanks); keep one of the rows");
            }
        }

        private void rejectIfTooMany() {
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
         * The target rows of a CSV row. Skipped rows are counted and shown on the first (validation)
         * pass only; later passes map the same row again and must not count it twice.
         */
        private List<TargetRow> map(CsvLayout layout, CsvFile.Row row, boolean firstPass) {
            return map(layout, row, firstPass, null);
        }

        /**
         * The references a row found invalid on the first pass names, as target rows without a key
         * (checked, never planned), or an empty list.
         */
        private List<TargetRow> references(CsvLayout layout, CsvFile.Row row) {
            List<TargetRow> refs = new ArrayList<>(1);
            List<TargetRow> targets = map(layout, row, false, refs);
            // a row rejected on the first pass for its key alone (a duplicate) maps cleanly: its references are checked too
            if (row.rejected()) {
                return refs;
            }
            Set<Ref> own = new HashSet<>();
            targets.forEach(t -> own.add(new Ref(t.table(), new ArrayList<>(t.key().values()))));
            return targets.stream().map(t -> new TargetRow(t.table(), Map.of(), refsOf(t, own), false)).toList();
        }

        /** The references of a target row, but for those to rows the same CSV row makes (a snapshot's event). */
        private static Map<String, Object> refsOf(TargetRow t, Set<Ref> own) {
            Map<String, Object> refs = new LinkedHashMap<>();
            BiConsumer<String, Object> add = (k, v) -> {
                if (v instanceof Ref r && !own.contains(r)) {
                    refs.put(k, v);
                }
            };
            t.key().forEach(add);
            t.values().forEach(add);
            return refs;
        }

        private List<TargetRow> map(CsvLayout layout, CsvFile.Row row, boolean firstPass, List<TargetRow> rejectedRefs) {
            List<TargetRow> out = new ArrayList<>(2);
            if (row.rejected()) {
                return out;
            }
            layout.mapper().map(row, new RowEmitter() {
                @Override
                public void emit(TargetRow t) {
                    if (!layout.tables().contains(t.table())) {
                        throw new IllegalStateException(layout.kind() + " emitted a row for undeclared table " + t.table());
                    }
                    out.add(t);
                }

                @Override
                public void skip(String reason) {
                    if (!firstPass) {
                        return;
                    }
                    result.counts().add("skipped");
                    result.plan(new ImportResult.PlanLine(row.file(), row.line(), layout.tables().get(0), "", "skipped", reason));
                }

                @Override
                public void references(String table, Map<String, Ref> references) {
                    if (rejectedRefs != null && !references.isEmpty()) {
                        rejectedRefs.add(new TargetRow(table, Map.of(), new LinkedHashMap<>(references), false));
                    }
                }
            });
            return out;
        }

        // ---- step 3: plan (and, for a real run, step 4: snapshot) -----------------------------

        private void plan() throws IOException {
            boolean writeSnapshot = !request.dryRun() && request.backup() && !checkOnly;
            String snapshotId = result.runId();
            if (writeSnapshot) {
                snapshots.create(snapshotId);
                pre = snapshots.writer(snapshotId, SnapshotStore.PRE);
            }
            try (Handle h = db.open()) {
                if (!request.dryRun() && !checkOnly && request.validate() && roomAlongsidePlanning()) {
                    // the transaction begins before planning so that the checks' first run on it overlaps planning
                    try (Handle tx = db.open()) {
                        inImportTransaction(tx, t -> {
                            try (EarlyChecks early = EarlyChecks.start(t, db.dialect(), checks, timer)) {
                                audit.event("plan", "integrity checks (before) started in the import's transaction, alongside planning");
                                planAndWrite(h, snapshotId, early);
                            }
                            if (!writing) {
                                t.rollback(); // nothing to write: the transaction ends untouched, and nothing is committed
                            }
                        });
                    }
                } else {
                    planAndWrite(h, snapshotId, null);
                }
            } finally {
                if (pre != null) {
                    pre.close();
                }
                for (JsonLines.Writer w : planFiles.values()) {
                    w.close();
                }
                if (writeSnapshot && !snapshotKept) {
                    snapshots.discard(snapshotId);
                }
            }
        }

        /**
         * Plans every file on {@code h}; then a dry run reports, and a real run with something to
         * write takes the snapshot and applies. {@code early} is the checks' first run on the
         * import's transaction when that began before planning, else {@code null}.
         */
        private void planAndWrite(Handle h, String snapshotId, EarlyChecks early) throws IOException {
            RowStore store = new RowStore(h, db.dialect(), true);
            planFiles(h, store);
            if (request.dryRun()) {
                if (request.planOut() != null) {
                    digest.save(request.planOut(), PlanDigest.header(request.name(), result, planOptions()), result);
                    audit.event("plan-out", "saved " + request.planOut());
                }
                result.finish("planned", ExitCode.OK, null);
                return;
            }
            if (request.plan() != null) {
                audit.event("plan", "matches the saved plan: " + digest.compared() + " rows");
            }
            if (result.counts().writes() == 0) {
                result.warnings().add(ImportWarning.of("nothing_to_write", "nothing to write: the database already matches the input"));
                result.finish("committed", ExitCode.OK, "nothing to write");
                audit.event("apply", "skipped: nothing to write");
                return;
            }
            ObjectNode manifest = null;
            if (pre != null) {
                manifest = snapshot(store, snapshotId);
            } else {
                result.warnings().add(ImportWarning.of("no_backup", "--no-backup: no snapshot was taken; this run cannot be rolled back"));
                audit.event("snapshot", "skipped (--no-backup)");
            }
            apply(manifest, snapshotId, early);
        }

        /** Step 3 on {@code h}: every file planned chunk by chunk, then the manager cycles; rejects the run if too many rows are invalid. */
        private void planFiles(Handle h, RowStore store) throws IOException {
            TableSpec selfRef = tables.contains("app_user") ? ReferenceSchema.table("app_user") : null;
            CycleGraph cycles = new CycleGraph(selfRef, inRun.getOrDefault("app_user", new KeySet()));
            audit.event("plan", "begin");
            long planStart = System.nanoTime();
            try (LookAhead lookAhead = new LookAhead(db, timer, roomAlongsidePlanning() ? IdOrder.AHEAD : IdOrder.AHEAD_TIGHT)) {
                for (int i = 0; i < request.files().size(); i++) {
                    planFile(i, store, pre, cycles, lookAhead);
                }
            }
            timer.add("plan", System.nanoTime() - planStart);
            if (digest != null) {
                digest.finish();
            }
            result.planned(true);
            progress.progress("manager cycles", 0, -1);
            KeySet cyclic = timer.time("plan.cycles", () -> cycles.cyclicNodes(h));
            cycles.release();
            if (cyclic.size() > 0) {
                reportCycles(cyclic);
            }
            // the run's key sets served validation and planning; apply works from the plan files
            inRun.clear();
            audit.event("plan", "end counts=" + result.counts().asMap() + " errors=" + result.errorCount());
            rejectIfTooMany();
            for (JsonLines.Writer w : planFiles.values()) {
                w.close();
            }
        }

        /** Step 4: the pre-images written while planning, and with --snapshot full every table whole, verified against the manifest. */
        private ObjectNode snapshot(RowStore store, String snapshotId) throws IOException {
            progress.progress("snapshot", 0, -1);
            pre.close();
            ObjectNode manifest = manifest(snapshotId);
            SnapshotStore.record(manifest, pre);
            if (request.fullSnapshot()) {
                try (JsonLines.Writer full = snapshots.writer(snapshotId, SnapshotStore.FULL)) {
                    dumpTables(store, full);
                    full.close();
                    SnapshotStore.record(manifest, full);
                }
            }
            snapshots.writeManifest(snapshotId, manifest);
            snapshots.requireSound(snapshotId);
            snapshotKept = true;
            result.snapshotId(snapshotId);
            audit.event("snapshot", "id=" + snapshotId + " verified rows=" + pre.rows() + " dir=" + snapshots.dir(snapshotId));
            return manifest;
        }
        private ObjectNode manifest(String snapshotId) {
            ObjectNode m = JSON.objectNode();
            m.put("format", 1);
            m.put("snapshot_id", snapshotId);
            m.put("run_id", result.runId());
            m.put("kind", "import");
            m.put("importer", request.name());
            m.put("created_at", clock.instant().toString());
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
            tables.forEach(t::add);
            m.putObject("files");
            return m;
        }

        private void dumpTables(RowStore store, JsonLines.Writer full) throws IOException {
            // reads only, in a transaction rolled back at the end: PostgreSQL streams a result set only with autocommit off
            Transactions.useReadTransaction(store.handle(), h -> dumpTablesStreaming(store, full));
        }
        private void dumpTablesStreaming(RowStore store, JsonLines.Writer full) throws IOException {
            for (String table : tables) {
                TableSpec spec = ReferenceSchema.table(table);
                try (Stream<Map<String, Object>> rows = store.handle().createQuery("SELECT * FROM " + table + " ORDER BY id")
                        .setFetchSize(db.dialect().streamingFetchSize()).map(RowStore.canonicalRows(spec)).stream()) {
                    for (Map<String, Object> row : (Iterable<Map<String, Object>>) rows::iterator) {
                        ObjectNode n = JSON.objectNode();
                        n.put("table", table);
                        n.set("row", RowCodec.row(spec, row));
                        full.write(n);
                    }
                }
            }
        }

        private void planFile(int index, RowStore store, JsonLines.Writer pre, CycleGraph cycles, LookAhead lookAhead) {
            ImportRequest.ImportFile f = request.files().get(index);
            List<ImportError> headerErrors = new ArrayList<>();
            CsvFile csv = CsvFile.open(f.path(), f.display(), f.importer(), request.options(), request.ignoreUnknownColumns(),
                    request.csvFormat(), headerErrors::add);
            if (csv == null) {
                throw new SafeImportException(ExitCode.REFUSED, f.display() + " changed while it was being read; nothing was written");
            }
            try (csv) {
                String current = csv.layout().tables().get(csv.layout().tables().size() - 1);
                Planner planner = new Planner(store, request.options().forceUpdate(), inRun, current, result,
                        request.dryRun() || checkOnly ? table -> null : this::planFile, pre, new Planner.PlanSink() {
                            @Override
                            public void line(ImportResult.PlanLine line) {
                                result.plan(line);
                                audit.detail("plan-row", line.file() + ":" + line.line() + " " + line.action() + " " + line.table()
                                        + " " + line.key() + (line.detail().isEmpty() ? "" : " " + line.detail()));
                            }

                            @Override
                            public void error(ImportError e) {
                                Run.this.error(e);
                            }

                            @Override
                            public void invalid(Planner.Mapped row, List<ImportError> errors) {
                                reject(index, csv.rawHeader(), row.raw(), row.line(), errors);
                            }
                        }, cycles, index, digest, timer, order);
                BitSet invalid = invalidRows.get(index);
                List<Planner.Mapped> chunk = new ArrayList<>(CHUNK);
                CsvFile.Row row;
                long rows = 0;
                while ((row = csv.next()) != null) {
                    rows++;
                    if (invalid.get((int) row.ordinal())) {
                        // invalid already: its references are still checked, so this run names all its errors
                        List<TargetRow> refs = references(csv.layout(), row);
                        if (!refs.isEmpty()) {
                            chunk.add(new Planner.Mapped(f.display(), row.line(), refs, row.fields(), true));
                        }
                    } else {
                        List<TargetRow> targets = map(csv.layout(), row, false);
                        if (!targets.isEmpty()) {
                            chunk.add(new Planner.Mapped(f.display(), row.line(), targets, row.fields(), false));
                        }
                    }
                    if (chunk.size() == CHUNK) {
                        lookAhead.submit(chunk, planner);
                        chunk = new ArrayList<>(CHUNK);
                        progress.progress("plan " + f.display(), rows, result.csv().get(index).rows());
                    }
                }
                lookAhead.submit(chunk, planner);
                lookAhead.drain();
                if (!csv.sha256().equals(shas.get(index))) {
                    throw new SafeImportException(ExitCode.REFUSED, f.display() + " changed while it was being read (SHA-256 differs"
                            + " between passes); nothing was written. Import it again once it is complete");
                }
                audit.event("plan-file", "file=" + f.display() + " rows=" + rows);
            }
        }

        private JsonLines.Writer planFile(String table) {
            return planFiles.computeIfAbsent(table, t -> {
                try {
                    return JsonLines.write(work.resolve("plan-" + t + ".jsonl.gz"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        private void reportCycles(KeySet cyclic) {
            // a third, cheap pass names the lines of the rows on a cycle
            for (int i = 0; i < request.files().size(); i++) {
                ImportRequest.ImportFile f = request.files().get(i);
                CsvFile csv = CsvFile.open(f.path(), f.display(), f.importer(), request.options(), request.ignoreUnknownColumns(),
                        request.csvFormat(), e -> { });
                if (csv == null) {
                    continue;
                }
                try (csv) {
                    CsvFile.Row row;
                    while ((row = csv.next()) != null) {
                        for (TargetRow t : map(csv.layout(), row, false)) {
                            if (t.table().equals("app_user") && cyclic.contains(Keys.hash(Keys.of(t.table(), t.key())))) {
                                result.counts().add("invalid");
                                error(new ImportError(f.display(), row.line(), "manager_email", "manager_cycle",
                                        "'" + t.key().get("email") + "' would end up managing themself through a chain of managers"
                                                + " (a manager cycle through " + cyclic.size() + " people); fix manager_email on one of them"));
                            }
                        }
                    }
                }
            }
            fatal = true;
        }

        // ---- step 5 to 7: apply, post-validate, commit ----------------------------------------

        /**
         * Whether planning may hold more than its key sets: the checks' first run (a check of the
         * manager graph keeps 16 bytes per managed user) and {@link IdOrder}'s full window of rows
         * read ahead (about 12 MB). Only when those sets take less than a quarter of the heap: a
         * million rows qualify with {@code -Xmx256m}, five million do not; their checks run after
         * planning has let go of its memory, as they always could, and the window is a quarter.
         */
        private boolean roomAlongsidePlanning() {
            long bytes = 0;
            for (KeySet set : inRun.values()) {
                bytes += set.bytes();
            }
            return bytes < Runtime.getRuntime().maxMemory() / 4;
        }

        /**
         * Steps 5 to 7 in the import's transaction: the one begun before planning when {@code early}
         * (the checks' first run on it) is given, else one begun now, the checks' first run starting
         * on it first.
         */
        private void apply(ObjectNode manifest, String snapshotId, EarlyChecks early) throws IOException {
            applying = true;
            new RunStore(control).describe(result.runId(), result.csv().size() == 1 ? result.csv().get(0).sha256() : null,
                    manifest == null ? null : snapshotId);
            if (early != null) {
                write(early.tx(), early, manifest, snapshotId);
                return;
            }
            try (Handle own = db.open()) {
                inImportTransaction(own, t -> {
                    try (EarlyChecks late = request.validate() ? EarlyChecks.start(t, db.dialect(), checks, timer) : null) {
                        write(t, late, manifest, snapshotId);
                    }
                });
            }
        }

        /**
         * Runs {@code steps} in the import's transaction on {@code tx}, committed under the import
         * lock ({@link Transactions#inWriteTransaction}). Once the writes have begun, a failure is
         * logged as the rollback it caused and a database error is told in the user's terms.
         */
        private void inImportTransaction(Handle tx, Transactions.Steps<IOException> steps) throws IOException {
            try {
                Transactions.useWriteTransaction(tx, lock, steps);
            } catch (RuntimeException | IOException e) {
                if (writing) {
                    audit.event("rollback", "transaction rolled back: " + e.getClass().getSimpleName());
                    if (e instanceof RuntimeException re && !(e instanceof SafeImportException)) {
                        throw DbErrors.translate(re, "apply");
                    }
                }
                throw e;
            }
            if (writing) {
                recorded = false; // its record committed with it
                audit.event("commit", "ok");
                result.finish("committed", ExitCode.OK, null);
            }
        }

        /**
         * The writes and everything that must commit with them: the integrity checks after, the
         * snapshot's record of the changes, the run's committed record. Ends at the commit's test
         * gate; the caller commits.
         */
        private void write(Handle tx, EarlyChecks early, ObjectNode manifest, String snapshotId) throws IOException {
            writing = true;
            RowStore store = new RowStore(tx, db.dialect()).rememberIds();
            // before and after on the transaction's own snapshot: what others commit meanwhile is in neither
            progress.progress("checks before", 0, -1);
            IntegrityRun integrity = early == null ? null : timer.time("check.before.wait", early::awaitBefore);
            if (integrity != null) {
                audit.event("check-before", "findings=" + integrity.preExisting() + " left to enforced foreign keys: "
                        + integrity.guardedByForeignKeys().stream().map(IntegrityCheck::code).toList());
            }
            audit.event("apply", "begin writes=" + result.counts().writes());
            // one table gains nothing from chunk order and would write it in smaller batches
            boolean byChunk = order.byChunk() && planFiles.size() > 1;
            audit.event("apply", byChunk ? "order: chunk by chunk" : "order: table by table"
                    + (order.byChunk() ? " (one table)" : ", as " + order.why()));
            Applier applier = new Applier(tx, db.dialect(), store, work, progress, result.counts().writes(), timer, byChunk);
            long applyStart = System.nanoTime();
            applier.apply();
            timer.add("apply", System.nanoTime() - applyStart);
            audit.event("apply", "end");
            if (integrity != null) {
                requireNothingIntroduced(integrity, tx);
            }
            if (manifest != null) {
                recordChanges(applier, store, manifest, snapshotId);
            }
            new RunStore(tx).finish(result.runId(), "committed", clock.instant(), countsJson(), null);
            if (manifest != null) {
                // binds the snapshot to this run: rollback trusts no other manifest
                new RunStore(tx).recordManifest(result.runId(), snapshots.manifestSha256(snapshotId));
            }
            StepGate.pass("commit");
            progress.progress("commit", 0, -1);
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

        /** The snapshot's record of what the writes did, added to it and verified before the commit. */
        private void recordChanges(Applier applier, RowStore store, ObjectNode manifest, String snapshotId) throws IOException {
            progress.progress("snapshot changes", 0, -1);
            try (JsonLines.Writer changes = snapshots.writer(snapshotId, SnapshotStore.CHANGES)) {
                long t = System.nanoTime();
                applier.writeChanges(store, changes);
                timer.add("snapshot.changes", System.nanoTime() - t);
                changes.close();
                SnapshotStore.record(manifest, changes);
            }
            manifest.put("state", "complete");
            snapshots.writeManifest(snapshotId, manifest);
            snapshots.requireSound(snapshotId);
            audit.event("snapshot", "changes recorded and verified");
        }
        /**
         * Records the run as running, committed at once on the control connection (autocommit),
         * before any step that could be interrupted: killed from here on, it shows as interrupted.
         */
        private void recordStart() {
            Map<String, String> me = RunStore.whoAmI();
            String command = ImportLock.command(db, "import " + request.name());
            new RunStore(control).insertRunning(new RunStore.Run(result.runId(), request.name(), "apply", "running", started, null,
                    String.join(",", request.files().stream().map(f -> f.path().toString()).toList()), null, null, null, null,
                    me.get("host"), me.get("user"), result.logFile(), null), ProcessHandle.current().pid(), command);
            recorded = true;
            db.dialect().syncCommitted(control);
        }

        private void recordEnd(Exception e) {
            String status = e instanceof SafeImportException s ? s.exitCode().failureStatus() : "failed";
            recordEnd(status, e.getMessage());
        }

        /**
         * The run's final status; a run that stopped before applying wrote nothing, and as before
         * leaves no record (its audit log has it): only runs that began to write are history.
         */
        private void recordEnd(String status, String message) {
            recorded = false;
            try {
                if (applying) {
                    new RunStore(control).finish(result.runId(), status, clock.instant(), countsJson(), message);
                } else {
                    new RunStore(control).forget(result.runId());
                }
            } catch (RuntimeException ignored) {
                // the database is gone: the next run marks this one interrupted
            }
        }

        private String countsJson() {
            ObjectNode n = JSON.objectNode();
            result.counts().asMap().forEach(n::put);
            ObjectNode t = n.putObject("tables");
            result.tables().forEach((k, v) -> {
                ObjectNode c = t.putObject(k);
                v.asMap().forEach(c::put);
            });
            return n.toString();
        }
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

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
