package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ImportRequest;
import io.safeimport.api.ImportResult;
import io.safeimport.api.ImportWarning;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.run.RunStore;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The run's row in the run table, as DESIGN.md §2 step 7 keeps it: recorded as running on the
 * control connection as soon as the run holds the lock (so a killed run shows as interrupted),
 * described once it begins to write, and finished either in the import's transaction (committed
 * with the writes) or on the control connection (a run that stopped). A dry run has no record.
 */
final class RunRecord {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ImportRun run;
    private final ImportRequest request;
    private final ImportResult result;

    RunRecord(ImportRun run) {
        this.run = run;
        this.request = run.request();
        this.result = run.result();
    }

    /**
     * Records the run as running, committed at once on the control connection (autocommit),
     * before any step that could be interrupted: killed from here on, it shows as interrupted.
     */
    void start() {
        Handle control = run.control();
        Map<String, String> me = RunStore.whoAmI();
        String command = ImportLock.command(run.db(), "import " + request.name());
        new RunStore(control).insertRunning(new RunStore.Run(result.runId(), request.name(), "apply", "running", run.started(), null,
                String.join(",", request.files().stream().map(f -> f.path().toString()).toList()), null, null, null, null,
                me.get("host"), me.get("user"), result.logFile(), null), ProcessHandle.current().pid(), command);
        run.recorded(true);
        run.db().dialect().syncCommitted(control);
    }

    /** Marks the runs whose process died as interrupted, a warning and an audit line each. */
    void markInterrupted() {
        for (String dead : new RunStore(run.control()).markInterrupted()) {
            result.warnings().add(ImportWarning.of("run_interrupted",
                    "run " + dead + " had been interrupted (its process died); it is now marked interrupted"));
            run.audit().event("interrupted", "run " + dead + " marked interrupted");
        }
    }

    /** The CSV's SHA-256 (one file only) and the snapshot, told once the run begins to write. */
    void describe(boolean withSnapshot) {
        new RunStore(run.control()).describe(result.runId(), result.csv().size() == 1 ? result.csv().get(0).sha256() : null,
                withSnapshot ? run.snapshotId() : null);
    }

    /** The run recorded committed in the import's transaction {@code tx}, so that it commits with the writes. */
    void committedIn(Handle tx) {
        new RunStore(tx).finish(result.runId(), "committed", run.clock().instant(), countsJson(), null);
    }

    void end(Exception e) {
        String status = e instanceof SafeImportException s ? s.exitCode().failureStatus() : "failed";
        end(status, e.getMessage());
    }

    /**
     * The run's final status; a run that stopped before applying wrote nothing, and as before
     * leaves no record (its audit log has it): only runs that began to write are history.
     */
    void end(String status, String message) {
        run.recorded(false);
        try {
            if (run.applying()) {
                new RunStore(run.control()).finish(result.runId(), status, run.clock().instant(), countsJson(), message);
            } else {
                new RunStore(run.control()).forget(result.runId());
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
