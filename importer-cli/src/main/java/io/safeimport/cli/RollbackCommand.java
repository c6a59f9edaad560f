package io.safeimport.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.RollbackResult;
import io.safeimport.api.SafeImportException;
import io.safeimport.importers.declared.ConfiguredImporter;
import io.safeimport.importers.declared.DeclaredImporters;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.run.RunIds;
import io.safeimport.internal.snapshot.SnapshotStore;
import io.safeimport.spi.Catalog;
import io.safeimport.internal.io.Printable;
import io.safeimport.internal.pipeline.RollbackPipeline;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rollback SNAPSHOT_ID}: restore exactly the state before that run. */
@Command(name = "rollback", description = "Restore exactly the state before a run, from its snapshot.")
public final class RollbackCommand implements Callable<Integer> {
    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "SNAPSHOT_ID", description = "The snapshot ID printed by the import (see `snapshots list`).")
    String id;

    @Option(names = "--dry-run", description = "Show what would be restored and removed; change nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "Restore even over rows changed since the run (they are in the safety snapshot).")
    boolean force;

    @Option(names = "--yes", description = "Do not ask for confirmation (needed without a terminal).")
    boolean yes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The tables the snapshot covers: the operator's own, as the config and the database describe
     * them now, for a snapshot of declared importers (its manifest records their definitions); the
     * reference schema otherwise. Without a usable config the reference schema is handed over, and
     * the rollback refuses a snapshot of declared tables, saying so.
     */
    private Catalog catalog(Database db) {
        GlobalOptions global = GlobalOptions.of(spec);
        if (!RunIds.isValid(id) || global.configFile().isEmpty() || !new SnapshotStore(global.snapshotDir()).declaresTables(id)) {
            return Catalog.reference();
        }
        DeclaredImporters declared = DeclaredConfig.usable(global, db, spec.commandLine().getErr());
        return declared.importers().values().stream().findFirst().map(ConfiguredImporter::catalog).orElse(Catalog.reference());
    }

    @Override
    public Integer call() {
        Console console = System.console();
        if (!dryRun && !yes && console == null) {
            throw new SafeImportException(ExitCode.USAGE, "rollback changes the database and there is no terminal to confirm on: pass --yes");
        }
        Database db = GlobalOptions.of(spec).connect();
        RollbackResult r;
        // progress as imports show it (a bar on a terminal, else lines on stderr), each phase announced as it begins
        try (ProgressReporter progress = ProgressReporter.create(spec.commandLine().getErr(), !output.json(), true)) {
            r = new RollbackPipeline(db, GlobalOptions.of(spec).snapshotDir(), GlobalOptions.of(spec).logDir(), Clock.systemUTC(),
                    GlobalOptions.of(spec).waitSeconds, progress, catalog(db))
                    .run(id, dryRun, force, counts -> {
                        progress.close(); // a live bar must not overwrite the question
                        return yes || confirm(console, question(id, db.settings().redactedUrl(), counts));
                    });
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectNode o = Json.object();
            o.put("run_id", r.runId());
            o.put("snapshot_id", r.snapshotId());
            o.put("status", r.status());
            o.put("safety_snapshot_id", r.safetySnapshotId());
            ObjectNode t = o.putObject("tables");
            r.tables().forEach((k, v) -> t.putObject(k).put("restored", v.restored()).put("removed", v.removed()));
            ArrayNode drift = o.putArray("changed_since");
            r.drift().forEach(d -> drift.add(Printable.escape(d)));
            ArrayNode w = o.putArray("warnings");
            r.warnings().forEach(x -> w.add(Printable.escape(x)));
            o.put("log_file", r.logFile());
            if (r.exitCode() != ExitCode.OK) {
                o.put("message", Printable.escape(r.message()));
            }
            Json.print(out, o);
        } else {
            r.tables().forEach((k, v) -> out.printf("  %-22s %d restored, %d removed%n", k, v.restored(), v.removed()));
            r.warnings().forEach(w -> spec.commandLine().getErr().println("  warning: " + Printable.escape(w)));
            switch (r.status()) {
                case "planned" -> out.println("Dry-run: nothing was changed.");
                case "restored" -> out.println("Restored the state before " + r.snapshotId() + ". This rollback is run and safety snapshot "
                        + r.safetySnapshotId() + " (undo it with: " + Printable.escape(GlobalOptions.of(spec).again("rollback", r.safetySnapshotId())) + ")");
                default -> spec.commandLine().getErr().println("safeimport: " + r.status() + ": " + Printable.escape(r.message()));
            }
            out.println("Audit log: " + Printable.escape(r.logFile()));
            out.flush();
            spec.commandLine().getErr().flush();
        }
        return r.exitCode().code();
    }

    private static boolean confirm(Console console, String question) {
        if (console == null) {
            return false;
        }
        String answer = console.readLine("%s", question);
        return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }

    /**
     * What the terminal is asked before anything is written: the database, and per table how many
     * rows will be restored to their state before the run and how many rows the run inserted will be removed.
     */
    static String question(String snapshotId, String database, Map<String, RollbackResult.TableCounts> counts) {
        StringBuilder sb = new StringBuilder("Rolling back the run of snapshot ").append(snapshotId).append(" on ")
                .append(Printable.escape(database)).append(" will:\n");
        long restore = 0;
        long remove = 0;
        for (Map.Entry<String, RollbackResult.TableCounts> e : counts.entrySet()) {
            sb.append(String.format("  %-22s restore %d row(s), remove %d row(s)%n", e.getKey(), e.getValue().restored(), e.getValue().removed()));
            restore += e.getValue().restored();
            remove += e.getValue().removed();
        }
        if (counts.isEmpty()) {
            sb.append("  change no rows\n");
        }
        return sb.append("Restore ").append(restore).append(" and remove ").append(remove)
                .append(" row(s) now? This changes the database (a safety snapshot is taken first). [y/N] ").toString();
    }
}
