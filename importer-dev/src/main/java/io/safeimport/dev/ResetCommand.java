package io.safeimport.dev;

import io.safeimport.cli.GlobalOptions;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code reset}: empties every reference table, after a verified snapshot of every row. */
@Command(name = "reset", description = "Empty every reference table (children first). Every deleted row is snapshotted first;"
        + " undo with ./safeimport rollback SNAPSHOT_ID --yes.")
public final class ResetCommand implements Callable<Integer> {
    @Mixin
    FenceOptions fence;

    @Mixin
    ConfirmOptions confirm;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        GlobalOptions g = SafeImportDev.global(spec);
        DevDatabase db = DevDatabase.open(g.dbSettings(), fence.allowRemote, "reset");
        Reset.Result r = new Reset(db, g.snapshotDirectory(), g.logDirectory(), Clock.systemUTC(), g.lockWaitSeconds())
                .run(Reset.Scope.ALL, confirm.confirmation());
        PrintWriter out = spec.commandLine().getOut();
        if (r.steps().isEmpty()) {
            out.println("Nothing to reset: every reference table of " + db.database().settings().redactedUrl() + " is already empty.");
        } else {
            Report.printReset(out, r);
        }
        out.flush();
        return 0;
    }
}
