package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The users import end to end through the CLI, on H2 and on the real MariaDB. */
class UsersImportTest {
    static final String HEADER = "email,first_name,last_name,title,team,chapter,ladder,level,manager_email,hired_on,active";
    static final List<String> REFERENCE_TABLES = List.of("ladder", "ladder_aspect", "ladder_level", "organization", "chapter",
            "tribe", "team", "app_user", "timeline_event", "compensation_snapshot", "seniority_snapshot");

    @TempDir
    Path dir;

    static void orgStructure(TestDatabase db) {
        db.execute("INSERT INTO organization (organization) VALUES ('Acme')",
                "INSERT INTO tribe (tribe, organization_id) SELECT 'Core', id FROM organization WHERE organization = 'Acme'",
                "INSERT INTO team (team, tribe_id, department) SELECT 'Payments', id, 'Engineering' FROM tribe WHERE tribe = 'Core'",
                "INSERT INTO team (team, tribe_id, department) SELECT 'Platform', id, 'Engineering' FROM tribe WHERE tribe = 'Core'",
                "INSERT INTO chapter (chapter, organization_id) SELECT 'Backend', id FROM organization WHERE organization = 'Acme'",
                "INSERT INTO ladder (ladder, title) VALUES ('ENG', 'Engineering')",
                "INSERT INTO ladder_level (ladder_id, level, title) SELECT id, 1, 'Engineer I' FROM ladder",
                "INSERT INTO ladder_level (ladder_id, level, title) SELECT id, 2, 'Engineer II' FROM ladder",
                "INSERT INTO ladder_level (ladder_id, level, title) SELECT id, 3, 'Senior Engineer' FROM ladder");
    }

    static Map<String, String> referenceState(TestDatabase db) {
        Map<String, String> all = db.state();
        Map<String, String> out = new LinkedHashMap<>();
        for (String t : REFERENCE_TABLES) {
            String s = all.get(t);
            out.put(t, s.substring(0, s.indexOf(" next_id=")));
        }
        return out;
    }

    private Path fileA(Cli cli) {
        return cli.csv("a.csv", HEADER,
                "ann@acme.example,Ann,Lee,Engineer,Payments,Backend,ENG,2,boss@acme.example,2020-01-15,true",
                "bob@acme.example,Bob,\"O'Neil, Jr.\",\"Engineer, Platform\",Platform,Backend,ENG,1,boss@acme.example,2021-03-01,yes",
                "boss@acme.example,Zoë,Łukasiewicz,Head of Engineering,Platform,,ENG,3,,2019-05-20,1");
    }

    @EveryDatabase
    void dryRunLeavesDatabaseUntouchedAndShowsThePlan(TestDatabase db) {
        orgStructure(db);
        Cli cli = new Cli(db, dir);
        Map<String, String> before = db.state();
        Cli.Result r = cli.run("import", "users", "--csv", fileA(cli).toString(), "--dry-run", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode j = r.json();
        assertEquals("planned", j.get("status").asText());
        assertEquals("dry-run", j.get("mode").asText());
        assertEquals(3, j.get("counts").get("insert").asInt());
        assertEquals(3, j.get("tables").get("app_user").get("insert").asInt());
        assertTrue(j.get("snapshot_id").isNull());
        assertEquals(before, db.state(), "a dry-run changes nothing, AUTO_INCREMENT counters and run table included");
        assertTrue(Files.exists(Path.of(j.get("log_file").asText())), "the dry-run is recorded in its audit log");
        assertTrue(!Files.exists(dir.resolve("snapshots")) || dir.resolve("snapshots").toFile().list().length == 0);
    }

    @EveryDatabase
    void importThenUpdateThenRollbackRestoresExactState(TestDatabase db) throws Exception {
        orgStructure(db);
        Cli cli = new Cli(db, dir);
        Cli.Result a = cli.run("import", "users", "--csv", fileA(cli).toString(), "--output", "json");
        assertEquals(0, a.exit(), a.toString());
        assertEquals("committed", a.json().get("status").asText());
        assertEquals(3, db.count("app_user"));
        Map<String, String> afterA = referenceState(db);
        Map<String, Object> ann = db.rows("SELECT u.title, m.email AS manager FROM app_user u JOIN app_user m ON m.id = u.manager_id WHERE u.email = 'ann@acme.example'").get(0);
        assertEquals("boss@acme.example", ann.get("manager"), "a manager named after their reports resolves");

        Path b = cli.csv("b.csv", HEADER,
                "ANN@acme.example ,Ann,Lee,Senior Engineer,,,,,,,",
                "carl@acme.example,Carl,Ndiaye,Engineer,Payments,,ENG,1,ann@acme.example,2024-02-01,true");
        Cli.Result rb = cli.run("import", "users", "--csv", b.toString(), "--output", "json");
        assertEquals(0, rb.exit(), rb.toString());
        JsonNode jb = rb.json();
        assertEquals(1, jb.get("counts").get("insert").asInt());
        assertEquals(1, jb.get("counts").get("update").asInt());
        String snapshot = jb.get("snapshot_id").asText();
        assertTrue(snapshot.matches("\\d{8}T\\d{6}Z-users-[0-9a-f]{6}"), snapshot);
        assertEquals("Senior Engineer", db.rows("SELECT title FROM app_user WHERE email = 'ann@acme.example'").get(0).get("title"));
        assertNotEquals(afterA, referenceState(db));

        Path snapDir = dir.resolve("snapshots").resolve(snapshot);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapDir)));
        try (Stream<Path> files = Files.list(snapDir)) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
        assertEquals(0, cli.run("snapshots", "verify", snapshot).exit());

        Cli.Result dry = cli.run("rollback", snapshot, "--dry-run", "--output", "json");
        assertEquals(0, dry.exit(), dry.toString());
        assertEquals("planned", dry.json().get("status").asText());
        assertNotEquals(afterA, referenceState(db));

        Cli.Result rr = cli.run("rollback", snapshot, "--yes", "--output", "json");
        assertEquals(0, rr.exit(), rr.toString());
        JsonNode jr = rr.json();
        assertEquals("restored", jr.get("status").asText());
        assertEquals(1, jr.get("tables").get("app_user").get("removed").asInt());
        assertEquals(1, jr.get("tables").get("app_user").get("restored").asInt());
        assertNotNull(jr.get("safety_snapshot_id").textValue());
        assertEquals(afterA, referenceState(db), "every reference table is identical to the state after A");

        Cli.Result again = cli.run("rollback", snapshot, "--yes");
        assertEquals(5, again.exit(), again.toString());

        Cli.Result runs = cli.run("runs", "list", "--output", "json");
        assertEquals(0, runs.exit(), runs.toString());
        assertEquals(3, runs.json().get("runs").size());
    }

    @EveryDatabase
    void blankCellNeverErasesAndRelationshipChangesAreKeptWithoutForceUpdate(TestDatabase db) {
        orgStructure(db);
        Cli cli = new Cli(db, dir);
        assertEquals(0, cli.run("import", "users", "--csv", fileA(cli).toString()).exit());
        Path moved = cli.csv("moved.csv", HEADER,
                "bob@acme.example,Bob,\"O'Neil, Jr.\",,Payments,,,,ann@acme.example,,");
        Cli.Result r = cli.run("import", "users", "--csv", moved.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(2, r.json().get("counts").get("kept").asInt(), "two changes held back, team and manager: " + r);
        Map<String, Object> bob = db.rows("SELECT u.last_name, u.title, t.team, m.email AS manager FROM app_user u "
                + "JOIN team t ON t.id = u.team_id JOIN app_user m ON m.id = u.manager_id WHERE u.email = 'bob@acme.example'").get(0);
        assertEquals("O'Neil, Jr.", bob.get("last_name"), "a blank cell never erases");
        assertEquals("Engineer, Platform", bob.get("title"));
        assertEquals("Platform", bob.get("team"), "team change kept without --force-update");
        assertEquals("boss@acme.example", bob.get("manager"));

        Cli.Result forced = cli.run("import", "users", "--csv", moved.toString(), "--force-update", "--output", "json");
        assertEquals(0, forced.exit(), forced.toString());
        assertEquals(1, forced.json().get("counts").get("update").asInt());
        Map<String, Object> bob2 = db.rows("SELECT t.team, m.email AS manager FROM app_user u JOIN team t ON t.id = u.team_id "
                + "JOIN app_user m ON m.id = u.manager_id WHERE u.email = 'bob@acme.example'").get(0);
        assertEquals("Payments", bob2.get("team"));
        assertEquals("ann@acme.example", bob2.get("manager"));

        Cli.Result same = cli.run("import", "users", "--csv", moved.toString(), "--force-update", "--output", "json");
        assertEquals(0, same.exit());
        assertEquals(0, same.json().get("counts").get("update").asInt());
        assertEquals(1, same.json().get("counts").get("unchanged").asInt());
        assertTrue(same.json().get("snapshot_id").isNull(), "nothing to write: no snapshot, no run");
    }

    @EveryDatabase
    void emailsAreStoredLowerCaseAndMatchedCaseInsensitively(TestDatabase db) {
        orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path f = cli.csv("u.csv", HEADER, " Dana.Smith@ACME.example ,Dana,Smith,,payments ,  backend,eng,1,,,");
        Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        Map<String, Object> dana = db.rows("SELECT u.email, t.team, c.chapter FROM app_user u JOIN team t ON t.id = u.team_id "
                + "JOIN chapter c ON c.id = u.chapter_id").get(0);
        assertEquals("dana.smith@acme.example", dana.get("email"));
        assertEquals("Payments", dana.get("team"), "team names match ignoring case and blanks");
        Cli.Result again = cli.run("import", "users", "--csv", f.toString(), "--output", "json");
        assertEquals(1, again.json().get("counts").get("unchanged").asInt(), again.toString());
    }

    @EveryDatabase
    void postValidationFailureRollsBackWithExit3(TestDatabase db) {
        orgStructure(db);
        // dirty data written by hand, outside safeimport: an upper-case email
        db.execute("INSERT INTO app_user (email, first_name, last_name) VALUES ('Eve@Acme.example', 'Eve', 'Old')");
        Cli cli = new Cli(db, dir);
        Map<String, String> before = db.state();
        Path f = cli.csv("u.csv", HEADER, "eve@acme.example,Eve,New,,,,,,,,");
        Cli.Result r = cli.run("import", "users", "--csv", f.toString(), "--output", "json");
        assertEquals(3, r.exit(), r.toString());
        assertEquals("rolled_back", r.json().get("status").asText());
        assertTrue(r.json().get("errors").toString().contains("duplicate"), r.toString());
        Map<String, String> after = db.state();
        assertEquals(referenceStateOf(before), referenceStateOf(after));
        assertEquals("rolled_back", db.rows("SELECT status FROM safeimport_run WHERE run_id = '"
                + r.json().get("run_id").asText() + "'").get(0).get("status"), "the run history records the failed run");
    }

    private static Map<String, String> referenceStateOf(Map<String, String> state) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String t : REFERENCE_TABLES) {
            String s = state.get(t);
            out.put(t, s.substring(0, s.indexOf(" next_id=")));
        }
        return out;
    }

    /**
     * Managers named after their reports, in chains inside a chunk (written with the row, the
     * manager inserted first) and across chunks of the apply (set afterwards): every reference
     * lands on the right person, and rollback removes them all.
     */
    @EveryDatabase
    void managersLaterInTheFileResolveWithinAndAcrossChunks(TestDatabase db) throws IOException {
        orgStructure(db);
        Cli cli = new Cli(db, dir);
        int n = 12_500; // several apply chunks (Applier.CHUNK, 2,000 rows); references reach 10,200 rows ahead
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String manager = i % 5 != 4 ? email(i + 1) : i + 10_200 < n ? email(i + 10_200) : "";
            expected.put(email(i), manager);
            lines.add(email(i) + ",First" + i + ",Last" + i + ",Engineer,Payments,Backend,ENG,1," + manager + ",2020-01-15,true");
        }
        Map<String, String> before = referenceState(db);
        Path chains = cli.csv("chains.csv", lines.toArray(String[]::new));
        Cli.Result r = cli.run("import", "users", "--csv", chains.toString(), "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(n, r.json().get("counts").get("insert").asInt());
        Map<String, String> actual = new TreeMap<>();
        for (Map<String, Object> row : db.rows("SELECT u.email AS email, m.email AS manager FROM app_user u"
                + " LEFT JOIN app_user m ON m.id = u.manager_id")) {
            actual.put((String) row.get("email"), row.get("manager") == null ? "" : (String) row.get("manager"));
        }
        assertEquals(expected, actual);
        // the same file again: its stored rows are read by page (in the file's order but for the managers
        // written first within each chunk), and every one of them is found unchanged
        Cli.Result again = cli.run("import", "users", "--csv", chains.toString(), "--dry-run", "--output", "json");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(n, again.json().get("counts").get("unchanged").asInt(), again.toString());
        assertEquals(0, again.json().get("counts").get("update").asInt() + again.json().get("counts").get("insert").asInt());
        String timings = Files.readAllLines(Path.of(again.json().get("log_file").asText())).stream()
                .filter(l -> l.contains(" step=timings ")).findFirst().orElseThrow();
        assertTrue(timings.contains(" plan.page="), timings);
        Cli.Result back = cli.run("rollback", r.json().get("snapshot_id").asText(), "--yes", "--output", "json");
        assertEquals(0, back.exit(), back.toString());
        assertEquals(before, referenceState(db));
    }

    /**
     * A re-import that changes hundreds of rows in different sets of columns (on MariaDB they go
     * through a staging table and one UPDATE per set): every row ends exactly as the file says,
     * blanks keep what is stored, a manager who is new in the same file is set afterwards, and a
     * rollback restores every row exactly.
     */
    @EveryDatabase
    void aLargeReImportUpdatesEveryChangedColumnExactlyAndRollsBackExactly(TestDatabase db) throws IOException {
        orgStructure(db);
        Cli cli = new Cli(db, dir);
        int n = 600;
        List<String> first = new ArrayList<>();
        first.add(HEADER);
        for (int i = 0; i < n; i++) {
            first.add(email(i) + ",First" + i + ",Last" + i + ",Engineer,Payments,Backend,ENG,1," + (i == 0 ? "" : email(0))
                    + ",2020-01-15,true");
        }
        assertEquals(0, cli.run("import", "users", "--csv", cli.csv("first.csv", first.toArray(String[]::new)).toString()).exit());
        Map<String, String> before = referenceState(db);
        List<String> second = new ArrayList<>();
        second.add(HEADER);
        Map<String, String> expected = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String title = "Engineer";
            String team = "Payments";
            String level = "1";
            String manager = i == 0 ? "" : email(0);
            String hired = "2020-01-15";
            String active = "true";
            switch (i % 6) {
                case 0 -> title = "Senior \"Engineer\", Backend 🚀";
                case 1 -> {
                    team = "Platform";
                    level = "3";
                }
                case 2 -> {
                    hired = "2021-02-28";
                    active = "false";
                }
                case 3 -> manager = i == 3 ? "" : "new.boss@acme.example";
                case 4 -> title = ""; // blank: keeps the stored title
                default -> { } // unchanged
            }
            second.add(email(i) + ",First" + i + ",Last" + i + "," + (title.contains(",") ? "\"" + title.replace("\"", "\"\"") + "\"" : title)
                    + "," + team + ",Backend,ENG," + level + "," + manager + "," + hired + "," + active);
            expected.put(email(i), String.join("|", title.isEmpty() ? "Engineer" : title, team, level,
                    i == 3 ? email(0) : manager, hired, active.equals("true") ? "1" : "0"));
        }
        second.add("new.boss@acme.example,New,Boss,Director,Platform,Backend,ENG,3,,2019-01-01,true");
        expected.put("new.boss@acme.example", "Director|Platform|3||2019-01-01|1");
        Cli.Result r = cli.run("import", "users", "--csv", cli.csv("second.csv", second.toArray(String[]::new)).toString(),
                "--force-update", "--output", "json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, r.json().get("counts").get("insert").asInt());
        assertEquals(n / 6 * 4 - 1, r.json().get("counts").get("update").asInt(), r.toString());
        Map<String, String> actual = new TreeMap<>();
        for (Map<String, Object> row : db.rows("SELECT u.email AS email, u.title AS title, t.team AS team, l.level AS level,"
                + " m.email AS manager, u.hired_on AS hired, u.active AS active FROM app_user u"
                + " LEFT JOIN team t ON t.id = u.team_id LEFT JOIN ladder_level l ON l.id = u.level_id"
                + " LEFT JOIN app_user m ON m.id = u.manager_id")) {
            Object active = row.get("active");
            actual.put((String) row.get("email"), String.join("|", (String) row.get("title"), (String) row.get("team"),
                    String.valueOf(row.get("level")), row.get("manager") == null ? "" : (String) row.get("manager"),
                    String.valueOf(row.get("hired")), active instanceof Boolean b ? (b ? "1" : "0") : String.valueOf(active)));
        }
        assertEquals(expected, actual);
        if (db.kind().equals(TestDatabase.MARIADB)) {
            assertTrue(Files.readString(Path.of(r.json().get("log_file").asText())).contains("apply.update.staged="),
                    "on MariaDB the updates went through the staging table");
        }
        Cli.Result back = cli.run("rollback", r.json().get("snapshot_id").asText(), "--yes", "--output", "json");
        assertEquals(0, back.exit(), back.toString());
        assertEquals(before, referenceState(db), "the rollback restores every row exactly");
        if (db.kind().equals(TestDatabase.MARIADB)) {
            assertTrue(Files.readString(Path.of(back.json().get("log_file").asText())).contains("apply.update.staged="),
                    "on MariaDB the rollback restored through the staging table");
        }
    }

    private static String email(int i) {
        return String.format("u%05d@acme.example", i);
    }

    /** A cycle that closes through people already in the database, outside the file, is refused like one inside it. */
    @EveryDatabase
    void aManagerCycleThroughTheDatabaseIsRefused(TestDatabase db) {
        orgStructure(db);
        Cli cli = new Cli(db, dir);
        Path first = cli.csv("first.csv", HEADER,
                "a@acme.example,A,One,,,,,,b@acme.example,,",
                "b@acme.example,B,Two,,,,,,c@acme.example,,",
                "c@acme.example,C,Three,,,,,,,,",
                "d@acme.example,D,Four,,,,,,c@acme.example,,");
        assertEquals(0, cli.run("import", "users", "--csv", first.toString()).exit());
        Map<String, String> before = db.state();
        Path closing = cli.csv("closing.csv", HEADER,
                "d@acme.example,D,Four,,,,,,,,",
                "c@acme.example,C,Three,,,,,,a@acme.example,,");
        Cli.Result r = cli.run("import", "users", "--csv", closing.toString(), "--force-update", "--output", "json");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.toString().contains("manager_cycle"), r.toString());
        assertEquals(before, db.state(), "nothing written");
        Path viaD = cli.csv("via-d.csv", HEADER, "c@acme.example,C,Three,,,,,,d@acme.example,,");
        Cli.Result two = cli.run("import", "users", "--csv", viaD.toString(), "--force-update", "--output", "json");
        assertEquals(1, two.exit(), "d already reports to c: " + two);
        assertEquals(before, db.state(), "nothing written");
        // through a row whose manager the file names again, unchanged: its edge comes from the file's key, not a read
        Path again = cli.csv("again.csv", HEADER, "b@acme.example,B,Two,,,,,,c@acme.example,,",
                "c@acme.example,C,Three,,,,,,a@acme.example,,");
        Cli.Result three = cli.run("import", "users", "--csv", again.toString(), "--force-update", "--output", "json");
        assertEquals(1, three.exit(), "c -> a -> b -> c: " + three);
        assertTrue(three.toString().contains("manager_cycle"), three.toString());
        assertEquals(before, db.state(), "nothing written");
        Path harmless = cli.csv("harmless.csv", HEADER, "e@acme.example,E,Five,,,,,,,,", "c@acme.example,C,Three,,,,,,e@acme.example,,");
        Cli.Result ok = cli.run("import", "users", "--csv", harmless.toString(), "--force-update", "--output", "json");
        assertEquals(0, ok.exit(), ok.toString());
        assertEquals("e@acme.example", db.rows("SELECT m.email AS m FROM app_user u JOIN app_user m ON m.id = u.manager_id"
                + " WHERE u.email = 'c@acme.example'").get(0).get("m"));
    }
}
