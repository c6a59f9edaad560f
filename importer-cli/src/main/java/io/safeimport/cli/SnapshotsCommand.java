package io.safeimport.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.internal.io.Printable;
import io.safeimport.internal.snapshot.SnapshotStore;
import java.io.PrintWriter;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.Migrations;
import io.safeimport.internal.run.RunStore;
import io.safeimport.internal.snapshot.SnapshotBinding;
import io.safeimport.internal.run.DatabaseIdentity;
import picocli.CommandLine.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code snapshots list|show ID|verify ID}: read-only; {@code verify} also asks the database whose snapshot it is. */
@Command(name = "snapshots", description = "List, show and verify snapshots.",
        subcommands = {SnapshotsCommand.ListSnapshots.class, SnapshotsCommand.Show.class, SnapshotsCommand.Verify.class})
public final class SnapshotsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "use `snapshots list`, `snapshots show ID` or `snapshots verify ID`");
    }

    /** {@code snapshots list}: the current database's snapshots, or every one with {@code --all}. */
    @Command(name = "list", description = "List snapshots of the current database, oldest first (--all: of every database).")
    static final class ListSnapshots implements Callable<Integer> {
        @Mixin
        OutputOptions output;

        @Option(names = "--all", description = "List the snapshots of every database (and of unknown ones, taken by older releases).")
        boolean all;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            SnapshotStore store = new SnapshotStore(GlobalOptions.of(spec).snapshotDir());
            String here = null;
            String hereUrl = null;
            if (!all) {
                Database db = GlobalOptions.of(spec).connect();
                new Migrations(db).requireCurrent();
                here = DatabaseIdentity.of(db).orElse(null);
                hereUrl = db.settings().redactedUrl();
            }
            PrintWriter out = spec.commandLine().getOut();
            ArrayNode list = Json.MAPPER.createArrayNode();
            int hidden = 0;
            for (String id : store.list()) {
                ObjectNode m;
                try {
                    m = store.manifest(id);
                } catch (RuntimeException e) {
                    m = Json.object().put("snapshot_id", id).put("state", "damaged");
                }
                if (!all && !m.path(DatabaseIdentity.FIELD).asText("").equals(here)) {
                    hidden++;
                    continue;
                }
                list.add(m);
            }
            if (output.json()) {
                ObjectNode o = Json.object();
                o.put("snapshot_dir", store.root().toString());
                if (!all) {
                    o.putObject("database").put("id", here).put("url", hereUrl);
                }
                o.put("all", all);
                o.put("other_databases", hidden);
                o.set("snapshots", list);
                Json.print(out, o);
            } else {
                if (list.isEmpty()) {
                    out.println("no snapshots" + (all ? "" : " of " + Printable.escape(hereUrl)) + " in " + Printable.escape(store.root().toString()));
                }
                for (var m : list) {
                    // a manifest is a file anyone with access to the folder may have edited
                    out.printf("%-36s %-9s %-8s %-9s %-24s %s%n", Printable.escape(m.path("snapshot_id").asText()),
                            Printable.escape(m.path("importer").asText()), Printable.escape(m.path("kind").asText()),
                            Printable.escape(m.path("state").asText()), Printable.escape(m.path("created_at").asText()),
                            Printable.escape(m.path("database").asText("?")));
                }
                if (hidden > 0) {
                    spec.commandLine().getErr().println("safeimport: " + hidden + " snapshot(s) of other or unknown databases not listed"
                            + " (see them with `snapshots list --all`)");
                    spec.commandLine().getErr().flush();
                }
            }
            return 0;
        }
    }

    /** {@code snapshots show ID}. */
    @Command(name = "show", description = "Show a snapshot's manifest.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "SNAPSHOT_ID", description = "The snapshot ID, e.g. 20261122T034000Z-users-1a2b3c (see `snapshots list`).")
        String id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Json.print(spec.commandLine().getOut(), new SnapshotStore(GlobalOptions.of(spec).snapshotDir()).manifest(id));
            return 0;
        }
    }

    /** {@code snapshots verify ID}. */
    @Command(name = "verify", description = "Check every file of a snapshot against its manifest (exit 5 on mismatch).")
    static final class Verify implements Callable<Integer> {
        @Mixin
        OutputOptions output;

        @Parameters(paramLabel = "SNAPSHOT_ID", description = "The snapshot ID, e.g. 20261122T034000Z-users-1a2b3c (see `snapshots list`).")
        String id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            SnapshotStore store = new SnapshotStore(GlobalOptions.of(spec).snapshotDir());
            List<String> problems = new ArrayList<>(store.verify(id));
            String whose = null;
            if (problems.isEmpty()) {
                // sound files prove nothing about whose they are: the database recorded the manifest its run committed with
                Database db = GlobalOptions.of(spec).connect();
                new Migrations(db).requireCurrent();
                try (Handle h = db.open()) {
                    Optional<List<String>> bound = SnapshotBinding.inDatabase(new RunStore(h), store, id);
                    if (bound.isPresent()) {
                        problems.addAll(bound.get());
                    } else {
                        whose = "no committed run in " + db.settings().redactedUrl() + " is protected by it, so whose it is was not checked";
                    }
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                ObjectNode o = Json.object().put("snapshot_id", id).put("status", problems.isEmpty() ? "ok" : "damaged");
                o.put("bound_to_run", whose == null && problems.isEmpty());
                ArrayNode p = o.putArray("problems");
                problems.forEach(x -> p.add(Printable.escape(x)));
                Json.print(out, o);
            } else if (problems.isEmpty()) {
                out.println("snapshot " + id + ": every file matches its manifest"
                        + (whose == null ? ", and the manifest is the one its run committed with" : "; " + whose));
            } else {
                problems.forEach(p -> spec.commandLine().getErr().println("snapshot " + id + ": " + Printable.escape(p)));
                spec.commandLine().getErr().flush();
            }
            return problems.isEmpty() ? 0 : ExitCode.REFUSED.code();
        }
    }
}
