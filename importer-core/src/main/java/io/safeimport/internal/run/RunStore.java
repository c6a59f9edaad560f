package io.safeimport.internal.run;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The run history in {@code safeimport_run}: one row per committed import or rollback, written in
 * the same transaction as the run's changes (so a run is recorded if and only if it committed).
 * Dry-runs are recorded only in their audit log.
 */
public final class RunStore {
    private final Handle handle;

    public RunStore(Handle handle) {
        this.handle = handle;
    }

    /** A recorded run. */
    public record Run(String runId, String importer, String mode, String status, Instant startedAt, Instant finishedAt,
                      String csvPath, String csvSha256, String snapshotId, String rolledBackBy, String countsJson,
                      String host, String osUser, String logFile, String message) {
    }

    public void insert(Run run) {
        handle.createUpdate("INSERT INTO safeimport_run (run_id, importer, mode, status, started_at, finished_at, csv_path,"
                        + " csv_sha256, snapshot_id, rolled_back_by, counts_json, host, os_user, log_file, message)"
                        + " VALUES (:runId, :importer, :mode, :status, :startedAt, :finishedAt, :csvPath, :csvSha256,"
                        + " :snapshotId, :rolledBackBy, :countsJson, :host, :osUser, :logFile, :message)")
                .bind("runId", run.runId())
                .bind("importer", run.importer())
                .bind("mode", run.mode())
                .bind("status", run.status())
                .bind("startedAt", Timestamp.from(run.startedAt()))
                .bind("finishedAt", run.finishedAt() == null ? null : Timestamp.from(run.finishedAt()))
                .bind("csvPath", truncate(run.csvPath(), 1000))
                .bind("csvSha256", run.csvSha256())
                .bind("snapshotId", run.snapshotId())
                .bind("rolledBackBy", run.rolledBackBy())
                .bind("countsJson", run.countsJson())
                .bind("host", truncate(run.host(), 255))
                .bind("osUser", truncate(run.osUser(), 255))
                .bind("logFile", truncate(run.logFile(), 1000))
                .bind("message", truncate(run.message(), 2000))
                .execute();
    }

    /** Sets the final status of a run recorded as {@code running} (inside the run's transaction or after it). */
    public void finish(String runId, String status, Instant finishedAt, String countsJson, String message) {
        handle.createUpdate("UPDATE safeimport_run SET status = :s, finished_at = :f, counts_json = COALESCE(:c, counts_json),"
                        + " message = :m WHERE run_id = :id")
                .bind("s", status).bind("f", Timestamp.from(finishedAt)).bind("c", countsJson)
                .bind("m", truncate(message, 2000)).bind("id", runId).execute();
    }

    /**
     * Marks runs still recorded as {@code running} as {@code interrupted}. Only call while holding the
     * import lock: then no other run can be active, so such a record belongs to a process that died.
     */
    public List<String> markInterrupted() {
        List<String> ids = handle.createQuery("SELECT run_id FROM safeimport_run WHERE status = 'running'").mapTo(String.class).list();
        if (!ids.isEmpty()) {
            handle.createUpdate("UPDATE safeimport_run SET status = 'interrupted', message = 'the process ended before the run finished"
                    + " (killed or crashed); its transaction was rolled back by the database' WHERE status = 'running'").execute();
        }
        return ids;
    }

    /** The run recorded as {@code running}, if any (the holder of the import lock, when it has started writing). */
    public Optional<Run> running() {
        return handle.createQuery("SELECT * FROM safeimport_run WHERE status = 'running' ORDER BY started_at DESC")
                .map((rs, ctx) -> map(rs)).findFirst();
    }

    /** Marks an import as undone by a rollback run. */
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
                .bind("t", Timestamp.from(run.startedAt())).bind("id", run.runId())
                .map((rs, ctx) -> map(rs)).list();
    }

    private static Run map(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Run(rs.getString("run_id"), rs.getString("importer"), rs.getString("mode"), rs.getString("status"),
                rs.getTimestamp("started_at").toInstant(), finished == null ? null : finished.toInstant(),
                rs.getString("csv_path"), rs.getString("csv_sha256"), rs.getString("snapshot_id"),
                rs.getString("rolled_back_by"), rs.getString("counts_json"), rs.getString("host"),
                rs.getString("os_user"), rs.getString("log_file"), rs.getString("message"));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** Host and OS user of this process, for the run record and lock messages. */
    public static Map<String, String> whoAmI() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return Map.of("host", host, "user", System.getProperty("user.name", "unknown"));
    }
}
