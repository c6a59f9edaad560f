package io.safeimport.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import did or would do: the fields of the {@code --output json} object of DESIGN.md §3,
 * plus the plan lines shown by a text dry-run. Mutable while the pipeline runs; read-only after.
 */
public final class ImportResult {
    /** A file that was read. */
    public record CsvInfo(String path, String sha256, long rows) {
    }

    /** One planned row action, for display: {@code users.csv:12 update app_user ann@x.com title: "A" -> "B"}. */
    public record PlanLine(String file, long line, String table, String key, String action, String detail) {
    }

    private final String runId;
    private final String importer;
    private final String mode;
    private String status;
    private ExitCode exitCode = ExitCode.OK;
    private final List<CsvInfo> csv = new ArrayList<>();
    private final Counts counts = new Counts();
    private final Map<String, Counts> tables = new LinkedHashMap<>();
    private final List<ImportError> errors = new ArrayList<>();
    private long errorCount;
    private final List<ImportWarning> warnings = new ArrayList<>();
    private final List<PlanLine> plan = new ArrayList<>();
    private long planLines;
    private String snapshotId;
    private String logFile;
    private String message;
    private boolean planned;

    /** How many errors and plan lines are kept for display; the audit log has them all. */
    public static final int DISPLAY_LIMIT = 1000;

    public ImportResult(String runId, String importer, String mode) {
        this.runId = runId;
        this.importer = importer;
        this.mode = mode;
    }

    public String runId() {
        return runId;
    }

    public String importer() {
        return importer;
    }

    /** {@code dry-run} or {@code apply}. */
    public String mode() {
        return mode;
    }

    /** {@code planned}, {@code committed}, {@code rejected}, {@code rolled_back}, {@code refused} or {@code failed}. */
    public String status() {
        return status;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public void finish(String status, ExitCode exitCode, String message) {
        this.status = status;
        this.exitCode = exitCode;
        this.message = message;
    }

    /** A sentence explaining a status other than planned/committed, or {@code null}. */
    public String message() {
        return message;
    }

    public List<CsvInfo> csv() {
        return csv;
    }

    public Counts counts() {
        return counts;
    }

    public Counts table(String table) {
        return tables.computeIfAbsent(table, t -> new Counts());
    }

    public Map<String, Counts> tables() {
        return tables;
    }

    public void error(ImportError e) {
        errorCount++;
        if (errors.size() < DISPLAY_LIMIT) {
            errors.add(e);
        }
    }

    /** The first {@link #DISPLAY_LIMIT} errors. */
    public List<ImportError> errors() {
        return errors;
    }

    public long errorCount() {
        return errorCount;
    }

    /** Warnings, in the order they were found; the run may add to them until it ends. */
    public List<ImportWarning> warnings() {
        return warnings;
    }

    public void plan(PlanLine line) {
        planLines++;
        if (plan.size() < DISPLAY_LIMIT) {
            plan.add(line);
        }
    }

    public List<PlanLine> plan() {
        return plan;
    }

    public long planLines() {
        return planLines;
    }

    /**
     * Whether planning went through every row, so that {@link #counts()} describe a plan (of a run
     * that may still be rejected for the errors it found); {@code false} when the run stopped before
     * (a file that cannot be read, a saved plan that does not match).
     */
    public boolean planned() {
        return planned;
    }

    public void planned(boolean planned) {
        this.planned = planned;
    }

    public String snapshotId() {
        return snapshotId;
    }

    public void snapshotId(String id) {
        this.snapshotId = id;
    }

    public String logFile() {
        return logFile;
    }

    public void logFile(String file) {
        this.logFile = file;
    }
}
