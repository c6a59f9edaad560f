package io.safeimport.validators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.ReferenceSchema;
import io.safeimport.spi.Severity;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The registry: stable, unique codes; the right checks for a set of tables. */
class IntegrityChecksTest {

    private static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");

    @Test
    void codesAreUniqueAndSnakeCase() {
        Set<String> seen = new HashSet<>();
        for (IntegrityCheck check : IntegrityChecks.all()) {
            assertTrue(SNAKE_CASE.matcher(check.code()).matches(), () -> "not snake_case: " + check.code());
            assertTrue(seen.add(check.code()), () -> "duplicate code: " + check.code());
        }
    }

    /** Codes are a contract (reports, scripts and the before/after comparison of a run rely on them). */
    @Test
    void everyRuleOfDesignSection5HasItsStableCode() {
        Set<String> codes = IntegrityChecks.all().stream().map(IntegrityCheck::code).collect(Collectors.toSet());
        assertEquals(Set.of(
                "ladder_without_aspects", "ladder_without_levels", "aspect_ladder_missing", "level_ladder_missing",
                "level_numbering_gap", "level_pay_band_inverted",
                "chapter_organization_missing", "chapter_leader_missing", "chapter_leader_inactive",
                "tribe_organization_missing", "tribe_leader_missing", "tribe_leader_inactive",
                "team_tribe_missing", "team_without_department", "team_leader_missing", "team_leader_inactive",
                "team_without_leader",
                "user_missing_required_field", "user_incomplete", "user_duplicate_email", "user_team_missing",
                "user_chapter_missing", "user_level_missing", "user_manager_missing", "user_self_manager",
                "user_manager_cycle",
                "event_user_missing", "event_type_unknown", "event_level_missing", "event_team_missing",
                "event_before_hire",
                "compensation_snapshot_user_missing", "compensation_snapshot_event_missing",
                "seniority_snapshot_user_missing", "seniority_snapshot_event_missing", "seniority_snapshot_level_missing"),
                codes);
    }

    /** §5 names the oddities real data has; they are reported, never fail an import. */
    @Test
    void onlyTheOdditiesRealDataHasAreWarnings() {
        Set<String> warnings = IntegrityChecks.all().stream().filter(c -> c.severity() == Severity.WARNING)
                .map(IntegrityCheck::code).collect(Collectors.toSet());
        assertEquals(Set.of("ladder_without_aspects", "ladder_without_levels", "chapter_leader_inactive",
                "tribe_leader_inactive", "team_leader_inactive", "team_without_leader", "user_incomplete",
                "event_before_hire"), warnings);
    }

    @Test
    void everyCheckJudgesAReferenceTableAndDescribesItselfInOneSentence() {
        for (IntegrityCheck check : IntegrityChecks.all()) {
            ReferenceSchema.table(check.table());
            String d = check.description();
            assertTrue(Character.isUpperCase(d.charAt(0)) && d.endsWith("."), () -> check.code() + ": " + d);
            assertFalse(d.contains(". "), () -> check.code() + " has more than one sentence: " + d);
        }
    }

    @Test
    void allIsStableAndInTableDependencyOrder() {
        List<IntegrityCheck> all = IntegrityChecks.all();
        assertSame(all, IntegrityChecks.all());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(ReferenceSchema.order(all.get(i - 1).table()) <= ReferenceSchema.order(all.get(i).table()),
                    "out of order: " + all.get(i - 1) + " before " + all.get(i));
        }
        assertEquals("ladder_without_aspects", all.get(0).code());
    }

    @Test
    void forTablesKeepsTheChecksOfThoseTablesInTheSameOrder() {
        List<IntegrityCheck> expected = IntegrityChecks.all().stream()
                .filter(c -> c.table().equals("team") || c.table().equals("app_user")).toList();
        assertEquals(expected, IntegrityChecks.forTables(List.of("app_user", "team")));
        assertTrue(expected.stream().anyMatch(c -> c.code().equals("user_manager_cycle")));
        assertTrue(expected.stream().anyMatch(c -> c.code().equals("team_without_department")));
        assertEquals(List.of(), IntegrityChecks.forTables(List.of()));
        assertEquals(IntegrityChecks.all(), IntegrityChecks.forTables(
                ReferenceSchema.tables().stream().map(t -> t.name()).toList()));
    }

    @Test
    void forTablesRejectsANameThatIsNotAReferenceTable() {
        assertThrows(IllegalArgumentException.class, () -> IntegrityChecks.forTables(List.of("teams")));
    }
}
