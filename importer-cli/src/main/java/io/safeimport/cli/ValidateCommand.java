package io.safeimport.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.importers.declared.ConfiguredImporter;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.db.Migrations;
import io.safeimport.internal.io.Printable;
import io.safeimport.internal.pipeline.Transactions;
import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.Severity;
import io.safeimport.validators.IntegrityChecks;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Handle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code validate}: the integrity checks of DESIGN.md §5 on the current database. */
@Command(name = "validate", description = "Run the integrity checks on the current database, with the checks declared in safeimport.yml"
        + " (exit 0 when no error-level check fails, 1 when one does).")
public final class ValidateCommand implements Callable<Integer> {
    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        GlobalOptions global = GlobalOptions.of(spec);
        Database db = global.connect();
        boolean declared = DeclaredConfig.declaresImporters(global);
        Migrations migrations = new Migrations(db, declared);
        migrations.requireCurrent();
        List<Finding> findings = new ArrayList<>();
        // the reference schema's checks where it exists, and the checks of every declared importer
        List<IntegrityCheck> checks = new ArrayList<>();
        if (migrations.track() == Migrations.Track.REFERENCE) {
            checks.addAll(IntegrityChecks.all());
        }
        if (declared) {
            for (ConfiguredImporter importer : DeclaredConfig.usable(global, db, spec.commandLine().getErr()).importers().values()) {
                checks.addAll(importer.checks());
            }
        }
        // in one read-only transaction, rolled back: every check sees the same data, and PostgreSQL
        // streams a result set (the dialect's fetch size) only with autocommit off
        try (Handle h = db.open()) {
            Transactions.useReadTransaction(h, tx -> {
                for (IntegrityCheck c : checks) {
                    c.run(tx, db.dialect(), findings::add);
                }
            });
        }
        long errors = findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            ObjectNode o = Json.object();
            o.put("database", db.settings().redactedUrl());
            o.put("checks", checks.size());
            o.put("errors", errors);
            o.put("warnings", findings.size() - errors);
            ArrayNode list = o.putArray("findings");
            for (Finding f : findings) {
                list.addObject().put("code", f.code()).put("severity", f.severity().label()).put("table", f.table())
                        .put("key", f.key()).put("message", Printable.escape(f.message()));
            }
            Json.print(out, o);
        } else {
            for (Finding f : findings) {
                out.printf("%-7s %-32s %-22s %s: %s%n", f.severity().label(), f.code(), f.table(),
                        Printable.escape(f.key()), Printable.escape(f.message()));
            }
            out.printf("%d checks: %d error(s), %d warning(s)%n", checks.size(), errors, findings.size() - errors);
        }
        return errors == 0 ? 0 : 1;
    }
}
