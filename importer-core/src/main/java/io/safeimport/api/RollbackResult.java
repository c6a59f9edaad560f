package io.safeimport.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rollback did or would do: the fields of its {@code --output json} object (DESIGN.md §3).
 */
public final class RollbackResult {
    /** Per table: rows restored to their pre-image and rows removed. */
    public static final class TableCounts {
        private long restored;
        private long removed;

        public long restored() {
            return restored;
        }

        public long removed() {
            return removed;
        }

        public void restored(long n) {
            restored += n;
        }

        public void removed(long n) {
            removed += n;
        }
    }

    private final String snapshotId;
    private final String runId;
    private String status;
    private ExitCode exitCode = ExitCode.OK;
    private String message;
    private String safetySnapshotId;
    private final Map<String, TableCounts> tables = new LinkedHashMap<>();
    private final List<String> drift = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private String logFile;

    public RollbackResult(String snapshotId, String runId) {
        this.snapshotId = snapshotId;
        this.runId = runId;
    }

    public String snapshotId() {
        return snapshotId;
    }

    /** The ID of the rollback's own run. */
    public String runId() {
        return runId;
    }

    /** {@code planned}, {@code restored} or {@code refused} (or {@code failed}). */
    public String status() {
        return status;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public String message() {
        return message;
    }

    public void finish(String status, ExitCode code, String message) {
        this.status = status;
        this.exitCode = code;
        this.message = message;
    }

    public String safetySnapshotId() {
        return safetySnapshotId;
    }

    public void safetySnapshotId(String id) {
        this.safetySnapshotId = id;
    }

    public TableCounts table(String table) {
        return tables.computeIfAbsent(table, t -> new TableCounts());
    }

    public Map<String, TableCounts> tables() {
        return tables;
    }

    /** Rows changed since the run wrote them (first few, for the message). */
    public List<String> drift() {
        return drift;
    }

    public List<String> warnings() {
        return warnings;
    }

    public String logFile() {
        return logFile;
    }

    public void logFile(String f) {
        this.logFile = f;
    }
}
