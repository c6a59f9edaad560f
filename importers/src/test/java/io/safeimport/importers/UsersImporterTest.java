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
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code import users}: how one users.csv row becomes an {@code app_user} row (DESIGN.md §4), without a database. */
class UsersImporterTest {
    private static final List<String> HEADER = List.of("email", "first_name", "last_name", "title", "team", "chapter",
            "ladder", "level", "manager_email", "hired_on", "active");

    /** A valid row with the required cells only. */
    private static final FakeCsvRow ANN = FakeCsvRow.of("email", "ann@example.com", "first_name", "Ann", "last_name", "Lee");

    private final UsersImporter importer = new UsersImporter();

    private CsvLayout layout() {
        return importer.layout(HEADER, ImportOptions.defaults());
    }

    private RecordingEmitter map(FakeCsvRow row) {
        return RecordingEmitter.map(importer.layout(row.header(), ImportOptions.defaults()), row);
    }

    @Test
    void layoutRequiresEmailAndNamesAndWritesOnlyUsers() {
        CsvLayout layout = layout();
        assertEquals("users", layout.kind());
        assertEquals(List.of(required("email"), required("first_name"), required("last_name"), optional("title"),
                optional("team"), optional("chapter"), optional("ladder"), optional("level"), optional("manager_email"),
                optional("hired_on"), optional("active")), layout.columns());
        assertEquals(List.of("app_user"), layout.tables());
    }

    @Test
    void fullRowEmitsUserKeyedByLowerCasedEmailWithEveryValueAndReference() {
        RecordingEmitter out = map(FakeCsvRow.of("email", " Ann.Lee@Example.COM ", "first_name", "Ann", "last_name", "Lee",
                "title", "Staff Engineer", "team", "Payments", "chapter", "Backend", "ladder", "ENG", "level", "3",
                "manager_email", "Boss@Example.com", "hired_on", "2021-04-01", "active", "no"));

        assertRow(out.only(), "app_user", ordered("email", "ann.lee@example.com"),
                Map.of("first_name", "Ann", "last_name", "Lee", "title", "Staff Engineer",
                        "team_id", Ref.to("team", "Payments"),
                        "chapter_id", Ref.to("chapter", "Backend"),
                        "level_id", Ref.to("ladder_level", Ref.to("ladder", "ENG"), 3),
                        "manager_id", Ref.to("app_user", "boss@example.com"),
                        "hired_on", LocalDate.of(2021, 4, 1),
                        "active", Boolean.FALSE),
                false);
        assertTrue(out.skipped.isEmpty() && out.references.isEmpty(), "a valid row only emits");
    }

    @Test
    void blankOptionalCellsEmitNoValueSoTheyNeverErase() {
        RecordingEmitter out = map(ANN.with("title", "", "team", "  ", "chapter", "", "ladder", "", "level", " ",
                "manager_email", "", "hired_on", "", "active", ""));

        assertRow(out.only(), "app_user", ordered("email", "ann@example.com"),
                Map.of("first_name", "Ann", "last_name", "Lee"), false);
    }

    @Test
    void optionalColumnsLeftOutOfTheHeaderEmitNoValue() {
        RecordingEmitter out = map(FakeCsvRow.of("last_name", "Lee", "email", "ann@example.com", "first_name", "Ann"));

        assertRow(out.only(), "app_user", ordered("email", "ann@example.com"),
                Map.of("first_name", "Ann", "last_name", "Lee"), false);
    }

    @ParameterizedTest(name = "blank {0}")
    @ValueSource(strings = {"email", "first_name", "last_name"})
    void blankRequiredCellRejectsTheRowAndEmitsNothing(String column) {
        FakeCsvRow row = ANN.with(column, " ");

        RecordingEmitter out = map(row);

        assertEquals(List.of(column + ":required"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @Test
    void rowWithItsRequiredCellsOnlyIsEmitted() {
        RecordingEmitter out = map(ANN);

        assertRow(out.only(), "app_user", ordered("email", "ann@example.com"), Map.of("first_name", "Ann", "last_name", "Lee"), false);
    }

    @Test
    void malformedEmailIsRejectedAsInvalidEmail() {
        FakeCsvRow row = ANN.with("email", "ann.example.com");

        RecordingEmitter out = map(row);

        assertEquals(List.of("email:invalid_email"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @Test
    void malformedManagerEmailIsRejectedAndNotNamedAsAReference() {
        FakeCsvRow row = ANN.with("team", "Payments", "manager_email", "boss at example");

        RecordingEmitter out = map(row);

        assertEquals(List.of("manager_email:invalid_email"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
        assertEquals(List.of(new RecordingEmitter.References("app_user", Map.of("team_id", Ref.to("team", "Payments")))),
                out.references);
    }

    @Test
    void userNamedAsTheirOwnManagerInAnotherCaseIsRejectedWithoutNamingTheManager() {
        FakeCsvRow row = ANN.with("email", "Ann@Example.com", "chapter", "Backend", "manager_email", "ANN@example.COM");

        RecordingEmitter out = map(row);

        assertEquals(List.of("manager_email:self_manager"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
        assertEquals(List.of(new RecordingEmitter.References("app_user", Map.of("chapter_id", Ref.to("chapter", "Backend")))),
                out.references, "the self-reference is explained by the row's own error, so it is left out");
    }

    @Test
    void rejectedRowStillNamesEveryReferenceOfItsValidCells() {
        FakeCsvRow row = ANN.with("team", "Payments", "chapter", "Backend", "ladder", "ENG", "level", "2",
                "manager_email", "Boss@Example.com", "hired_on", "2021-02-30");

        RecordingEmitter out = map(row);

        assertEquals(List.of("hired_on:invalid_date"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
        assertEquals(List.of(new RecordingEmitter.References("app_user", Map.of(
                "team_id", Ref.to("team", "Payments"),
                "chapter_id", Ref.to("chapter", "Backend"),
                "level_id", Ref.to("ladder_level", Ref.to("ladder", "ENG"), 2),
                "manager_id", Ref.to("app_user", "boss@example.com")))), out.references);
    }

    @Test
    void levelWithoutLadderIsRejectedAsLadderRequired() {
        FakeCsvRow row = ANN.with("ladder", "", "level", "3");

        RecordingEmitter out = map(row);

        assertEquals(List.of("ladder:ladder_required"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @Test
    void ladderWithoutLevelIsRejectedAsLevelRequired() {
        FakeCsvRow row = ANN.with("ladder", "ENG", "level", "");

        RecordingEmitter out = map(row);

        assertEquals(List.of("level:level_required"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @ParameterizedTest(name = "level {0} -> {1}")
    @CsvSource({"0, out_of_range", "1001, out_of_range", "three, invalid_number"})
    void levelThatIsNotANumberFromOneIsRejectedOnceOnLevel(String level, String code) {
        FakeCsvRow row = ANN.with("ladder", "ENG", "level", level);

        map(row);

        assertEquals(List.of("level:" + code), row.rejectionCodes());
    }

    @Test
    void overlongLadderWithALevelIsRejectedOnlyForItsLength() {
        FakeCsvRow row = ANN.with("ladder", "E".repeat(101), "level", "3");

        map(row);

        assertEquals(List.of("ladder:too_long"), row.rejectionCodes());
    }

    @ParameterizedTest(name = "active {0} -> {1}")
    @CsvSource({"YES, true", "1, true", "True, true", "no, false", "0, false", "FALSE, false"})
    void activeAcceptsTheDocumentedBooleansInAnyCase(String cell, boolean expected) {
        RecordingEmitter out = map(ANN.with("active", cell));

        assertEquals(expected, out.only().values().get("active"));
    }

    @Test
    void activeThatIsNotABooleanIsRejected() {
        FakeCsvRow row = ANN.with("active", "maybe");

        RecordingEmitter out = map(row);

        assertEquals(List.of("active:invalid_boolean"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @Test
    void checksAreThoseOfTheUsersTable() {
        assertChecksOf(importer, Set.of("app_user"), "user_duplicate_email", "user_self_manager", "user_missing_required_field");
    }
}
