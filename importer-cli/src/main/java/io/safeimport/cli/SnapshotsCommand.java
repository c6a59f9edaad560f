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

    /** {@code snapshots list}. */
    @Command(name = "list", description = "List snapshots, oldest first.")
    static final class ListSnapshots implements Callable<Integer> {
        @Mixin
        OutputOptions output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            SnapshotStore store = new SnapshotStore(GlobalOptions.of(spec).snapshotDir());
            PrintWriter out = spec.commandLine().getOut();
            ArrayNode list = Json.MAPPER.createArrayNode();
            for (String id : store.list()) {
                ObjectNode m;
                try {
                    m = store.manifest(id);
                } catch (RuntimeException e) {
                    m = Json.object().put("snapshot_id", id).put("state", "damaged");
                }
                list.add(m);
            }
            if (output.json()) {
                ObjectNode o = Json.object();
                o.put("snapshot_dir", store.root().toString());
                o.set("snapshots", list);
                Json.print(out, o);
            } else {
                if (list.isEmpty()) {
                    out.println("no snapshots in " + Printable.escape(store.root().toString()));
                }
                for (var m : list) {
                    // a manifest is a file anyone with access to the folder may have edited
                    out.printf("%-36s %-9s %-8s %-9s %s%n", Printable.escape(m.path("snapshot_id").asText()),
                            Printable.escape(m.path("importer").asText()), Printable.escape(m.path("kind").asText()),
                            Printable.escape(m.path("state").asText()), Printable.escape(m.path("created_at").asText()));
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
