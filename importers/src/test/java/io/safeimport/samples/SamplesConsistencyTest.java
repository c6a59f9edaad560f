package io.safeimport.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo data in {@code samples/} is a company of its own: every reference in it resolves
 * within the samples (so {@code import all --dir samples} works on an empty database), it has
 * no manager cycles, and it shows off the cases the importers must handle (a manager listed
 * after the people who report to them, quoted commas, accents, upper-case emails).
 * No database is involved; the files are read as DESIGN.md §4 describes them.
 */
class SamplesConsistencyTest {

    private static final Map<String, String> HEADERS = Map.of(
            "ladders.csv", "type,ladder,aspect,level,title,description,pay_band_min,pay_band_max",
            "organizations.csv", "organization,description",
            "chapters.csv", "chapter,organization,leader_email,description",
            "tribes.csv", "tribe,organization,leader_email,description",
            "teams.csv", "team,tribe,department,leader_email,description",
            "users.csv", "email,first_name,last_name,title,team,chapter,ladder,level,manager_email,hired_on,active",
            "history.csv", "email,event_type,effective_date,summary,ladder,level,title,team,salary,currency,pay_band");

    private static final Set<String> EVENT_TYPES = Set.of(
            "hire", "promotion", "level_change", "title_change", "team_change", "compensation_change", "departure");
    private static final Set<String> BOOLEANS = Set.of("true", "false", "yes", "no", "1", "0");

    private static Path samples;
    private static Map<String, Table> tables;

    /** One data row: its line in the file and its cells by (lower-case) column name. */
    private record Row(String file, long line, Map<String, String> cells) {
        String get(String column) {
            return cells.getOrDefault(column, "").trim();
        }

        String email(String column) {
            return get(column).toLowerCase(Locale.ROOT);
        }

        String where() {
            return file + ":" + line;
        }
    }

    private record Table(String file, List<String> header, List<Row> rows) {}

    @BeforeAll
    static void readSamples() {
        samples = findSamples();
        tables = new LinkedHashMap<>();
        for (String file : HEADERS.keySet()) {
            tables.put(file, read(samples.resolve(file)));
        }
    }

    @Test
    void everyFileIsUtf8WithoutBomWithLfLineEndingsAndATrailingNewline() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String file : HEADERS.keySet()) {
            byte[] bytes = Files.readAllBytes(samples.resolve(file));
            String text = decodeStrictly(file, bytes);
            if (text.startsWith("\uFEFF")) {
                problems.add(file + ": starts with a byte-order mark");
            }
            if (text.indexOf('\r') >= 0) {
                problems.add(file + ": has CR characters (use LF line endings)");
            }
            if (!text.endsWith("\n") || text.endsWith("\n\n")) {
                problems.add(file + ": must end with exactly one newline");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void headersAreTheContractOnesAndEveryRowHasEveryColumn() {
        List<String> problems = new ArrayList<>();
        for (Table t : tables.values()) {
            assertEquals(HEADERS.get(t.file()), String.join(",", t.header()), t.file() + " header");
            for (Row r : t.rows()) {
                if (r.cells().size() != t.header().size()) {
                    problems.add(r.where() + ": " + r.cells().size() + " cells, header has " + t.header().size());
                }
            }
            assertFalse(t.rows().isEmpty(), t.file() + " has no rows");
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void naturalKeysAreUnique() {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> seen = new HashMap<>();
        for (Row r : rows("ladders.csv")) {
            String key = switch (r.get("type")) {
                case "ladder" -> r.get("ladder");
                case "aspect" -> r.get("ladder") + "/aspect " + r.get("aspect");
                default -> r.get("ladder") + "/level " + r.get("level");
            };
            unique(seen, "ladders.csv", key, r, problems);
        }
        for (String kind : List.of("organization", "chapter", "tribe", "team")) {
            String file = kind.equals("organization") ? "organizations.csv" : kind + "s.csv";
            for (Row r : rows(file)) {
                unique(seen, file, r.get(kind), r, problems);
            }
        }
        for (Row r : rows("users.csv")) {
            unique(seen, "users.csv", r.email("email"), r, problems);
        }
        for (Row r : rows("history.csv")) {
            unique(seen, "history.csv",
                    r.email("email") + " " + r.get("event_type") + " " + r.get("effective_date"), r, problems);
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void laddersComeFirstAndHaveAspectsAndLevelsNumberedOneToN() {
        List<String> problems = new ArrayList<>();
        Set<String> ladders = new HashSet<>();
        Map<String, Integer> aspects = new TreeMap<>();
        Map<String, Set<Integer>> levels = new TreeMap<>();
        boolean pastLadders = false;
        for (Row r : rows("ladders.csv")) {
            String ladder = r.get("ladder");
            switch (r.get("type")) {
                case "ladder" -> {
                    if (pastLadders) {
                        problems.add(r.where() + ": ladder " + ladder + " comes after aspect or level rows");
                    }
                    require(r, "title", problems);
                    ladders.add(ladder);
                }
                case "aspect" -> {
                    pastLadders = true;
                    require(r, "aspect", problems);
                    aspects.merge(ladder, 1, Integer::sum);
                }
                case "level" -> {
                    pastLadders = true;
                    require(r, "title", problems);
                    levels.computeIfAbsent(ladder, k -> new HashSet<>()).add(integer(r, "level", problems));
                    if (decimal(r, "pay_band_min", problems) > decimal(r, "pay_band_max", problems)) {
                        problems.add(r.where() + ": pay_band_min is above pay_band_max");
                    }
                }
                default -> problems.add(r.where() + ": unknown type '" + r.get("type") + "'");
            }
            if (!r.get("type").equals("ladder") && !ladders.contains(ladder)) {
                problems.add(r.where() + ": ladder " + ladder + " is not defined above");
            }
        }
        for (String ladder : ladders) {
            if (aspects.getOrDefault(ladder, 0) == 0) {
                problems.add("ladder " + ladder + " has no aspects");
            }
            Set<Integer> numbers = levels.getOrDefault(ladder, Set.of());
            for (int n = 1; n <= numbers.size(); n++) {
                if (!numbers.contains(n)) {
                    problems.add("ladder " + ladder + " levels are not 1.." + numbers.size() + ": " + numbers);
                    break;
                }
            }
            if (numbers.isEmpty()) {
                problems.add("ladder " + ladder + " has no levels");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void organisationReferencesResolve() {
        List<String> problems = new ArrayList<>();
        Set<String> organizations = keys("organizations.csv", "organization");
        Set<String> tribes = keys("tribes.csv", "tribe");
        for (String file : List.of("chapters.csv", "tribes.csv")) {
            for (Row r : rows(file)) {
                resolves(r, "organization", organizations, problems);
            }
        }
        for (Row r : rows("teams.csv")) {
            resolves(r, "tribe", tribes, problems);
            require(r, "department", problems);
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyLeaderIsAnActiveUser() {
        List<String> problems = new ArrayList<>();
        Map<String, Row> users = usersByEmail();
        for (String file : List.of("chapters.csv", "tribes.csv", "teams.csv")) {
            for (Row r : rows(file)) {
                if (r.get("leader_email").isEmpty()) {
                    continue;
                }
                Row leader = users.get(r.email("leader_email"));
                if (leader == null) {
                    problems.add(r.where() + ": leader " + r.get("leader_email") + " is not in users.csv");
                } else if (!isTrue(leader.get("active"))) {
                    problems.add(r.where() + ": leader " + r.get("leader_email") + " is inactive");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void userFieldsAreValidAndTheirReferencesResolve() {
        List<String> problems = new ArrayList<>();
        Set<String> teams = keys("teams.csv", "team");
        Set<String> chapters = keys("chapters.csv", "chapter");
        Set<String> levels = levelKeys();
        Map<String, Row> users = usersByEmail();
        for (Row r : rows("users.csv")) {
            for (String column : List.of("email", "first_name", "last_name")) {
                require(r, column, problems);
            }
            fictionalEmail(r, "email", problems);
            resolves(r, "team", teams, problems);
            resolves(r, "chapter", chapters, problems);
            if (!r.get("ladder").isEmpty() || !r.get("level").isEmpty()) {
                if (!levels.contains(r.get("ladder") + "/" + r.get("level"))) {
                    problems.add(r.where() + ": ladder " + r.get("ladder") + " level " + r.get("level")
                            + " is not in ladders.csv");
                }
            }
            if (!r.get("manager_email").isEmpty() && !users.containsKey(r.email("manager_email"))) {
                problems.add(r.where() + ": manager " + r.get("manager_email") + " is not in users.csv");
            }
            date(r, "hired_on", problems);
            if (!BOOLEANS.contains(r.get("active").toLowerCase(Locale.ROOT))) {
                problems.add(r.where() + ": active '" + r.get("active") + "' is not a boolean");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void nobodyManagesThemselvesAndThereAreNoManagerCycles() {
        List<String> problems = new ArrayList<>();
        Map<String, String> managerOf = new HashMap<>();
        for (Row r : rows("users.csv")) {
            if (r.email("email").equals(r.email("manager_email"))) {
                problems.add(r.where() + ": " + r.get("email") + " manages themself");
            } else if (!r.get("manager_email").isEmpty()) {
                managerOf.put(r.email("email"), r.email("manager_email"));
            }
        }
        Set<List<String>> cycles = new LinkedHashSet<>();
        for (String start : managerOf.keySet()) {
            List<String> chain = new ArrayList<>(List.of(start));
            for (String m = managerOf.get(start); m != null; m = managerOf.get(m)) {
                if (chain.contains(m)) {
                    // Everyone below a cycle reaches it too: report each cycle once, from its smallest email.
                    List<String> cycle = new ArrayList<>(chain.subList(chain.indexOf(m), chain.size()));
                    Collections.rotate(cycle, -cycle.indexOf(Collections.min(cycle)));
                    cycles.add(cycle);
                    break;
                }
                chain.add(m);
            }
        }
        cycles.forEach(c -> problems.add("manager cycle: " + String.join(" -> ", c) + " -> " + c.get(0)));
        assertEquals(List.of(), problems);
    }

    @Test
    void usersFileIsBigEnoughAndListsSomeManagersAfterTheirReports() {
        List<Row> users = rows("users.csv");
        assertTrue(users.size() >= 40, "users.csv has only " + users.size() + " users");
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < users.size(); i++) {
            position.put(users.get(i).email("email"), i);
        }
        long forward = users.stream()
                .filter(r -> !r.get("manager_email").isEmpty())
                .filter(r -> position.getOrDefault(r.email("manager_email"), -1) > position.get(r.email("email")))
                .count();
        assertTrue(forward >= 1, "no manager is listed after a person who reports to them");
        assertTrue(users.stream().anyMatch(r -> !r.get("email").equals(r.email("email"))),
                "no email with capitals shows that emails are normalised");
    }

    @Test
    void historyEventsBelongToKnownUsersAndFollowTheirHireDate() {
        List<String> problems = new ArrayList<>();
        Map<String, Row> users = usersByEmail();
        Set<String> levels = levelKeys();
        Set<String> teams = keys("teams.csv", "team");
        Set<String> departed = new HashSet<>();
        Map<String, String> lastLevel = new HashMap<>();
        Map<String, LocalDate> lastLevelDate = new HashMap<>();
        for (Row r : rows("history.csv")) {
            Row user = users.get(r.email("email"));
            LocalDate when = date(r, "effective_date", problems);
            if (!EVENT_TYPES.contains(r.get("event_type"))) {
                problems.add(r.where() + ": unknown event_type '" + r.get("event_type") + "'");
            }
            if (user == null) {
                problems.add(r.where() + ": " + r.get("email") + " is not in users.csv");
                continue;
            }
            LocalDate hired = LocalDate.parse(user.get("hired_on"));
            if (when != null && when.isBefore(hired)) {
                problems.add(r.where() + ": event dated before " + r.get("email") + " was hired (" + hired + ")");
            }
            if (r.get("event_type").equals("hire") && when != null && !when.equals(hired)) {
                problems.add(r.where() + ": hire event is not on hired_on " + hired);
            }
            if (!r.get("ladder").isEmpty()) {
                String level = r.get("ladder") + "/" + r.get("level");
                if (!levels.contains(level)) {
                    problems.add(r.where() + ": ladder " + r.get("ladder") + " level " + r.get("level")
                            + " is not in ladders.csv");
                }
                if (when != null && !when.isBefore(lastLevelDate.getOrDefault(r.email("email"), LocalDate.MIN))) {
                    lastLevel.put(r.email("email"), level);
                    lastLevelDate.put(r.email("email"), when);
                }
            }
            resolves(r, "team", teams, problems);
            if (!r.get("salary").isEmpty()) {
                decimal(r, "salary", problems);
                require(r, "currency", problems);
            }
            if (r.get("event_type").equals("departure")) {
                departed.add(r.email("email"));
            }
        }
        for (Row u : users.values()) {
            String email = u.email("email");
            if (departed.contains(email) == isTrue(u.get("active"))) {
                problems.add(u.where() + ": active is " + u.get("active") + " but departure event "
                        + (departed.contains(email) ? "exists" : "is missing"));
            }
            String level = u.get("ladder") + "/" + u.get("level");
            if (lastLevel.containsKey(email) && !lastLevel.get(email).equals(level)) {
                problems.add(u.where() + ": level " + level + " differs from the latest history event "
                        + lastLevel.get(email));
            }
        }
        assertEquals(List.of(), problems);
    }

    private static Path findSamples() {
        // Surefire runs in the module folder (importers/); an IDE may run in the repository root.
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("samples/users.csv"))) {
                return dir.resolve("samples");
            }
        }
        throw new IllegalStateException("no samples/users.csv above " + Path.of("").toAbsolutePath());
    }

    private static Table read(Path path) {
        String file = path.getFileName().toString();
        try {
            String text = decodeStrictly(file, Files.readAllBytes(path));
            try (CSVReader reader = new CSVReaderBuilder(new StringReader(text))
                    .withCSVParser(new RFC4180ParserBuilder().build())
                    .build()) {
                List<String> header = Arrays.stream(reader.readNext())
                        .map(h -> h.trim().toLowerCase(Locale.ROOT))
                        .toList();
                List<Row> rows = new ArrayList<>();
                String[] cells;
                while ((cells = reader.readNext()) != null) {
                    Map<String, String> byColumn = new LinkedHashMap<>();
                    for (int i = 0; i < cells.length; i++) {
                        byColumn.put(i < header.size() ? header.get(i) : "#" + i, cells[i]);
                    }
                    rows.add(new Row(file, reader.getLinesRead(), byColumn));
                }
                return new Table(file, header, rows);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CsvException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    private static String decodeStrictly(String file, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(file + " is not valid UTF-8", e);
        }
    }

    private static List<Row> rows(String file) {
        return tables.get(file).rows();
    }

    private static Set<String> keys(String file, String column) {
        Set<String> keys = new HashSet<>();
        rows(file).forEach(r -> keys.add(r.get(column)));
        return keys;
    }

    private static Set<String> levelKeys() {
        Set<String> keys = new HashSet<>();
        rows("ladders.csv").stream()
                .filter(r -> r.get("type").equals("level"))
                .forEach(r -> keys.add(r.get("ladder") + "/" + r.get("level")));
        return keys;
    }

    private static Map<String, Row> usersByEmail() {
        Map<String, Row> users = new LinkedHashMap<>();
        rows("users.csv").forEach(r -> users.put(r.email("email"), r));
        return users;
    }

    private static boolean isTrue(String value) {
        return Set.of("true", "yes", "1").contains(value.toLowerCase(Locale.ROOT));
    }

    private static void unique(Map<String, Set<String>> seen, String file, String key, Row r, List<String> problems) {
        if (!seen.computeIfAbsent(file, f -> new HashSet<>()).add(key)) {
            problems.add(r.where() + ": duplicate key " + key);
        }
    }

    private static void require(Row r, String column, List<String> problems) {
        if (r.get(column).isEmpty()) {
            problems.add(r.where() + ": " + column + " is blank");
        }
    }

    private static void resolves(Row r, String column, Set<String> known, List<String> problems) {
        if (!r.get(column).isEmpty() && !known.contains(r.get(column))) {
            problems.add(r.where() + ": " + column + " '" + r.get(column) + "' is not defined in the samples");
        }
    }

    private static void fictionalEmail(Row r, String column, List<String> problems) {
        // RFC 2606 reserves .example: the sample people cannot be anyone's real address.
        if (!r.email(column).matches("[^@\\s]+@[a-z0-9.-]+\\.example")) {
            problems.add(r.where() + ": " + column + " '" + r.get(column) + "' is not an address under .example");
        }
    }

    private static LocalDate date(Row r, String column, List<String> problems) {
        try {
            return LocalDate.parse(r.get(column));
        } catch (DateTimeParseException e) {
            problems.add(r.where() + ": " + column + " '" + r.get(column) + "' is not an ISO date");
            return null;
        }
    }

    private static int integer(Row r, String column, List<String> problems) {
        try {
            return Integer.parseInt(r.get(column));
        } catch (NumberFormatException e) {
            problems.add(r.where() + ": " + column + " '" + r.get(column) + "' is not a whole number");
            return -1;
        }
    }

    private static double decimal(Row r, String column, List<String> problems) {
        try {
            return Double.parseDouble(r.get(column));
        } catch (NumberFormatException e) {
            problems.add(r.where() + ": " + column + " '" + r.get(column) + "' is not a number");
            return Double.NaN;
        }
    }
}
