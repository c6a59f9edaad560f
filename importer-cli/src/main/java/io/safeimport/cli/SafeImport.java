package io.safeimport.cli;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code safeimport}: the production command line. Only {@link #main} calls {@code System.exit}.
 * Its attributes are inherited ({@code scope = INHERIT}), so that {@code --help}/{@code -h} (and
 * the exit-code list) work on every command and subcommand, as the usage-error hint promises.
 */
@Command(name = "safeimport", mixinStandardHelpOptions = true, version = "safeimport 0.1.0",
        scope = CommandLine.ScopeType.INHERIT,
        description = "Safe CSV imports into MySQL/MariaDB: preview, snapshot, upsert, verify, roll back.",
        subcommands = {DbCommand.class, ImportCommand.class, ValidateCommand.class, SnapshotsCommand.class,
                RollbackCommand.class, RunsCommand.class, HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "1:input rejected, nothing written",
                "2:usage error",
                "3:post-validation failed, rolled back, nothing written",
                "4:busy: another run holds the import lock or the database file",
                "5:refused for safety (plan or drift mismatch, bad snapshot, production fence)",
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

    /** Applies the exit-code mapping and error printing shared by safeimport and safeimport-dev. */
    public static CommandLine configure(CommandLine cmd) {
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean debug = parseResult.hasMatchedOption("--debug");
            if (ex instanceof SafeImportException s) {
                err.println("safeimport: " + s.getMessage());
                if (debug) {
                    s.printStackTrace(err);
                }
                err.flush();
                return s.exitCode().code();
            }
            err.println("safeimport: internal error: " + ex + (debug ? "" : " (run again with --debug for details)"));
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCode.INTERNAL.code();
        });
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("safeimport: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            c.getErr().flush();
            return ExitCode.USAGE.code();
        });
        return cmd;
    }

    public static void main(String[] args) {
        System.exit(run(commandLine(), args));
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
