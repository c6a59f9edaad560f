package io.safeimport.dev;

import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportRequest;
import io.safeimport.api.ImportResult;
import io.safeimport.api.ProgressListener;
import io.safeimport.api.RollbackResult;
import io.safeimport.cli.ImportCommand;
import io.safeimport.internal.pipeline.ImportPipeline;
import io.safeimport.internal.pipeline.RollbackPipeline;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code import users --csv F --clear-users}: replaces every user. In order:
 * <ol>
 *   <li>a dry-run of the users import, so a file the pipeline would reject clears nothing;</li>
 *   <li>{@link Reset} with {@link Reset.Scope#USERS}: users, their events and snapshots deleted,
 *       org leaders set empty — one transaction, two snapshots;</li>
 *   <li>the normal users import, in its own transaction with its own snapshot (the pipeline owns
 *       its transaction, so it cannot share the clear's);</li>
 *   <li>if that import does not commit, the clear is rolled back at once (newest snapshot first),
 *       so the command either replaces the users or leaves them as they were.</li>
 * </ol>
 */
public final class ClearUsersImport {
    /**
     * What happened.
     *
     * @param check    the dry-run; when it failed nothing else ran
     * @param clear    the reset, or {@code null} when it did not run
     * @param imported the import, or {@code null} when it did not run
     * @param undone   rollbacks of the clear after a failed import, newest snapshot first
     */
    public record Result(ImportResult check, Reset.Result clear, ImportResult imported, List<RollbackResult> undone) {
        /** The exit code of the command: the import's, or the dry-run's when it stopped there. */
        public ExitCode exitCode() {
            if (imported != null) {
                return imported.exitCode();
            }
            return check.exitCode();
        }

        /** The snapshots to roll back, newest first, to undo everything this command committed. */
        public List<String> rollbackOrder() {
            List<String> ids = new ArrayList<>();
            if (imported != null && imported.exitCode() == ExitCode.OK && imported.snapshotId() != null) {
                ids.add(imported.snapshotId());
            }
            if (clear != null && (imported == null || imported.exitCode() == ExitCode.OK)) {
                ids.addAll(clear.rollbackOrder());
            }
            return ids;
        }
    }

    private final DevDatabase dev;
    private final Path snapshotDir;
    private final Path logDir;
    private final Clock clock;
    private final ProgressListener progress;
    private final int lockWaitSeconds;

    public ClearUsersImport(DevDatabase dev, Path snapshotDir, Path logDir, Clock clock, ProgressListener progress, int lockWaitSeconds) {
        this.dev = dev;
        this.snapshotDir = snapshotDir;
        this.logDir = logDir;
        this.clock = clock;
        this.progress = progress;
        this.lockWaitSeconds = lockWaitSeconds;
    }

    public Result run(Path csv, Reset.Confirmation confirm) {
        List<ImportRequest.ImportFile> files = List.of(new ImportRequest.ImportFile(ImportCommand.importer("users"), csv,
                csv.getFileName().toString()));
        ImportPipeline pipeline = new ImportPipeline(dev.database(), snapshotDir, logDir, clock, progress, lockWaitSeconds);
        ImportResult check = pipeline.run(Seed.request("users", files, true));
        if (check.exitCode() != ExitCode.OK) {
            return new Result(check, null, null, List.of());
        }
        Reset.Result clear = new Reset(dev, snapshotDir, logDir, clock, lockWaitSeconds)
                .run(Reset.Scope.USERS, q -> confirm.confirm(q + " Then import " + csv + "."));
        dev.recheck();
        ImportResult imported = pipeline.run(Seed.request("users", files, false));
        List<RollbackResult> undone = new ArrayList<>();
        if (imported.exitCode() != ExitCode.OK) {
            RollbackPipeline rollback = new RollbackPipeline(dev.database(), snapshotDir, logDir, clock, lockWaitSeconds);
            for (String id : clear.rollbackOrder()) {
                RollbackResult r = rollback.run(id, false, false, () -> true);
                undone.add(r);
                if (r.exitCode() != ExitCode.OK) {
                    break;
                }
            }
        }
        return new Result(check, clear, imported, undone);
    }
}
