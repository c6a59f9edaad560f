package io.safeimport.internal.pipeline;

import org.jdbi.v3.core.Handle;

/**
 * The one owner of safeimport's transactions, in Jdbi's style: the caller hands over the work,
 * and this class begins the transaction, commits it when the work returns and rolls it back when
 * the work throws. Import, rollback and the dev module's reset write through
 * {@link #inWriteTransaction}, so none of them can leave a transaction open on a path nobody
 * thought of, commit without asking the import lock, or lose the reason a run failed to an error
 * of its rollback.
 *
 * <p>Work that ends the transaction itself by rolling it back (a dry run, a refusal, nothing to
 * write) is not committed, as in Jdbi: the lock is not asked and what the work returned is
 * returned. The connection stays the caller's to close; it is in autocommit again afterwards.
 */
public final class Transactions {
    private Transactions() {
    }

    /**
     * Work done inside a transaction on the handle it is given.
     *
     * @param <T> what the work returns
     * @param <X> the checked exception it may throw ({@link RuntimeException} for none)
     */
    @FunctionalInterface
    public interface Work<T, X extends Exception> {
        T inTransaction(Handle tx) throws X;
    }

    /**
     * Work done inside a transaction that returns nothing.
     *
     * @param <X> the checked exception it may throw ({@link RuntimeException} for none)
     */
    @FunctionalInterface
    public interface Steps<X extends Exception> {
        void inTransaction(Handle tx) throws X;
    }

    /**
     * Begins a transaction on {@code tx}, runs {@code work} in it and commits when the work returns,
     * right after {@code lock} confirmed it is still held; rolls back when anything throws (the
     * work, the lock check, the commit itself). What was thrown is rethrown unchanged; a failure of
     * the rollback is added to it as suppressed, never in its place (the database rolls back a
     * transaction whose connection is gone by itself).
     *
     * @param tx   a connection in autocommit, not in a transaction
     * @param lock the import lock the writes are made under, asked right before the commit; {@code null} for none
     * @return what the work returned
     */
    public static <T, X extends Exception> T inWriteTransaction(Handle tx, ImportLock lock, Work<T, X> work) throws X {
        tx.begin();
        try {
            T result = work.inTransaction(tx);
            if (tx.isInTransaction()) {
                if (lock != null) {
                    lock.requireHeld(tx);
                }
                tx.commit();
            }
            return result;
        } catch (Throwable e) {
            rollbackAfter(tx, e);
            throw e;
        }
    }

    /** {@link #inWriteTransaction} for work that returns nothing. */
    public static <X extends Exception> void useWriteTransaction(Handle tx, ImportLock lock, Steps<X> steps) throws X {
        inWriteTransaction(tx, lock, t -> {
            steps.inTransaction(t);
            return null;
        });
    }

    /**
     * Runs read-only {@code steps} in a transaction on {@code tx} that is always rolled back: every
     * read sees one snapshot of the data, and PostgreSQL streams a result set (the dialect's fetch
     * size) only with autocommit off. A failure of the rollback after a failure of the steps is
     * added to it as suppressed.
     *
     * @param tx a connection in autocommit, not in a transaction
     */
    public static <X extends Exception> void useReadTransaction(Handle tx, Steps<X> steps) throws X {
        tx.begin();
        try {
            steps.inTransaction(tx);
        } catch (Throwable e) {
            rollbackAfter(tx, e);
            throw e;
        }
        tx.rollback();
    }

    /** Rolls back after {@code failure}, keeping the rollback's own failure as suppressed. */
    private static void rollbackAfter(Handle tx, Throwable failure) {
        try {
            if (tx.isInTransaction()) {
                tx.rollback();
            }
        } catch (Throwable rollback) {
            failure.addSuppressed(rollback);
        }
    }
}
