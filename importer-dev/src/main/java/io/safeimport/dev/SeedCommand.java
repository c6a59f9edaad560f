package io.safeimport.dev;

import io.safeimport.api.ImportResult;
import io.safeimport.api.ProgressListener;
import io.safeimport.cli.GlobalOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seed [--dir D]}: the demo data, through the normal pipeline. */
@Command(name = "seed", description = "Load the demo data (samples/) through the normal pipeline, as `safeimport import all` would"
        + " (one transaction, one snapshot).")
public final class SeedCommand implements Callable<Integer> {
    @Mixin
    FenceOptions fence;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "samples",
            description = "Folder of CSVs in the `import all` layout (default: ${DEFAULT-VALUE}).")
    Path dir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        GlobalOptions g = SafeImportDev.global(spec);
        DevDatabase db = DevDatabase.open(g.dbSettings(), fence.allowRemote, "seed");
        ImportResult r = new Seed(db, g.snapshotDirectory(), g.logDirectory(), Clock.systemUTC(), ProgressListener.NONE,
                g.lockWaitSeconds()).run(dir);
        Report.printImport(spec.commandLine().getOut(), spec.commandLine().getErr(), "seed from " + dir, r);
        return r.exitCode().code();
    }
}
