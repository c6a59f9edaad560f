package io.safeimport.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.internal.audit.StepTimer;
import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.testing.TestDatabase;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The import's transaction with the checks' first run under way on it, begun before planning. */
class EarlyChecksTest {

    /** One finding per user without a last name; or a check that breaks. */
    static IntegrityCheck check(boolean broken) {
        return new IntegrityRunTest.Probe("probe_no_last_name", null) {
            @Override
            public void run(Handle handle, io.safeimport.spi.SqlDialect dialect, Consumer<Finding> findings) {
                if (broken) {
                    throw new IllegalStateException("probe broke");
                }
                handle.createQuery("SELECT email FROM app_user WHERE last_name IS NULL").mapTo(String.class)
                        .forEach(e -> findings.accept(new Finding(code(), severity(), table(), e, "no last name")));
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.safeimport.testing.TestDatabase#kinds")
    void theChecksSeeTheDataBeforeTheWritesAndCloseRollsBackWhatTheTransactionHolds(String kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            db.execute("INSERT INTO app_user (email, first_name) VALUES ('old@example.com', 'Old')");
            EarlyChecks early = EarlyChecks.start(db.database(), List.of(check(false)), new StepTimer());
            IntegrityRun run;
            try {
                run = early.awaitBefore();
                assertEquals(1, run.preExisting(), "the user that was there before");
                early.tx().execute("INSERT INTO app_user (email, first_name) VALUES ('new@example.com', 'New')");
                List<Finding> introduced = run.introduced(early.tx());
                assertEquals(List.of("new@example.com"), introduced.stream().map(Finding::key).toList(),
                        "only what the transaction's own write introduced is held against the run");
            } finally {
                early.close();
            }
            assertTrue(early.tx().isClosed(), "close closes the connection");
            assertEquals(1, db.count("app_user"), "a run that stops before committing leaves nothing behind");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.safeimport.testing.TestDatabase#kinds")
    void aCheckThatFailsIsReportedWhenTheRunWaitsForIt(String kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            EarlyChecks early = EarlyChecks.start(db.database(), List.of(check(true)), new StepTimer());
            try {
                IllegalStateException e = assertThrows(IllegalStateException.class, early::awaitBefore);
                assertEquals("probe broke", e.getMessage());
            } finally {
                early.close(); // must not throw: the failure was reported where it mattered
            }
            assertTrue(early.tx().isClosed());
            assertEquals(0L, db.count("app_user"), "nothing written");
        }
    }
}
