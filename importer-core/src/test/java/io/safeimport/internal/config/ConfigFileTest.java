package io.safeimport.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.spi.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code safeimport.yml}: the model, and every fault of the file as a usage error naming its line. */
class ConfigFileTest {
    /** A config that fits {@code ForeignSchemas}' tables (also used by {@link ConfigCheckTest}). */
    static final String USABLE = """
            importers:
              teams:
                table: accounts_team
                key: [name]
                columns:
                  name: name
              people:
                table: accounts_user
                key: [email]
                columns:
                  Email: {column: email, format: email, required: true}
                  full_name: full_name
                  team: {column: team_id, ref: accounts_team.name}
                  manager_email: {column: manager_id, ref: accounts_user.email}
                  kind: kind
                checks:
                  - code: people_without_name
                    severity: warning
                    sql: SELECT email FROM accounts_user WHERE full_name IS NULL
              jobs:
                table: jobs
                key: [job_id]
                columns:
                  job_id: job_id
                  job_title: job_title
                  max_salary: max_salary
              job_history:
                table: job_history
                key: [employee_id, start_date]
                columns:
                  employee_id: employee_id
                  start_date: start_date
                  end_date: end_date
                  job: {column: job_id, ref: jobs.job_id}
            order: [jobs, teams, people, job_history]
            """;

    @TempDir
    Path dir;

    private Path file(String text) {
        try {
            return Files.writeString(dir.resolve("safeimport.yml"), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> problems(String text) {
        Path f = file(text);
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> ConfigFile.read(f));
        assertEquals(ExitCode.USAGE, e.exitCode());
        e.problems().forEach(p -> assertTrue(p.startsWith(f + ":"), p));
        e.problems().forEach(p -> assertFalse(p.contains("\n"), p));
        return e.problems();
    }

    private static void assertHas(List<String> problems, String lineAndColumn, String text) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(":" + lineAndColumn + ": ") && p.contains(text)),
                "no problem at " + lineAndColumn + " with '" + text + "' in\n" + String.join("\n", problems));
    }

    @Test
    void aUsableFileIsReadInFileOrderWithItsLines() {
        SafeImportConfig cfg = ConfigFile.read(file(USABLE));
        assertEquals(List.of("teams", "people", "jobs", "job_history"), List.copyOf(cfg.importers().keySet()));
        assertEquals(List.of("jobs", "teams", "people", "job_history"), cfg.order());
        assertEquals(35, cfg.orderLine());
        DeclaredImporter people = cfg.importers().get("people");
        assertEquals(new DeclaredImporter("people", "accounts_user", List.of("email"), people.columns(), people.checks(), 7, 8, 9), people);
        assertEquals(List.of("email", "full_name", "team", "manager_email", "kind"), List.copyOf(people.columns().keySet()));
        assertEquals(new ColumnMapping("email", "email", null, null, "email", true, 11), people.columns().get("email"));
        assertEquals(new ColumnMapping("full_name", "full_name", null, null, null, false, 12), people.columns().get("full_name"));
        assertEquals(new ColumnMapping("team", "team_id", "accounts_team", "name", null, false, 13), people.columns().get("team"));
        assertEquals(List.of(new DeclaredCheck("people_without_name", Severity.WARNING,
                "SELECT email FROM accounts_user WHERE full_name IS NULL", 17)), people.checks());
        assertEquals(List.of("employee_id", "start_date"), cfg.importers().get("job_history").key());
        assertEquals("safeimport.yml:12", cfg.where(12));
    }

    @Test
    void everyUnknownKeyIsReportedWithItsLineAndAGuess() {
        List<String> p = problems("""
                importers:
                  people:
                    table: accounts_user
                    key: [email]
                    colums:
                      email: email
                    checks:
                      - code: x
                        sevrity: error
                        sql: SELECT 1
                  jobs:
                    table: jobs
                    key: [job_id]
                    columns:
                      job_id: {column: job_id, reference: jobs.job_id}
                ordre: [jobs]
                """);
        assertHas(p, "5:5", "unknown key 'colums' in importer people; did you mean columns?");
        assertHas(p, "9:9", "unknown key 'sevrity'");
        assertHas(p, "9:9", "did you mean severity?");
        assertHas(p, "15:32", "unknown key 'reference'");
        assertHas(p, "15:32", "the keys here are column, ref, format, required");
        assertHas(p, "16:1", "unknown key 'ordre' at the top level; did you mean order?");
        assertHas(p, "2:3", "importer people has no 'columns:'");
        assertEquals(5, p.size(), String.join("\n", p));
    }

    @Test
    void aYamlSyntaxErrorNamesItsLineAndColumn() {
        List<String> p = problems("""
                importers:
                  people:
                    table: accounts_user
                    key: [email
                    columns:
                      email: email
                """);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).matches(".*safeimport\\.yml:\\d+:\\d+: not valid YAML \\(.+\\): correct the file.*"), p.get(0));
        assertFalse(p.get(0).contains("reader"), p.get(0));
    }

    @Test
    void wrongShapesAreEachReported() {
        List<String> p = problems("""
                importers:
                  people:
                    table: accounts_user
                    key: email
                    columns:
                      email: [email]
                      team: {column: team_id, ref: accounts_team}
                      boss: {column: manager_id, ref: a.b.c}
                      work: {column: email2, format: phone, required: yes please}
                      nothing:
                    checks:
                      - code: c
                        severity: fatal
                        sql: SELECT 1
                      - just text
                """);
        assertHas(p, "4:10", "key must be a list of CSV columns, e.g. key: [email], not 'email'");
        assertHas(p, "6:14", "CSV column 'email' must be a table column name or a mapping with column:");
        assertHas(p, "7:36", "ref 'accounts_team' must be table.column");
        assertHas(p, "8:39", "ref 'a.b.c' must be table.column");
        assertHas(p, "9:38", "format 'phone' is not known: the only format is email");
        assertHas(p, "9:55", "required must be true or false");
        assertHas(p, "10:15", "CSV column 'nothing' must be a table column name or a mapping");
        assertHas(p, "13:19", "severity 'fatal' must be error or warning");
        assertHas(p, "15:9", "a check must be a mapping");
        assertEquals(9, p.size(), String.join("\n", p));
    }

    @Test
    void badNamesDuplicateKeysAndUnknownOrderEntriesAreReported() {
        List<String> p = problems("""
                importers:
                  Employees:
                    table: employees
                    key: [email]
                    columns: {email: email}
                  users:
                    table: app_user
                    key: [email]
                    columns: {email: email}
                  jobs:
                    table: jobs
                    table: jobs2
                    key: [job id]
                    columns:
                      job id: job id
                      Job ID: job_id
                      title: 1title
                order: [jobs, departments, jobs]
                """);
        assertHas(p, "2:3", "importer name 'Employees' must be lower-case letters");
        assertHas(p, "6:3", "importer name 'users' is taken by the built-in importers");
        assertHas(p, "12:5", "duplicate key 'table' (first given on line 11)");
        assertHas(p, "15:15", "'job id' is not a plain SQL name");
        assertHas(p, "16:7", "CSV column 'job id' is given twice (also on line 15");
        assertHas(p, "17:14", "'1title' is not a plain SQL name");
        assertHas(p, "18:15", "order names 'departments', which is not a declared importer; the importers are Employees, users, jobs");
        assertHas(p, "18:28", "order names 'jobs' twice");
        assertEquals(8, p.size(), String.join("\n", p));
    }

    @Test
    void anEmptyOrUnreadableFileIsAUsageError() throws IOException {
        assertHas(problems(""), "1:1", "the file is empty");
        assertHas(problems("- a\n- b\n"), "1:1", "the file must be a mapping");
        Path folder = Files.createDirectory(dir.resolve("folder.yml"));
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> ConfigFile.read(folder));
        assertEquals(folder + ": cannot read it (a folder, not a file): give the path of a safeimport.yml file", e.getMessage());
        Path latin1 = Files.write(dir.resolve("latin1.yml"), "importers: {caf\u00e9: x}".getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(ConfigFileException.class, () -> ConfigFile.read(latin1));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void theFileIsLocatedFromTheOptionTheEnvironmentOrTheWorkingFolder() throws IOException {
        assertTrue(ConfigFile.locate(null, Map.of(), dir).isEmpty(), "none named, none here");
        Path here = file(USABLE);
        assertEquals(here, ConfigFile.locate(null, Map.of(), dir).orElseThrow());
        Path other = Files.writeString(dir.resolve("other.yml"), USABLE);
        assertEquals(other, ConfigFile.locate(null, Map.of("SAFEIMPORT_CONFIG", "other.yml"), dir).orElseThrow());
        assertEquals(here, ConfigFile.locate(Path.of("safeimport.yml"), Map.of("SAFEIMPORT_CONFIG", "other.yml"), dir).orElseThrow(),
                "the option before the environment");
        SafeImportException missing = assertThrows(SafeImportException.class,
                () -> ConfigFile.locate(Path.of("nope.yml"), Map.of(), dir));
        assertEquals(ExitCode.USAGE, missing.exitCode());
        assertTrue(missing.getMessage().startsWith("--config nope.yml: no such file"), missing.getMessage());
        missing = assertThrows(SafeImportException.class, () -> ConfigFile.locate(null, Map.of("SAFEIMPORT_CONFIG", "gone.yml"), dir));
        assertTrue(missing.getMessage().startsWith("SAFEIMPORT_CONFIG=gone.yml: no such file"), missing.getMessage());
    }
}
