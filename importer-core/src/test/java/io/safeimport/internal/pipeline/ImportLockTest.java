package io.safeimport.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.db.LockHolder;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/** The import lock, acquired and released in one place, on every database the tests reach. */
class ImportLockTest {

    private static String status(TestDatabase db, String runId) {
        return db.rows("SELECT status FROM safeimport_run WHERE run_id = '" + runId + "'").stream()
                .map(r -> String.valueOf(r.values().iterator().next())).findFirst().orElse(null);
    }

    @EveryDatabase
    void aSecondAcquireWhileTheLockIsHeldIsRefusedNamingTheHolderAndSucceedsOnceItIsReleased(TestDatabase db) {
        String holder = "rollback-20260101T000000Z-0000aaaa";
        try (ImportLock first = ImportLock.acquire(db.database(), 0, "rollback", holder)) {
            assertTrue(first.name().startsWith(ImportLock.PREFIX + ":"), first.name());
            SafeImportException busy = assertThrows(SafeImportException.class,
                    () -> ImportLock.acquire(db.database(), 0, "reset", null));
            assertEquals(ExitCode.BUSY, busy.exitCode());
            assertTrue(busy.getMessage().startsWith("another safeimport run holds the import lock on "), busy.getMessage());
            assertTrue(busy.getMessage().contains(holder), "names the run holding it: " + busy.getMessage());
        }
        try (ImportLock again = ImportLock.acquire(db.database(), 0, "reset", null)) {
            again.requireHeld(again.connection());
        }
    }

    @EveryDatabase
    void theRunIsRecordedAsRunningWhileTheLockIsHeldAndForgottenWhenNothingTookItOver(TestDatabase db) {
        String runId = "rollback-20260101T000000Z-0000bbbb";
        try (ImportLock lock = ImportLock.acquire(db.database(), 0, "rollback", runId)) {
            assertEquals("running", status(db, runId), "killed from here on, the next run reports it interrupted");
        }
        assertEquals(null, status(db, runId), "stopped without committing: only its audit log has it");
    }

    @EveryDatabase
    void aLockLostBeforeCloseIsReportedAndRefusesTheCommit(TestDatabase db) {
        try (Handle tx = db.database().open()) {
            ImportLock lock = ImportLock.acquire(db.database(), 0, "reset", null);
            lock.requireHeld(tx);
            db.database().dialect().unlock(lock.connection(), lock.name());
            SafeImportException lost = assertThrows(SafeImportException.class, () -> lock.requireHeld(tx));
            assertEquals(ExitCode.BUSY, lost.exitCode());
            lock.close();
            assertTrue(lock.lost(), "close found it lost");
            assertTrue(lock.connection().isClosed(), "the lock's own connection is closed with it");
        }
    }

    @EveryDatabase
    void theImportsLockIsReleasedOnCloseAndItsConnectionStaysTheRuns(TestDatabase db) {
        try (Handle control = db.database().open()) {
            LockHolder me = LockHolder.me("users-20260101T000000Z-0000cccc", "import users", Instant.now());
            ImportLock lock = ImportLock.take(db.database(), control, 0, me);
            try (lock; Handle other = db.database().open()) {
                SafeImportException busy = assertThrows(SafeImportException.class, () -> ImportLock.take(db.database(), other, 0, me));
                assertEquals(ExitCode.BUSY, busy.exitCode());
            }
            assertFalse(lock.lost(), "released while still held");
            assertFalse(control.isClosed(), "the import goes on recording its run on it");
            try (ImportLock next = ImportLock.acquire(db.database(), 0, "reset", null)) {
                assertFalse(next.lost());
            }
        }
    }
}
