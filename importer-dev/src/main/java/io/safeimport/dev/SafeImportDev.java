package io.safeimport.dev;

import io.safeimport.cli.GlobalOptions;
import io.safeimport.cli.HelpCommand;
import io.safeimport.cli.SafeImport;
import io.safeimport.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code safeimport-dev}: the FENCED, destructive dev-only commands, in their own jar so the
 * production {@code safeimport} cannot run them. Same global options, exit codes and error
 * handling as {@code safeimport}; {@code --help} works on every command (inherited attributes).
 * Only {@link #main} calls {@code System.exit}.
 */
@Command(name = "safeimport-dev", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = {
            "FENCED dev-only commands that delete data. They refuse any database not marked development"
                    + " (mark one with `safeimport db migrate --env development`; no flag overrides that)"
                    + " and, unless --allow-remote, any database not on this machine; they ask for confirmation"
                    + " (--yes without a terminal).",
            "Every change is snapshotted first: undo it with ./safeimport rollback SNAPSHOT_ID --yes."},
        subcommands = {ResetCommand.class, SeedCommand.class, DevImportCommand.class, HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "1:input rejected, nothing written",
                "2:usage error (also: no terminal to confirm on and no --yes)",
                "3:post-validation failed, rolled back, nothing written",
                "4:busy: another run holds the import lock or the database file",
                "5:refused for safety (database not marked development, remote host without --allow-remote, not confirmed)",
                "6:database unreachable or schema missing",
                "70:internal error"})
public final class SafeImportDev implements Runnable, GlobalOptions.WithGlobalOptions {
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

    /** The global options of the root of {@code spec}'s command tree. */
    static GlobalOptions global(CommandLine.Model.CommandSpec spec) {
        return ((GlobalOptions.WithGlobalOptions) spec.root().userObject()).globalOptions();
    }

    /** A configured command line (tests use it with their own writers). */
    public static CommandLine commandLine() {
        return SafeImport.configure(new CommandLine(new SafeImportDev()));
    }

    public static void main(String[] args) {
        System.exit(SafeImport.run(commandLine(), args));
    }
}
