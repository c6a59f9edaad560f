package io.safeimport.validators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.Severity;
import io.safeimport.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Realistic clean reference data, dirt written past the foreign keys, and assertions on
 * findings. Rows use explicit ids; the clean data stays below 100 so dirt can use 100 and up,
 * and dangling references point at ids in the 900s that no row has.
 */
final class CheckFixture {

    static final String GRACE = "grace.hopper@acme.example";
    static final String ADA = "ada.lovelace@acme.example";
    static final String KEN = "ken.thompson@acme.example";
    static final String MARGARET = "margaret.hamilton@acme.example";
    static final String LINUS = "linus.torvalds@acme.example";
    static final String BARBARA = "barbara.liskov@acme.example";
    static final String ALAN = "alan.turing@acme.example";
    static final String EDSGER = "edsger.dijkstra@acme.example";

    private CheckFixture() {
    }

    /** A fresh migrated database of this kind holding {@link #loadCleanData clean data}. */
    static TestDatabase cleanDatabase(String kind) {
        TestDatabase db = TestDatabase.create(kind);
        try {
            loadCleanData(db);
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * A small company as the importers would leave it: two organizations (one with no tribes yet,
     * which is fine), chapters, tribes and teams with active leaders, a manager tree, two ladders
     * numbered 1..N with aspects and sane pay bands, an inactive user who left, a user with no
     * team, level or hire date, and a history whose snapshots point at their events.
     */
    static void loadCleanData(TestDatabase db) {
        db.execute(
                "INSERT INTO organization (id, organization, description) VALUES"
                        + " (1, 'Acme', 'The company'), (2, 'Acme Labs', 'Research spin-off, no tribes yet')",
                "INSERT INTO ladder (id, ladder, title) VALUES (1, 'ENG', 'Engineering'), (2, 'MGR', 'Engineering management')",
                "INSERT INTO ladder_aspect (id, ladder_id, aspect, title) VALUES"
                        + " (1, 1, 'delivery', 'Delivery'), (2, 1, 'craft', 'Craft'), (3, 2, 'people', 'People')",
                "INSERT INTO ladder_level (id, ladder_id, level, title, pay_band_min, pay_band_max) VALUES"
                        + " (1, 1, 1, 'Engineer I', 50000, 65000), (2, 1, 2, 'Engineer II', 60000, 80000),"
                        + " (3, 1, 3, 'Senior Engineer', 75000, 100000), (4, 1, 4, 'Staff Engineer', 95000, NULL),"
                        + " (5, 2, 1, 'Engineering Manager', 90000, 120000), (6, 2, 2, 'Director', 120000, 120000)",
                "INSERT INTO app_user (id, email, first_name, last_name, title, level_id, hired_on, active) VALUES"
                        + " (1, '" + GRACE + "', 'Grace', 'Hopper', 'CTO', 6, '2015-03-01', TRUE),"
                        + " (2, '" + ADA + "', 'Ada', 'Lovelace', 'Staff Engineer', 4, '2016-06-15', TRUE),"
                        + " (3, '" + KEN + "', 'Ken', 'Thompson', 'Engineering Manager', 5, '2017-01-09', TRUE),"
                        + " (4, '" + MARGARET + "', 'Margaret', 'Hamilton', 'Senior Engineer', 3, '2018-09-03', TRUE),"
                        + " (5, '" + LINUS + "', 'Linus', 'Torvalds', 'Engineer II', 2, '2020-02-17', TRUE),"
                        + " (6, '" + BARBARA + "', 'Barbara', 'Liskov', 'Engineer I', 1, '2022-10-01', TRUE),"
                        + " (7, '" + ALAN + "', 'Alan', 'Turing', 'Senior Engineer', 3, '2016-01-04', FALSE),"
                        + " (8, '" + EDSGER + "', 'Edsger', 'Dijkstra', NULL, NULL, NULL, TRUE)",
                "UPDATE app_user SET manager_id = 1 WHERE id IN (2, 3)",
                "UPDATE app_user SET manager_id = 2 WHERE id = 4",
                "UPDATE app_user SET manager_id = 3 WHERE id IN (5, 7)",
                "UPDATE app_user SET manager_id = 4 WHERE id = 6",
                "INSERT INTO chapter (id, chapter, organization_id, leader_id) VALUES (1, 'Backend', 1, 2), (2, 'Frontend', 1, 4)",
                "INSERT INTO tribe (id, tribe, organization_id, leader_id) VALUES (1, 'Payments', 1, 1), (2, 'Platform', 1, 3)",
                "INSERT INTO team (id, team, tribe_id, department, leader_id) VALUES"
                        + " (1, 'Checkout', 1, 'Engineering', 2), (2, 'Ledger', 1, 'Engineering', 4),"
                        + " (3, 'Infrastructure', 2, 'Operations', 3)",
                "UPDATE app_user SET team_id = 1, chapter_id = 1 WHERE id IN (2, 7)",
                "UPDATE app_user SET team_id = 3 WHERE id = 3",
                "UPDATE app_user SET team_id = 2, chapter_id = 2 WHERE id IN (4, 6)",
                "UPDATE app_user SET team_id = 3, chapter_id = 1 WHERE id = 5",
                "INSERT INTO timeline_event (id, user_id, event_type, effective_date, level_id, title, team_id, salary, currency) VALUES"
                        + " (1, 1, 'hire', '2015-03-01', 6, 'CTO', NULL, NULL, NULL),"
                        + " (2, 2, 'hire', '2016-06-15', 3, 'Senior Engineer', 1, 90000, 'EUR'),"
                        + " (3, 2, 'promotion', '2019-04-01', 4, 'Staff Engineer', NULL, 110000, 'EUR'),"
                        + " (4, 3, 'hire', '2017-01-09', 5, NULL, 3, NULL, NULL),"
                        + " (5, 4, 'hire', '2018-09-03', 3, NULL, 2, NULL, NULL),"
                        + " (6, 5, 'hire', '2020-02-17', 1, 'Engineer I', 3, 62000, 'EUR'),"
                        + " (7, 5, 'level_change', '2022-03-01', 2, 'Engineer II', NULL, NULL, NULL),"
                        + " (8, 5, 'compensation_change', '2022-03-01', NULL, NULL, NULL, 72000, 'EUR'),"
                        + " (9, 6, 'hire', '2022-10-01', 1, NULL, 1, NULL, NULL),"
                        + " (10, 7, 'hire', '2016-01-04', 3, NULL, 1, NULL, NULL),"
                        + " (11, 7, 'departure', '2023-06-30', NULL, NULL, NULL, NULL, NULL),"
                        + " (12, 4, 'title_change', '2021-01-01', NULL, 'Senior Engineer', NULL, NULL, NULL),"
                        + " (13, 6, 'team_change', '2023-02-01', NULL, NULL, 2, NULL, NULL),"
                        + " (14, 8, 'hire', '2024-01-08', NULL, NULL, NULL, NULL, NULL)",
                "INSERT INTO compensation_snapshot (id, event_id, user_id, effective_date, salary, currency) VALUES"
                        + " (1, 2, 2, '2016-06-15', 90000, 'EUR'), (2, 3, 2, '2019-04-01', 110000, 'EUR'),"
                        + " (3, 6, 5, '2020-02-17', 62000, 'EUR'), (4, 8, 5, '2022-03-01', 72000, 'EUR')",
                "INSERT INTO seniority_snapshot (id, event_id, user_id, effective_date, level_id) VALUES"
                        + " (1, 1, 1, '2015-03-01', 6), (2, 2, 2, '2016-06-15', 3), (3, 3, 2, '2019-04-01', 4),"
                        + " (4, 4, 3, '2017-01-09', 5), (5, 5, 4, '2018-09-03', 3), (6, 6, 5, '2020-02-17', 1),"
                        + " (7, 7, 5, '2022-03-01', 2), (8, 9, 6, '2022-10-01', 1), (9, 10, 7, '2016-01-04', 3)");
        db.syncIdentities();
    }

    /**
     * Runs statements with foreign key checks off on one connection, as someone repairing data by
     * hand might: the only way dangling references get into the database.
     */
    static void withoutForeignKeys(TestDatabase db, String... sql) {
        boolean h2 = TestDatabase.H2.equals(db.kind());
        // PostgreSQL: a replica session fires no triggers, the foreign keys' among them (needs a superuser)
        boolean pg = TestDatabase.POSTGRES.equals(db.kind());
        try (Handle h = db.database().open()) {
            h.execute(h2 ? "SET REFERENTIAL_INTEGRITY FALSE" : pg ? "SET session_replication_role = replica" : "SET FOREIGN_KEY_CHECKS = 0");
            try {
                for (String s : sql) {
                    h.execute(s);
                }
            } finally {
                h.execute(h2 ? "SET REFERENTIAL_INTEGRITY TRUE" : pg ? "SET session_replication_role = origin" : "SET FOREIGN_KEY_CHECKS = 1");
            }
        }
        db.syncIdentities();
    }

    static IntegrityCheck check(String code) {
        return IntegrityChecks.all().stream().filter(c -> c.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError("no check with code " + code));
    }

    /** Runs one check on its own connection and collects its findings. */
    static List<Finding> run(TestDatabase db, String code) {
        List<Finding> findings = new ArrayList<>();
        try (Handle h = db.database().open()) {
            check(code).run(h, db.database().dialect(), findings::add);
        }
        return findings;
    }

    /**
     * The findings are exactly one per key, in any order, each with this code, severity and
     * table, and a message that is a sentence naming the row.
     */
    static void assertFindings(List<Finding> findings, String code, Severity severity, String table, String... keys) {
        assertEquals(severity, check(code).severity(), code + " severity");
        assertEquals(table, check(code).table(), code + " table");
        List<String> expected = Arrays.stream(keys).sorted().toList();
        List<String> actual = findings.stream().map(Finding::key).sorted().toList();
        assertEquals(expected, actual, () -> code + " found " + findings);
        for (Finding f : findings) {
            assertEquals(code, f.code(), f::toString);
            assertEquals(severity, f.severity(), f::toString);
            assertEquals(table, f.table(), f::toString);
            assertTrue(f.message().contains(f.key()), () -> "message does not name the row: " + f);
            assertTrue(f.message().endsWith("."), () -> "message is not a sentence: " + f);
        }
    }
}
