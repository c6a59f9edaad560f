package io.safeimport.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.io.Printable;
import java.io.PrintWriter;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code safeimport}: the production command line. Only {@link #main} calls {@code System.exit}.
 * Its attributes are inherited ({@code scope = INHERIT}), so that {@code --help}/{@code -h} (and
 * the exit-code list) work on every command and subcommand, as the usage-error hint promises.
 */
@Command(name = "safeimport", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "Safe CSV imports into MySQL/MariaDB: preview, snapshot, upsert, verify, roll back.",
        subcommands = {DbCommand.class, ImportCommand.class, ValidateCommand.class, ConfigCommand.class, SnapshotsCommand.class,
                RollbackCommand.class, RunsCommand.class, CompletionCommand.class, HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "1:input rejected, nothing written (validate: an error-level integrity check failed)",
                "2:usage error",
                "3:post-validation failed, rolled back, nothing written",
                "4:busy: another run holds the import lock or the database file",
                "5:refused for safety (plan or drift mismatch, a value the database would not store, a damaged or foreign snapshot, production fence)",
                "6:database unreachable or schema missing",
                "70:internal error"})
public final class SafeImport implements Runnable, GlobalOptions.WithGlobalOptions {
    @Mixin
    GlobalOptions global;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public GlobalOptions globalOptions() {
        return global;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** A configured command line (tests use it with their own writers). */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new SafeImport()));
    }

    /**
     * The command line for these arguments: with an {@code import NAME} subcommand for each importer
     * declared in the config they name ({@code --config F}), else in {@code SAFEIMPORT_CONFIG}'s, else
     * in {@code ./safeimport.yml}.
     */
    public static CommandLine commandLine(String... args) {
        CommandLine cmd = commandLine();
        DeclaredConfig.register(cmd, args, System.getenv());
        return cmd;
    }

    /** Applies the exit-code mapping and error printing shared by safeimport and safeimport-dev. */
    public static CommandLine configure(CommandLine cmd) {
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean debug = parseResult.hasMatchedOption("--debug");
            boolean json = asksForJson(parseResult);
            if (ex instanceof SafeImportException s) {
                err.println("safeimport: " + Printable.escape(s.getMessage()));
                if (debug) {
                    s.printStackTrace(err);
                }
                err.flush();
                if (json) {
                    printJsonError(commandLine, s.exitCode(), s.getMessage());
                }
                return s.exitCode().code();
            }
            err.println("safeimport: internal error: " + Printable.escape(ex) + (debug ? "" : " (run again with --debug for details)"));
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            if (json) {
                printJsonError(commandLine, ExitCode.INTERNAL, "internal error: " + ex);
            }
            return ExitCode.INTERNAL.code();
        });
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            // picocli's messages quote the arguments; an option that looks like a secret is never echoed, nor its value
            String secret = secretOption(args);
            String message = secret == null ? usage(ex) : "'" + Printable.quote(secret) + "' is not an option, and a password"
                    + " or other secret is never given on the command line (other users see it in `ps`, and it stays in"
                    + " the shell history; its value was not shown): put the database password in SAFEIMPORT_DB_PASSWORD"
                    + " or in a file named by --db-password-file";
            c.getErr().println("safeimport: " + Printable.escape(message));
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            c.getErr().flush();
            if (asksForJson(args)) {
                printJsonError(c, ExitCode.USAGE, message);
            }
            return ExitCode.USAGE.code();
        });
        // an argument that parsed as something else (--csv --password=S3cret) would be echoed as a
        // file name: refuse it before anything runs, with the same message
        cmd.setExecutionStrategy(parseResult -> {
            String secret = secretOption(parseResult.originalArgs().toArray(String[]::new));
            if (secret != null) {
                throw new CommandLine.ParameterException(parseResult.commandSpec().commandLine(), "secret option " + secret);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cmd;
    }

    /**
     * Picocli's message, with what a misspelt command or option was probably meant to be:
     * {@code 'improt' is not a command of safeimport; did you mean import?}, {@code Unknown option:
     * '--dryrun'; did you mean --dry-run?}. Options are never completed from an abbreviation
     * instead: {@code --force-u} is not silently {@code --force-update}.
     */
    static String usage(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return ex.getMessage();
        }
        // the most similar name first
        String guess = u.getSuggestions().isEmpty() ? null : u.getSuggestions().get(0);
        String first = u.getUnmatched().get(0);
        CommandLine c = u.getCommandLine();
        if (!u.isUnknownOption() && !c.getSubcommands().isEmpty() && !first.startsWith("-")) {
            return "'" + first + "' is not a command of " + c.getCommandSpec().qualifiedName()
                    + (guess == null ? "; the commands are " + String.join(", ", c.getSubcommands().keySet()) : "; did you mean " + guess + "?");
        }
        return ex.getMessage() + (guess == null ? "" : "; did you mean " + guess + "?");
    }

    /** Whether the command that ran (the innermost subcommand, or any above it) was given {@code --output json}. */
    static boolean asksForJson(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            Object value = pr.hasMatchedOption("--output") ? pr.matchedOptionValue("--output", null) : null;
            if (value != null && "json".equals(value.toString())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Option names that look like they carry a secret: {@code --db-password}, {@code --password}, {@code --pw},
     * {@code --token}, {@code --api-key}, ..., and the MySQL client's {@code -p} / {@code -pSECRET}.
     */
    private static final Pattern SECRET = Pattern.compile("-[\\w.-]*(?:pass|pwd|secret|token|api[-_]?key|credential|auth)[\\w.-]*"
            + "|-[\\w.-]*(?<![a-z0-9])pw(?![a-z0-9])[\\w.-]*|-p.*", Pattern.CASE_INSENSITIVE);
    /** Options that match {@link #SECRET} but whose value is not a secret. */
    private static final Set<String> NOT_SECRET = Set.of("--db-password-file");

    /**
     * The name (without any {@code =value}) of the first argument that looks like an option carrying
     * a secret, or {@code null}. Such an argument, and the one after it, may be a password: a usage
     * error must not repeat either.
     */
    static String secretOption(String[] args) {
        for (String arg : args) {
            if (arg == null || !arg.startsWith("-")) {
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (name.startsWith("-p") && !name.startsWith("--")) {
                name = "-p"; // the MySQL client's -pSECRET: the rest is the secret
            }
            if (SECRET.matcher(name).matches() && !NOT_SECRET.contains(name)) {
                return name;
            }
        }
        return null;
    }

    /** Whether the raw arguments ask for {@code --output json} (they did not parse, so the option was not bound). */
    static boolean asksForJson(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if ("--output=json".equals(args[i]) || "--output".equals(args[i]) && i + 1 < args.length && "json".equals(args[i + 1])) {
                return true;
            }
        }
        return false;
    }

    /**
     * With {@code --output json}, a command that fails before it has a result of its own (a usage
     * error, an unreachable database, a refused lock) still prints exactly one JSON object on
     * stdout: the shape of DESIGN.md §3 with nothing done, its {@code status} from the exit code,
     * and the message (which also went to stderr).
     */
    static void printJsonError(CommandLine commandLine, ExitCode code, String message) {
        ObjectNode o = Json.object();
        o.putNull("run_id");
        String name = commandLine.getCommandName();
        o.put("command", commandLine.getCommandSpec().qualifiedName().replaceFirst("^\\S+\\s*", ""));
        o.put("status", code.failureStatus());
        o.put("exit_code", code.code());
        o.putArray("errors");
        o.putArray("warnings");
        o.putNull("snapshot_id");
        o.putNull("log_file");
        o.put("message", message == null ? name : Printable.escape(message));
        PrintWriter out = commandLine.getOut();
        Json.print(out, o);
        out.flush();
    }

    public static void main(String[] args) {
        System.exit(run(commandLine(args), args));
    }

    /** Executes, turning a JVM error (out of memory) into a one-line message and exit 70. */
    public static int run(CommandLine cmd, String... args) {
        try {
            return cmd.execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("safeimport: ran out of memory (maximum heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                    + " MB); nothing was committed. Give the JVM more with JAVA_OPTS=-Xmx... and report the file size");
            return ExitCode.INTERNAL.code();
        }
    }
}
