package io.safeimport.validators;

import static io.safeimport.validators.CheckFixture.cleanDatabase;
import static io.safeimport.validators.CheckFixture.run;
import static io.safeimport.validators.CheckFixture.withoutForeignKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.spi.ColumnSpec;
import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * What each check declares about itself beyond its findings, which the import pipeline relies on:
 * the reference column whose dangling values are all it looks for (the pipeline leaves such a
 * check out of its before/after comparison where the database enforces that foreign key), and
 * what its description and its {@code toString} say.
 */
class CheckDeclarationsTest {

    /**
     * Exactly the checks that look only for dangling references declare their column. The orphan
     * checks ({@code chapter_organization_missing}, ...) also report a null parent, and a null is
     * not something a foreign key prevents, so they must not declare one.
     */
    @Test
    void exactlyTheDanglingReferenceChecksDeclareTheirColumn() {
        Map<String, String> declared = new TreeMap<>();
        for (IntegrityCheck c : IntegrityChecks.all()) {
            if (c.foreignKeyColumn() != null) {
                declared.put(c.code(), c.table() + "." + c.foreignKeyColumn());
            }
        }
        assertEquals(new TreeMap<>(Map.ofEntries(
                Map.entry("aspect_ladder_missing", "ladder_aspect.ladder_id"),
                Map.entry("level_ladder_missing", "ladder_level.ladder_id"),
                Map.entry("chapter_leader_missing", "chapter.leader_id"),
                Map.entry("tribe_leader_missing", "tribe.leader_id"),
                Map.entry("team_leader_missing", "team.leader_id"),
                Map.entry("user_team_missing", "app_user.team_id"),
                Map.entry("user_chapter_missing", "app_user.chapter_id"),
                Map.entry("user_level_missing", "app_user.level_id"),
                Map.entry("user_manager_missing", "app_user.manager_id"),
                Map.entry("event_user_missing", "timeline_event.user_id"),
                Map.entry("event_level_missing", "timeline_event.level_id"),
                Map.entry("event_team_missing", "timeline_event.team_id"),
                Map.entry("compensation_snapshot_user_missing", "compensation_snapshot.user_id"),
                Map.entry("compensation_snapshot_event_missing", "compensation_snapshot.event_id"),
                Map.entry("seniority_snapshot_user_missing", "seniority_snapshot.user_id"),
                Map.entry("seniority_snapshot_event_missing", "seniority_snapshot.event_id"),
                Map.entry("seniority_snapshot_level_missing", "seniority_snapshot.level_id"))), declared);
    }

    /** A declared column is a reference column of the check's own table, and the description names what it points at. */
    @Test
    void aDeclaredColumnIsAReferenceOfTheChecksTable() {
        for (IntegrityCheck c : IntegrityChecks.all()) {
            if (c.foreignKeyColumn() == null) {
                continue;
            }
            ColumnSpec column = ReferenceSchema.table(c.table()).requireColumn(c.foreignKeyColumn());
            assertTrue(column.isReference(), () -> c.code() + ": " + column + " is not a reference");
            assertTrue(c.description().contains("does not exist"), () -> c.code() + ": " + c.description());
        }
    }

    /**
     * Behind the declaration: on clean data, pointing the declared column of one existing row at
     * an id that no row has makes the check report exactly that one row. (Each check's own test
     * does this on every database; here every declaring check at once, on H2.)
     */
    @Test
    void aDanglingValueInTheDeclaredColumnIsFound() {
        for (IntegrityCheck c : IntegrityChecks.all()) {
            if (c.foreignKeyColumn() == null) {
                continue;
            }
            try (TestDatabase db = cleanDatabase(TestDatabase.H2)) {
                assertEquals(List.of(), run(db, c.code()), c.code() + " on clean data");
                long id;
                try (Handle h = db.database().open()) {
                    id = h.createQuery("SELECT MIN(id) FROM " + c.table()).mapTo(Long.class).one();
                }
                withoutForeignKeys(db, "UPDATE " + c.table() + " SET " + c.foreignKeyColumn() + " = 990 WHERE id = " + id);
                List<Finding> findings = run(db, c.code());
                assertEquals(1, findings.size(), () -> c.code() + " found " + findings);
                assertTrue(findings.get(0).message().contains(" id 990"), () -> c.code() + ": " + findings);
            }
        }
    }

    /** Reports and logs name a check by code, severity label and table. */
    @Test
    void toStringNamesCodeSeverityAndTable() {
        for (IntegrityCheck c : IntegrityChecks.all()) {
            if (c.getClass().getSimpleName().equals("QueryCheck")) {
                assertEquals(c.code() + " (" + c.severity().label() + ", " + c.table() + ")", c.toString());
            }
        }
        assertEquals("user_duplicate_email (" + CheckFixture.check("user_duplicate_email").severity().label() + ", app_user)",
                CheckFixture.check("user_duplicate_email").toString());
    }
}
