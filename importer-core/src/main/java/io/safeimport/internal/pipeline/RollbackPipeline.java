package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import io.safeimport.internal.io.Printable;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.internal.plan.RowStore;
import io.safeimport.internal.run.DatabaseIdentity;
import io.safeimport.internal.run.RunIds;
import io.safeimport.internal.run.RunStore;
import io.safeimport.internal.snapshot.SnapshotBinding;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * {@code rollback SNAPSHOT_ID}: puts back exactly the state before a run. In order: verify the
 * snapshot against its manifest and the schema version; find the committed run it protects;
 * under the import lock and row locks, check that every row the run wrote is still as the run
 * left it (else refuse, unless {@code --force}); take a safety snapshot of the current state (so
 * the rollback can itself be rolled back); then, in one transaction, re-insert rows the run
 * deleted (only rollbacks delete), restore pre-images, and remove the rows the run inserted,
 * children first — refusing if rows written later still point at them.
 */
public final class RollbackPipeline {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int CHUNK = 1000;
    private static final int SHOWN = 10;
    /** How many rows that depend on the run's rows are traced back to the run that wrote them. */
    private static final int ATTRIBUTED = 1000;
    private static final String OUTSIDE = "a change made outside safeimport or by a run without a snapshot (--no-backup)";

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
     * Like {@link #run(String, boolean, boolean, java.util.function.BooleanSupplier)}, the confirmation
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
                new Rollback(snapshotId, dryRun, force, confirm, result, audit, timer).execute();
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

    /** The state of one rollback, from the snapshot it restores to its commit. */
    private final class Rollback {
        private final String snapshotId;
        private final boolean dryRun;
        private final boolean force;
        private final Predicate<Map<String, RollbackResult.TableCounts>> confirm;
        private final RollbackResult result;
        private final AuditLog audit;
        private final StepTimer timer;
        private final Migrations migrations = new Migrations(db, !catalog.fingerprints().isEmpty());
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

        Rollback(String snapshotId, boolean dryRun, boolean force, Predicate<Map<String, RollbackResult.TableCounts>> confirm,
                 RollbackResult result, AuditLog audit, StepTimer timer) {
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
                run = committedRun(runs, snapshotId);
                requireBound(snapshotId, manifest, run, runs, result);
                audit.event("verify", "snapshot " + snapshotId + " is the one run " + run.runId() + " committed with");
                timer.add("verify", System.nanoTime() - started);
                long waiting = System.nanoTime();
                try (ImportLock lock = dryRun ? null : takeLock()) {
                    if (lock != null) {
                        new RunStore(lock.connection()).markInterrupted()
                                .forEach(dead -> result.warnings().add("run " + dead + " had been interrupted; now marked so"));
                        // with --wait, another rollback of the same run may have committed while this one waited
                        run = committedRun(runs, snapshotId);
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
            requireThisDatabase(snapshotId, manifest, here);
            snapshots.requireSound(snapshotId);
            audit.event("verify", "snapshot " + snapshotId + " matches its manifest");
            String schema = manifest.path("schema_version").asText();
            if (!migrations.restores(schema)) {
                throw new SafeImportException(ExitCode.REFUSED, "snapshot " + snapshotId + " was taken at schema version " + schema
                        + " but the database is now at " + migrations.currentVersion() + "; restoring it could corrupt data, so it is refused");
            }
            requireSameDefinitions(snapshotId, manifest);
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
                checkDependents(store, changes, later);
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
            ObjectNode safety = safetySnapshot(store, safetyId);
            restoreRows(store, planned);
            committing = System.nanoTime();
            safety.put("state", "complete");
            snapshots.writeManifest(safetyId, safety);
            snapshots.requireSound(safetyId);
            Map<String, String> me = RunStore.whoAmI();
            Instant now = clock.instant();
            runs.insert(new RunStore.Run(result.runId(), "rollback", "apply", "committed", now, now, null, null, safetyId,
                    null, countsJson(result), me.get("host"), me.get("user"), result.logFile(), "rollback of " + snapshotId));
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
            progress.progress("drift check", 0, rows);
            JsonLines.forEachChunk(changes, CHUNK, chunk -> {
                checkDrift(store, chunk, result, drifted);
                done[0] += chunk.size();
                progress.progress("drift check", done[0], rows);
            });
            later = runs.committedAfter(run);
            // ... and no later import may have written them again, even if their values are back as the run left them
            Map<String, RunStore.Run> writers = new LinkedHashMap<>();
            Set<String> traced = new HashSet<>();
            checkRewritten(changes, newestFirst(later), drifted, writers, traced, result);
            audit.event("drift", "changed_since=" + result.drift().size());
            timer.add("drift", System.nanoTime() - phase);
            if (!result.drift().isEmpty() && !force) {
                throw new SafeImportException(ExitCode.REFUSED, driftMessage(run, result.drift(), drifted.size() - traced.size(), writers));
            }
            if (!result.drift().isEmpty()) {
                result.warnings().add("--force: restoring over " + result.drift().size() + " row(s) changed since the run");
            }
        }

        /**
         * Step 2: a snapshot of the current state, verified before the first write: the current
         * state of every row the rollback touches (pre) and what the rollback will make of it
         * (changes): restoring writes exactly the original pre-images, so both are known now.
         */
        private ObjectNode safetySnapshot(RowStore store, String safetyId) throws IOException {
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

        /** Step 3: the pre-images back, then the rows the run inserted removed, children first, unless rows written later point at them. */
        private void restoreRows(RowStore store, RollbackResult planned) throws IOException {
            long phase = System.nanoTime();
            long restores = planned.tables().values().stream().mapToLong(RollbackResult.TableCounts::restored).sum();
            long removals = planned.tables().values().stream().mapToLong(RollbackResult.TableCounts::removed).sum();
            progress.progress("restore", 0, restores);
            restore(store, changes, result, audit, restores);
            timer.add("restore", System.nanoTime() - phase);
            phase = System.nanoTime();
            checkDependents(store, changes, later);
            timer.add("dependents", System.nanoTime() - phase);
            phase = System.nanoTime();
            progress.progress("remove", 0, removals);
            remove(store, changes, result, removals);
            timer.add("remove", System.nanoTime() - phase);
            audit.event("restore", "done");
        }
    }

    /**
     * Refuses a snapshot folder that is not the one its run committed with: the manifest must name
     * this snapshot and run, and hash to what the run recorded (a swapped folder, a forged file
     * with recomputed sums). A run from before runs were bound to their snapshots has no hash:
     * its snapshot is checked as before, and the result says so.
     */
    private void requireBound(String snapshotId, ObjectNode manifest, RunStore.Run run, RunStore runs, RollbackResult result) {
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
    private void requireSameDefinitions(String snapshotId, ObjectNode manifest) {
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
    private void requireThisDatabase(String snapshotId, ObjectNode manifest, String here) {
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
    private static RunStore.Run committedRun(RunStore runs, String snapshotId) {
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

    private static Map<Long, Map<String, Object>> current(RowStore store, TableSpec spec, List<ObjectNode> rows) {
        List<Long> ids = new ArrayList<>();
        for (ObjectNode n : rows) {
            ids.add(n.get("id").asLong());
        }
        return store.rowsById(spec, ids, true);
    }

    private void checkDrift(RowStore store, List<ObjectNode> chunk, RollbackResult result, Set<String> drifted) {
        for (Map.Entry<String, List<ObjectNode>> e : JsonLines.byTable(chunk).entrySet()) {
            TableSpec spec = catalog.table(e.getKey());
            Map<Long, Map<String, Object>> now = current(store, spec, e.getValue());
            for (ObjectNode n : e.getValue()) {
                long id = n.get("id").asLong();
                Map<String, Object> cur = now.get(id);
                String what;
                if ("delete".equals(n.get("op").asText())) {
                    what = cur == null ? null : "re-created since";
                } else if (cur == null) {
                    what = "deleted since";
                } else {
                    what = Applier.firstDifference(spec, RowCodec.read(catalog, spec, n.get("post")), cur);
                }
                if (what != null) {
                    result.drift().add(spec.name() + " " + describe(spec, n, cur) + " (" + what + ")");
                    drifted.add(spec.name() + "#" + id);
                }
            }
        }
    }

    /**
     * Rows of the run that a later committed import wrote again, as that import's snapshot records
     * it, are drift too: a value changed and then changed back by later runs reads the same, but
     * restoring the pre-image would silently undo what those runs did to the row. Rows already
     * reported by {@link #checkDrift} are not reported twice. Rollback runs are not reported: one
     * that undid a later import leaves the rows as they were; but a later run of either kind that
     * wrote a drifted row is recorded in {@code writers} (and the row in {@code traced}), so the refusal can name the runs to roll
     * back first. A later import without a snapshot ({@code --no-backup}) cannot be traced and is
     * named in a warning. {@code later} is newest first.
     */
    private void checkRewritten(Path changes, List<RunStore.Run> later, Set<String> drifted, Map<String, RunStore.Run> writers,
                                Set<String> traced, RollbackResult result) throws IOException {
        if (later.isEmpty()) {
            return;
        }
        Map<String, long[]> mine = touchedIds(changes);
        Set<String> reported = new HashSet<>();
        for (RunStore.Run r : later) { // newest first: a row is named with the last import that wrote it
            boolean rollback = "rollback".equals(r.importer());
            Path theirs = r.snapshotId() == null ? null : snapshots.dir(r.snapshotId()).resolve(SnapshotStore.CHANGES);
            if (theirs == null || !Files.isRegularFile(theirs)) {
                if (!rollback) {
                    result.warnings().add("run " + r.runId() + " committed after this run " + (r.snapshotId() == null
                            ? "without a snapshot (--no-backup)" : "but its snapshot " + r.snapshotId() + " is gone")
                            + ": whether it wrote these rows again cannot be told");
                }
                continue;
            }
            JsonLines.forEachChunk(theirs, CHUNK, chunk -> {
                for (ObjectNode n : chunk) {
                    String table = n.get("table").asText();
                    long id = n.get("id").asLong();
                    long[] ids = mine.get(table);
                    String key = table + "#" + id;
                    if (ids == null || Arrays.binarySearch(ids, id) < 0) {
                        continue;
                    }
                    if (drifted.contains(key) || !rollback) {
                        writers.put(r.runId(), r);
                    }
                    if (drifted.contains(key)) {
                        traced.add(key);
                    }
                    if (!rollback && !drifted.contains(key) && reported.add(key)) {
                        result.drift().add(table + " " + describe(catalog.table(table), n, null)
                                + " (written again by run " + r.runId() + ")");
                    }
                }
            });
        }
    }

    /**
     * One line: the rows changed since the run, and what to do. Rows a later safeimport run wrote
     * are put back by rolling that run back first (newest first), which keeps its work recorded
     * and undoable; {@code --force} would overwrite it silently, so it is offered only last.
     */
    private String driftMessage(RunStore.Run run, List<String> drift, int untraced, Map<String, RunStore.Run> writers) {
        String rows = drift.size() + " row(s) written by run " + run.runId() + " changed since: "
                + String.join("; ", drift.subList(0, Math.min(SHOWN, drift.size())));
        if (writers.isEmpty()) {
            return rows + " — rolling back would overwrite those changes; use --force to restore anyway";
        }
        List<String> ids = newestFirst(new ArrayList<>(writers.values())).stream()
                .map(r -> r.snapshotId() == null ? r.runId() : r.snapshotId()).toList();
        String first = ids.size() == 1 ? "run " + ids.get(0) + " changed them after it: roll back " + ids.get(0) + " first"
                : ids.size() + " later runs changed them: roll those back first, newest first (" + String.join(", ", ids) + ")";
        return rows + " — " + first + ", then roll back " + run.snapshotId() + " again"
                + (untraced == 0 ? "" : " (" + untraced + " of the rows were changed outside safeimport or by a run without a snapshot:"
                        + " that rollback will still need --force for them)")
                + "; --force would restore anyway and silently undo what those runs wrote to these rows";
    }

    /** The ids of the rows a changes file lists, per table, sorted. */
    private static Map<String, long[]> touchedIds(Path changes) throws IOException {
        Map<String, LongStream.Builder> ids = new HashMap<>();
        JsonLines.forEachChunk(changes, CHUNK, chunk -> {
            for (ObjectNode n : chunk) {
                ids.computeIfAbsent(n.get("table").asText(), t -> LongStream.builder()).add(n.get("id").asLong());
            }
        });
        Map<String, long[]> sorted = new HashMap<>();
        ids.forEach((table, b) -> sorted.put(table, b.build().sorted().toArray()));
        return sorted;
    }

    private static String describe(TableSpec spec, ObjectNode n, Map<String, Object> cur) {
        JsonNode row = n.has("post") && !n.get("post").isNull() ? n.get("post") : n.get("pre");
        if (row != null && !row.isNull() && spec.key().size() == 1 && !spec.requireColumn(spec.key().get(0)).isReference()) {
            return "'" + row.path(spec.key().get(0)).asText() + "'";
        }
        return "#" + n.get("id").asLong();
    }

    private static void count(List<ObjectNode> chunk, RollbackResult result) {
        for (ObjectNode n : chunk) {
            if ("insert".equals(n.get("op").asText())) {
                result.table(n.get("table").asText()).removed(1);
            } else {
                result.table(n.get("table").asText()).restored(1);
            }
        }
    }

    private void writeSafety(RowStore store, List<ObjectNode> chunk, JsonLines.Writer pre, JsonLines.Writer out) throws IOException {
        for (Map.Entry<String, List<ObjectNode>> e : JsonLines.byTable(chunk).entrySet()) {
            TableSpec spec = catalog.table(e.getKey());
            Map<Long, Map<String, Object>> now = current(store, spec, e.getValue());
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

    private void restore(RowStore store, Path changes, RollbackResult result, AuditLog audit, long total) throws IOException {
        // 1. rows the original run deleted come back first, parents before children, with their
        //    nullable references left empty (they may point at rows not yet back);
        // 2. then every pre-image is restored, whole (references included: everything exists again);
        // 3. then the references of the re-inserted rows are filled in.
        List<ObjectNode> refsLater = new ArrayList<>();
        for (TableSpec spec : catalog.tables()) {
            JsonLines.forEachChunk(changes, CHUNK, chunk -> {
                for (ObjectNode n : chunk) {
                    if (!n.get("table").asText().equals(spec.name()) || !"delete".equals(n.get("op").asText())) {
                        continue;
                    }
                    Map<String, Object> row = RowCodec.read(catalog, spec, n.get("pre"));
                    Map<String, Object> later = new LinkedHashMap<>();
                    for (ColumnSpec c : spec.columns()) {
                        if (c.isReference() && c.nullable() && row.get(c.name()) != null) {
                            later.put(c.name(), row.get(c.name()));
                            row.put(c.name(), null);
                        }
                    }
                    insertWithId(store.handle(), spec, row);
                    if (!later.isEmpty()) {
                        ObjectNode s = JSON.objectNode();
                        s.put("table", spec.name());
                        s.set("set", RowCodec.values(catalog, spec, withId(later, n.get("id").asLong())));
                        refsLater.add(s);
                    }
                    result.table(spec.name()).restored(1);
                }
                progress.progress("restore", restored(result), total);
            });
            store.forget(spec);
        }
        // pre-images of updated rows, a chunk at a time, rows that set the same columns together: through a
        // staging table where the database offers LOAD DATA, else in batches of UPDATE statements
        StepTimer timer = new StepTimer();
        Applier.UpdateWriter updates = new Applier.UpdateWriter(store.handle(), db.dialect(), db.dialect().bulkWriter(store.handle()), timer);
        JsonLines.forEachChunk(changes, Applier.CHUNK, chunk -> {
            Map<TableSpec, Map<String, List<Object[]>>> groups = new LinkedHashMap<>();
            for (ObjectNode n : chunk) {
                if ("update".equals(n.get("op").asText())) {
                    TableSpec spec = catalog.table(n.get("table").asText());
                    Map<String, Object> values = RowCodec.read(catalog, spec, n.get("pre"));
                    values.remove("id");
                    if (!values.isEmpty()) {
                        groups.computeIfAbsent(spec, t -> new LinkedHashMap<>()).computeIfAbsent(String.join(",", values.keySet()),
                                k -> new ArrayList<>()).add(new Object[] {n.get("id").asLong(), values});
                    }
                    result.table(spec.name()).restored(1);
                }
            }
            for (Map.Entry<TableSpec, Map<String, List<Object[]>>> t : groups.entrySet()) {
                for (List<Object[]> group : t.getValue().values()) {
                    @SuppressWarnings("unchecked")
                    List<String> cols = new ArrayList<>(((Map<String, Object>) group.get(0)[1]).keySet());
                    updates.write(t.getKey(), cols, group);
                }
            }
            progress.progress("restore", restored(result), total);
        });
        audit.event("restore", "updates " + timer);
        for (ObjectNode s : refsLater) {
            TableSpec spec = catalog.table(s.get("table").asText());
            Map<String, Object> set = RowCodec.read(catalog, spec, s.get("set"));
            long id = (Long) set.remove("id");
            updateAll(store.handle(), spec, id, set);
        }
    }

    private static long restored(RollbackResult result) {
        return result.tables().values().stream().mapToLong(RollbackResult.TableCounts::restored).sum();
    }

    private static Map<String, Object> withId(Map<String, Object> m, long id) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.put("id", id);
        return out;
    }

    /** A row outside the run whose {@code column} points at a row of {@code parent} the run inserted. */
    private record Dependent(String table, long id, String column, String parent) {
        String describe() {
            return table + " #" + id + " (" + column + ")";
        }
    }

    private void checkDependents(RowStore store, Path changes, List<RunStore.Run> later) throws IOException {
        // rows the run inserted must not be pointed at by rows outside the run (written later)
        Map<String, Set<Long>> removedIds = new LinkedHashMap<>();
        JsonLines.forEachChunk(changes, CHUNK, chunk -> {
            for (ObjectNode n : chunk) {
                if ("insert".equals(n.get("op").asText())) {
                    removedIds.computeIfAbsent(n.get("table").asText(), k -> new HashSet<>()).add(n.get("id").asLong());
                }
            }
        });
        List<Dependent> dependents = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, Set<Long>> e : removedIds.entrySet()) {
            List<Long> ids = new ArrayList<>(e.getValue());
            for (TableSpec child : catalog.tables()) {
                for (ColumnSpec c : child.columns()) {
                    if (!e.getKey().equals(c.references())) {
                        continue;
                    }
                    Set<Long> ownChildren = removedIds.getOrDefault(child.name(), Set.of());
                    for (int from = 0; from < ids.size(); from += CHUNK) {
                        List<Long> part = ids.subList(from, Math.min(ids.size(), from + CHUNK));
                        List<Long> refs = store.handle().createQuery("SELECT " + child.id() + " FROM " + child.name() + " WHERE " + c.name() + " IN (<ids>)")
                                .bindList("ids", part).mapTo(Long.class).list();
                        for (Long ref : refs) {
                            if (!ownChildren.contains(ref)) {
                                total++;
                                if (dependents.size() < ATTRIBUTED) {
                                    dependents.add(new Dependent(child.name(), ref, c.name(), e.getKey()));
                                }
                            }
                        }
                    }
                }
            }
        }
        if (!dependents.isEmpty()) {
            List<RunStore.Run> newestFirst = newestFirst(later);
            throw new SafeImportException(ExitCode.REFUSED,
                    dependentsMessage(dependents, total, writers(dependents, removedIds, newestFirst), newestFirst));
        }
    }

    /**
     * The runs newest first. The run table may keep start times to the second only (then two runs of
     * the same second would tie, and their IDs end in random hex), so runs are ordered by when their
     * snapshot was written, to the nanosecond: runs hold the import lock in turn, so that is their order.
     */
    private List<RunStore.Run> newestFirst(List<RunStore.Run> runs) {
        Map<String, Instant> at = new LinkedHashMap<>();
        for (RunStore.Run r : runs) {
            Instant t = r.startedAt();
            if (r.snapshotId() != null && RunIds.isValid(r.snapshotId())) {
                try {
                    t = Instant.parse(snapshots.manifest(r.snapshotId()).path("created_at").asText());
                } catch (RuntimeException e) {
                    // no readable manifest: the run table's time will do
                }
            }
            at.put(r.runId(), t);
        }
        List<RunStore.Run> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparing((RunStore.Run r) -> at.get(r.runId())).reversed());
        return sorted;
    }

    /**
     * For each dependent row, the later run that made it point at this run's row: the newest later
     * run whose recorded changes set that reference (inserted the row with it, or changed it to it).
     * Rows no snapshot accounts for (a run with {@code --no-backup}, a change outside safeimport) are
     * left out.
     */
    private Map<Dependent, RunStore.Run> writers(List<Dependent> dependents, Map<String, Set<Long>> removedIds,
                                                 List<RunStore.Run> newestFirst) {
        Map<String, List<Dependent>> open = new LinkedHashMap<>();
        for (Dependent d : dependents) {
            open.computeIfAbsent(d.table() + "#" + d.id(), k -> new ArrayList<>()).add(d);
        }
        Map<Dependent, RunStore.Run> writers = new LinkedHashMap<>();
        for (RunStore.Run run : newestFirst) {
            if (open.isEmpty()) {
                break;
            }
            if (run.snapshotId() == null || !RunIds.isValid(run.snapshotId())) {
                continue;
            }
            Path file = snapshots.dir(run.snapshotId()).resolve(SnapshotStore.CHANGES);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try (JsonLines.Reader r = JsonLines.read(file)) {
                while (r.hasNext() && !open.isEmpty()) {
                    ObjectNode n = r.next();
                    String at = n.path("table").asText() + "#" + n.path("id").asLong();
                    List<Dependent> waiting = open.get(at);
                    JsonNode post = n.get("post");
                    if (waiting == null || post == null || post.isNull()) {
                        continue;
                    }
                    JsonNode pre = n.get("pre");
                    for (Iterator<Dependent> it = waiting.iterator(); it.hasNext(); ) {
                        Dependent d = it.next();
                        JsonNode now = post.get(d.column());
                        boolean points = now != null && now.canConvertToLong()
                                && removedIds.getOrDefault(d.parent(), Set.of()).contains(now.asLong());
                        boolean set = pre == null || pre.isNull() || !post.path(d.column()).equals(pre.path(d.column()));
                        if (points && set) {
                            writers.put(d, run);
                            it.remove();
                        }
                    }
                    if (waiting.isEmpty()) {
                        open.remove(at);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a damaged or unreadable snapshot of a later run only means it cannot be named here
            }
        }
        return writers;
    }

    /**
     * One line: the first dependent row and the run that wrote it, how many there are, and the later
     * runs to roll back first, newest first (each run named once, the count matching the list).
     */
    private String dependentsMessage(List<Dependent> dependents, long total, Map<Dependent, RunStore.Run> writers,
                                            List<RunStore.Run> newestFirst) {
        Dependent first = dependents.get(0);
        RunStore.Run firstWriter = writers.get(first);
        // named by the ID `rollback` takes: a run's snapshot (the same ID, except for rollbacks recorded by older releases)
        List<String> runs = newestFirst.stream().filter(writers::containsValue)
                .map(r -> r.snapshotId() == null ? r.runId() : r.snapshotId()).toList();
        long untraced = dependents.size() - writers.size();
        String noun = catalog.table(first.parent()).noun();
        StringBuilder sb = new StringBuilder(first.describe() + " points at " + ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun
                + " this run created; it was written by " + (firstWriter == null ? OUTSIDE : "run " + firstWriter.runId()));
        if (total > 1) {
            List<String> parts = new ArrayList<>();
            if (!runs.isEmpty()) {
                parts.add((untraced == 0 ? "" : writers.size() + " ") + "written by " + runs.size() + " later run"
                        + (runs.size() == 1 ? "" : "s"));
            }
            if (untraced > 0) {
                parts.add(untraced + " by " + OUTSIDE);
            }
            sb.append(" (").append(total).append(" references to its rows in all")
                    .append(total > dependents.size() ? "; of the first " + dependents.size() + ", " : ", ")
                    .append(String.join("; ", parts)).append(')');
        }
        if (!runs.isEmpty()) {
            sb.append(". Roll back ").append(runs.size() == 1 ? "run " + runs.get(0) + " first"
                    : "these " + runs.size() + " runs first, newest first: " + String.join(", ", runs)).append(" (see `runs list`)");
        }
        if (untraced > 0) {
            sb.append(runs.isEmpty() ? ". " : "; ").append("rows no later snapshot accounts for must be changed by hand first");
        }
        return sb.append("; nothing was restored").toString();
    }

    private void remove(RowStore store, Path changes, RollbackResult result, long total) throws IOException {
        // first cut references between rows about to go, then delete children before parents
        JsonLines.forEachChunk(changes, CHUNK, chunk -> {
            for (Map.Entry<String, List<ObjectNode>> e : JsonLines.byTable(chunk).entrySet()) {
                TableSpec spec = catalog.table(e.getKey());
                List<String> nullable = spec.columns().stream().filter(c -> c.isReference() && c.nullable()).map(ColumnSpec::name).toList();
                List<Long> ids = e.getValue().stream().filter(n -> "insert".equals(n.get("op").asText())).map(n -> n.get("id").asLong()).toList();
                if (!nullable.isEmpty() && !ids.isEmpty()) {
                    store.handle().createUpdate("UPDATE " + spec.name() + " SET "
                                    + String.join(", ", nullable.stream().map(c -> c + " = NULL").toList()) + " WHERE " + spec.id() + " IN (<ids>)")
                            .bindList("ids", ids).execute();
                }
            }
        });
        List<TableSpec> reverse = new ArrayList<>(catalog.tables());
        Collections.reverse(reverse);
        for (TableSpec spec : reverse) {
            JsonLines.forEachChunk(changes, CHUNK, chunk -> {
                List<Long> ids = chunk.stream().filter(n -> n.get("table").asText().equals(spec.name()) && "insert".equals(n.get("op").asText()))
                        .map(n -> n.get("id").asLong()).toList();
                if (!ids.isEmpty()) {
                    int n = store.handle().createUpdate("DELETE FROM " + spec.name() + " WHERE " + spec.id() + " IN (<ids>)").bindList("ids", ids).execute();
                    result.table(spec.name()).removed(n);
                    store.forget(spec);
                    progress.progress("remove", result.tables().values().stream().mapToLong(RollbackResult.TableCounts::removed).sum(), total);
                }
            });
        }
    }

    private static void insertWithId(Handle h, TableSpec spec, Map<String, Object> row) {
        List<String> cols = new ArrayList<>();
        spec.columns().forEach(c -> cols.add(c.name()));
        PreparedBatch b = h.prepareBatch("INSERT INTO " + spec.name() + " (" + spec.id() + ", " + String.join(", ", cols) + ") VALUES (:id, "
                + String.join(", ", cols.stream().map(c -> ":" + c).toList()) + ")");
        b.bind("id", (Long) row.get("id"));
        for (ColumnSpec c : spec.columns()) {
            Applier.bind(b, c, row.get(c.name()));
        }
        b.add();
        b.execute();
    }

    private static void updateAll(Handle h, TableSpec spec, long id, Map<String, Object> values) {
        List<String> cols = new ArrayList<>();
        for (String c : values.keySet()) {
            if (!c.equals("id")) {
                cols.add(c);
            }
        }
        if (cols.isEmpty()) {
            return;
        }
        PreparedBatch b = h.prepareBatch("UPDATE " + spec.name() + " SET " + String.join(", ", cols.stream().map(c -> c + " = :" + c).toList())
                + " WHERE " + spec.id() + " = :id");
        for (String c : cols) {
            Applier.bind(b, spec.requireColumn(c), values.get(c));
        }
        b.bind("id", id).add();
        b.execute();
    }

    private static String countsJson(RollbackResult result) {
        ObjectNode n = JSON.objectNode();
        result.tables().forEach((t, c) -> n.putObject(t).put("restored", c.restored()).put("removed", c.removed()));
        return n.toString();
    }
}
