package io.safeimport.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.Migrations;
import io.safeimport.internal.io.Printable;
import io.safeimport.internal.run.RunIds;
import io.safeimport.internal.run.RunStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runs list|show RUN_ID}: the run history. */
@Command(name = "runs", description = "The history of committed runs.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class})
public final class RunsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "use `runs list` or `runs show RUN_ID`");
    }

    static ObjectNode json(RunStore.Run r) {
        ObjectNode o = Json.object();
        o.put("run_id", r.runId());
        o.put("importer", r.importer());
        o.put("mode", r.mode());
        o.put("status", r.status());
        o.put("started_at", r.startedAt().toString());
        o.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
        o.put("csv", r.csvPath());
        o.put("csv_sha256", r.csvSha256());
        o.put("snapshot_id", r.snapshotId());
        o.put("rolled_back_by", r.rolledBackBy());
        try {
            o.set("counts", r.countsJson() == null ? null : Json.MAPPER.readTree(r.countsJson()));
        } catch (JsonProcessingException e) {
            o.put("counts", r.countsJson());
        }
        o.put("host", r.host());
        o.put("user", r.osUser());
        o.put("log_file", r.logFile());
        o.put("message", r.message());
        return o;
    }

    /** A run as {@code name  value} lines, for {@code runs show --output text}; values escaped (CSV paths, messages). */
    static List<String> text(RunStore.Run r) {
        List<String> lines = new ArrayList<>();
        BiConsumer<String, Object> line = (k, v) -> {
            if (v != null) {
                lines.add(String.format("%-14s %s", k, Printable.escape(String.valueOf(v))));
            }
        };
        line.accept("run", r.runId());
        line.accept("importer", r.importer());
        line.accept("mode", r.mode());
        line.accept("status", r.status());
        line.accept("started", r.startedAt());
        line.accept("finished", r.finishedAt());
        line.accept("csv", r.csvPath());
        line.accept("csv sha256", r.csvSha256());
        line.accept("snapshot", r.snapshotId());
        line.accept("rolled back by", r.rolledBackBy());
        if (r.countsJson() != null) {
            try {
                Json.MAPPER.readTree(r.countsJson()).fields().forEachRemaining(e -> line.accept("counts " + e.getKey(),
                        e.getValue().isObject() ? e.getValue().toString().replaceAll("[{}\"]", "").replace(":", " ").replace(",", ", ")
                                : e.getValue().asText()));
            } catch (JsonProcessingException e) {
                line.accept("counts", r.countsJson());
            }
        }
        line.accept("host", r.host());
        line.accept("user", r.osUser());
        line.accept("log file", r.logFile());
        line.accept("message", r.message());
        return lines;
    }

    /** {@code runs list}. */
    @Command(name = "list", description = "List runs, newest first.")
    static final class ListRuns implements Callable<Integer> {
        @Mixin
        OutputOptions output;

        @Option(names = "--limit", defaultValue = "50", description = "How many runs to show (default 50).")
        int limit;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Database db = GlobalOptions.of(spec).connect();
            new Migrations(db).requireCurrent();
            List<RunStore.Run> runs;
            try (Handle h = db.open()) {
                runs = new RunStore(h).list(limit);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                ObjectNode o = Json.object();
                ArrayNode a = o.putArray("runs");
                runs.forEach(r -> a.add(json(r)));
                Json.print(out, o);
            } else {
                if (runs.isEmpty()) {
                    out.println("no runs recorded (dry-runs are recorded only in their audit log)");
                }
                for (RunStore.Run r : runs) {
                    out.printf("%-36s %-9s %-12s %s  snapshot %s%n", r.runId(), r.importer(), r.status(), r.startedAt(),
                            r.snapshotId() == null ? "-" : r.snapshotId());
                }
            }
            return 0;
        }
    }

    /** {@code runs show RUN_ID}. */
    @Command(name = "show", description = "Show one run.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_ID", description = "The run ID, e.g. 20261122T034000Z-users-1a2b3c (see `runs list`).")
        String runId;

        @Option(names = "--output", paramLabel = "text|json", defaultValue = "json",
                description = "json (default: one JSON object) or text.")
        OutputOptions.Format output = OutputOptions.Format.json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!RunIds.isValid(runId)) {
                // rejected before connecting, like a snapshot ID (DESIGN.md §3); the message says run, not snapshot
                throw new SafeImportException(ExitCode.USAGE, "'" + (runId == null ? "" : runId.replaceAll("[^\\x20-\\x7e]", "?"))
                        + "' is not a run ID: expected YYYYMMDDTHHMMSSZ-<importer>-<6 hex>, e.g. 20261122T034000Z-users-1a2b3c"
                        + " (see `runs list`)");
            }
            Database db = GlobalOptions.of(spec).connect();
            new Migrations(db).requireCurrent();
            RunStore.Run run;
            try (Handle h = db.open()) {
                run = new RunStore(h).find(runId).orElseThrow(() -> new SafeImportException(ExitCode.USAGE,
                        "no run " + runId + " is recorded in " + db.settings().redactedUrl() + " (see `runs list`)"));
            }
            if (output == OutputOptions.Format.json) {
                Json.print(spec.commandLine().getOut(), json(run));
                return 0;
            }
            PrintWriter out = spec.commandLine().getOut();
            text(run).forEach(out::println);
            out.flush();
            return 0;
        }
    }
}
