package io.safeimport.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataGeneratorTest {

    static final Pattern EMAIL = Pattern.compile("[a-z0-9-]+\\.[a-z0-9-]+\\.[0-9]+@acme\\.example");

    @TempDir
    Path dir;

    static List<List<String>> read(Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (Csv.RecordReader r = Csv.reader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            List<String> row;
            while ((row = r.next()) != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void csvQuotingRoundTrips() throws IOException {
        List<String> fields = Arrays.asList("plain", "a, b", "say \"hi\"", "", null, " padded ", "Łukasz");
        StringBuilder sb = new StringBuilder();
        Csv.record(sb, fields);
        assertEquals("plain,\"a, b\",\"say \"\"hi\"\"\",,,\" padded \",Łukasz\n", sb.toString());
        List<String> back = Csv.reader(new StringReader(sb.toString())).next();
        assertEquals(List.of("plain", "a, b", "say \"hi\"", "", "", " padded ", "Łukasz"), back);
    }

    @Test
    void usersAreWellFormedWithAnAcyclicManagerTree() throws IOException {
        int n = 1000;
        Path users = dir.resolve("users.csv");
        DataGenerator.writeUsers(users, n, 7);
        List<List<String>> rows = read(users);
        assertEquals(DataGenerator.USERS_HEADER, String.join(",", rows.get(0)));
        assertEquals(n + 1, rows.size());
        Map<String, String> managerOf = new HashMap<>();
        boolean accents = false;
        boolean commas = false;
        boolean quotes = false;
        for (List<String> r : rows.subList(1, rows.size())) {
            assertEquals(11, r.size(), r.toString());
            assertTrue(EMAIL.matcher(r.get(0)).matches(), r.get(0));
            assertFalse(r.get(1).isBlank());
            assertFalse(r.get(2).isBlank());
            assertNotEquals(r.get(0), r.get(8), "self-manager");
            assertTrue(r.get(10).equals("true") || r.get(10).equals("false"));
            assertTrue(r.get(9).matches("\\d{4}-\\d{2}-\\d{2}"));
            assertTrue(r.get(6).isEmpty() == r.get(7).isEmpty(), "ladder and level come together");
            assertEquals(null, managerOf.put(r.get(0), r.get(8)), "duplicate email " + r.get(0));
            accents |= !r.get(1).matches("[\\x00-\\x7F]*");
            commas |= r.get(3).contains(",");
            quotes |= r.get(1).contains("\"") || r.get(3).contains("\"");
        }
        assertTrue(accents && commas && quotes, "realistic names: accents, commas, quotes");
        int tops = 0;
        int later = 0;
        for (int i = 1; i < rows.size(); i++) {
            String email = rows.get(i).get(0);
            String m = managerOf.get(email);
            if (m.isEmpty()) {
                tops++;
                continue;
            }
            assertTrue(managerOf.containsKey(m), "manager " + m + " is in the file");
            if (Long.parseLong(m.replaceAll(".*\\.(\\d+)@.*", "$1")) > i - 1) {
                later++;
            }
            Set<String> seen = new HashSet<>();
            for (String e = email; !e.isEmpty(); e = managerOf.get(e)) {
                assertTrue(seen.add(e), "cycle through " + e);
            }
        }
        assertEquals(1, tops, "a single top person");
        assertTrue(later > n / 4, "managers come after some of their reports");
    }

    @Test
    void aShorterFileHasTheSamePeople() throws IOException {
        Path big = dir.resolve("big.csv");
        Path small = dir.resolve("small.csv");
        DataGenerator.writeUsers(big, 300, 3);
        DataGenerator.writeUsers(small, 30, 3);
        List<List<String>> a = read(big);
        List<List<String>> b = read(small);
        for (int i = 1; i < b.size(); i++) {
            assertEquals(a.get(i).get(0), b.get(i).get(0));
            assertEquals(a.get(i).subList(0, 8), b.get(i).subList(0, 8));
        }
    }

    @Test
    void changedCopyChangesExactlyThePercentage() throws IOException {
        Path users = dir.resolve("users.csv");
        Path changed = dir.resolve("users_changed.csv");
        DataGenerator.writeUsers(users, 1000, 5);
        assertEquals(100, DataGenerator.writeChanged(users, changed, 10, 5));
        List<List<String>> a = read(users);
        List<List<String>> b = read(changed);
        assertEquals(a.size(), b.size());
        int diffs = 0;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).equals(b.get(i))) {
                continue;
            }
            diffs++;
            int fieldDiffs = 0;
            for (int c = 0; c < 11; c++) {
                if (!a.get(i).get(c).equals(b.get(i).get(c))) {
                    fieldDiffs++;
                    assertTrue(c == 2 || c == 3, "only last_name or title change");
                    assertFalse(b.get(i).get(c).isBlank());
                }
            }
            assertEquals(1, fieldDiffs);
        }
        assertEquals(100, diffs);
        Path again = dir.resolve("again.csv");
        DataGenerator.writeChanged(users, again, 10, 5);
        assertEquals(Files.readString(changed), Files.readString(again), "deterministic");
    }

    @Test
    void historyIsUniqueAndTyped() throws IOException {
        Path history = dir.resolve("history.csv");
        DataGenerator.writeHistory(history, 50, 1234, 9);
        List<List<String>> rows = read(history);
        assertEquals(DataGenerator.HISTORY_HEADER, String.join(",", rows.get(0)));
        assertEquals(1235, rows.size());
        Set<String> keys = new HashSet<>();
        Set<String> emails = new HashSet<>();
        Set<String> types = new HashSet<>(List.of(DataGenerator.EVENT_TYPES));
        Set<String> seenTypes = new HashSet<>();
        for (List<String> r : rows.subList(1, rows.size())) {
            assertEquals(11, r.size());
            assertTrue(keys.add(r.get(0) + "|" + r.get(1) + "|" + r.get(2)), "duplicate key " + r);
            assertTrue(types.contains(r.get(1)), r.get(1));
            seenTypes.add(r.get(1));
            emails.add(r.get(0));
            if (r.get(1).equals("compensation_change")) {
                assertTrue(r.get(8).matches("\\d+\\.00") && r.get(9).length() == 3, r.toString());
            } else {
                assertTrue(r.get(8).isEmpty());
            }
            if (r.get(1).equals("promotion")) {
                assertFalse(r.get(4).isEmpty() || r.get(5).isEmpty(), r.toString());
            }
        }
        assertEquals(50, emails.size());
        assertEquals(types, seenTypes);
        for (long u = 0; u < 50; u++) {
            assertTrue(emails.contains(DataGenerator.email(9, u)));
        }
    }

    @Test
    void orgFilesHaveTheContractHeadersAndKnownLeaders() throws IOException {
        Path users = dir.resolve("users.csv");
        DataGenerator.writeUsers(users, 400, 1);
        DataGenerator.writeOrg(dir, 400, 1);
        Set<String> emails = new HashSet<>();
        Map<String, Boolean> active = new HashMap<>();
        for (List<String> r : read(users).subList(1, 401)) {
            emails.add(r.get(0));
            active.put(r.get(0), r.get(10).equals("true"));
        }
        Map<String, String> headers = Map.of(
                "ladders.csv", DataGenerator.LADDERS_HEADER,
                "organizations.csv", DataGenerator.ORGANIZATIONS_HEADER,
                "chapters.csv", DataGenerator.CHAPTERS_HEADER,
                "tribes.csv", DataGenerator.TRIBES_HEADER,
                "teams.csv", DataGenerator.TEAMS_HEADER);
        for (Map.Entry<String, String> e : headers.entrySet()) {
            List<List<String>> rows = read(dir.resolve(e.getKey()));
            List<String> header = rows.get(0);
            assertEquals(e.getValue(), String.join(",", header));
            int leader = header.indexOf("leader_email");
            for (List<String> r : rows.subList(1, rows.size())) {
                assertEquals(header.size(), r.size());
                if (leader >= 0 && !r.get(leader).isEmpty()) {
                    assertTrue(emails.contains(r.get(leader)) && active.get(r.get(leader)), r.get(leader));
                }
            }
        }
        assertNotNull(Org.TEAMS);
    }

    @Test
    void tailReadsOnlyTheEndOfALongFile() throws IOException {
        Path log = dir.resolve("stderr");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            sb.append("line ").append(i).append('\n');
        }
        Files.writeString(log, sb);
        assertEquals(List.of("line 99997", "line 99998", "line 99999"), Benchmark.tail(log, 3));
        Files.writeString(log, "only\n");
        assertEquals(List.of("only"), Benchmark.tail(log, 15));
    }

    @Test
    void jsonIsFoundAfterStrayOutput() {
        assertEquals("committed", Benchmark.parseJson("building...\n{\"status\": \"committed\",\n \"counts\": {}}\n").get("status").asText());
        assertEquals(null, Benchmark.parseJson("Error: Unable to access jarfile x.jar"));
    }

    @Test
    void jdbcUrlGetsTheDatabaseName() {
        assertEquals("jdbc:mysql://127.0.0.1:3306/x", Server.withDatabase("jdbc:mysql://127.0.0.1:3306/", "x"));
        assertEquals("jdbc:mysql://h:3306/x", Server.withDatabase("jdbc:mysql://h:3306", "x"));
        assertEquals("jdbc:mysql://h/x?useSSL=false", Server.withDatabase("jdbc:mysql://h/old?useSSL=false", "x"));
        assertEquals("jdbc:postgresql://127.0.0.1:5432/x", Server.withDatabase("jdbc:postgresql://127.0.0.1:5432/", "x"));
        assertEquals("jdbc:postgresql://h:5432/x?ssl=false", Server.withDatabase("jdbc:postgresql://h:5432/postgres?ssl=false", "x"));
        assertEquals(1_000_000, DataGenerator.parseCount("1M"));
        assertEquals(1_000_000, DataGenerator.parseCount("1_000_000"));
        assertEquals(100_000, DataGenerator.parseCount("100k"));
    }

    @Test
    void theUrlChoosesTheServer() {
        assertTrue(Server.forUrl("jdbc:mysql://127.0.0.1:3306/") instanceof MySqlServer);
        assertTrue(Server.forUrl("jdbc:postgresql://127.0.0.1:5432/") instanceof PostgresServer);
        assertEquals(null, Server.forUrl("jdbc:h2:file:/tmp/x"));
        assertEquals("postgres", Server.forUrl("jdbc:postgresql://127.0.0.1:5432/").defaultUser());
        assertEquals("INSERT INTO user_csv (email, first_name, last_name, title, team, chapter, ladder, level, manager_email, hired_on, active)"
                + " SELECT email, first_name, last_name, title, team, chapter, ladder, level, manager_email, hired_on, active FROM user_stage"
                + " ON CONFLICT (email) DO UPDATE SET first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,"
                + " title = EXCLUDED.title, team = EXCLUDED.team, chapter = EXCLUDED.chapter, ladder = EXCLUDED.ladder,"
                + " level = EXCLUDED.level, manager_email = EXCLUDED.manager_email, hired_on = EXCLUDED.hired_on, active = EXCLUDED.active",
                PostgresServer.UPSERT);
    }
}
