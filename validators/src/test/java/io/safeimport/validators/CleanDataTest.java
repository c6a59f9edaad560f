package io.safeimport.validators;

import static io.safeimport.validators.CheckFixture.ALAN;
import static io.safeimport.validators.CheckFixture.check;
import static io.safeimport.validators.CheckFixture.cleanDatabase;
import static io.safeimport.validators.CheckFixture.run;
import static io.safeimport.validators.CheckFixture.withoutForeignKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.testing.TestDatabase;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks stay quiet on clean, realistic data, and behave inside the caller's transaction. */
class CleanDataTest {

    private static final String KINDS = "io.safeimport.testing.TestDatabase#kinds";

    /** One clean database per kind, shared by the read-only quiet tests. */
    private static final Map<String, TestDatabase> CLEAN = new ConcurrentHashMap<>();

    static Stream<Arguments> kindsAndCodes() {
        return TestDatabase.kinds().flatMap(kind -> IntegrityChecks.all().stream().map(c -> Arguments.of(kind, c.code())));
    }

    @AfterAll
    static void dropCleanDatabases() {
        CLEAN.values().forEach(TestDatabase::close);
        CLEAN.clear();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("kindsAndCodes")
    void checkIsQuietOnCleanData(String kind, String code) {
        TestDatabase db = CLEAN.computeIfAbsent(kind, CheckFixture::cleanDatabase);
        assertEquals(List.of(), run(db, code));
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void checkSeesUncommittedWritesOfTheCallersTransaction(String kind) {
        try (TestDatabase db = cleanDatabase(kind); Handle h = db.database().open()) {
            h.useTransaction(tx -> {
                tx.execute("UPDATE app_user SET manager_id = id WHERE id = 7");
                List<Finding> inside = new ArrayList<>();
                check("user_self_manager").run(tx, db.database().dialect(), inside::add);
                assertEquals(List.of(ALAN), inside.stream().map(Finding::key).toList());
                tx.rollback();
            });
            assertEquals(List.of(), run(db, "user_self_manager"));
        }
    }

    /**
     * The pipeline runs every check in turn on one handle inside its transaction; on MySQL each
     * streamed result must be finished before the next query, and findings arrive in check order.
     */
    @ParameterizedTest
    @MethodSource(KINDS)
    void everyCheckRunsInTurnOnOneHandleInOneTransaction(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("UPDATE app_user SET manager_id = id WHERE id = 7",
                    "INSERT INTO team (id, team, tribe_id, department) VALUES (10, 'Onboarding', 2, 'Operations')",
                    "INSERT INTO ladder (id, ladder, title) VALUES (3, 'EMPTY', 'Not built yet')",
                    "INSERT INTO timeline_event (id, user_id, event_type, effective_date) VALUES (100, 5, 'sabbatical', '2021-05-01')");
            withoutForeignKeys(db, "UPDATE app_user SET team_id = 999 WHERE id = 6");
            List<Finding> findings = new ArrayList<>();
            try (Handle h = db.database().open()) {
                h.useTransaction(tx -> {
                    for (IntegrityCheck c : IntegrityChecks.all()) {
                        c.run(tx, db.database().dialect(), findings::add);
                    }
                });
            }
            Set<String> codes = new LinkedHashSet<>();
            findings.forEach(f -> codes.add(f.code()));
            assertEquals(List.of("ladder_without_aspects", "ladder_without_levels", "team_without_leader",
                    "user_team_missing", "user_self_manager", "event_type_unknown"), List.copyOf(codes));
            assertEquals(6, findings.size(), findings::toString);
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void manyOffendingRowsAreAllStreamedToTheConsumer(String kind) {
        int teams = 3000;
        try (TestDatabase db = cleanDatabase(kind)) {
            try (Handle h = db.database().open()) {
                PreparedBatch batch = h.prepareBatch("INSERT INTO team (team, tribe_id, department) VALUES (:team, 1, 'Engineering')");
                for (int i = 0; i < teams; i++) {
                    batch.bind("team", String.format("Team %04d", i)).add();
                }
                batch.execute();
            }
            AtomicInteger count = new AtomicInteger();
            try (Handle h = db.database().open()) {
                check("team_without_leader").run(h, db.database().dialect(), f -> {
                    assertTrue(f.key().startsWith("Team "), f::toString);
                    count.incrementAndGet();
                });
                assertEquals(0L, h.createQuery("SELECT COUNT(*) FROM team WHERE leader_id IS NOT NULL AND id > 3").mapTo(Long.class).one());
            }
            assertEquals(teams, count.get());
        }
    }

    /**
     * Checks leave nothing behind: in particular no view (H2 2.2 persists a CTE that another CTE
     * reads as a view, which breaks the next opening of the embedded database file), and the
     * database opens again afterwards.
     */
    @ParameterizedTest
    @MethodSource(KINDS)
    void checksLeaveNoObjectBehindAndTheDatabaseReopens(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("UPDATE app_user SET manager_id = 5 WHERE id = 1");
            for (int round = 0; round < 2; round++) {
                try (Handle h = db.database().open()) {
                    for (IntegrityCheck c : IntegrityChecks.all()) {
                        c.run(h, db.database().dialect(), f -> { });
                    }
                }
            }
            String schema = TestDatabase.H2.equals(kind) ? "'public'" : TestDatabase.POSTGRES.equals(kind) ? "current_schema()" : "DATABASE()";
            assertEquals(List.of(), db.rows("SELECT table_name FROM information_schema.tables WHERE table_schema = " + schema
                    + " AND table_type <> 'BASE TABLE'"));
            assertEquals(3, run(db, "user_manager_cycle").size());
        }
    }
}
