package io.safeimport.dev;

import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportRequest;
import io.safeimport.api.ImportResult;
import io.safeimport.api.ProgressListener;
import io.safeimport.api.SafeImportException;
import io.safeimport.cli.ImportAllCommand;
import io.safeimport.cli.ImportCommand;
import io.safeimport.internal.pipeline.ImportPipeline;
import io.safeimport.spi.ImportOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a folder of CSVs (the demo data in {@code samples/} by default) exactly as
 * {@code safeimport import all} would: the same fixed file order, the same pipeline, one
 * transaction and one snapshot, so {@code safeimport rollback} undoes it.
 */
public final class Seed {
    private final DevDatabase dev;
    private final Path snapshotDir;
    private final Path logDir;
    private final Clock clock;
    private final ProgressListener progress;
    private final int lockWaitSeconds;

    public Seed(DevDatabase dev, Path snapshotDir, Path logDir, Clock clock, ProgressListener progress, int lockWaitSeconds) {
        this.dev = dev;
        this.snapshotDir = snapshotDir;
        this.logDir = logDir;
        this.clock = clock;
        this.progress = progress;
        this.lockWaitSeconds = lockWaitSeconds;
    }

    /** Imports whichever files of the {@code import all} order exist in {@code dir}. */
    public ImportResult run(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new SafeImportException(ExitCode.USAGE, "--dir " + dir + " is not a folder");
        }
        List<ImportRequest.ImportFile> files = new ArrayList<>();
        for (List<String> f : ImportAllCommand.order()) {
            Path p = dir.resolve(f.get(0));
            if (Files.isRegularFile(p)) {
                files.add(new ImportRequest.ImportFile(ImportCommand.importer(f.get(1)), p, p.getFileName().toString()));
            }
        }
        if (files.isEmpty()) {
            throw new SafeImportException(ExitCode.REJECTED, dir + " holds none of "
                    + String.join(", ", ImportAllCommand.order().stream().map(f -> f.get(0)).toList()) + "; nothing to seed");
        }
        dev.recheck();
        return new ImportPipeline(dev.database(), snapshotDir, logDir, clock, progress, lockWaitSeconds)
                .run(request("seed", files, false));
    }

    /** A request with the production defaults (no --force-update, no skipped errors, snapshot, checks). */
    static ImportRequest request(String name, List<ImportRequest.ImportFile> files, boolean dryRun) {
        return new ImportRequest(name, files, ImportOptions.defaults(), dryRun, 0, true, true, false, false, null, null, null);
    }
}
