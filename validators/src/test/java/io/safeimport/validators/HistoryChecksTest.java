package io.safeimport.validators;

import static io.safeimport.spi.Severity.ERROR;
import static io.safeimport.spi.Severity.WARNING;
import static io.safeimport.validators.CheckFixture.BARBARA;
import static io.safeimport.validators.CheckFixture.GRACE;
import static io.safeimport.validators.CheckFixture.LINUS;
import static io.safeimport.validators.CheckFixture.assertFindings;
import static io.safeimport.validators.CheckFixture.cleanDatabase;
import static io.safeimport.validators.CheckFixture.run;
import static io.safeimport.validators.CheckFixture.withoutForeignKeys;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.spi.Finding;
import io.safeimport.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each history check fires on the dirty rows it is about, and only on them. */
class HistoryChecksTest {

    private static final String KINDS = "io.safeimport.testing.TestDatabase#kinds";

    @ParameterizedTest
    @MethodSource(KINDS)
    void eventOfMissingUserIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "INSERT INTO timeline_event (id, user_id, event_type, effective_date) VALUES (100, 990, 'hire', '2020-01-01')");
            assertFindings(run(db, "event_user_missing"), "event_user_missing", ERROR, "timeline_event", "#990/hire/2020-01-01");
        }
    }

    /** Event types are compared exactly: other case or a trailing blank is unknown too, on every database. */
    @ParameterizedTest
    @MethodSource(KINDS)
    void eventOfUnknownTypeIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("INSERT INTO timeline_event (id, user_id, event_type, effective_date) VALUES"
                    + " (100, 5, 'sabbatical', '2021-05-01'), (101, 5, 'Hire', '2020-02-18'), (102, 5, 'hire ', '2020-02-19')");
            assertFindings(run(db, "event_type_unknown"), "event_type_unknown", ERROR, "timeline_event",
                    LINUS + "/sabbatical/2021-05-01", LINUS + "/Hire/2020-02-18", LINUS + "/hire /2020-02-19");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void eventPointingAtMissingLevelIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "UPDATE timeline_event SET level_id = 990 WHERE id = 7");
            assertFindings(run(db, "event_level_missing"), "event_level_missing", ERROR, "timeline_event",
                    LINUS + "/level_change/2022-03-01");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void eventPointingAtMissingTeamIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "UPDATE timeline_event SET team_id = 990 WHERE id = 13");
            assertFindings(run(db, "event_team_missing"), "event_team_missing", ERROR, "timeline_event",
                    BARBARA + "/team_change/2023-02-01");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void eventBeforeHireDateIsAWarning(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("INSERT INTO timeline_event (id, user_id, event_type, effective_date) VALUES"
                    + " (100, 6, 'title_change', '2022-09-30'), (101, 8, 'title_change', '1999-01-01')");
            assertFindings(run(db, "event_before_hire"), "event_before_hire", WARNING, "timeline_event",
                    BARBARA + "/title_change/2022-09-30");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void compensationSnapshotOfMissingUserIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "UPDATE compensation_snapshot SET user_id = 990 WHERE id = 4");
            assertFindings(run(db, "compensation_snapshot_user_missing"), "compensation_snapshot_user_missing", ERROR,
                    "compensation_snapshot", LINUS + "/compensation_change/2022-03-01");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void compensationSnapshotOfMissingEventIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "INSERT INTO compensation_snapshot (id, event_id, user_id, effective_date, salary, currency)"
                    + " VALUES (10, 990, 2, '2021-01-01', 100000, 'EUR')");
            assertFindings(run(db, "compensation_snapshot_event_missing"), "compensation_snapshot_event_missing", ERROR,
                    "compensation_snapshot", "#990");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void senioritySnapshotOfMissingUserIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "UPDATE seniority_snapshot SET user_id = 990 WHERE id = 8");
            assertFindings(run(db, "seniority_snapshot_user_missing"), "seniority_snapshot_user_missing", ERROR,
                    "seniority_snapshot", BARBARA + "/hire/2022-10-01");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void senioritySnapshotOfMissingEventIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "INSERT INTO seniority_snapshot (id, event_id, user_id, effective_date, level_id)"
                    + " VALUES (20, 990, 2, '2021-01-01', 4)");
            assertFindings(run(db, "seniority_snapshot_event_missing"), "seniority_snapshot_event_missing", ERROR,
                    "seniority_snapshot", "#990");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void senioritySnapshotOfMissingLevelIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "UPDATE seniority_snapshot SET level_id = 990 WHERE id = 1");
            assertFindings(run(db, "seniority_snapshot_level_missing"), "seniority_snapshot_level_missing", ERROR,
                    "seniority_snapshot", GRACE + "/hire/2015-03-01");
        }
    }

    /** A snapshot whose source event and level are both missing is keyed by the missing event's id. */
    @ParameterizedTest
    @MethodSource(KINDS)
    void snapshotWithoutItsEventIsKeyedByTheEventId(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "INSERT INTO seniority_snapshot (id, event_id, user_id, effective_date, level_id)"
                    + " VALUES (20, 991, 2, '2021-01-01', 990)");
            List<Finding> findings = run(db, "seniority_snapshot_level_missing");
            assertFindings(findings, "seniority_snapshot_level_missing", ERROR, "seniority_snapshot", "#991");
            assertTrue(findings.get(0).message().contains("points at ladder level id 990"), findings::toString);
        }
    }
}
