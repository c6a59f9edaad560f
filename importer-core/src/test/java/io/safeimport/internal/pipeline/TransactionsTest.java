package io.safeimport.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * The one owner of the transactions of import, rollback and reset, on a real embedded database:
 * what it commits is there for everyone, what it rolls back is gone, and the reason a transaction
 * failed always reaches the caller as it was thrown.
 */
class TransactionsTest {
    private static final String INSERT = "INSERT INTO app_user (email, first_name) VALUES ('new@example.com', 'New')";

    @Test
    void theWorkIsCommittedWhenItReturns() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.H2); Handle tx = db.database().open()) {
            String answer = Transactions.inWriteTransaction(tx, null, t -> {
                assertTrue(t.isInTransaction(), "the work runs in a transaction");
                t.execute(INSERT);
                assertEquals(0L, db.count("app_user"), "not visible to others before the commit");
                return "done";
            });
            assertEquals("done", answer, "what the work returned");
            assertEquals(1L, db.count("app_user"), "committed");
            assertFalse(tx.isInTransaction(), "the connection is in autocommit again");
        }
    }

    @Test
    void anExceptionAbortsTheTransactionAndReachesTheCallerUnchanged() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.H2); Handle tx = db.database().open()) {
            IllegalStateException thrown = new IllegalStateException("the work failed");
            IllegalStateException caught = assertThrows(IllegalStateException.class, () -> Transactions.useWriteTransaction(tx, null, t -> {
                t.execute(INSERT);
                throw thrown;
            }));
            assertSame(thrown, caught, "the very exception the work threw");
            assertEquals(0, caught.getSuppressed().length, "the rollback succeeded");
            assertEquals(0L, db.count("app_user"), "the insert was rolled back");
            assertFalse(tx.isInTransaction());
        }
    }

    @Test
    void aCheckedExceptionAbortsTheTransactionToo() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.H2); Handle tx = db.database().open()) {
            IOException thrown = new IOException("the snapshot could not be written");
            IOException caught = assertThrows(IOException.class, () -> Transactions.useWriteTransaction(tx, null, t -> {
                t.execute(INSERT);
                throw thrown;
            }));
            assertSame(thrown, caught);
            assertEquals(0L, db.count("app_user"));
        }
    }

    @Test
    void aFailedRollbackIsKeptAsSuppressedAndTheOriginalFailureIsThrown() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.H2)) {
            Handle tx = db.database().open();
            IllegalStateException thrown = new IllegalStateException("the connection was lost");
            IllegalStateException caught = assertThrows(IllegalStateException.class, () -> Transactions.useWriteTransaction(tx, null, t -> {
                t.execute(INSERT);
                t.getConnection().close(); // the connection dies under the work: its rollback cannot succeed
                throw thrown;
            }));
            assertSame(thrown, caught, "the reason the transaction failed, not the rollback's failure");
            assertEquals("the connection was lost", caught.getMessage());
            assertEquals(1, caught.getSuppressed().length, "the rollback's own failure is kept");
            assertEquals(0L, db.count("app_user"), "the database rolled back the transaction of the closed connection");
            try {
                tx.close();
            } catch (RuntimeException e) {
                // its connection is closed already
            }
        }
    }

    @Test
    void aLockLostBeforeTheCommitRollsTheTransactionBack() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.H2);
             ImportLock lock = ImportLock.acquire(db.database(), 0, "test", null);
             Handle tx = db.database().open()) {
            SafeImportException e = assertThrows(SafeImportException.class, () -> Transactions.useWriteTransaction(tx, lock, t -> {
                t.execute(INSERT);
                // the lock's session ends as a KILL or an idle timeout would end it
                db.database().dialect().unlock(lock.connection(), lock.name());
            }));
            assertEquals(ExitCode.BUSY, e.exitCode());
            assertTrue(e.getMessage().contains("was lost before commit"), e.getMessage());
            assertEquals(0L, db.count("app_user"), "nothing was committed");
            assertFalse(tx.isInTransaction());
        }
    }

    @Test
    void aLockStillHeldLetsTheCommitThrough() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.H2);
             ImportLock lock = ImportLock.acquire(db.database(), 0, "test", null);
             Handle tx = db.database().open()) {
            Transactions.useWriteTransaction(tx, lock, t -> t.execute(INSERT));
            assertEquals(1L, db.count("app_user"));
        }
    }

    @Test
    void workThatRollsBackItselfIsNotCommittedAndTheLockIsNotAsked() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.H2);
             ImportLock lock = ImportLock.acquire(db.database(), 0, "test", null);
             Handle tx = db.database().open()) {
            db.database().dialect().unlock(lock.connection(), lock.name());
            String answer = Transactions.inWriteTransaction(tx, lock, t -> {
                t.execute(INSERT);
                t.rollback(); // a dry run: nothing to commit
                return "planned";
            });
            assertEquals("planned", answer, "no lock check refused a transaction with nothing to commit");
            assertEquals(0L, db.count("app_user"));
            assertFalse(tx.isInTransaction());
        }
    }

    @Test
    void aReadTransactionIsAlwaysRolledBack() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.H2); Handle tx = db.database().open()) {
            Transactions.useReadTransaction(tx, t -> {
                assertTrue(t.isInTransaction(), "the reads share one transaction");
                t.execute(INSERT);
            });
            assertEquals(0L, db.count("app_user"), "whatever it held was rolled back");
            assertFalse(tx.isInTransaction());
            IllegalStateException thrown = new IllegalStateException("a check failed");
            assertSame(thrown, assertThrows(IllegalStateException.class, () -> Transactions.useReadTransaction(tx, t -> {
                throw thrown;
            })));
            assertFalse(tx.isInTransaction());
        }
    }
}
