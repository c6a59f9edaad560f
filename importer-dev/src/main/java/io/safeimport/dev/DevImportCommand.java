package io.safeimport.dev;

import io.safeimport.api.ProgressListener;
import io.safeimport.cli.GlobalOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code import users --csv F --clear-users}: the destructive import variants. */
@Command(name = "import", description = "Destructive import variants: import users --csv F --clear-users.",
        subcommands = {DevImportCommand.Users.class})
public final class DevImportCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name what to import: users");
    }

    /** {@code import users --csv F --clear-users}. */
    @Command(name = "users", description = "Delete every user (with their events and snapshots; org leaders set empty), then"
            + " import the users CSV through the normal pipeline. Each step is snapshotted; a failed import undoes the clear.")
    static final class Users implements Callable<Integer> {
        @Mixin
        FenceOptions fence;

        @Mixin
        ConfirmOptions confirm;

        @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The users CSV file.")
        Path csv;

        @Option(names = "--clear-users", description = "Required: delete every user first (the production `safeimport import"
                + " users` never deletes).")
        boolean clearUsers;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!clearUsers) {
                throw new CommandLine.ParameterException(spec.commandLine(), "safeimport-dev only does the destructive variant:"
                        + " add --clear-users, or use `./safeimport import users --csv " + csv + "` for the normal import");
            }
            GlobalOptions g = SafeImportDev.global(spec);
            DevDatabase db = DevDatabase.open(g.dbSettings(), fence.allowRemote, "import users --clear-users");
            ClearUsersImport.Result r = new ClearUsersImport(db, g.snapshotDirectory(), g.logDirectory(), Clock.systemUTC(),
                    ProgressListener.NONE, g.lockWaitSeconds()).run(csv, confirm.confirmation());
            Report.printClearUsers(spec.commandLine().getOut(), spec.commandLine().getErr(), csv, r);
            return r.exitCode().code();
        }
    }
}
