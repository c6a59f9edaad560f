package io.safeimport.validators;

import static io.safeimport.spi.Severity.ERROR;
import static io.safeimport.spi.Severity.WARNING;
import static io.safeimport.validators.CheckFixture.ADA;
import static io.safeimport.validators.CheckFixture.ALAN;
import static io.safeimport.validators.CheckFixture.BARBARA;
import static io.safeimport.validators.CheckFixture.EDSGER;
import static io.safeimport.validators.CheckFixture.GRACE;
import static io.safeimport.validators.CheckFixture.KEN;
import static io.safeimport.validators.CheckFixture.LINUS;
import static io.safeimport.validators.CheckFixture.MARGARET;
import static io.safeimport.validators.CheckFixture.assertFindings;
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
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each user check fires on the dirty rows it is about, and only on them. */
class UserChecksTest {

    private static final String KINDS = "io.safeimport.testing.TestDatabase#kinds";

    @ParameterizedTest
    @MethodSource(KINDS)
    void blankEmailOrOneMissingNameIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("INSERT INTO app_user (id, email, first_name, last_name) VALUES"
                    + " (100, 'no.last@acme.example', 'Nolast', NULL), (101, 'no.first@acme.example', NULL, 'Nofirst'),"
                    + " (102, '', 'Blank', 'Email'), (103, 'blank.last@acme.example', 'Blanklast', '  '),"
                    + " (104, 'lead.placeholder@acme.example', NULL, NULL)");
            List<Finding> findings = run(db, "user_missing_required_field");
            assertFindings(findings, "user_missing_required_field", ERROR, "app_user",
                    "#102", "no.first@acme.example", "no.last@acme.example", "blank.last@acme.example");
            assertTrue(findings.stream().anyMatch(f -> f.message().contains("has no last_name")), findings::toString);
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void placeholderWithEmailOnlyIsAWarning(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("INSERT INTO app_user (id, email, first_name, last_name) VALUES"
                    + " (100, 'lead.placeholder@acme.example', NULL, NULL), (101, 'blank.names@acme.example', ' ', ''),"
                    + " (102, 'no.last@acme.example', 'Nolast', NULL)");
            assertFindings(run(db, "user_incomplete"), "user_incomplete", WARNING, "app_user",
                    "lead.placeholder@acme.example", "blank.names@acme.example");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void emailsThatDifferOnlyInCaseAreDuplicates(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("INSERT INTO app_user (id, email, first_name, last_name) VALUES"
                    + " (100, 'Ada.Lovelace@acme.example', 'Ada', 'Lovelace'), (101, 'ada.lovelace@ACME.example', 'Ada', 'L.')");
            List<Finding> findings = run(db, "user_duplicate_email");
            assertFindings(findings, "user_duplicate_email", ERROR, "app_user",
                    ADA, "Ada.Lovelace@acme.example", "ada.lovelace@ACME.example");
            assertTrue(findings.get(0).message().contains("same email as another user when case is ignored"), findings::toString);
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void userPointingAtMissingTeamIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "UPDATE app_user SET team_id = 999 WHERE id = 6");
            assertFindings(run(db, "user_team_missing"), "user_team_missing", ERROR, "app_user", BARBARA);
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void userPointingAtMissingChapterIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "UPDATE app_user SET chapter_id = 998 WHERE id = 5");
            assertFindings(run(db, "user_chapter_missing"), "user_chapter_missing", ERROR, "app_user", LINUS);
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void userPointingAtMissingLevelIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "UPDATE app_user SET level_id = 997 WHERE id = 4");
            assertFindings(run(db, "user_level_missing"), "user_level_missing", ERROR, "app_user", MARGARET);
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void userPointingAtMissingManagerIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "UPDATE app_user SET manager_id = 996 WHERE id = 6");
            assertFindings(run(db, "user_manager_missing"), "user_manager_missing", ERROR, "app_user", BARBARA);
            assertFindings(run(db, "user_manager_cycle"), "user_manager_cycle", ERROR, "app_user");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void ownManagerIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("UPDATE app_user SET manager_id = 7 WHERE id = 7");
            assertFindings(run(db, "user_self_manager"), "user_self_manager", ERROR, "app_user", ALAN);
        }
    }

    /**
     * Grace (the top) now reports to Linus, who reports to Ken, who reports to Grace: those three
     * are the cycle; Ada, Margaret, Barbara and Alan only report into it. Beside it: a cycle of two,
     * a ring of five with a tail of three leading into it, and a self-manager (left to
     * user_self_manager) with someone reporting to them.
     */
    @ParameterizedTest
    @MethodSource(KINDS)
    void usersOnAManagerCycleAreErrorsButTheirReportsAreNot(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            StringBuilder people = new StringBuilder("INSERT INTO app_user (id, email, first_name, last_name) VALUES"
                    + " (100, 'cycle.one@acme.example', 'Cycle', 'One'), (101, 'cycle.two@acme.example', 'Cycle', 'Two'),"
                    + " (102, 'reports.to.self.manager@acme.example', 'Reports', 'Up')");
            for (int i = 0; i < 8; i++) {
                people.append(", (").append(110 + i).append(", '").append(i < 5 ? "ring" : "tail").append(i)
                        .append("@acme.example', 'R', '").append(i).append("')");
            }
            db.execute("UPDATE app_user SET manager_id = 5 WHERE id = 1",
                    people.toString(),
                    "UPDATE app_user SET manager_id = 101 WHERE id = 100",
                    "UPDATE app_user SET manager_id = 100 WHERE id = 101",
                    "UPDATE app_user SET manager_id = 111 WHERE id = 110",
                    "UPDATE app_user SET manager_id = 112 WHERE id = 111",
                    "UPDATE app_user SET manager_id = 113 WHERE id = 112",
                    "UPDATE app_user SET manager_id = 114 WHERE id = 113",
                    "UPDATE app_user SET manager_id = 110 WHERE id = 114",
                    "UPDATE app_user SET manager_id = 116 WHERE id = 115",
                    "UPDATE app_user SET manager_id = 117 WHERE id = 116",
                    "UPDATE app_user SET manager_id = 112 WHERE id = 117",
                    "UPDATE app_user SET manager_id = 8 WHERE id IN (8, 102)");
            List<Finding> findings = run(db, "user_manager_cycle");
            assertFindings(findings, "user_manager_cycle", ERROR, "app_user",
                    GRACE, KEN, LINUS, "cycle.one@acme.example", "cycle.two@acme.example",
                    "ring0@acme.example", "ring1@acme.example", "ring2@acme.example", "ring3@acme.example", "ring4@acme.example");
            assertTrue(findings.stream().filter(f -> f.key().equals(GRACE)).allMatch(f -> f.message().contains("cycle of 3 people")),
                    findings::toString);
            assertTrue(findings.stream().filter(f -> f.key().startsWith("ring")).allMatch(f -> f.message().contains("cycle of 5 people")),
                    findings::toString);
            assertFindings(run(db, "user_self_manager"), "user_self_manager", ERROR, "app_user", EDSGER);
        }
    }

    /** Someone reporting to a self-manager is not on a cycle; the walk up from them still ends. */
    @ParameterizedTest
    @MethodSource(KINDS)
    void reportingToASelfManagerIsNoCycle(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("UPDATE app_user SET manager_id = 7 WHERE id = 7");
            assertFindings(run(db, "user_manager_cycle"), "user_manager_cycle", ERROR, "app_user");
        }
    }

    /**
     * 1500 people each reporting to the one before, under Grace: deeper than the servers' default
     * cap of 1000 recursive iterations, which the check lifts for its own queries. Closing the
     * chain into a ring makes all 1500 one cycle.
     */
    @ParameterizedTest
    @MethodSource(KINDS)
    void aHierarchyDeeperThanTheServersRecursionCapIsStillChecked(String kind) {
        int people = 1500;
        try (TestDatabase db = cleanDatabase(kind)) {
            try (Handle h = db.database().open()) {
                PreparedBatch batch = h.prepareBatch("INSERT INTO app_user (id, email, first_name, last_name) VALUES (:id, :email, 'Deep', 'Chain')");
                for (int i = 0; i < people; i++) {
                    batch.bind("id", 1000 + i).bind("email", "deep" + i + "@acme.example").add();
                }
                batch.execute();
                h.execute("UPDATE app_user SET manager_id = id - 1 WHERE id > 1000");
                h.execute("UPDATE app_user SET manager_id = 1 WHERE id = 1000");
            }
            assertFindings(run(db, "user_manager_cycle"), "user_manager_cycle", ERROR, "app_user");

            db.execute("UPDATE app_user SET manager_id = " + (1000 + people - 1) + " WHERE id = 1000");
            List<Finding> findings = new ArrayList<>();
            try (Handle h = db.database().open()) {
                String cap = TestDatabase.MARIADB.equals(kind) ? "SELECT @@SESSION.max_recursive_iterations" : "SELECT 1000";
                long before = h.createQuery(cap).mapTo(Long.class).one();
                check("user_manager_cycle").run(h, db.database().dialect(), findings::add);
                assertEquals(before, h.createQuery(cap).mapTo(Long.class).one(), "the session's recursion cap is put back");
            }
            assertEquals(people, findings.size());
            assertTrue(findings.stream().allMatch(f -> f.message().contains("cycle of " + people + " people")), () -> findings.get(0).toString());
        }
    }
    /**
     * A tail of lower ids walks into a cycle of three (the walk from the tail finds the cycle part
     * way along). The cycle's member with a blank email is keyed #id as in every user check, and
     * the findings come in key order, not in the order the walk met them.
     */
    @ParameterizedTest
    @MethodSource(KINDS)
    void aCycleReachedThroughATailIsFoundWithoutTheTail(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("INSERT INTO app_user (id, email, first_name, last_name) VALUES"
                            + " (200, 'tail.first@acme.example', 'Tail', 'First'), (201, 'zed.loop@acme.example', 'Zed', 'Loop'),"
                            + " (202, '', 'Blank', 'Loop'), (203, 'amy.loop@acme.example', 'Amy', 'Loop')",
                    "UPDATE app_user SET manager_id = 201 WHERE id IN (200, 203)",
                    "UPDATE app_user SET manager_id = 202 WHERE id = 201",
                    "UPDATE app_user SET manager_id = 203 WHERE id = 202");
            List<Finding> findings = run(db, "user_manager_cycle");
            assertFindings(findings, "user_manager_cycle", ERROR, "app_user", "#202", "amy.loop@acme.example", "zed.loop@acme.example");
            assertEquals(List.of("#202", "amy.loop@acme.example", "zed.loop@acme.example"), findings.stream().map(Finding::key).toList());
            assertTrue(findings.stream().allMatch(f -> f.message().contains("cycle of 3 people")), findings::toString);
        }
    }

    /** Emails are looked up 1000 ids at a time: a ring of exactly 1000 fills one batch and needs no second. */
    @ParameterizedTest
    @MethodSource(KINDS)
    void aCycleOfExactlyOneLookupBatchIsNamedByEmail(String kind) {
        int people = 1000;
        try (TestDatabase db = cleanDatabase(kind)) {
            try (Handle h = db.database().open()) {
                PreparedBatch batch = h.prepareBatch("INSERT INTO app_user (id, email, first_name, last_name) VALUES (:id, :email, 'Ring', 'Member')");
                for (int i = 0; i < people; i++) {
                    batch.bind("id", 3000 + i).bind("email", "ring" + i + "@acme.example").add();
                }
                batch.execute();
                h.execute("UPDATE app_user SET manager_id = id + 1 WHERE id >= 3000 AND id < " + (3000 + people - 1));
                h.execute("UPDATE app_user SET manager_id = 3000 WHERE id = " + (3000 + people - 1));
            }
            List<Finding> findings = run(db, "user_manager_cycle");
            assertEquals(people, findings.size());
            assertTrue(findings.stream().allMatch(f -> f.key().startsWith("ring") && f.message().contains("cycle of " + people + " people")),
                    () -> findings.get(0).toString());
        }
    }

    /**
     * The per-row user checks offer themselves as row filters, which the import pipeline runs as
     * one scan of app_user: what a filter describes must be exactly what its check finds alone.
     */
    @ParameterizedTest
    @MethodSource(KINDS)
    void theRowFiltersFindExactlyWhatTheirChecksFind(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("INSERT INTO app_user (id, email, first_name, last_name) VALUES"
                    + " (100, 'no.last@acme.example', 'Nolast', NULL), (101, 'placeholder@acme.example', NULL, ' '),"
                    + " (102, 'self@acme.example', 'Self', 'Managed'), (103, ' ', 'Blank', 'Email')",
                    "UPDATE app_user SET manager_id = id WHERE id IN (101, 102)");
            List<String> filters = new ArrayList<>();
            for (IntegrityCheck c : IntegrityChecks.forTables(List.of("app_user"))) {
                IntegrityCheck.RowFilter f = c.rowFilter();
                if (f == null) {
                    continue;
                }
                filters.add(c.code());
                List<Finding> alone = run(db, c.code());
                assertTrue(!alone.isEmpty(), c.code() + " finds something in this data");
                List<Finding> filtered = new ArrayList<>();
                try (Handle h = db.database().open()) {
                    h.createQuery("SELECT " + String.join(", ", f.columns()) + " FROM " + c.table() + " u WHERE " + f.condition()
                            + " ORDER BY " + f.order()).map((rs, ctx) -> f.describe(rs)).forEach(filtered::add);
                }
                assertEquals(alone, filtered, c.code());
            }
            assertEquals(List.of("user_missing_required_field", "user_incomplete", "user_self_manager"), filters);
        }
    }
}
