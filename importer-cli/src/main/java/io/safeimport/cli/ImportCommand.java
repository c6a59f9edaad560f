package io.safeimport.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.Counts;
import io.safeimport.api.CsvFormat;
import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportError;
import io.safeimport.api.ImportRequest;
import io.safeimport.api.ImportResult;
import io.safeimport.api.ImportWarning;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.db.Database;
import io.safeimport.internal.io.Printable;
import io.safeimport.internal.pipeline.ImportPipeline;
import io.safeimport.spi.ImportOptions;
import io.safeimport.spi.Importer;
import io.safeimport.spi.ReferenceSchema;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code import users|org|ladders|history|all}. */
@Command(name = "import", description = "Import CSV files (dry-run first; every real run is snapshotted).",
        subcommands = {ImportUsersCommand.class, ImportOrgCommand.class, ImportLaddersCommand.class,
                ImportHistoryCommand.class, ImportAllCommand.class})
public final class ImportCommand implements Runnable {
    /** What follows {@code file:} in {@link ImportError#describe()}: {@code line: [column 'c': ]code: message}. */
    private static final Pattern DESCRIBED = Pattern.compile("(\\d+): (?:column '([^']*)': )?([a-z][a-z0-9_]*): (.*)", Pattern.DOTALL);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to import: users, org, ladders, history or all");
    }

    /** The importer of this name, found with {@link ServiceLoader}. */
    public static Importer importer(String name) {
        for (Importer i : ServiceLoader.load(Importer.class)) {
            if (i.name().equals(name)) {
                return i;
            }
        }
        throw new SafeImportException(ExitCode.INTERNAL, "no importer named '" + name + "' is installed");
    }

    /** Runs an import and prints its report; returns the exit code. */
    static int execute(CommandLine cmd, GlobalOptions global, ImportCommonOptions common, OutputOptions output,
                       String name, List<ImportRequest.ImportFile> files, ImportOptions options) {
        return execute(cmd, global, common, output, name, files, options, List.of());
    }

    /** @param warnings said before the run's own warnings (files of the folder that were not read) */
    static int execute(CommandLine cmd, GlobalOptions global, ImportCommonOptions common, OutputOptions output,
                       String name, List<ImportRequest.ImportFile> files, ImportOptions options, List<ImportWarning> warnings) {
        if (common.maxErrors < 0) {
            throw new CommandLine.ParameterException(cmd, "--max-errors must be 0 or more");
        }
        if (!common.snapshot.equals("touched") && !common.snapshot.equals("full")) {
            throw new CommandLine.ParameterException(cmd, "--snapshot must be touched or full");
        }
        if (common.planOut != null && !common.dryRun) {
            throw new CommandLine.ParameterException(cmd, "--plan-out saves the plan of a dry-run: add --dry-run");
        }
        if (common.planOut != null && common.plan != null) {
            throw new CommandLine.ParameterException(cmd, "--plan-out and --plan cannot be used together");
        }
        CsvFormat format;
        try {
            format = common.csvFormat();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, e.getMessage());
        }
        Database db = global.connect();
        ImportRequest request = new ImportRequest(name, files, options, common.dryRun, common.maxErrors, !common.noBackup,
                !common.noValidate, common.snapshot.equals("full"), common.ignoreUnknownColumns, common.logFile,
                common.planOut, common.plan, format);
        ImportResult result;
        try (ProgressReporter progress = ProgressReporter.create(cmd.getErr(), !output.json() || common.progress)) {
            result = new ImportPipeline(db, global.snapshotDir(), global.logDir(), Clock.systemUTC(), progress, global.waitSeconds)
                    .run(request);
        }
        result.warnings().addAll(0, warnings);
        if (common.noValidate && "committed".equals(result.status())) {
            // the pipeline only notes validate=false in the audit log's start line; say it where the user looks
            result.warnings().add(ImportWarning.of("no_validate", "--no-validate: the integrity checks were not run before commit;"
                    + " check the database with `safeimport validate`"));
        }
        if (output.json()) {
            Json.print(cmd.getOut(), json(result, files));
        } else {
            printText(cmd.getOut(), cmd.getErr(), result, global);
        }
        return result.exitCode().code();
    }

    /**
     * The {@code --output json} object of DESIGN.md §3. {@code csv} has one shape whatever happened:
     * an object for a one-file import, an array of such objects (one per file found) for
     * {@code import all}; a file that was not read has {@code sha256} null and 0 rows. A run rejected
     * as a whole (no such file, not UTF-8, ...) also lists that reason under {@code errors}.
     */
    static ObjectNode json(ImportResult r, List<ImportRequest.ImportFile> files) {
        ObjectNode o = Json.object();
        o.put("run_id", r.runId());
        o.put("importer", r.importer());
        o.put("mode", r.mode());
        o.put("status", r.status());
        ArrayNode csv = Json.MAPPER.createArrayNode();
        for (ImportRequest.ImportFile f : files) {
            ImportResult.CsvInfo c = r.csv().stream().filter(i -> i.path().equals(f.path().toString())).findFirst()
                    .orElse(new ImportResult.CsvInfo(f.path().toString(), null, 0));
            csv.addObject().put("path", c.path()).put("sha256", c.sha256()).put("rows", c.rows());
        }
        if (r.importer().equals("all")) {
            o.set("csv", csv);
        } else {
            o.set("csv", csv.get(0));
        }
        ObjectNode counts = o.putObject("counts");
        r.counts().asMap().forEach(counts::put);
        ObjectNode tables = o.putObject("tables");
        r.tables().forEach((t, c) -> {
            ObjectNode n = tables.putObject(t);
            n.put("insert", c.insert()).put("update", c.update()).put("unchanged", c.unchanged()).put("kept", c.kept())
                    .put("skipped", c.skipped());
        });
        ArrayNode errors = o.putArray("errors");
        List<ImportError> listed = r.errors();
        if (listed.isEmpty() && "rejected".equals(r.status()) && r.message() != null) {
            listed = List.of(wholeRunError(r.message(), files));
        }
        for (ImportError e : listed) {
            ObjectNode n = errors.addObject();
            n.put("file", e.file());
            if (e.line() > 0) {
                n.put("line", e.line());
            } else {
                n.putNull("line");
            }
            n.put("column", Printable.escape(e.column()));
            n.put("code", e.code());
            n.put("message", Printable.escape(e.message()));
        }
        if (r.errorCount() > r.errors().size()) {
            o.put("errors_total", r.errorCount());
        }
        ArrayNode warnings = o.putArray("warnings");
        for (ImportWarning w : r.warnings()) {
            // like an error: scripts filter on code, and find the file and line or the table it is about
            ObjectNode n = warnings.addObject();
            n.put("code", w.code());
            n.put("file", Printable.escape(w.file()));
            n.put("table", w.table());
            if (w.line() > 0) {
                n.put("line", w.line());
            } else {
                n.putNull("line");
            }
            n.put("message", Printable.escape(w.message()));
        }
        o.put("snapshot_id", r.snapshotId());
        o.put("log_file", r.logFile());
        if (r.message() != null && r.exitCode() != ExitCode.OK) {
            o.put("message", Printable.escape(r.message()));
        }
        return o;
    }

    /**
     * The error of a run rejected as a whole without a listed error, rebuilt from its message. Files
     * that cannot be read or are in another encoding are listed errors now; this is the fallback
     * for faults the pipeline reports only as the run's message (a file with too many lines), in
     * the form of
     * {@link ImportError#describe()} ({@code users.csv:1: unsupported_encoding: ...}), as
     * {@code users.csv: no such file ...} (CsvFormatException's {@code io_error}), or as a sentence
     * naming the file; anything else is charged to the run's only file, if it has one.
     */
    static ImportError wholeRunError(String message, List<ImportRequest.ImportFile> files) {
        for (ImportRequest.ImportFile f : files) {
            if (!message.startsWith(f.display()) || message.length() == f.display().length()) {
                continue;
            }
            String rest = message.substring(f.display().length() + 1);
            if (message.charAt(f.display().length()) == ':') {
                Matcher described = DESCRIBED.matcher(rest);
                if (described.matches()) {
                    return new ImportError(f.display(), Long.parseLong(described.group(1)), described.group(2),
                            described.group(3), described.group(4));
                }
                return new ImportError(f.display(), 0, null, "io_error", rest.strip());
            }
            if (message.charAt(f.display().length()) == ' ') {
                return new ImportError(f.display(), 0, null, "file_rejected", message);
            }
        }
        return new ImportError(files.size() == 1 ? files.get(0).display() : null, 0, null, "file_rejected", message);
    }

    /**
     * The report for a terminal. Paths, keys, values and messages come from the CSV files and the
     * command line: each is {@link Printable#escape escaped}, so that nothing in them can forge a
     * line (a {@code Committed. Snapshot ...} that is not the real one) or send terminal sequences.
     */
    static void printText(PrintWriter out, PrintWriter err, ImportResult r, GlobalOptions global) {
        out.printf("safeimport import %s (%s) — run %s%n", r.importer(), r.mode(), r.runId());
        for (ImportResult.CsvInfo c : r.csv()) {
            out.printf("  read %s: %d rows, sha256 %s%n", Printable.escape(c.path()), c.rows(), c.sha256().substring(0, 12));
        }
        for (ImportResult.PlanLine p : r.plan()) {
            out.printf("  %s:%d  %-9s %-14s %s  %s%n", Printable.escape(p.file()), p.line(), p.action(), p.table(),
                    Printable.escape(p.key()), Printable.escape(p.detail()));
        }
        if (r.planLines() > r.plan().size()) {
            out.printf("  ... %d more plan lines in the audit log%n", r.planLines() - r.plan().size());
        }
        Counts c = r.counts();
        if (r.planned()) {
            // a run that stopped before planning has no plan to sum up: its error says why
            out.printf("Plan: %d insert, %d update, %d unchanged, %d kept, %d invalid%s%n", c.insert(), c.update(), c.unchanged(),
                    c.kept(), c.invalid(), c.skipped() > 0 ? ", " + c.skipped() + " skipped" : "");
        }
        for (ImportError e : r.errors()) {
            err.println("  " + Printable.escape(describe(e)));
        }
        if (r.errorCount() > r.errors().size()) {
            err.printf("  ... %d more errors in the audit log%n", r.errorCount() - r.errors().size());
        }
        for (ImportWarning w : r.warnings()) {
            err.println("  warning: " + Printable.escape(w.describe()));
        }
        switch (r.status()) {
            case "planned" -> out.println("Dry-run: nothing was written.");
            case "committed" -> out.println(r.snapshotId() == null ? "Committed." :
                    "Committed. Snapshot " + r.snapshotId() + " (undo with: " + Printable.escape(global.again("rollback", r.snapshotId())) + ")");
            default -> err.println("safeimport: " + r.status() + ": " + Printable.escape(r.message()));
        }
        out.println("Audit log: " + Printable.escape(r.logFile()));
        out.flush();
        err.flush();
    }

    /**
     * One error as a line for a terminal. Errors of a CSV row read {@code users.csv:12: column 'email': code: ...};
     * an integrity check that failed after applying has no file, line or column, only a table and a
     * key (carried in {@code column} and at the start of the message, as the JSON of DESIGN.md §3
     * has them), and reads {@code ladder_level ENG/9: level_numbering_gap: ...}.
     */
    static String describe(ImportError e) {
        if (e.file() == null && e.line() <= 0 && e.column() != null && isReferenceTable(e.column())) {
            String message = e.message();
            int colon = message.indexOf(": ");
            String key = colon < 0 ? "" : " " + message.substring(0, colon);
            return e.column() + key + ": " + e.code() + ": " + (colon < 0 ? message : message.substring(colon + 2));
        }
        return e.describe();
    }

    private static boolean isReferenceTable(String name) {
        return ReferenceSchema.tables().stream().anyMatch(t -> t.name().equals(name));
    }

    static ImportRequest.ImportFile file(Importer importer, Path csv) {
        return new ImportRequest.ImportFile(importer, csv, csv.getFileName().toString());
    }
}
