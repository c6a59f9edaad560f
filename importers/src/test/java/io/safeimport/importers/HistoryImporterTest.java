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
import io.safeimport.spi.TargetRow;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code import history}: each row is a timeline event keyed by (user, event_type, effective_date);
 * a salary adds a compensation snapshot and a ladder+level a seniority snapshot, both pointing at
 * the event (DESIGN.md §4).
 */
class HistoryImporterTest {
    private static final ImportOptions UPDATE_EXISTING = new ImportOptions(false, false, null, true);
    private static final Ref ANN = Ref.to("app_user", "ann@example.com");
    private static final LocalDate DATE = LocalDate.of(2023, 3, 1);
    private static final Ref ENG_3 = Ref.to("ladder_level", Ref.to("ladder", "ENG"), 3);
    /** The event of {@link #PROMOTION}, as its snapshots name it. */
    private static final Ref PROMOTION_EVENT = Ref.to("timeline_event", ANN, "promotion", DATE);

    /** A promotion with the required cells only; every other column of the header is blank. */
    private static final FakeCsvRow PROMOTION = FakeCsvRow.of("email", "Ann@Example.COM", "event_type", "promotion",
            "effective_date", "2023-03-01", "summary", "", "ladder", "", "level", "", "title", "", "team", "", "salary", "",
            "currency", "", "pay_band", "");

    private final HistoryImporter importer = new HistoryImporter();

    private RecordingEmitter map(FakeCsvRow row, ImportOptions options) {
        return RecordingEmitter.map(importer.layout(row.header(), options), row);
    }

    private RecordingEmitter map(FakeCsvRow row) {
        return map(row, ImportOptions.defaults());
    }

    private static Map<String, Object> eventKey(Ref user, String type, LocalDate date) {
        return ordered("user_id", user, "event_type", type, "effective_date", date);
    }

    @Test
    void layoutRequiresEmailEventTypeAndDateAndWritesEventsThenSnapshots() {
        CsvLayout layout = importer.layout(PROMOTION.header(), ImportOptions.defaults());

        assertEquals("history", layout.kind());
        assertEquals(List.of(required("email"), required("event_type"), required("effective_date"), optional("summary"),
                optional("ladder"), optional("level"), optional("title"), optional("team"), optional("salary"),
                optional("currency"), optional("pay_band")), layout.columns());
        assertEquals(List.of("timeline_event", "compensation_snapshot", "seniority_snapshot"), layout.tables());
    }

    @Test
    void rowWithoutSalaryOrLevelEmitsOnlyAnInsertOnlyEventOfTheLowerCasedUser() {
        RecordingEmitter out = map(PROMOTION.with("summary", "Promoted", "title", "Lead", "team", "Payments"));

        assertRow(out.only(), "timeline_event", eventKey(ANN, "promotion", DATE),
                Map.of("summary", "Promoted", "title", "Lead", "team_id", Ref.to("team", "Payments")), true);
        assertTrue(out.skipped.isEmpty() && out.references.isEmpty());
    }

    @Test
    void blankOptionalCellsEmitNoValue() {
        RecordingEmitter out = map(PROMOTION);

        assertRow(out.only(), "timeline_event", eventKey(ANN, "promotion", DATE), Map.of(), true);
    }

    @Test
    void salaryAddsACompensationSnapshotPointingAtTheEvent() {
        RecordingEmitter out = map(PROMOTION.with("salary", "85000.50", "currency", "eur", "pay_band", "B3"));

        assertEquals(2, out.emitted.size());
        assertRow(out.emitted.get(0), "timeline_event", eventKey(ANN, "promotion", DATE),
                Map.of("salary", new BigDecimal("85000.50"), "currency", "EUR", "pay_band", "B3"), true);
        assertRow(out.emitted.get(1), "compensation_snapshot", ordered("event_id", PROMOTION_EVENT),
                Map.of("user_id", ANN, "effective_date", DATE, "salary", new BigDecimal("85000.50"), "currency", "EUR",
                        "pay_band", "B3"), true);
    }

    @Test
    void salaryWithoutCurrencyOrPayBandMakesASnapshotWithTheSalaryOnly() {
        RecordingEmitter out = map(PROMOTION.with("salary", "85000"));

        assertRow(out.emitted.get(1), "compensation_snapshot", ordered("event_id", PROMOTION_EVENT),
                Map.of("user_id", ANN, "effective_date", DATE, "salary", new BigDecimal("85000")), true);
    }

    @Test
    void ladderAndLevelAddASenioritySnapshotPointingAtTheEvent() {
        RecordingEmitter out = map(PROMOTION.with("ladder", "ENG", "level", "3"));

        assertEquals(2, out.emitted.size());
        assertRow(out.emitted.get(0), "timeline_event", eventKey(ANN, "promotion", DATE), Map.of("level_id", ENG_3), true);
        assertRow(out.emitted.get(1), "seniority_snapshot", ordered("event_id", PROMOTION_EVENT),
                Map.of("user_id", ANN, "effective_date", DATE, "level_id", ENG_3), true);
    }

    @Test
    void salaryAndLevelMakeTheEventThenBothSnapshots() {
        RecordingEmitter out = map(PROMOTION.with("ladder", "ENG", "level", "3", "salary", "90000", "currency", "USD"));

        assertEquals(List.of("timeline_event", "compensation_snapshot", "seniority_snapshot"),
                out.emitted.stream().map(TargetRow::table).toList());
    }

    @Test
    void snapshotsPointAtTheEventTheRowEmitsByItsWholeKey() {
        RecordingEmitter out = map(PROMOTION.with("event_type", "Level_Change", "effective_date", "2020-12-31",
                "ladder", "ENG", "level", "3", "salary", "90000"));

        TargetRow event = out.emitted.get(0);
        Ref eventRef = new Ref("timeline_event", new ArrayList<>(event.key().values()));
        assertEquals(Ref.to("timeline_event", ANN, "level_change", LocalDate.of(2020, 12, 31)), eventRef);
        for (TargetRow snapshot : out.emitted.subList(1, 3)) {
            assertEquals(Map.of("event_id", eventRef), snapshot.key(), snapshot.table());
            assertEquals(ANN, snapshot.values().get("user_id"), snapshot.table());
            assertEquals(LocalDate.of(2020, 12, 31), snapshot.values().get("effective_date"), snapshot.table());
        }
    }

    @Test
    void updateExistingMakesTheEventAndItsSnapshotsUpdatable() {
        RecordingEmitter out = map(PROMOTION.with("ladder", "ENG", "level", "3", "salary", "90000"), UPDATE_EXISTING);

        assertEquals(3, out.emitted.size());
        for (TargetRow row : out.emitted) {
            assertEquals(false, row.insertOnly(), row.table());
        }
    }

    @Test
    void byDefaultTheEventAndItsSnapshotsAreInsertOnly() {
        RecordingEmitter out = map(PROMOTION.with("ladder", "ENG", "level", "3", "salary", "90000"));

        assertEquals(3, out.emitted.size());
        for (TargetRow row : out.emitted) {
            assertEquals(true, row.insertOnly(), row.table());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hire", "promotion", "level_change", "title_change", "team_change", "compensation_change", "departure"})
    void everyDocumentedEventTypeIsAcceptedInAnyCase(String type) {
        RecordingEmitter out = map(PROMOTION.with("event_type", type.toUpperCase(java.util.Locale.ROOT)));

        assertEquals(type, out.only().key().get("event_type"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"raise", "promoted", "hire date"})
    void undocumentedEventTypeIsRejectedAsInvalidValue(String type) {
        FakeCsvRow row = PROMOTION.with("event_type", type);

        RecordingEmitter out = map(row);

        assertEquals(List.of("event_type:invalid_value"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @ParameterizedTest(name = "blank {0}")
    @ValueSource(strings = {"email", "event_type", "effective_date"})
    void blankRequiredCellIsRejectedAsRequired(String column) {
        FakeCsvRow row = PROMOTION.with(column, "  ", "salary", "85000", "ladder", "ENG", "level", "3");

        RecordingEmitter out = map(row);

        assertEquals(List.of(column + ":required"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty(), "no event, so no snapshot either");
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource({"email, ann.example.com, invalid_email", "effective_date, 01/03/2023, invalid_date",
            "effective_date, 2023-02-29, invalid_date", "salary, '85,000', invalid_number", "salary, -1, invalid_number",
            "currency, EURO, invalid_currency"})
    void malformedCellIsRejectedWithItsCode(String column, String value, String code) {
        FakeCsvRow row = PROMOTION.with("salary", "85000").with(column, value);

        RecordingEmitter out = map(row);

        assertEquals(List.of(column + ":" + code), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @Test
    void currencyWithoutSalaryIsRejectedOnSalary() {
        FakeCsvRow row = PROMOTION.with("currency", "EUR");

        RecordingEmitter out = map(row);

        assertEquals(List.of("salary:salary_required"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @Test
    void levelWithoutLadderIsRejectedAsLadderRequired() {
        FakeCsvRow row = PROMOTION.with("level", "3");

        RecordingEmitter out = map(row);

        assertEquals(List.of("ladder:ladder_required"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @Test
    void ladderWithoutLevelIsRejectedAsLevelRequired() {
        FakeCsvRow row = PROMOTION.with("ladder", "ENG");

        RecordingEmitter out = map(row);

        assertEquals(List.of("level:level_required"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @Test
    void rejectedRowStillNamesItsUserLevelAndTeam() {
        FakeCsvRow row = PROMOTION.with("effective_date", "2023-13-01", "ladder", "ENG", "level", "3", "team", "Payments",
                "salary", "90000");

        RecordingEmitter out = map(row);

        assertEquals(List.of("effective_date:invalid_date"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
        assertEquals(List.of(new RecordingEmitter.References("timeline_event", Map.of(
                "user_id", ANN, "level_id", ENG_3, "team_id", Ref.to("team", "Payments")))), out.references);
    }

    @Test
    void currencyWithoutSalaryIsReportedAlongWithTheRowsOtherErrors() {
        FakeCsvRow row = PROMOTION.with("effective_date", "2023-13-01", "currency", "EUR");

        map(row);

        assertEquals(List.of("effective_date:invalid_date", "salary:salary_required"), row.rejectionCodes());
    }

    @Test
    void checksAreThoseOfEventsAndSnapshots() {
        assertChecksOf(importer, Set.of("timeline_event", "compensation_snapshot", "seniority_snapshot"),
                "event_type_unknown", "event_user_missing", "event_before_hire", "seniority_snapshot_level_missing");
    }
}
