package io.safeimport.importers;

import static io.safeimport.importers.ImporterAssertions.assertChecksOf;
import static io.safeimport.importers.ImporterAssertions.assertRow;
import static io.safeimport.importers.ImporterAssertions.ordered;
import static io.safeimport.spi.CsvColumn.optional;
import static io.safeimport.spi.CsvColumn.required;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.spi.CsvLayout;
import io.safeimport.spi.ImportOptions;
import io.safeimport.spi.Ref;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code import ladders}: one file of ladders, aspects and levels; a row's kind is its {@code type}
 * cell or, without one, guessed from the cells it fills; {@code --ladders-only}, {@code --aspects-only}
 * and {@code --levels-only} import one kind (DESIGN.md §4).
 */
class LaddersImporterTest {
    private static final Ref ENG = Ref.to("ladder", "ENG");

    private final LaddersImporter importer = new LaddersImporter();

    private RecordingEmitter map(FakeCsvRow row, String only) {
        return RecordingEmitter.map(importer.layout(row.header(), new ImportOptions(false, false, only, false)), row);
    }

    private RecordingEmitter map(FakeCsvRow row) {
        return map(row, null);
    }

    private static FakeCsvRow typed(String type) {
        return FakeCsvRow.of("type", type, "ladder", "ENG", "aspect", "", "level", "", "title", "", "description", "",
                "pay_band_min", "", "pay_band_max", "");
    }

    @Test
    void layoutRequiresOnlyTheLadderAndWritesLaddersAspectsAndLevelsInThatOrder() {
        for (List<String> header : List.of(List.of("type", "ladder", "title"), List.of("ladder", "level", "title"))) {
            CsvLayout layout = importer.layout(header, ImportOptions.defaults());

            assertEquals("ladders", layout.kind());
            assertEquals(List.of(optional("type"), required("ladder"), optional("aspect"), optional("level"), optional("title"),
                    optional("description"), optional("pay_band_min"), optional("pay_band_max")), layout.columns());
            assertEquals(List.of("ladder", "ladder_aspect", "ladder_level"), layout.tables());
        }
    }

    @Test
    void ladderRowEmitsLadderWithTitleAndDescription() {
        RecordingEmitter out = map(typed("ladder").with("title", "Engineering", "description", "Builds things"));

        assertRow(out.only(), "ladder", ordered("ladder", "ENG"), Map.of("title", "Engineering", "description", "Builds things"), false);
    }

    @Test
    void ladderRowWithoutTitleIsRejectedAsRequired() {
        FakeCsvRow row = typed("ladder");

        RecordingEmitter out = map(row);

        assertEquals(List.of("title:required"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @Test
    void aspectRowEmitsAspectKeyedByLadderThenAspect() {
        RecordingEmitter out = map(typed("aspect").with("aspect", "craft", "title", "Craft", "description", "How well"));

        assertRow(out.only(), "ladder_aspect", ordered("ladder_id", ENG, "aspect", "craft"),
                Map.of("title", "Craft", "description", "How well"), false);
    }

    @Test
    void aspectRowNeedsNoTitleAndBlankCellsEmitNothing() {
        RecordingEmitter out = map(typed("aspect").with("aspect", "craft"));

        assertRow(out.only(), "ladder_aspect", ordered("ladder_id", ENG, "aspect", "craft"), Map.of(), false);
    }

    @Test
    void aspectRowWithoutAspectIsRejectedAndStillNamesItsLadder() {
        FakeCsvRow row = typed("aspect").with("title", "Craft");

        RecordingEmitter out = map(row);

        assertEquals(List.of("aspect:required"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
        assertEquals(List.of(new RecordingEmitter.References("ladder_aspect", Map.of("ladder_id", ENG))), out.references);
    }

    @Test
    void levelRowEmitsLevelKeyedByLadderThenNumberWithItsPayBand() {
        RecordingEmitter out = map(typed("level").with("level", "3", "title", "Senior", "description", "Leads work",
                "pay_band_min", "85000.00", "pay_band_max", "120000.5"));

        assertRow(out.only(), "ladder_level", ordered("ladder_id", ENG, "level", 3), Map.of(
                "title", "Senior", "description", "Leads work",
                "pay_band_min", new BigDecimal("85000.00"), "pay_band_max", new BigDecimal("120000.5")), false);
    }

    @Test
    void levelRowWithBlankOptionalCellsEmitsOnlyItsTitle() {
        RecordingEmitter out = map(typed("level").with("level", "1", "title", "Junior"));

        assertRow(out.only(), "ladder_level", ordered("ladder_id", ENG, "level", 1), Map.of("title", "Junior"), false);
    }

    @Test
    void levelRowWithoutLevelOrTitleIsRejectedForBothAndStillNamesItsLadder() {
        FakeCsvRow row = typed("level").with("pay_band_min", "100");

        RecordingEmitter out = map(row);

        assertEquals(List.of("level:required", "title:required"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
        assertEquals(List.of(new RecordingEmitter.References("ladder_level", Map.of("ladder_id", ENG))), out.references);
    }

    @ParameterizedTest(name = "level {0} -> {1}")
    @CsvSource({"0, out_of_range", "1001, out_of_range", "-2, out_of_range", "III, invalid_number", "2.5, invalid_number"})
    void levelThatIsNotAWholeNumberFromOneIsRejected(String level, String code) {
        FakeCsvRow row = typed("level").with("level", level, "title", "Senior");

        RecordingEmitter out = map(row);

        assertEquals(List.of("level:" + code), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @Test
    void payBandMinAboveMaxIsRejectedAsInverted() {
        FakeCsvRow row = typed("level").with("level", "3", "title", "Senior", "pay_band_min", "120000", "pay_band_max", "85000");

        RecordingEmitter out = map(row);

        assertEquals(List.of("pay_band_min:pay_band_inverted"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @Test
    void payBandThatIsNotAnAmountIsRejected() {
        FakeCsvRow row = typed("level").with("level", "3", "title", "Senior", "pay_band_max", "85,000");

        map(row);

        assertEquals(List.of("pay_band_max:invalid_number"), row.rejectionCodes());
    }

    @Test
    void typeCellWinsOverTheCellsARowFills() {
        RecordingEmitter out = map(typed("Ladder").with("aspect", "craft", "level", "3", "title", "Engineering"));

        assertRow(out.only(), "ladder", ordered("ladder", "ENG"), Map.of("title", "Engineering"), false);
    }

    @ParameterizedTest(name = "type {0}")
    @CsvSource({"LEVEL, ladder_level", "Aspect, ladder_aspect", "ladder, ladder"})
    void typeIsMatchedInAnyCase(String type, String table) {
        RecordingEmitter out = map(typed(type).with("aspect", "craft", "level", "2", "title", "Something"));

        assertEquals(table, out.only().table());
    }

    @Test
    void unknownTypeIsRejectedAndNothingIsGuessed() {
        FakeCsvRow row = typed("rung").with("level", "3", "title", "Senior");

        RecordingEmitter out = map(row);

        assertEquals(List.of("type:invalid_value"), row.rejectionCodes());
        assertTrue(out.silent());
    }

    @Test
    void withoutTypeColumnARowWithALevelIsALevel() {
        RecordingEmitter out = map(FakeCsvRow.of("ladder", "ENG", "aspect", "craft", "level", "2", "title", "Mid"));

        assertRow(out.only(), "ladder_level", ordered("ladder_id", ENG, "level", 2), Map.of("title", "Mid"), false);
    }

    @Test
    void withoutTypeColumnARowWithAnAspectAndNoLevelIsAnAspect() {
        RecordingEmitter out = map(FakeCsvRow.of("ladder", "ENG", "aspect", "craft", "level", "", "title", "Craft"));

        assertRow(out.only(), "ladder_aspect", ordered("ladder_id", ENG, "aspect", "craft"), Map.of("title", "Craft"), false);
    }

    @Test
    void withoutTypeColumnARowWithNeitherAspectNorLevelIsALadder() {
        RecordingEmitter out = map(FakeCsvRow.of("ladder", "ENG", "aspect", " ", "level", "", "title", "Engineering"));

        assertRow(out.only(), "ladder", ordered("ladder", "ENG"), Map.of("title", "Engineering"), false);
    }

    @Test
    void blankTypeCellIsGuessedFromTheFilledCells() {
        RecordingEmitter out = map(typed(" ").with("aspect", "craft"));

        assertRow(out.only(), "ladder_aspect", ordered("ladder_id", ENG, "aspect", "craft"), Map.of(), false);
    }

    @Test
    void blankLadderIsRejectedAsRequiredWhateverTheKind() {
        for (FakeCsvRow row : List.of(typed("ladder").with("ladder", "", "title", "Engineering"),
                FakeCsvRow.of("ladder", " ", "aspect", "craft"), FakeCsvRow.of("ladder", "", "level", "1", "title", "Junior"))) {
            RecordingEmitter out = map(row);

            assertEquals(List.of("ladder:required"), row.rejectionCodes());
            assertTrue(out.silent(), "no ladder, so no reference to name either");
        }
    }

    @ParameterizedTest(name = "--{0}s-only skips a {1} row")
    @CsvSource({"ladder, aspect", "ladder, level", "aspect, ladder", "aspect, level", "level, ladder", "level, aspect"})
    void onlyOptionSkipsRowsOfTheOtherKindsSayingWhy(String only, String kind) {
        FakeCsvRow row = typed(kind).with("aspect", "craft", "level", "2", "title", "Something");

        RecordingEmitter out = map(row, only);

        assertEquals(List.of(kind + " row (--" + only + "s-only)"), out.skipped);
        assertTrue(out.emitted.isEmpty());
        assertTrue(row.rejectionCodes().isEmpty());
    }

    @ParameterizedTest(name = "--{0}s-only imports a {0} row into {1}")
    @CsvSource({"ladder, ladder", "aspect, ladder_aspect", "level, ladder_level"})
    void onlyOptionImportsRowsOfItsKind(String only, String table) {
        RecordingEmitter out = map(typed(only).with("aspect", "craft", "level", "2", "title", "Something"), only);

        assertEquals(table, out.only().table());
        assertTrue(out.skipped.isEmpty());
    }

    @Test
    void onlyOptionAppliesToGuessedKinds() {
        RecordingEmitter out = map(FakeCsvRow.of("ladder", "ENG", "level", "2", "title", "Mid"), "ladder");

        assertEquals(List.of("level row (--ladders-only)"), out.skipped);
        assertTrue(out.emitted.isEmpty());
    }

    @Test
    void rowOfASkippedKindIsNotValidatedForThatKind() {
        // a ladder row without its title would be rejected; with --levels-only it is not imported at all
        FakeCsvRow row = typed("ladder");

        RecordingEmitter out = map(row, "level");

        assertEquals(List.of("ladder row (--levels-only)"), out.skipped);
        assertTrue(row.rejectionCodes().isEmpty());
    }

    @Test
    void checksAreThoseOfLaddersAspectsAndLevels() {
        assertChecksOf(importer, Set.of("ladder", "ladder_aspect", "ladder_level"),
                "aspect_ladder_missing", "level_ladder_missing", "level_numbering_gap", "level_pay_band_inverted");
    }
}
