package io.safeimport.validators;

import static io.safeimport.validators.CheckFixture.check;
import static io.safeimport.validators.CheckFixture.cleanDatabase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.testing.TestDatabase;
import io.safeimport.validators.checks.HistoryChecks;
import io.safeimport.validators.checks.LadderChecks;
import io.safeimport.validators.checks.OrgChecks;
import io.safeimport.validators.checks.UserChecks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * The four groups of checks, as each builds them afresh (the registry builds them once): each
 * judges only the tables its documentation names, together they are exactly the registry's checks
 * with the same declarations, and every one of them runs, quietly, on clean data.
 */
class CheckGroupsTest {

    private static final Map<String, Set<String>> TABLES = Map.of(
            "ladder", Set.of("ladder", "ladder_aspect", "ladder_level"),
            "org", Set.of("chapter", "tribe", "team"),
            "user", Set.of("app_user"),
            "history", Set.of("timeline_event", "compensation_snapshot", "seniority_snapshot"));

    private static Map<String, List<IntegrityCheck>> groups() {
        return Map.of("ladder", LadderChecks.all(), "org", OrgChecks.all(), "user", UserChecks.all(), "history", HistoryChecks.all());
    }

    @Test
    void theGroupsTogetherAreTheRegistryEachOnItsOwnTables() {
        Set<String> codes = new HashSet<>();
        groups().forEach((group, checks) -> {
            assertFalse(checks.isEmpty(), group);
            for (IntegrityCheck c : checks) {
                assertTrue(TABLES.get(group).contains(c.table()), () -> group + " has " + c);
                assertTrue(codes.add(c.code()), () -> "in two groups: " + c.code());
                IntegrityCheck registered = check(c.code());
                assertEquals(registered.severity(), c.severity(), c.code());
                assertEquals(registered.table(), c.table(), c.code());
                assertEquals(registered.description(), c.description(), c.code());
                assertEquals(registered.foreignKeyColumn(), c.foreignKeyColumn(), c.code());
                assertEquals(registered.rowFilter() == null, c.rowFilter() == null, c.code());
            }
        });
        assertEquals(IntegrityChecks.all().stream().map(IntegrityCheck::code).collect(Collectors.toSet()), codes);
    }

    /** Every freshly built check's SQL runs on the migrated schema and finds nothing wrong with clean data. */
    @Test
    void everyFreshlyBuiltCheckRunsQuietlyOnCleanData() {
        try (TestDatabase db = cleanDatabase(TestDatabase.H2); Handle h = db.database().open()) {
            int ran = 0;
            for (List<IntegrityCheck> checks : groups().values()) {
                for (IntegrityCheck c : checks) {
                    List<Finding> findings = new ArrayList<>();
                    c.run(h, db.database().dialect(), findings::add);
                    assertEquals(List.of(), findings, c.code());
                    ran++;
                }
            }
            assertEquals(IntegrityChecks.all().size(), ran);
        }
    }
}
