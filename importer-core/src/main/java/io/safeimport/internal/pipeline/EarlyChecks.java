package io.safeimport.internal.pipeline;

import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Dialect;
import io.safeimport.spi.IntegrityCheck;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Handle;

/**
 * The integrity checks' "before" run, started on the import's transaction in a background thread
 * as soon as that transaction begins, before planning: the checks scan whole tables on the server
 * while planning works mostly in this process, so the two overlap instead of adding up.
 *
 * <p>The transaction is not this class's: {@link Transactions#inWriteTransaction} begins it and
 * commits or rolls it back. Nothing is written on it until {@link #awaitBefore} has returned and
 * the plan and snapshot are complete; the checks before and after read the same transaction
 * snapshot, exactly as when the transaction began after planning (rows someone else commits
 * meanwhile are in neither). {@link #close} waits for a check still running, so the transaction is
 * never ended under it.
 */
final class EarlyChecks implements AutoCloseable {
    private final Handle tx;
    private final IntegrityRun integrity;
    private final CompletableFuture<Void> before;

    private EarlyChecks(Handle tx, IntegrityRun integrity, CompletableFuture<Void> before) {
        this.tx = tx;
        this.integrity = integrity;
        this.before = before;
    }

    /** Starts the checks' first run on {@code tx}, a transaction begun and not yet written to. */
    static EarlyChecks start(Handle tx, Dialect dialect, List<IntegrityCheck> checks, StepTimer timer) {
        IntegrityRun integrity = new IntegrityRun(checks, timer);
        CompletableFuture<Void> before = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                timer.run("check.before", () -> integrity.before(tx, dialect));
                before.complete(null);
            } catch (Throwable e) {
                before.completeExceptionally(e);
            }
        }, "safeimport-check-before");
        t.setDaemon(true);
        t.start();
        return new EarlyChecks(tx, integrity, before);
    }

    /** The transaction the checks run on. */
    Handle tx() {
        return tx;
    }

    /** Waits for the checks' first run and returns them; rethrows what stopped it. */
    IntegrityRun awaitBefore() {
        ImportPipeline.await(before, "waiting for the integrity checks");
        return integrity;
    }

    /**
     * Lets a check still running finish: its transaction must not be rolled back or its
     * connection closed under it. Never throws: what stopped the checks was reported by
     * {@link #awaitBefore} when it mattered.
     */
    @Override
    public void close() {
        try {
            before.join();
        } catch (RuntimeException e) {
            // reported by awaitBefore when it mattered
        }
    }
}
