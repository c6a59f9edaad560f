package io.safeimport.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.internal.config.ConfigFile;
import io.safeimport.internal.config.ConfigFileException;
import io.safeimport.internal.config.Problem;
import io.safeimport.internal.config.SafeImportConfig;
import io.safeimport.internal.io.Printable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code config check}: the declared importers of {@code safeimport.yml} held against the live database (DESIGN.md §7). */
@Command(name = "config", description = "Check the declared importers (safeimport.yml).", subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "use `config check`");
    }

    /**
     * {@code config check [--output text|json]}: every problem at once, each naming the config line or
     * the table. Exit 0 usable, 2 the file cannot be read or parsed or has unknown keys, 6 it does not
     * fit the database.
     */
    @Command(name = "check", description = "List every problem of safeimport.yml against the live database"
            + " (exit 0 usable, 2 unreadable or unknown keys, 6 does not fit the database).")
    static final class Check implements Callable<Integer> {
        /** {@code file:line:column: message} as {@link ConfigFile} words a problem of the file. */
        private static final Pattern FILE_PROBLEM = Pattern.compile("(?s)(.*?:(\\d+):\\d+): (.*)");

        @Mixin
        OutputOptions output;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            GlobalOptions global = GlobalOptions.of(spec);
            Path file = DeclaredConfig.file(global);
            SafeImportConfig config;
            try {
                config = ConfigFile.read(file);
            } catch (ConfigFileException e) {
                return unreadable(file, e);
            }
            // the same check every import of a declared importer runs first
            List<Problem> problems = DeclaredConfig.load(config, global.connect()).problems();
            return report(config, problems);
        }

        /** Exit 0 or 6: the problems (none when usable), then the summary. */
        private int report(SafeImportConfig config, List<Problem> problems) {
            PrintWriter out = spec.commandLine().getOut();
            List<String> names = List.copyOf(config.importers().keySet());
            if (output.json()) {
                ObjectNode o = json(config.file(), problems.isEmpty(), names);
                ArrayNode list = o.putArray("problems");
                for (Problem p : problems) {
                    ObjectNode n = list.addObject().put("where", Printable.escape(p.where()));
                    if (p.line().isPresent()) {
                        n.put("line", p.line().getAsInt());
                    } else {
                        n.putNull("line");
                    }
                    n.put("message", Printable.escape(p.message()));
                }
                Json.print(out, o);
            } else {
                problems.forEach(p -> out.println(Printable.escape(p.toString())));
                out.println(problems.isEmpty()
                        ? "config " + Printable.escape(config.file()) + ": " + names.size() + " importer(s) usable: " + String.join(", ", names)
                        : "config " + Printable.escape(config.file()) + ": " + problems.size() + " problem(s): it does not fit the"
                        + " database; correct the file or the tables and run config check again");
                out.flush();
            }
            return problems.isEmpty() ? ExitCode.OK.code() : ExitCode.DATABASE.code();
        }

        /** Exit 2: the file cannot be used as written; every problem on stderr (and, with JSON, in the one object). */
        private int unreadable(Path file, ConfigFileException e) {
            PrintWriter err = spec.commandLine().getErr();
            e.problems().forEach(p -> err.println("safeimport: " + Printable.escape(p)));
            err.println("safeimport: config " + Printable.escape(file) + ": " + e.problems().size()
                    + " problem(s) in the file: correct it and run config check again");
            err.flush();
            if (output.json()) {
                ObjectNode o = json(file, false, List.of());
                ArrayNode list = o.putArray("problems");
                for (String p : e.problems()) {
                    Matcher m = FILE_PROBLEM.matcher(p);
                    ObjectNode n = list.addObject();
                    if (m.matches()) {
                        n.put("where", Printable.escape(m.group(1))).put("line", Integer.parseInt(m.group(2)))
                                .put("message", Printable.escape(m.group(3)));
                    } else {
                        n.put("where", Printable.escape(file)).putNull("line").put("message", Printable.escape(p));
                    }
                }
                Json.print(spec.commandLine().getOut(), o);
            }
            return ExitCode.USAGE.code();
        }

        private static ObjectNode json(Path file, boolean usable, List<String> importers) {
            ObjectNode o = Json.object();
            o.put("config", Printable.escape(file));
            o.put("status", usable ? "usable" : "invalid");
            ArrayNode names = o.putArray("importers");
            importers.forEach(names::add);
            return o;
        }
    }
}
