package io.safeimport.internal.pipeline;

import io.safeimport.internal.audit.StepTimer;
import io.safeimport.internal.db.Database;
import io.safeimport.spi.IntegrityCheck;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Handle;

/**
 * The import's transaction, begun when planning begins, with the integrity checks' "before" run
 * already under way on it in a background thread: the checks scan whole tables on the server
 * while planning works mostly in this process, so the two overlap instead of adding up.
 *
 * <p>Nothing is written on this connection until {@link #awaitBefore} has returned and the plan
 * and snapshot are complete; the checks before and after read the same transaction snapshot,
 * exactly as when the transaction began after planning (rows someone else commits meanwhile are in
 * neither). A run that stops before applying rolls the untouched transaction back in {@link #close}.
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

    /** Opens the transaction and starts the checks' first run on it. */
    static EarlyChecks start(Database db, List<IntegrityCheck> checks, StepTimer timer) {
        Handle tx = db.open();
        try {
            tx.begin();
        } catch (RuntimeException e) {
            tx.close();
            throw e;
        }
        IntegrityRun integrity = new IntegrityRun(checks, timer);
        CompletableFuture<Void> before = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                timer.run("check.before", () -> integrity.before(tx, db.dialect()));
                before.complete(null);
            } catch (Throwable e) {
                before.completeExceptionally(e);
            }
        }, "safeimport-check-before");
        t.setDaemon(true);
        t.start();
        return new EarlyChecks(tx, integrity, before);
    }

    Handle tx() {
        return tx;
    }

    /** Waits for the checks' first run and returns them; rethrows what stopped it. */
    IntegrityRun awaitBefore() {
        ImportPipeline.await(before, "waiting for the integrity checks");
        return integrity;
    }

    /**
     * Lets a check still running finish (its connection must not be closed under it), rolls back
     * whatever the transaction holds unless it was committed, and closes the connection.
     */
    @Override
    public void close() {
        try {
            before.join();
        } catch (RuntimeException e) {
            // reported by awaitBefore when it mattered
        }
        try {
            if (tx.isInTransaction()) {
                tx.rollback();
            }
        } catch (RuntimeException e) {
            // the connection is gone; the server rolls the transaction back itself
        }
        try {
            tx.close();
        } catch (RuntimeException e) {
            // already closed
        }
    }
}
