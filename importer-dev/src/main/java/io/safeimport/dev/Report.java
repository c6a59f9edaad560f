package io.safeimport.dev;

import io.safeimport.api.Counts;
import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportError;
import io.safeimport.api.ImportResult;
import io.safeimport.api.RollbackResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The text the dev commands print: results on stdout, errors and warnings on stderr. */
final class Report {
    private static final int SHOWN_ERRORS = 20;

    private Report() {
    }

    static void printReset(PrintWriter out, Reset.Result r) {
        for (Reset.Step s : r.steps()) {
            String what = s.action().equals("delete") ? "deleted" : "set the references to deleted rows empty on";
            out.printf("%s %d row(s) (%s) — snapshot %s%n", what.substring(0, 1).toUpperCase() + what.substring(1), s.total(),
                    perTable(s.rows()), s.snapshotId());
        }
        undo(out, r.rollbackOrder());
        out.println("Audit log: " + r.logFile());
    }

    static void printImport(PrintWriter out, PrintWriter err, String label, ImportResult r) {
        out.printf("safeimport-dev %s (%s) — run %s%n", label, r.mode(), r.runId());
        for (ImportResult.CsvInfo c : r.csv()) {
            out.printf("  read %s: %d rows, sha256 %s%n", c.path(), c.rows(), c.sha256().substring(0, 12));
        }
        r.tables().forEach((t, c) -> out.printf("  %-22s %d insert, %d update, %d unchanged%s%n", t, c.insert(), c.update(),
                c.unchanged(), c.kept() > 0 ? ", " + c.kept() + " kept" : ""));
        Counts c = r.counts();
        out.printf("Plan: %d insert, %d update, %d unchanged, %d kept, %d invalid%s%n", c.insert(), c.update(), c.unchanged(),
                c.kept(), c.invalid(), c.skipped() > 0 ? ", " + c.skipped() + " skipped" : "");
        List<ImportError> errors = r.errors();
        for (ImportError e : errors.subList(0, Math.min(SHOWN_ERRORS, errors.size()))) {
            err.println("  " + e.describe());
        }
        if (r.errorCount() > SHOWN_ERRORS) {
            err.printf("  ... %d more errors in the audit log%n", r.errorCount() - SHOWN_ERRORS);
        }
        r.warnings().forEach(w -> err.println("  warning: " + w));
        switch (r.status()) {
            case "planned" -> out.println("Dry-run: nothing was written.");
            case "committed" -> out.println(r.snapshotId() == null ? "Committed." : "Committed. Snapshot " + r.snapshotId()
                    + " (undo with: ./safeimport rollback " + r.snapshotId() + " --yes)");
            default -> err.println("safeimport-dev: " + r.status() + ": " + r.message());
        }
        out.println("Audit log: " + r.logFile());
        out.flush();
        err.flush();
    }

    static void printClearUsers(PrintWriter out, PrintWriter err, Path csv, ClearUsersImport.Result r) {
        if (r.clear() == null) {
            err.println("safeimport-dev: " + csv + " would be rejected by the users import, so no user was cleared:");
            printImport(out, err, "import users (check before clearing)", r.check());
            return;
        }
        out.printf("Checked %s with a dry-run: %d row(s), no errors.%n", csv, r.check().csv().isEmpty() ? 0 : r.check().csv().get(0).rows());
        if (r.clear().steps().isEmpty()) {
            out.println("Cleared nothing: there were no users.");
        }
        for (Reset.Step s : r.clear().steps()) {
            out.printf("Cleared: %s %d row(s) (%s) — snapshot %s%n", s.action().equals("delete") ? "deleted" : "set leaders empty on",
                    s.total(), perTable(s.rows()), s.snapshotId());
        }
        printImport(out, err, "import users", r.imported());
        if (r.imported().exitCode() != ExitCode.OK) {
            for (RollbackResult u : r.undone()) {
                if (u.exitCode() == ExitCode.OK) {
                    out.println("Undid the clear: rolled back " + u.snapshotId() + " (safety snapshot " + u.safetySnapshotId() + ")");
                } else {
                    err.println("safeimport-dev: could not roll back " + u.snapshotId() + ": " + u.message()
                            + " — roll back these snapshots by hand, newest first: " + String.join(", ", r.clear().rollbackOrder()));
                }
            }
            if (r.undone().stream().allMatch(u -> u.exitCode() == ExitCode.OK)) {
                out.println("The import did not commit, so the clear was undone: the users are as they were.");
            }
            out.flush();
            err.flush();
            return;
        }
        List<String> order = r.rollbackOrder();
        if (order.size() > 1) {
            out.printf("This took %d snapshots: the clear is one transaction with %d snapshot(s) (rollback restores updated rows"
                            + " before it re-inserts deleted users, so the leader references need their own), and the import"
                            + " pipeline runs its own transaction, so the import could not share the clear's.%n",
                    order.size(), r.clear().steps().size());
        }
        undo(out, order);
        out.flush();
    }

    private static void undo(PrintWriter out, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        if (ids.size() == 1) {
            out.println("Undo with: ./safeimport rollback " + ids.get(0) + " --yes");
            return;
        }
        out.println("Undo all of it with, newest first:");
        ids.forEach(id -> out.println("  ./safeimport rollback " + id + " --yes"));
    }

    private static String perTable(Map<String, Long> rows) {
        List<String> parts = new ArrayList<>();
        rows.forEach((t, n) -> {
            if (n > 0) {
                parts.add(t + " " + n);
            }
        });
        return String.join(", ", parts);
    }
}
