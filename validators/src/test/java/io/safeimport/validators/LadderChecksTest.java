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

/** Each ladder check fires on the dirty rows it is about, and only on them. */
class LadderChecksTest {

    private static final String KINDS = "io.safeimport.testing.TestDatabase#kinds";

    @ParameterizedTest
    @MethodSource(KINDS)
    void ladderWithNoAspectsYetIsAWarning(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("INSERT INTO ladder (id, ladder, title) VALUES (3, 'DATA', 'Data science')",
                    "INSERT INTO ladder_level (id, ladder_id, level, title) VALUES (10, 3, 1, 'Data Scientist I')");
            assertFindings(run(db, "ladder_without_aspects"), "ladder_without_aspects", WARNING, "ladder", "DATA");
            assertFindings(run(db, "ladder_without_levels"), "ladder_without_levels", WARNING, "ladder");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void ladderWithNoLevelsYetIsAWarning(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("INSERT INTO ladder (id, ladder, title) VALUES (3, 'PM', 'Product management')",
                    "INSERT INTO ladder_aspect (id, ladder_id, aspect) VALUES (10, 3, 'discovery')");
            assertFindings(run(db, "ladder_without_levels"), "ladder_without_levels", WARNING, "ladder", "PM");
            assertFindings(run(db, "ladder_without_aspects"), "ladder_without_aspects", WARNING, "ladder");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void aspectOfMissingLadderIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "INSERT INTO ladder_aspect (id, ladder_id, aspect) VALUES (10, 990, 'impact')");
            assertFindings(run(db, "aspect_ladder_missing"), "aspect_ladder_missing", ERROR, "ladder_aspect", "#990/impact");
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void levelOfMissingLadderIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            withoutForeignKeys(db, "INSERT INTO ladder_level (id, ladder_id, level, title) VALUES (10, 990, 2, 'Orphan')");
            assertFindings(run(db, "level_ladder_missing"), "level_ladder_missing", ERROR, "ladder_level", "#990/2");
            assertFindings(run(db, "level_numbering_gap"), "level_numbering_gap", ERROR, "ladder_level");
        }
    }

    /** DATA has levels 1, 2, 4 (a gap); PM starts at 2 (an offset): the misplaced levels are reported. */
    @ParameterizedTest
    @MethodSource(KINDS)
    void levelsNotNumberedOneToNWithoutGapsAreErrors(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("INSERT INTO ladder (id, ladder, title) VALUES (3, 'DATA', 'Data science'), (4, 'PM', 'Product')",
                    "INSERT INTO ladder_level (id, ladder_id, level, title) VALUES"
                            + " (10, 3, 1, 'DS I'), (11, 3, 2, 'DS II'), (12, 3, 4, 'Senior DS'),"
                            + " (13, 4, 2, 'PM'), (14, 4, 3, 'Senior PM')");
            List<Finding> findings = run(db, "level_numbering_gap");
            assertFindings(findings, "level_numbering_gap", ERROR, "ladder_level", "DATA/4", "PM/2", "PM/3");
            assertTrue(findings.stream().filter(f -> f.key().equals("DATA/4"))
                    .allMatch(f -> f.message().contains("numbered 1..3 without gaps")), findings::toString);
        }
    }

    @ParameterizedTest
    @MethodSource(KINDS)
    void payBandMinAboveMaxIsAnError(String kind) {
        try (TestDatabase db = cleanDatabase(kind)) {
            db.execute("UPDATE ladder_level SET pay_band_min = 90000 WHERE id = 2");
            withoutForeignKeys(db, "INSERT INTO ladder_level (id, ladder_id, level, pay_band_min, pay_band_max) VALUES (10, 990, 1, 10, 5)");
            List<Finding> findings = run(db, "level_pay_band_inverted");
            assertFindings(findings, "level_pay_band_inverted", ERROR, "ladder_level", "ENG/2", "#990/1");
            assertTrue(findings.stream().filter(f -> f.key().equals("ENG/2"))
                    .allMatch(f -> f.message().contains("90000.00 above pay_band_max 80000.00")), findings::toString);
        }
    }
}
