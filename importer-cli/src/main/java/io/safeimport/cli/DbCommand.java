package io.safeimport.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.Migrations;
import io.safeimport.internal.io.Printable;
import io.safeimport.internal.run.Environment;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.flywaydb.core.api.MigrationInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code db migrate} and {@code db status}. */
@Command(name = "db", description = "Create or upgrade the schema; show its status.",
        subcommands = {DbCommand.Migrate.class, DbCommand.Status.class})
public final class DbCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "use `db migrate` or `db status`");
    }

    /** {@code db migrate [--env production|staging|development]}. */
    @Command(name = "migrate", description = "Create or upgrade the schema (Flyway) and optionally mark the environment.")
    static final class Migrate implements Callable<Integer> {
        @ParentCommand
        DbCommand parent;

        @Mixin
        OutputOptions output;

        @Option(names = "--env", paramLabel = "ENV", description = "Mark the database as production, staging or development.")
        Environment.Kind env;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            GlobalOptions global = GlobalOptions.of(spec);
            Database db = global.connect();
            // with importers declared, a database on no track yet gets safeimport's own tables only
            Migrations m = new Migrations(db, DeclaredConfig.declaresImporters(global));
            // a new embedded database is marked development unless --env says otherwise
            int ran = env == null && db.settings().embedded() ? m.migrateEmbedded() : m.migrate();
            if (env != null) {
                Environment.mark(db, env);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                ObjectNode o = Json.object();
                o.put("database", db.settings().redactedUrl());
                o.put("migrations_applied", ran);
                o.put("schema_version", m.currentVersion());
                o.put("tables", m.track() == Migrations.Track.OWN_TABLES ? "own" : "reference");
                o.put("environment", Environment.read(db).map(Enum::name).orElse(null));
                Json.print(out, o);
            } else {
                out.printf("%s: %d migration(s) applied; schema version %s%s%s%n", db.settings().redactedUrl(), ran,
                        m.currentVersion(), m.track() == Migrations.Track.OWN_TABLES
                                ? " (safeimport's own tables only: importers are declared in the config)" : "",
                        env == null ? "" : "; marked " + env);
            }
            return 0;
        }
    }

    /** {@code db status}. */
    @Command(name = "status", description = "Show the schema version, pending migrations and environment marker.")
    static final class Status implements Callable<Integer> {
        @Mixin
        OutputOptions output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            GlobalOptions global = GlobalOptions.of(spec);
            Database db = global.connect();
            Migrations m = new Migrations(db, DeclaredConfig.declaresImporters(global));
            PrintWriter out = spec.commandLine().getOut();
            String env = Environment.readIfPresent(db).map(Enum::name).orElse(null);
            Map<String, String> importers = DeclaredConfig.usability(global, db);
            if (output.json()) {
                ObjectNode o = Json.object();
                o.put("database", db.settings().redactedUrl());
                o.put("schema_version", m.currentVersion());
                o.put("environment", env);
                ArrayNode list = o.putArray("migrations");
                for (MigrationInfo i : m.all()) {
                    list.addObject().put("version", i.getVersion() == null ? null : i.getVersion().getVersion())
                            .put("description", i.getDescription()).put("state", i.getState().getDisplayName());
                }
                ObjectNode usable = o.putObject("importers");
                importers.forEach(usable::put);
                Json.print(out, o);
            } else {
                out.printf("database:       %s%n", db.settings().redactedUrl());
                out.printf("schema version: %s%n", m.currentVersion() == null ? "(none: run `db migrate`)" : m.currentVersion());
                out.printf("environment:    %s%n", env == null ? "(not marked)" : env);
                for (MigrationInfo i : m.all()) {
                    out.printf("  %-4s %-30s %s%n", i.getVersion() == null ? "" : i.getVersion().getVersion(),
                            i.getDescription(), i.getState().getDisplayName());
                }
                if (!importers.isEmpty()) {
                    out.printf("importers:%n");
                    importers.forEach((name, state) -> out.printf("  %-20s %s%n", name, Printable.escape(state)));
                }
            }
            return m.pending().isEmpty() && m.currentVersion() != null ? 0 : 6;
        }
    }
}
