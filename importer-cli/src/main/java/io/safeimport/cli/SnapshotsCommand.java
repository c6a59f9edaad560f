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
import io.safeimport.internal.io.JsonLines;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
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

    /** {@code snapshots show ID [--rows]}. */
    @Command(name = "show", description = "Show a snapshot's manifest (--rows: also what it holds).")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "SNAPSHOT_ID", description = "The snapshot ID, e.g. 20261122T034000Z-users-1a2b3c (see `snapshots list`).")
        String id;

        @Option(names = "--output", paramLabel = "text|json", defaultValue = "json",
                description = "json (default: the manifest, as one JSON object) or text.")
        OutputOptions.Format output = OutputOptions.Format.json;

        @Option(names = "--rows", description = "Also print what the snapshot holds: the pre-image of every row the run changed"
                + " and the key of every row it inserted (verified against the manifest first).")
        boolean rows;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            SnapshotStore store = new SnapshotStore(GlobalOptions.of(spec).snapshotDir());
            ObjectNode manifest = store.manifest(id);
            Path pre = store.dir(id).resolve(SnapshotStore.PRE);
            if (rows) {
                store.requireSound(id);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output == OutputOptions.Format.json) {
                if (!rows) {
                    Json.print(out, manifest);
                    return 0;
                }
                // rows are streamed, not collected: a snapshot may hold millions
                try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
                    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    g.useDefaultPrettyPrinter();
                    g.writeStartObject();
                    for (Iterator<Map.Entry<String, JsonNode>> it = manifest.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        if (!"rows".equals(e.getKey())) {
                            g.writeFieldName(e.getKey());
                            g.writeTree(e.getValue());
                        }
                    }
                    g.writeArrayFieldStart("rows");
                    if (Files.isRegularFile(pre)) {
                        try (JsonLines.Reader r = JsonLines.read(pre)) {
                            while (r.hasNext()) {
                                g.writeTree(r.next());
                            }
                        }
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                out.println();
                out.flush();
                return 0;
            }
            for (String line : describe(manifest)) {
                out.println(line);
            }
            if (rows) {
                out.println("rows (" + SnapshotStore.PRE + ": pre-images of the rows the run changed, keys of the rows it inserted):");
                if (Files.isRegularFile(pre)) {
                    try (JsonLines.Reader r = JsonLines.read(pre)) {
                        while (r.hasNext()) {
                            out.println("  " + row(r.next()));
                        }
                    }
                }
            }
            out.flush();
            return 0;
        }

        /** The manifest as {@code name  value} lines; every value escaped (anyone with access to the folder may have edited it). */
        static List<String> describe(ObjectNode m) {
            List<String> lines = new ArrayList<>();
            String[][] fields = {{"snapshot", "snapshot_id"}, {"run", "run_id"}, {"kind", "kind"}, {"importer", "importer"},
                    {"created", "created_at"}, {"state", "state"}, {"mode", "mode"}, {"schema", "schema_version"},
                    {"database", "database"}, {"database id", DatabaseIdentity.FIELD}, {"rollback of", "rollback_of"}};
            for (String[] f : fields) {
                if (m.hasNonNull(f[1])) {
                    lines.add(String.format("%-12s %s", f[0], Printable.escape(m.get(f[1]).asText())));
                }
            }
            if (m.path("tables").isArray()) {
                List<String> t = new ArrayList<>();
                m.get("tables").forEach(x -> t.add(Printable.escape(x.asText())));
                lines.add(String.format("%-12s %s", "tables", String.join(", ", t)));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = m.path("files").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                lines.add(String.format("%-12s %s: %d rows, sha256 %s", "file", Printable.escape(e.getKey()), e.getValue().path("rows").asLong(),
                        Printable.escape(e.getValue().path("sha256").asText())));
            }
            return lines;
        }

        /** One line of {@code pre.jsonl.gz}: {@code app_user update #3 {...}} or {@code app_user insert key {...}}. */
        static String row(ObjectNode n) {
            StringBuilder sb = new StringBuilder(String.format("%-22s %-7s", n.path("table").asText(), n.path("op").asText()));
            if (n.has("id")) {
                sb.append(" #").append(n.get("id").asLong());
            }
            if (n.has("key")) {
                sb.append(" key ").append(n.get("key"));
            }
            if (n.has("row")) {
                sb.append(' ').append(n.get("row"));
            }
            return Printable.escape(sb.toString());
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
