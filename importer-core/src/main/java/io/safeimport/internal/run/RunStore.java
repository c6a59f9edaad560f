package io.safeimport.internal.run;

import io.safeimport.internal.db.LockHolder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * The run history in {@code safeimport_run}: one row per import or rollback that began to write.
 * A run is recorded as {@code running}, committed on its own connection, as soon as it holds the
 * import lock; its final status is written in the same transaction as its changes when it commits,
 * or after it when it fails; a run that stops before writing (rejected input, refused, nothing to
 * write) removes its record again and is only in its audit log. A process killed at any step
 * leaves {@code running} behind, which the next run (holding the lock, so no other run can be
 * active) marks {@code interrupted}. Dry-runs are recorded only in their audit log.
 */
public final class RunStore {
    /** Runs this process has recorded as running and not finished: alive, whatever the table says. */
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();
    /**
     * A run recorded as running under a provisional ID, for callers that record themselves only
     * when they commit: the first committed record this thread inserts takes over that row.
     */
    private static final ThreadLocal<String> PROVISIONAL = new ThreadLocal<>();

    private final Handle handle;

    public RunStore(Handle handle) {
        this.handle = handle;
    }

    /** A recorded run. */
    public record Run(String runId, String importer, String mode, String status, Instant startedAt, Instant finishedAt,
                      String csvPath, String csvSha256, String snapshotId, String rolledBackBy, String countsJson,
                      String host, String osUser, String logFile, String message) {
    }

    /**
     * Records a run. A committed record inserted while this thread's run is recorded under a
     * provisional ID ({@link #recordProvisional}) replaces that row, in the caller's transaction.
     */
    public void insert(Run run) {
        String provisional = PROVISIONAL.get();
        if (provisional != null && !"running".equals(run.status())) {
            int taken = bind(handle.createUpdate("UPDATE safeimport_run SET run_id = :runId, importer = :importer, mode = :mode,"
                    + " status = :status, started_at = :startedAt, finished_at = :finishedAt, csv_path = :csvPath,"
                    + " csv_sha256 = :csvSha256, snapshot_id = :snapshotId, rolled_back_by = :rolledBackBy, counts_json = :countsJson,"
                    + " host = :host, os_user = :osUser, log_file = :logFile, message = :message"
                    + " WHERE run_id = :provisional AND status = 'running'"), run).bind("provisional", provisional).execute();
            if (taken == 1) {
                PROVISIONAL.remove();
                return;
            }
        }
        bind(handle.createUpdate("INSERT INTO safeimport_run (run_id, importer, mode, status, started_at, finished_at, csv_path,"
                        + " csv_sha256, snapshot_id, rolled_back_by, counts_json, host, os_user, log_file, message)"
                        + " VALUES (:runId, :importer, :mode, :status, :startedAt, :finishedAt, :csvPath, :csvSha256,"
                        + " :snapshotId, :rolledBackBy, :countsJson, :host, :osUser, :logFile, :message)"), run)
                .execute();
    }

    private static Update bind(Update update, Run run) {
        return update
                .bind("runId", run.runId())
                .bind("importer", run.importer())
                .bind("mode", run.mode())
                .bind("status", run.status())
                .bind("startedAt", at(run.startedAt()))
                .bindByType("finishedAt", run.finishedAt() == null ? null : at(run.finishedAt()), String.class)
                .bind("csvPath", truncate(run.csvPath(), 1000))
                .bind("csvSha256", run.csvSha256())
                .bind("snapshotId", run.snapshotId())
                .bind("rolledBackBy", run.rolledBackBy())
                .bind("countsJson", run.countsJson())
                .bind("host", truncate(run.host(), 255))
                .bind("osUser", truncate(run.osUser(), 255))
                .bind("logFile", truncate(run.logFile(), 1000))
                .bind("message", truncate(run.message(), 2000));
    }

    /**
     * Records a run as {@code running} on an autocommit connection (the one holding the import
     * lock), so the record is durable at once: if the process is killed from here on, the next run
     * finds it and marks it {@code interrupted}. The record names the process ({@link #holderMessage}).
     */
    public void insertRunning(Run run, long pid, String command) {
        insert(new Run(run.runId(), run.importer(), run.mode(), "running", run.startedAt(), null, run.csvPath(), run.csvSha256(),
                run.snapshotId(), null, null, run.host(), run.osUser(), run.logFile(), holderMessage(pid, command)));
        LIVE.add(run.runId());
    }

    /**
     * Like {@link #insertRunning}, for a caller that records itself with {@link #insert} only when it
     * commits (a rollback): that record replaces this one. Until {@link #dropProvisional}.
     */
    public void recordProvisional(Run run, long pid, String command) {
        insertRunning(run, pid, command);
        PROVISIONAL.set(run.runId());
    }

    /**
     * Ends a provisional record: deleted if nothing took it over (the caller stopped without
     * committing, and records such runs only in its audit log).
     */
    public void dropProvisional(String runId) {
        if (runId.equals(PROVISIONAL.get())) {
            PROVISIONAL.remove();
        }
        forget(runId);
    }

    /** Removes the record of a run that stopped before writing anything (it is in its audit log). */
    public void forget(String runId) {
        LIVE.remove(runId);
        handle.createUpdate("DELETE FROM safeimport_run WHERE run_id = :id AND status = 'running'").bind("id", runId).execute();
    }

    /** Fills in what a running run learnt since it was recorded (the CSV's hash, its snapshot). */
    public void describe(String runId, String csvSha256, String snapshotId) {
        handle.createUpdate("UPDATE safeimport_run SET csv_sha256 = COALESCE(:sha, csv_sha256), snapshot_id = COALESCE(:snap, snapshot_id)"
                        + " WHERE run_id = :id")
                .bind("sha", csvSha256).bind("snap", snapshotId).bind("id", runId).execute();
    }

    private static final Pattern HOLDER = Pattern.compile("^pid (\\d+): (.*)$", Pattern.DOTALL);

    /** The message of a running record: who runs it. */
    static String holderMessage(long pid, String command) {
        return "pid " + pid + ": " + (command == null ? "safeimport" : command);
    }

    /** The holder a {@code running} record names: its run, process, host, user and command. */
    public static LockHolder holder(Run run) {
        Matcher m = HOLDER.matcher(run.message() == null ? "" : run.message());
        long pid = m.matches() ? Long.parseLong(m.group(1)) : 0;
        String command = m.matches() ? m.group(2) : run.importer();
        return new LockHolder(pid, run.host(), run.osUser(), null, run.startedAt(), run.runId(), command);
    }

    /** Sets the final status of a run recorded as {@code running} (inside the run's transaction or after it). */
    public void finish(String runId, String status, Instant finishedAt, String countsJson, String message) {
        LIVE.remove(runId);
        handle.createUpdate("UPDATE safeimport_run SET status = :s, finished_at = :f, counts_json = COALESCE(:c, counts_json),"
                        + " message = :m WHERE run_id = :id")
                .bind("s", status).bind("f", at(finishedAt)).bind("c", countsJson)
                .bind("m", truncate(message, 2000)).bind("id", runId).execute();
    }

    /**
     * Marks runs still recorded as {@code running} as {@code interrupted}. Only call while holding the
     * import lock: then no other run can be active, so such a record belongs to a process that died.
     */
    public List<String> markInterrupted() {
        List<String> ids = handle.createQuery("SELECT run_id FROM safeimport_run WHERE status = 'running'").mapTo(String.class).list()
                .stream().filter(id -> !LIVE.contains(id)).toList();
        for (String id : ids) {
            handle.createUpdate("UPDATE safeimport_run SET status = 'interrupted', message = 'the process ended before the run finished"
                    + " (killed or crashed); its transaction was rolled back by the database' WHERE run_id = :id AND status = 'running'")
                    .bind("id", id).execute();
        }
        return ids;
    }

    /** The run recorded as {@code running}, newest first: the holder of the import lock, once it has recorded itself. */
    public Optional<Run> running() {
        return handle.createQuery("SELECT * FROM safeimport_run WHERE status = 'running' ORDER BY started_at DESC")
                .map((rs, ctx) -> map(rs)).findFirst();
    }

    /** Marks an import as undone by a rollback run. */
    /**
     * Binds a run to its snapshot: the SHA-256 of the manifest it committed with, recorded in the
     * run's own transaction right before it commits.
     */
    public void recordManifest(String runId, String manifestSha256) {
        handle.createUpdate("UPDATE safeimport_run SET manifest_sha256 = :sha WHERE run_id = :id")
                .bind("sha", manifestSha256).bind("id", runId).execute();
    }

    /** The SHA-256 of the manifest a run committed with; empty for a run recorded before runs were bound to their snapshots. */
    public Optional<String> manifestSha256(String runId) {
        return handle.createQuery("SELECT manifest_sha256 FROM safeimport_run WHERE run_id = :id").bind("id", runId)
                .mapTo(String.class).findOne();
    }

    public void markRolledBack(String runId, String rollbackRunId) {
        handle.createUpdate("UPDATE safeimport_run SET status = 'rolled_back', rolled_back_by = :by WHERE run_id = :id")
                .bind("by", rollbackRunId).bind("id", runId).execute();
    }

    public List<Run> list(int limit) {
        return handle.createQuery("SELECT * FROM safeimport_run ORDER BY started_at DESC, run_id DESC LIMIT " + Math.max(1, limit))
                .map((rs, ctx) -> map(rs)).list();
    }

    public Optional<Run> find(String runId) {
        return handle.createQuery("SELECT * FROM safeimport_run WHERE run_id = :id").bind("id", runId)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    public Optional<Run> findBySnapshot(String snapshotId) {
        return handle.createQuery("SELECT * FROM safeimport_run WHERE snapshot_id = :id AND mode = 'apply'").bind("id", snapshotId)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    /** Committed imports started after the given run, newest first (they may depend on its rows). */
    public List<Run> committedAfter(Run run) {
        return handle.createQuery("SELECT * FROM safeimport_run WHERE status = 'committed' AND mode = 'apply'"
                        + " AND (started_at > :t OR (started_at = :t AND run_id > :id)) ORDER BY started_at DESC, run_id DESC")
                .bind("t", at(run.startedAt())).bind("id", run.runId())
                .map((rs, ctx) -> map(rs)).list();
    }

    private static Run map(ResultSet rs) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Run(rs.getString("run_id"), rs.getString("importer"), rs.getString("mode"), rs.getString("status"),
                rs.getTimestamp("started_at").toInstant(), finished == null ? null : finished.toInstant(),
                rs.getString("csv_path"), rs.getString("csv_sha256"), rs.getString("snapshot_id"),
                rs.getString("rolled_back_by"), rs.getString("counts_json"), rs.getString("host"),
                rs.getString("os_user"), rs.getString("log_file"), rs.getString("message"));
    }

    private static final DateTimeFormatter STORED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /**
     * A time as the run table stores it: wall-clock time in this JVM's zone, as a {@code Timestamp}
     * was bound, but as text with its milliseconds. A {@code Timestamp} (or a {@code LocalDateTime},
     * which Jdbi binds as one) loses them on MariaDB: Connector/J takes the server for MySQL 5.5,
     * which had no fractional seconds. Runs of the same second then tied, and rollback could not
     * tell which of them came later.
     */
    public static String at(Instant instant) {
        return STORED.format(LocalDateTime.ofInstant(instant, ZoneId.systemDefault()));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** Host and OS user of this process, for the run record and lock messages. */
    public static Map<String, String> whoAmI() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return Map.of("host", host, "user", System.getProperty("user.name", "unknown"));
    }
}
