package io.safeimport.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.safeimport.internal.audit.StepTimer;
import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.SqlDialect;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/** The checks' first run under way on the import's transaction, begun before planning. */
class EarlyChecksTest {

    /** One finding per user without a last name; or a check that breaks. */
    static IntegrityCheck check(boolean broken) {
        return new IntegrityRunTest.Probe("probe_no_last_name", null) {
            @Override
            public void run(Handle handle, SqlDialect dialect, Consumer<Finding> findings) {
                if (broken) {
                    throw new IllegalStateException("probe broke");
                }
                handle.createQuery("SELECT email FROM app_user WHERE last_name IS NULL").mapTo(String.class)
                        .forEach(e -> findings.accept(new Finding(code(), severity(), table(), e, "no last name")));
            }
        };
    }

    @EveryDatabase
    void theChecksSeeTheDataBeforeTheWritesAndOnlyWhatTheTransactionIntroducedIsHeldAgainstIt(TestDatabase db) {
        try (Handle tx = db.database().open()) {
            db.execute("INSERT INTO app_user (email, first_name) VALUES ('old@example.com', 'Old')");
            IllegalStateException stop = assertThrows(IllegalStateException.class, () -> Transactions.useWriteTransaction(tx, null, t -> {
                try (EarlyChecks early = EarlyChecks.start(t, db.database().dialect(), List.of(check(false)), new StepTimer())) {
                    IntegrityRun run = early.awaitBefore();
                    assertEquals(1, run.preExisting(), "the user that was there before");
                    t.execute("INSERT INTO app_user (email, first_name) VALUES ('new@example.com', 'New')");
                    List<Finding> introduced = run.introduced(t);
                    assertEquals(List.of("new@example.com"), introduced.stream().map(Finding::key).toList(),
                            "only what the transaction's own write introduced is held against the run");
                }
                throw new IllegalStateException("stop before committing");
            }));
            assertEquals("stop before committing", stop.getMessage());
            assertEquals(1, db.count("app_user"), "a run that stops before committing leaves nothing behind");
        }
    }

    @EveryDatabase
    void aCheckThatFailsIsReportedWhenTheRunWaitsForIt(TestDatabase db) {
        try (Handle tx = db.database().open()) {
            Transactions.useReadTransaction(tx, t -> {
                EarlyChecks early = EarlyChecks.start(t, db.database().dialect(), List.of(check(true)), new StepTimer());
                try {
                    IllegalStateException e = assertThrows(IllegalStateException.class, early::awaitBefore);
                    assertEquals("probe broke", e.getMessage());
                } finally {
                    early.close(); // must not throw: the failure was reported where it mattered
                }
            });
            assertFalse(tx.isInTransaction(), "the transaction ended");
            assertEquals(0L, db.count("app_user"), "nothing written");
        }
    }
}
