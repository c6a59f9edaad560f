package io.safeimport.importers;

import static io.safeimport.importers.ImporterAssertions.assertChecksOf;
import static io.safeimport.importers.ImporterAssertions.assertRow;
import static io.safeimport.importers.ImporterAssertions.ordered;
import static io.safeimport.spi.CsvColumn.optional;
import static io.safeimport.spi.CsvColumn.required;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.spi.CsvLayout;
import io.safeimport.spi.ImportOptions;
import io.safeimport.spi.Ref;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code import org}: the file kind comes from the first header column, and each kind's rows become
 * organization, chapter, tribe or team rows pointing at their parent and leader (DESIGN.md §4).
 */
class OrgImporterTest {
    private static final ImportOptions CREATE_USERS = new ImportOptions(false, true, null, false);

    private static final FakeCsvRow TEAM = FakeCsvRow.of("team", "Payments", "tribe", "Money", "department", "Engineering",
            "leader_email", "Lead@Example.COM", "description", "Pays people");

    private final OrgImporter importer = new OrgImporter();

    private RecordingEmitter map(FakeCsvRow row, ImportOptions options) {
        return RecordingEmitter.map(importer.layout(row.header(), options), row);
    }

    private RecordingEmitter map(FakeCsvRow row) {
        return map(row, ImportOptions.defaults());
    }

    @Test
    void organizationHeaderReadsOrganizations() {
        CsvLayout layout = importer.layout(List.of("organization", "description"), ImportOptions.defaults());

        assertEquals("organizations", layout.kind());
        assertEquals(List.of(required("organization"), optional("description")), layout.columns());
        assertEquals(List.of("organization"), layout.tables());
    }

    @Test
    void chapterHeaderReadsChaptersOfAnOrganization() {
        CsvLayout layout = importer.layout(List.of("chapter", "organization", "leader_email", "description"), ImportOptions.defaults());

        assertEquals("chapters", layout.kind());
        assertEquals(List.of(required("chapter"), required("organization"), optional("leader_email"), optional("description")),
                layout.columns());
        assertEquals(List.of("chapter"), layout.tables());
    }

    @Test
    void tribeHeaderReadsTribesOfAnOrganization() {
        CsvLayout layout = importer.layout(List.of("tribe", "organization"), ImportOptions.defaults());

        assertEquals("tribes", layout.kind());
        assertEquals(List.of(required("tribe"), required("organization"), optional("leader_email"), optional("description")),
                layout.columns());
        assertEquals(List.of("tribe"), layout.tables());
    }

    @Test
    void teamHeaderReadsTeamsOfATribeWithTheirDepartment() {
        CsvLayout layout = importer.layout(List.of("team", "tribe", "department"), ImportOptions.defaults());

        assertEquals("teams", layout.kind());
        assertEquals(List.of(required("team"), required("tribe"), required("department"), optional("leader_email"),
                optional("description")), layout.columns());
        assertEquals(List.of("team"), layout.tables());
    }

    @Test
    void onlyTheFirstHeaderColumnDecidesTheKind() {
        assertEquals("organizations", importer.layout(List.of("organization", "chapter"), ImportOptions.defaults()).kind());
        assertEquals("chapters", importer.layout(List.of("chapter", "organization"), ImportOptions.defaults()).kind());
        assertEquals("teams", importer.layout(List.of("team", "tribe", "department"), ImportOptions.defaults()).kind());
        assertEquals("tribes", importer.layout(List.of("tribe", "team"), ImportOptions.defaults()).kind());
    }

    @Test
    void createUsersAddsUsersBeforeTheUnitTableToWhatAChapterTribeOrTeamFileWrites() {
        assertEquals(List.of("app_user", "chapter"), importer.layout(List.of("chapter", "organization"), CREATE_USERS).tables());
        assertEquals(List.of("app_user", "tribe"), importer.layout(List.of("tribe", "organization"), CREATE_USERS).tables());
        assertEquals(List.of("app_user", "team"), importer.layout(List.of("team", "tribe", "department"), CREATE_USERS).tables());
        assertEquals(List.of("organization"), importer.layout(List.of("organization"), CREATE_USERS).tables(),
                "organizations have no leader");
    }

    @Test
    void unknownFirstHeaderIsRejectedNamingItAndTheKindsExpected() {
        SafeImportException e = assertThrows(SafeImportException.class,
                () -> importer.layout(List.of("email", "first_name", "last_name"), ImportOptions.defaults()));

        assertEquals(ExitCode.REJECTED, e.exitCode());
        assertEquals("cannot tell what this org file holds: its first column is 'email' but must be organization, chapter, tribe"
                + " or team (see DESIGN.md §4 for the headers)", e.getMessage());
    }

    @Test
    void kindNamedLaterThanTheFirstHeaderColumnIsStillRejected() {
        SafeImportException e = assertThrows(SafeImportException.class,
                () -> importer.layout(List.of("description", "organization"), ImportOptions.defaults()));

        assertEquals(ExitCode.REJECTED, e.exitCode());
        assertTrue(e.getMessage().contains("its first column is 'description'"), e.getMessage());
    }

    @Test
    void emptyHeaderIsRejected() {
        SafeImportException e = assertThrows(SafeImportException.class, () -> importer.layout(List.of(), ImportOptions.defaults()));

        assertEquals(ExitCode.REJECTED, e.exitCode());
        assertTrue(e.getMessage().contains("its first column is ''"), e.getMessage());
    }

    @Test
    void organizationRowEmitsOrganizationWithItsDescription() {
        RecordingEmitter out = map(FakeCsvRow.of("organization", " Acme ", "description", "The company"));

        assertRow(out.only(), "organization", ordered("organization", "Acme"), Map.of("description", "The company"), false);
    }

    @Test
    void organizationRowWithBlankDescriptionEmitsNoDescription() {
        RecordingEmitter out = map(FakeCsvRow.of("organization", "Acme", "description", " "));

        assertRow(out.only(), "organization", ordered("organization", "Acme"), Map.of(), false);
    }

    @Test
    void organizationRowWithBlankNameIsRejectedAsRequired() {
        FakeCsvRow row = FakeCsvRow.of("organization", "", "description", "The company");

        RecordingEmitter out = map(row);

        assertEquals(List.of("organization:required"), row.rejectionCodes());
        assertTrue(out.silent());
    }

    @Test
    void chapterRowPointsAtItsOrganizationAndLowerCasedLeader() {
        RecordingEmitter out = map(FakeCsvRow.of("chapter", "Backend", "organization", "Acme", "leader_email", "Chief@Example.COM",
                "description", "Server people"));

        assertRow(out.only(), "chapter", ordered("chapter", "Backend"), Map.of(
                "organization_id", Ref.to("organization", "Acme"),
                "leader_id", Ref.to("app_user", "chief@example.com"),
                "description", "Server people"), false);
    }

    @Test
    void tribeRowPointsAtItsOrganizationAndLowerCasedLeader() {
        RecordingEmitter out = map(FakeCsvRow.of("tribe", "Money", "organization", "Acme", "leader_email", "Chief@Example.COM"));

        assertRow(out.only(), "tribe", ordered("tribe", "Money"), Map.of(
                "organization_id", Ref.to("organization", "Acme"),
                "leader_id", Ref.to("app_user", "chief@example.com")), false);
    }

    @Test
    void teamRowPointsAtItsTribeAndLeaderAndKeepsItsDepartment() {
        RecordingEmitter out = map(TEAM);

        assertRow(out.only(), "team", ordered("team", "Payments"), Map.of(
                "tribe_id", Ref.to("tribe", "Money"),
                "department", "Engineering",
                "leader_id", Ref.to("app_user", "lead@example.com"),
                "description", "Pays people"), false);
    }

    @Test
    void blankLeaderAndDescriptionEmitNothingSoTheyNeverErase() {
        RecordingEmitter out = map(TEAM.with("leader_email", "", "description", "  "));

        assertRow(out.only(), "team", ordered("team", "Payments"), Map.of(
                "tribe_id", Ref.to("tribe", "Money"),
                "department", "Engineering"), false);
    }

    @ParameterizedTest(name = "blank {0}")
    @ValueSource(strings = {"team", "tribe", "department"})
    void teamRowWithABlankRequiredCellIsRejectedAsRequired(String column) {
        FakeCsvRow row = TEAM.with(column, "");

        RecordingEmitter out = map(row);

        assertEquals(List.of(column + ":required"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @ParameterizedTest(name = "blank {0}")
    @ValueSource(strings = {"chapter", "organization"})
    void chapterRowWithABlankRequiredCellIsRejectedAsRequired(String column) {
        FakeCsvRow row = FakeCsvRow.of("chapter", "Backend", "organization", "Acme").with(column, " ");

        RecordingEmitter out = map(row);

        assertEquals(List.of(column + ":required"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
    }

    @Test
    void malformedLeaderEmailIsRejectedAndOnlyTheParentIsNamed() {
        FakeCsvRow row = TEAM.with("leader_email", "lead at example");

        RecordingEmitter out = map(row);

        assertEquals(List.of("leader_email:invalid_email"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
        assertEquals(List.of(new RecordingEmitter.References("team", Map.of("tribe_id", Ref.to("tribe", "Money")))), out.references);
    }

    @Test
    void rejectedRowStillNamesItsParentAndLeader() {
        FakeCsvRow row = TEAM.with("department", "");

        RecordingEmitter out = map(row);

        assertEquals(List.of(new RecordingEmitter.References("team", Map.of(
                "tribe_id", Ref.to("tribe", "Money"),
                "leader_id", Ref.to("app_user", "lead@example.com")))), out.references);
    }

    @Test
    void createUsersEmitsTheLeaderAsAnInsertOnlyUserWithOnlyAnEmailBeforeTheUnit() {
        RecordingEmitter out = map(TEAM, CREATE_USERS);

        assertEquals(2, out.emitted.size());
        assertRow(out.emitted.get(0), "app_user", ordered("email", "lead@example.com"), Map.of(), true);
        assertRow(out.emitted.get(1), "team", ordered("team", "Payments"), Map.of(
                "tribe_id", Ref.to("tribe", "Money"),
                "department", "Engineering",
                "leader_id", Ref.to("app_user", "lead@example.com"),
                "description", "Pays people"), false);
    }

    @Test
    void createUsersWithoutALeaderCreatesNoUser() {
        RecordingEmitter out = map(FakeCsvRow.of("chapter", "Backend", "organization", "Acme", "leader_email", ""), CREATE_USERS);

        assertRow(out.only(), "chapter", ordered("chapter", "Backend"), Map.of("organization_id", Ref.to("organization", "Acme")), false);
    }

    @Test
    void withoutCreateUsersTheLeaderIsOnlyAReference() {
        RecordingEmitter out = map(FakeCsvRow.of("tribe", "Money", "organization", "Acme", "leader_email", "chief@example.com"));

        assertEquals(List.of("tribe"), out.emitted.stream().map(r -> r.table()).toList());
    }

    @Test
    void createUsersOnARejectedRowCreatesNoUserAndDoesNotNameTheLeaderAsMissing() {
        FakeCsvRow row = TEAM.with("tribe", "");

        RecordingEmitter out = map(row, CREATE_USERS);

        assertEquals(List.of("tribe:required"), row.rejectionCodes());
        assertTrue(out.emitted.isEmpty());
        assertEquals(List.of(new RecordingEmitter.References("team", Map.of())), out.references,
                "with --create-users an unknown leader would be created, so it is not a reference to check");
    }

    @Test
    void checksAreThoseOfTheOrgTablesAndOfUsers() {
        assertChecksOf(importer, Set.of("organization", "chapter", "tribe", "team", "app_user"),
                "team_without_department", "team_without_leader", "user_duplicate_email");
    }
}
