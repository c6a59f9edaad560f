package io.safeimport.dev;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.audit.AuditLog;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.DbSettings;
import io.safeimport.internal.db.Migrations;
import io.safeimport.internal.pipeline.ImportLock;
import io.safeimport.internal.pipeline.Transactions;
import io.safeimport.internal.run.RunIds;
import io.safeimport.internal.run.RunStore;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * Empties reference tables so that {@code safeimport rollback} can put every row back exactly.
 *
 * <p>Under the import lock and in one transaction: the pre-image of every row about to change is
 * written to a snapshot and read back against its manifest before the first write, the rows are
 * changed (counts compared with the snapshot, so a row written by another session meanwhile makes
 * the reset fail instead of escaping the snapshot), the changes file is written, and a committed
 * {@code safeimport_run} row with mode {@code apply} records the snapshot — the format
 * {@link io.safeimport.internal.pipeline.RollbackPipeline} restores: op {@code delete} (re-insert
 * {@code pre} with its id) and op {@code update} (restore {@code pre}).
 *
 * <p>{@link Scope#USERS} takes two snapshots in that one transaction: first the references to
 * users from rows that stay (org leaders) are set empty, then the users and their dependents are
 * deleted. One snapshot cannot hold both: rollback restores updated rows in dependency order
 * before it re-inserts deleted rows of later tables, so a team's leader would be restored before
 * the user it points at exists. Rolled back newest first, the two snapshots restore everything.
 */
public final class Reset {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Asked once, after every check passed and before anything is written. */
    @FunctionalInterface
    public interface Confirmation {
        /**
         * @param question one sentence saying what will change
         * @return {@code true} to go ahead; may throw a {@link SafeImportException} when there is no one to ask
         */
        boolean confirm(String question);
    }

    /** What a reset empties. */
    public enum Scope {
        /** Every reference table. Recorded as one snapshot, importer {@code reset}. */
        ALL("reset", null),
        /**
         * {@code app_user} and every table whose rows cannot exist without a user (events,
         * compensation and seniority snapshots); references to users from rows that stay (the
         * leaders of chapters, tribes and teams) are set empty first. Two snapshots:
         * {@code clearleaders} (the references) and {@code clearusers} (the deletes).
         */
        USERS("clearusers", "clearleaders");

        private final String deleteName;
        private final String cutName;

        Scope(String deleteName, String cutName) {
            this.deleteName = deleteName;
            this.cutName = cutName;
        }
    }

    /**
     * One committed snapshot of a reset.
     *
     * @param snapshotId the snapshot (and run) ID, for {@code safeimport rollback}
     * @param importer   the run's importer name: {@code reset}, {@code clearleaders} or {@code clearusers}
     * @param action     {@code delete} or {@code update} (references set empty)
     * @param rows       rows deleted or updated, per table
     */
    public record Step(String snapshotId, String importer, String action, Map<String, Long> rows) {
        public long total() {
            return rows.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * What a reset did.
     *
     * @param steps   the committed snapshots, oldest first (roll them back newest first); empty when
     *                there was nothing to delete
     * @param logFile the audit log, or {@code null} when nothing was done
     */
    public record Result(List<Step> steps, String logFile) {
        /** The snapshot IDs in the order to roll them back. */
        public List<String> rollbackOrder() {
            List<String> ids = new ArrayList<>(steps.stream().map(Step::snapshotId).toList());
            Collections.reverse(ids);
            return ids;
        }
    }

    private final DevDatabase dev;
    private final Database db;
    private final SnapshotStore snapshots;
    private final Path logDir;
    private final Clock clock;
    private final int lockWaitSeconds;
    private final ResetWrites writes;

    public Reset(DevDatabase dev, Path snapshotDir, Path logDir, Clock clock, int lockWaitSeconds) {
        this.dev = dev;
        this.db = dev.database();
        this.snapshots = new SnapshotStore(snapshotDir);
        this.logDir = logDir;
        this.clock = clock;
        this.lockWaitSeconds = lockWaitSeconds;
        this.writes = new ResetWrites(dev, snapshots, clock);
    }

    /** The tables a scope deletes, in dependency order. */
    static List<TableSpec> deletedTables(Scope scope) {
        if (scope == Scope.ALL) {
            return ReferenceSchema.tables();
        }
        Set<String> deleted = new LinkedHashSet<>(List.of("app_user"));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (TableSpec t : ReferenceSchema.tables()) {
                if (!deleted.contains(t.name()) && t.columns().stream()
                        .anyMatch(c -> c.isReference() && !c.nullable() && deleted.contains(c.references()))) {
                    grew |= deleted.add(t.name());
                }
            }
        }
        return ReferenceSchema.tables().stream().filter(t -> deleted.contains(t.name())).toList();
    }

    /** Per table that stays, its nullable columns pointing at deleted rows (set empty before the deletes). */
    static Map<TableSpec, List<String>> cutColumns(List<TableSpec> deleted) {
        Set<String> names = new LinkedHashSet<>(deleted.stream().map(TableSpec::name).toList());
        Map<TableSpec, List<String>> cuts = new LinkedHashMap<>();
        for (TableSpec t : ReferenceSchema.tables()) {
            if (!names.contains(t.name())) {
                List<String> cols = refsInto(t, names);
                if (!cols.isEmpty()) {
                    cuts.put(t, cols);
                }
            }
        }
        return cuts;
    }

    static List<String> refsInto(TableSpec t, Set<String> tables) {
        return t.columns().stream().filter(c -> c.isReference() && c.nullable() && tables.contains(c.references()))
                .map(ColumnSpec::name).toList();
    }

    static String anySet(List<String> columns) {
        return String.join(" OR ", columns.stream().map(c -> c + " IS NOT NULL").toList());
    }

    static String setEmpty(List<String> columns) {
        return String.join(", ", columns.stream().map(c -> c + " = NULL").toList());
    }

    /**
     * Resets the scope. Nothing is written when the tables are already empty, when {@code confirm}
     * says no (exit 5) or throws, or when any check or write fails (the transaction is rolled back
     * and the snapshots discarded).
     */
    public Result run(Scope scope, Confirmation confirm) {
        List<TableSpec> deleted = deletedTables(scope);
        Map<TableSpec, List<String>> cuts = scope.cutName == null ? Map.of() : cutColumns(deleted);
        Map<String, Long> toDelete = new LinkedHashMap<>();
        Map<String, Long> toCut = new LinkedHashMap<>();
        try (Handle h = db.open()) {
            for (TableSpec t : deleted) {
                toDelete.put(t.name(), count(h, "SELECT COUNT(*) FROM " + t.name()));
            }
            cuts.forEach((t, cols) -> toCut.put(t.name(), count(h, "SELECT COUNT(*) FROM " + t.name() + " WHERE " + anySet(cols))));
        }
        long deletes = sum(toDelete);
        long updates = sum(toCut);
        if (deletes == 0 && updates == 0) {
            return new Result(List.of(), null);
        }
        String question = db.settings().redactedUrl() + ": delete " + deletes + " row(s) (" + nonZero(toDelete) + ")"
                + (updates == 0 ? "" : " after setting " + cutsText(cuts) + " empty on " + updates + " row(s)")
                + "? A verified snapshot is taken first.";
        if (!confirm.confirm(question)) {
            throw new SafeImportException(ExitCode.REFUSED, "not confirmed; nothing was changed");
        }
        List<Step> plan = new ArrayList<>();
        if (updates > 0) {
            plan.add(new Step(RunIds.next(scope.cutName, clock), scope.cutName, "update", toCut));
        }
        plan.add(new Step(RunIds.next(scope.deleteName, clock), scope.deleteName, "delete", toDelete));
        Path logFile = logDir.resolve(plan.get(0).snapshotId() + ".log");
        AuditLog audit;
        try {
            audit = AuditLog.open(logFile, clock);
        } catch (UncheckedIOException e) {
            throw new SafeImportException(ExitCode.USAGE, e.getMessage() + " (choose another folder with --log-dir)", e);
        }
        try (audit) {
            audit.event("start", "safeimport-dev " + dev.command() + " scope=" + scope + " database=" + db.settings().redactedUrl()
                    + " snapshots=" + plan.stream().map(Step::snapshotId).toList());
            try {
                List<Step> done = execute(plan, deleted, cuts, audit, logFile);
                audit.event("end", "status=committed");
                return new Result(done, logFile.toString());
            } catch (SafeImportException e) {
                audit.event("error", "exit=" + e.exitCode().code() + " " + e.getMessage());
                throw e;
            } catch (IOException | UncheckedIOException e) {
                audit.event("error", e.toString());
                throw new SafeImportException(ExitCode.INTERNAL, "I/O error during " + dev.command() + ": " + e.getMessage()
                        + "; nothing was changed", e);
            } catch (RuntimeException e) {
                audit.event("error", e.toString());
                throw new SafeImportException(ExitCode.INTERNAL, "unexpected database error during " + dev.command() + ": "
                        + DbSettings.redact(rootMessage(e)) + " — nothing was changed", e);
            }
        }
    }

    /**
     * Under the import lock, in one transaction committed under it: the steps of {@code plan},
     * each with its verified snapshot and its run record. A snapshot of a step that did not commit
     * is discarded.
     */
    private List<Step> execute(List<Step> plan, List<TableSpec> deleted, Map<TableSpec, List<String>> cuts, AuditLog audit,
                               Path logFile) throws IOException {
        try (ImportLock lock = ImportLock.acquire(db, lockWaitSeconds, "reset", null)) {
            audit.event("lock", "acquired " + lock.name());
            List<String> created = new ArrayList<>();
            boolean committed = false;
            try {
                dev.recheck();
                String schema = new Migrations(db).currentVersion();
                List<Step> done;
                try (Handle tx = db.open()) {
                    try {
                        done = Transactions.inWriteTransaction(tx, lock, t -> steps(t, plan, deleted, cuts, schema, created, audit, logFile));
                    } catch (RuntimeException | IOException e) {
                        audit.event("rollback", "transaction rolled back: " + e.getClass().getSimpleName());
                        throw e;
                    }
                }
                committed = true;
                audit.event("commit", "ok");
                return done;
            } finally {
                if (!committed) {
                    created.forEach(snapshots::discard);
                }
            }
        }
    }

    /** The steps in the transaction, each snapshot created listed in {@code created}; the caller commits. */
    private List<Step> steps(Handle tx, List<Step> plan, List<TableSpec> deleted, Map<TableSpec, List<String>> cuts, String schema,
                             List<String> created, AuditLog audit, Path logFile) throws IOException {
        List<String> ids = plan.stream().map(Step::snapshotId).toList();
        List<Step> done = new ArrayList<>();
        RunStore runs = new RunStore(tx);
        for (Step step : plan) {
            Instant started = clock.instant();
            created.add(step.snapshotId());
            ObjectNode manifest = writes.manifest(step, schema, ids);
            Step s = step.action().equals("update")
                    ? writes.cut(tx, step, cuts, manifest, audit)
                    : writes.delete(tx, step, deleted, manifest, audit);
            Map<String, String> me = RunStore.whoAmI();
            runs.insert(new RunStore.Run(s.snapshotId(), s.importer(), "apply", "committed", started, clock.instant(),
                    null, null, s.snapshotId(), null, countsJson(s), me.get("host"), me.get("user"), logFile.toString(),
                    "safeimport-dev " + dev.command() + ": " + s.action() + " " + s.total() + " row(s)"
                            + (ids.size() > 1 ? "; roll back newest first: " + String.join(", ", reversed(ids)) : "")));
            done.add(s);
        }
        for (Step s : done) {
            runs.recordManifest(s.snapshotId(), snapshots.manifestSha256(s.snapshotId()));
        }
        return done;
    }

    private static String countsJson(Step s) {
        ObjectNode n = JSON.objectNode();
        n.put(s.action(), s.total());
        ObjectNode t = n.putObject("tables");
        s.rows().forEach((k, v) -> t.putObject(k).put(s.action(), v));
        return n.toString();
    }

    private static long count(Handle h, String sql) {
        return h.createQuery(sql).mapTo(Long.class).one();
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String nonZero(Map<String, Long> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((t, n) -> {
            if (n > 0) {
                parts.add(t + " " + n);
            }
        });
        return String.join(", ", parts);
    }

    private static String cutsText(Map<TableSpec, List<String>> cuts) {
        List<String> parts = new ArrayList<>();
        cuts.forEach((t, cols) -> cols.forEach(c -> parts.add(t.name() + "." + c)));
        return String.join(", ", parts);
    }

    static List<String> reversed(List<String> ids) {
        List<String> r = new ArrayList<>(ids);
        Collections.reverse(r);
        return r;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
