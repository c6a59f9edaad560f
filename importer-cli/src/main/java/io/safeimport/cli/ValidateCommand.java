package io.safeimport.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
@Command(name = "validate", description = "Run the integrity checks on the current database (exit 0 when no error-level check fails, 1 when one does).")
public final class ValidateCommand implements Callable<Integer> {
    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Database db = GlobalOptions.of(spec).connect();
        new Migrations(db).requireCurrent();
        List<Finding> findings = new ArrayList<>();
        List<IntegrityCheck> checks = IntegrityChecks.all();
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
