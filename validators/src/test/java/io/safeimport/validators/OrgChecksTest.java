package io.safeimport.validators;

import static io.safeimport.spi.Severity.ERROR;
import static io.safeimport.spi.Severity.WARNING;
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

/** Each organisation check fires on the dirty rows it is about, and only on them. User 7 (Alan) is inactive. */
class OrgChecksTest {

    private static final String KINDS = "io.safeimport.testing.TestDatabase#kinds";

    @ParameterizedTest
    @MethodSource(KINDS)
    void chapterOfMissingOrganizationIsAnOrphan(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "INSERT INTO chapter (id, chapter, organization_id) VALUES (10, 'Data', 990)");
            List<Finding> findings = run(db, "chapter_organization_missing");
            assertFindings(findings, "chapter_organization_missing", ERROR, "chapter", "Data");
            assertTrue(findings.get(0).message().startsWith("Chapter Data points at organization id 990, which does not exist;"),
                    findings::toString);
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void chapterLedByMissingUserIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "UPDATE chapter SET leader_id = 989 WHERE id = 2");
            assertFindings(run(db, "chapter_leader_missing"), "chapter_leader_missing", ERROR, "chapter", "Frontend");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void chapterLedByInactiveUserIsAWarning(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("UPDATE chapter SET leader_id = 7 WHERE id = 1");
            assertFindings(run(db, "chapter_leader_inactive"), "chapter_leader_inactive", WARNING, "chapter", "Backend");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void tribeOfMissingOrganizationIsAnOrphan(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "INSERT INTO tribe (id, tribe, organization_id) VALUES (10, 'Growth', 990)");
            assertFindings(run(db, "tribe_organization_missing"), "tribe_organization_missing", ERROR, "tribe", "Growth");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void tribeLedByMissingUserIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "UPDATE tribe SET leader_id = 989 WHERE id = 2");
            assertFindings(run(db, "tribe_leader_missing"), "tribe_leader_missing", ERROR, "tribe", "Platform");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void tribeLedByInactiveUserIsAWarning(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("UPDATE tribe SET leader_id = 7 WHERE id = 1");
            assertFindings(run(db, "tribe_leader_inactive"), "tribe_leader_inactive", WARNING, "tribe", "Payments");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void teamOfMissingTribeIsAnOrphan(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "INSERT INTO team (id, team, tribe_id, department, leader_id) VALUES (10, 'Search', 990, 'Engineering', 2)");
            assertFindings(run(db, "team_tribe_missing"), "team_tribe_missing", ERROR, "team", "Search");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void teamWithBlankDepartmentIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("INSERT INTO team (id, team, tribe_id, department, leader_id) VALUES"
                    + " (10, 'Mobile', 1, '  ', 2), (11, 'Web', 1, '', 4)");
            assertFindings(run(db, "team_without_department"), "team_without_department", ERROR, "team", "Mobile", "Web");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void teamLedByMissingUserIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "UPDATE team SET leader_id = 989 WHERE id = 3");
            assertFindings(run(db, "team_leader_missing"), "team_leader_missing", ERROR, "team", "Infrastructure");
            assertFindings(run(db, "team_without_leader"), "team_without_leader", WARNING, "team");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void teamLedByInactiveUserIsAWarning(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("UPDATE team SET leader_id = 7 WHERE id = 1");
            assertFindings(run(db, "team_leader_inactive"), "team_leader_inactive", WARNING, "team", "Checkout");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void teamWithNoLeaderIsAWarning(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("INSERT INTO team (id, team, tribe_id, department) VALUES (10, 'Onboarding', 2, 'Operations')");
            assertFindings(run(db, "team_without_leader"), "team_without_leader", WARNING, "team", "Onboarding");
        }
    }
}
