package io.safeimport.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Deterministic (seeded) test-data generator for the CSV formats of DESIGN.md §4.
 *
 * <p>Every row is a pure function of (seed, row index): the first K rows of a file of N users are the
 * same people as the K rows of a file of K users (only the manager of the last few rows may differ), and
 * history for user u can be produced without reading users.csv. Everything is streamed: memory does not
 * depend on the number of rows.
 *
 * <pre>
 * DataGenerator [--out-dir D] [--users N] [--users-file users.csv] [--no-org] [--org-dir D]
 *               [--history-rows M] [--history-users U] [--seed S]
 * DataGenerator --from users.csv --changed-percent P [--seed S] [--out users_changed.csv]
 * </pre>
 */
public final class DataGenerator {

    static final String USERS_HEADER = "email,first_name,last_name,title,team,chapter,ladder,level,manager_email,hired_on,active";
    static final String HISTORY_HEADER = "email,event_type,effective_date,summary,ladder,level,title,team,salary,currency,pay_band";
    static final String LADDERS_HEADER = "type,ladder,aspect,level,title,description,pay_band_min,pay_band_max";
    static final String ORGANIZATIONS_HEADER = "organization,description";
    static final String CHAPTERS_HEADER = "chapter,organization,leader_email,description";
    static final String TRIBES_HEADER = "tribe,organization,leader_email,description";
    static final String TEAMS_HEADER = "team,tribe,department,leader_email,description";
    static final String DOMAIN = "@acme.example";
    /** Every MANAGER_STRIDE-th row (0, 8, 16, ...) is a manager; row 0 is the single top person. */
    static final int MANAGER_STRIDE = 8;

    static final String[] FIRST = {
        "José", "Zoë", "Łukasz", "Søren", "Anaïs", "Björn", "Chloé", "François", "Jürgen", "Małgorzata",
        "Ørjan", "Pádraig", "Renée", "Siobhán", "Thérèse", "Ümit", "Žofia", "Ævar", "Đorđe", "İlkay",
        "Ana", "John", "Mary", "Wei", "Yuki", "Aisha", "Oluwaseun", "Priya", "Mohammed", "Sofia",
        "Liam", "Emma", "Noah", "Olivia", "Mateo", "Léa", "Nikolaj", "Agnieszka", "Dvořák", "Inès",
        "Robert \"Bob\"", "Katherine \"Kate\"", "Chiara", "Joaquín", "Åsa", "Håkon", "Elżbieta", "Tomáš",
        "Grace", "Kwame", "Ngozi", "Hiroshi", "Min-jun", "Seo-yeon", "Carlos", "Lucía", "Dmitri", "Olga",
    };
    static final String[] LAST = {
        "García", "Müller", "Nowak", "Kowalski", "Østergaard", "Ødegaard", "O'Brien", "D'Angelo", "Núñez",
        "Smith", "Johnson", "Šimić", "Dvořák", "Łęcki", "van der Berg", "García-López", "Nguyễn", "Yılmaz",
        "Åberg", "Lefèvre", "Schröder", "Jensen", "Papadopoulos", "Kim", "Tanaka", "Okafor", "Singh",
        "Haddad", "Brown", "Williams", "Martin", "Bernard", "Rossi", "Ferrari", "Wójcik", "Kaminski",
        "Andersson", "Johansson", "Nielsen", "Hansen", "Fernández", "Pérez", "Gonçalves", "Silva",
        "Costa", "Murphy", "Kelly", "Byrne", "Novák", "Horváth", "Popescu", "Ivanova", "Petrov", "Chen",
        "Wang", "Li", "Sato", "Suzuki", "Park", "Choi", "Mensah", "Adeyemi", "Mbeki", "Cohen", "Levi",
    };
    static final String[] FIRST_FOLDED = Arrays.stream(FIRST).map(DataGenerator::emailPart).toArray(String[]::new);
    static final String[] LAST_FOLDED = Arrays.stream(LAST).map(DataGenerator::emailPart).toArray(String[]::new);
    static final String[] EVENT_TYPES = {
        "hire", "promotion", "level_change", "title_change", "team_change", "compensation_change", "departure",
    };
    static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "USD", "GBP", "PLN", "DKK", "SEK"};

    private static final long SALT_NAME = 0x6E616D65L;
    private static final long SALT_ROW = 0x726F77L;
    private static final long SALT_HISTORY = 0x68697374L;
    private static final long SALT_CHANGE = 0x6368616EL;
    private static final long HIRE_FROM = LocalDate.of(2005, 1, 1).toEpochDay();
    private static final int HIRE_SPAN_DAYS = 20 * 365;
    /** History events are spread between the hire date and this date. */
    private static final long HISTORY_UNTIL = LocalDate.of(2025, 6, 30).toEpochDay();

    private DataGenerator() {}

    // ------------------------------------------------------------------ randomness

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static SplittableRandom rng(long seed, long index, long salt) {
        return new SplittableRandom(mix64(seed ^ mix64(index * 0x9E3779B97F4A7C15L + salt)));
    }

    // ------------------------------------------------------------------ people

    /** ASCII, lower-case e-mail part of a name: accents stripped, Ł→l, ø→o, ... ; only the first word of "Robert \"Bob\"". */
    static String emailPart(String name) {
        String n = name;
        int quote = n.indexOf('"');
        if (quote > 0) {
            n = n.substring(0, quote).trim();
        }
        n = n.toLowerCase(Locale.ROOT)
                .replace("ł", "l").replace("ø", "o").replace("æ", "ae").replace("đ", "d").replace("ð", "d")
                .replace("ß", "ss").replace("ı", "i").replace("þ", "th").replace("œ", "oe");
        n = Normalizer.normalize(n, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        n = n.replaceAll("[^a-z0-9-]", "");
        return n.isEmpty() ? "x" : n;
    }

    static String email(long seed, long i) {
        SplittableRandom r = rng(seed, i, SALT_NAME);
        int f = r.nextInt(FIRST.length);
        int l = r.nextInt(LAST.length);
        return FIRST_FOLDED[f] + '.' + LAST_FOLDED[l] + '.' + i + DOMAIN;
    }

    /** Row index of the manager of row i in a file of n rows, or -1 for the single top person (row 0). */
    static long managerOf(long i, long n) {
        if (i == 0) {
            return -1;
        }
        if (i % MANAGER_STRIDE == 0) {
            // managers form an 8-ary tree over the manager ranks k = i/8; the parent has a smaller rank: no cycles
            long k = i / MANAGER_STRIDE;
            return ((k - 1) / MANAGER_STRIDE) * MANAGER_STRIDE;
        }
        long below = (i / MANAGER_STRIDE) * MANAGER_STRIDE;
        long above = below + MANAGER_STRIDE;
        // every other block reports to the manager that comes LATER in the file
        if (((i / MANAGER_STRIDE) & 1) == 1 && above < n) {
            return above;
        }
        return below;
    }

    /** Row of the leader of the j-th org unit: a manager (always active) other than the top person when possible. */
    static long leaderRow(int j, long n) {
        long managers = (n + MANAGER_STRIDE - 1) / MANAGER_STRIDE;
        if (managers <= 1) {
            return 0;
        }
        return (1 + (j % (managers - 1))) * MANAGER_STRIDE;
    }

    static final class User {
        long index;
        String email;
        String firstName;
        String lastName;
        String title;
        String team;
        String chapter;
        Org.Ladder ladder;
        int level;
        String managerEmail;
        long hiredOn;
        boolean active;
    }

    static User user(long seed, long i, long n) {
        User u = new User();
        u.index = i;
        SplittableRandom rn = rng(seed, i, SALT_NAME);
        int f = rn.nextInt(FIRST.length);
        int l = rn.nextInt(LAST.length);
        u.firstName = FIRST[f];
        u.lastName = LAST[l];
        u.email = FIRST_FOLDED[f] + '.' + LAST_FOLDED[l] + '.' + i + DOMAIN;
        SplittableRandom r = rng(seed, i, SALT_ROW);
        boolean manager = i % MANAGER_STRIDE == 0;
        int p = r.nextInt(100);
        if (manager && p < 50) {
            u.ladder = Org.LADDERS.get(1);
        } else if (!manager && p < 2) {
            u.ladder = null;
        } else {
            int q = r.nextInt(100); // ENG 55%, DES 12%, DATA 15%, OPS 13%, MGMT 5%
            u.ladder = Org.LADDERS.get(q < 55 ? 0 : q < 67 ? 2 : q < 82 ? 3 : q < 95 ? 4 : 1);
        }
        if (u.ladder != null) {
            int levels = u.ladder.levels();
            u.level = manager ? Math.max(1, levels - r.nextInt(3)) : 1 + r.nextInt(Math.max(1, levels - 1));
            List<String> titles = u.ladder.userTitles();
            u.title = r.nextInt(100) == 0 ? null : titles.get(r.nextInt(titles.size()));
        } else {
            u.title = r.nextInt(3) == 0 ? null : "Contractor";
        }
        u.team = r.nextInt(100) == 0 ? null : Org.TEAMS.get(r.nextInt(Org.TEAMS.size())).name();
        u.chapter = r.nextInt(100) < 3 ? null : Org.CHAPTERS.get(r.nextInt(Org.CHAPTERS.size())).name();
        long m = managerOf(i, n);
        u.managerEmail = m < 0 ? null : email(seed, m);
        u.hiredOn = HIRE_FROM + r.nextInt(HIRE_SPAN_DAYS);
        u.active = manager || r.nextInt(100) < 95;
        return u;
    }

    static void appendUser(StringBuilder sb, User u) {
        Csv.field(sb, u.email);
        sb.append(',');
        Csv.field(sb, u.firstName);
        sb.append(',');
        Csv.field(sb, u.lastName);
        sb.append(',');
        Csv.field(sb, u.title);
        sb.append(',');
        Csv.field(sb, u.team);
        sb.append(',');
        Csv.field(sb, u.chapter);
        sb.append(',');
        if (u.ladder != null) {
            sb.append(u.ladder.code()).append(',').append(u.level);
        } else {
            sb.append(',');
        }
        sb.append(',');
        Csv.field(sb, u.managerEmail);
        sb.append(',');
        sb.append(LocalDate.ofEpochDay(u.hiredOn));
        sb.append(',');
        sb.append(u.active ? "true" : "false");
        sb.append('\n');
    }

    // ------------------------------------------------------------------ writing

    static Writer open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 20);
    }

    private static void flushIfBig(StringBuilder sb, Writer w) throws IOException {
        if (sb.length() > (1 << 16)) {
            w.append(sb);
            sb.setLength(0);
        }
    }

    /** Writes users.csv with n rows. */
    public static void writeUsers(Path file, long n, long seed) throws IOException {
        try (Writer w = open(file)) {
            StringBuilder sb = new StringBuilder(1 << 17);
            sb.append(USERS_HEADER).append('\n');
            for (long i = 0; i < n; i++) {
                appendUser(sb, user(seed, i, n));
                flushIfBig(sb, w);
            }
            w.append(sb);
        }
    }

    /** Writes ladders.csv, organizations.csv, chapters.csv, tribes.csv, teams.csv; leaders are managers of a users file of n rows. */
    public static void writeOrg(Path dir, long n, long seed) throws IOException {
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder();
        sb.append(LADDERS_HEADER).append('\n');
        for (Org.Ladder l : Org.LADDERS) {
            Csv.record(sb, Arrays.asList("ladder", l.code(), null, null, l.title(), l.description(), null, null));
        }
        for (Org.Ladder l : Org.LADDERS) {
            for (Org.Aspect a : Org.ASPECTS) {
                Csv.record(sb, Arrays.asList("aspect", l.code(), a.code(), null, a.title(), a.description(), null, null));
            }
        }
        for (Org.Ladder l : Org.LADDERS) {
            for (int lv = 1; lv <= l.levels(); lv++) {
                long min = payBandMin(l, lv);
                long max = min + min / 4 + 10_000;
                Csv.record(sb, Arrays.asList("level", l.code(), null, Integer.toString(lv), l.levelTitles().get(lv - 1),
                        l.title() + " level " + lv + ", \"" + l.levelTitles().get(lv - 1) + "\"", min + ".00", max + ".00"));
            }
        }
        Files.writeString(dir.resolve("ladders.csv"), sb, StandardCharsets.UTF_8);

        sb.setLength(0);
        sb.append(ORGANIZATIONS_HEADER).append('\n');
        for (Org.Unit o : Org.ORGANIZATIONS) {
            Csv.record(sb, Arrays.asList(o.name(), o.description()));
        }
        Files.writeString(dir.resolve("organizations.csv"), sb, StandardCharsets.UTF_8);

        int leader = 0;
        sb.setLength(0);
        sb.append(CHAPTERS_HEADER).append('\n');
        for (Org.Unit c : Org.CHAPTERS) {
            Csv.record(sb, Arrays.asList(c.name(), c.parent(), email(seed, leaderRow(leader++, n)), c.description()));
        }
        Files.writeString(dir.resolve("chapters.csv"), sb, StandardCharsets.UTF_8);

        sb.setLength(0);
        sb.append(TRIBES_HEADER).append('\n');
        for (Org.Unit t : Org.TRIBES) {
            Csv.record(sb, Arrays.asList(t.name(), t.parent(), email(seed, leaderRow(leader++, n)), t.description()));
        }
        Files.writeString(dir.resolve("tribes.csv"), sb, StandardCharsets.UTF_8);

        sb.setLength(0);
        sb.append(TEAMS_HEADER).append('\n');
        int t = 0;
        for (Org.Unit team : Org.TEAMS) {
            // one team in eight has no leader yet (a warning, not an error, in DESIGN §5)
            String lead = (t++ % 8 == 7) ? null : email(seed, leaderRow(leader++, n));
            Csv.record(sb, Arrays.asList(team.name(), team.parent(), team.department(), lead, team.description()));
        }
        Files.writeString(dir.resolve("teams.csv"), sb, StandardCharsets.UTF_8);
    }

    static long payBandMin(Org.Ladder l, int level) {
        long raw = l.payBandBase() + (long) (level - 1) * (l.payBandBase() / 3);
        return (raw + 500) / 1000 * 1000;
    }

    // ------------------------------------------------------------------ history

    /** Number of events of user u when m events are spread over the first users users. */
    static long eventsOf(long u, long users, long m) {
        return m / users + (u < m % users ? 1 : 0);
    }

    /**
     * Writes history.csv: m events over the first {@code users} users (of a file made with the same seed),
     * round-robin, so every user gets m/users (+1) events; the first is the hire, the last of an inactive user
     * with at least two events is the departure; dates strictly increase per user, so (email, event_type,
     * effective_date) is unique.
     */
    public static void writeHistory(Path file, long users, long m, long seed) throws IOException {
        if (users <= 0) {
            throw new IllegalArgumentException("history needs at least one user");
        }
        try (Writer w = open(file)) {
            StringBuilder sb = new StringBuilder(1 << 17);
            sb.append(HISTORY_HEADER).append('\n');
            long rounds = (m + users - 1) / users;
            for (long k = 0; k < rounds; k++) {
                for (long u = 0; u < users; u++) {
                    long count = eventsOf(u, users, m);
                    if (k >= count) {
                        continue;
                    }
                    appendEvent(sb, user(seed, u, Long.MAX_VALUE), k, count, seed);
                    flushIfBig(sb, w);
                }
            }
            w.append(sb);
        }
    }

    private static void appendEvent(StringBuilder sb, User user, long k, long count, long seed) {
        SplittableRandom r = rng(seed ^ k, user.index, SALT_HISTORY);
        long room = Math.max(0, HISTORY_UNTIL - user.hiredOn);
        long span = Math.max(1, Math.min(365, room / Math.max(1, count)));
        long date = user.hiredOn + k * span + (k == 0 || span < 2 ? 0 : r.nextLong(span / 2));
        Org.Ladder ladder = user.ladder != null ? user.ladder : Org.LADDERS.get(4);
        String type;
        if (k == 0) {
            type = "hire";
        } else if (k == count - 1 && !user.active) {
            type = "departure";
        } else {
            int p = r.nextInt(100); // promotion 20, level_change 15, title_change 15, team_change 15, compensation 35
            type = p < 20 ? "promotion" : p < 35 ? "level_change" : p < 50 ? "title_change" : p < 65 ? "team_change" : "compensation_change";
        }
        String summary = null;
        String ladderCode = null;
        String level = null;
        String title = null;
        String team = null;
        String salary = null;
        String currency = null;
        String payBand = null;
        int lv = 1 + r.nextInt(ladder.levels());
        switch (type) {
            case "hire" -> {
                title = user.title;
                team = user.team;
                summary = "Joined" + (user.team != null ? " team " + user.team : "") + (r.nextInt(4) == 0 ? ", after a referral" : "");
            }
            case "promotion" -> {
                ladderCode = ladder.code();
                level = Integer.toString(lv);
                title = ladder.levelTitles().get(lv - 1);
                summary = "Promoted to \"" + title + "\", effective " + LocalDate.ofEpochDay(date);
            }
            case "level_change" -> {
                ladderCode = ladder.code();
                level = Integer.toString(lv);
                summary = "Level set to " + ladder.code() + " " + lv;
            }
            case "title_change" -> {
                List<String> titles = ladder.userTitles();
                title = titles.get(r.nextInt(titles.size()));
                summary = "New title: " + title;
            }
            case "team_change" -> {
                team = Org.TEAMS.get(r.nextInt(Org.TEAMS.size())).name();
                summary = "Moved to " + team;
            }
            case "compensation_change" -> {
                long base = payBandMin(ladder, lv);
                long amount = base + 100L * r.nextInt((int) (base / 400) + 1);
                salary = amount + ".00";
                currency = CURRENCIES[r.nextInt(CURRENCIES.length)];
                payBand = ladder.code() + "-" + lv;
                summary = r.nextInt(3) == 0 ? "Annual review, merit increase" : "Salary adjustment";
            }
            case "departure" -> summary = r.nextInt(2) == 0 ? "Left the company" : "Left for a \"new adventure\", regretted";
            default -> throw new IllegalStateException(type);
        }
        Csv.field(sb, user.email);
        sb.append(',').append(type).append(',').append(LocalDate.ofEpochDay(date)).append(',');
        Csv.field(sb, summary);
        sb.append(',');
        Csv.field(sb, ladderCode);
        sb.append(',');
        Csv.field(sb, level);
        sb.append(',');
        Csv.field(sb, title);
        sb.append(',');
        Csv.field(sb, team);
        sb.append(',');
        Csv.field(sb, salary);
        sb.append(',');
        Csv.field(sb, currency);
        sb.append(',');
        Csv.field(sb, payBand);
        sb.append('\n');
    }

    // ------------------------------------------------------------------ changed copy

    /** Whether data row i (0-based) is changed: exactly P rows in every 100 consecutive rows. */
    static boolean isChanged(long i, int percent, long seed) {
        long slot = Math.floorMod(i * 37 + Math.floorMod(seed, 100), 100);
        return slot < percent;
    }

    /**
     * Copies a users file, changing one scalar field (title or last_name) of exactly {@code percent}% of the
     * rows to a different non-blank value. Returns the number of rows changed.
     */
    public static long writeChanged(Path from, Path to, int percent, long seed) throws IOException {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("--changed-percent must be 0..100");
        }
        long changed = 0;
        try (Csv.RecordReader in = Csv.reader(new BufferedReader(
                     new InputStreamReader(Files.newInputStream(from), StandardCharsets.UTF_8), 1 << 20));
             Writer w = open(to)) {
            List<String> header = in.next();
            if (header == null) {
                throw new IOException(from + " is empty");
            }
            int titleCol = indexOf(header, "title");
            int lastCol = indexOf(header, "last_name");
            if (titleCol < 0 && lastCol < 0) {
                throw new IOException(from + " has neither a title nor a last_name column");
            }
            StringBuilder sb = new StringBuilder(1 << 17);
            Csv.record(sb, header);
            List<String> row;
            long i = 0;
            while ((row = in.next()) != null) {
                if (row.size() == 1 && row.get(0).isEmpty()) {
                    continue; // blank line
                }
                if (isChanged(i, percent, seed)) {
                    SplittableRandom r = rng(seed, i, SALT_CHANGE);
                    boolean title = lastCol < 0 || (titleCol >= 0 && r.nextBoolean());
                    if (title) {
                        row = new ArrayList<>(row);
                        row.set(titleCol, different(row.get(titleCol), TITLES, r));
                    } else {
                        row = new ArrayList<>(row);
                        row.set(lastCol, different(row.get(lastCol), LAST, r));
                    }
                    changed++;
                }
                Csv.record(sb, row);
                flushIfBig(sb, w);
                i++;
            }
            w.append(sb);
        }
        return changed;
    }

    static final String[] TITLES = Org.LADDERS.stream().flatMap(l -> l.userTitles().stream()).distinct().toArray(String[]::new);

    private static String different(String current, String[] pool, SplittableRandom r) {
        String c = current == null ? "" : current.trim();
        String v = pool[r.nextInt(pool.length)];
        if (v.equals(c)) {
            v = pool[(Arrays.asList(pool).indexOf(v) + 1) % pool.length];
        }
        return v;
    }

    private static int indexOf(List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).trim().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ main

    public static void main(String[] args) throws IOException {
        Path outDir = Path.of(".");
        Path orgDir = null;
        String usersFile = "users.csv";
        long users = -1;
        long historyRows = 0;
        long historyUsers = -1;
        long seed = 42;
        boolean org = true;
        Path from = null;
        Path out = null;
        int percent = -1;
        for (int a = 0; a < args.length; a++) {
            String arg = args[a];
            switch (arg) {
                case "--out-dir" -> outDir = Path.of(value(args, ++a, arg));
                case "--org-dir" -> orgDir = Path.of(value(args, ++a, arg));
                case "--users", "--rows" -> users = parseCount(value(args, ++a, arg));
                case "--users-file" -> usersFile = value(args, ++a, arg);
                case "--history-rows" -> historyRows = parseCount(value(args, ++a, arg));
                case "--history-users" -> historyUsers = parseCount(value(args, ++a, arg));
                case "--seed" -> seed = Long.parseLong(value(args, ++a, arg));
                case "--no-org" -> org = false;
                case "--from" -> from = Path.of(value(args, ++a, arg));
                case "--out" -> out = Path.of(value(args, ++a, arg));
                case "--changed-percent" -> percent = Integer.parseInt(value(args, ++a, arg));
                case "-h", "--help" -> {
                    usage();
                    return;
                }
                default -> {
                    System.err.println("unknown option: " + arg);
                    usage();
                    System.exit(2);
                }
            }
        }
        if (from != null) {
            if (percent < 0) {
                System.err.println("--from needs --changed-percent P");
                System.exit(2);
            }
            Path target = out != null ? out : siblingWithSuffix(from, "_changed");
            long t0 = System.nanoTime();
            long changed = writeChanged(from, target, percent, seed);
            System.err.printf(Locale.ROOT, "%s: %d rows changed (%d%%) in %.1f s%n", target, changed, percent, secs(t0));
            return;
        }
        if (users < 0) {
            users = 1000;
        }
        if (users > 0) {
            long t0 = System.nanoTime();
            Path f = outDir.resolve(usersFile);
            writeUsers(f, users, seed);
            System.err.printf(Locale.ROOT, "%s: %d users in %.1f s, %d bytes%n", f, users, secs(t0), Files.size(f));
        }
        if (org) {
            Path d = orgDir != null ? orgDir : outDir;
            writeOrg(d, Math.max(1, users), seed);
            System.err.printf(Locale.ROOT, "%s: ladders.csv organizations.csv chapters.csv tribes.csv teams.csv%n", d);
        }
        if (historyRows > 0) {
            long hu = historyUsers > 0 ? historyUsers : Math.max(1, users / 10);
            long t0 = System.nanoTime();
            Path f = outDir.resolve("history.csv");
            writeHistory(f, hu, historyRows, seed);
            System.err.printf(Locale.ROOT, "%s: %d events for %d users in %.1f s, %d bytes%n", f, historyRows, hu, secs(t0), Files.size(f));
        }
    }

    static Path siblingWithSuffix(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String changed = dot > 0 ? name.substring(0, dot) + suffix + name.substring(dot) : name + suffix;
        return file.resolveSibling(changed);
    }

    /** Accepts 1000000, 1_000_000, 1,000,000, 1e6, 10k, 5M. */
    static long parseCount(String s) {
        String v = s.trim().replace("_", "").replace(",", "").toLowerCase(Locale.ROOT);
        long mul = 1;
        if (v.endsWith("k")) {
            mul = 1_000;
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            mul = 1_000_000;
            v = v.substring(0, v.length() - 1);
        }
        if (v.contains("e") || v.contains(".")) {
            return (long) (Double.parseDouble(v) * mul);
        }
        return Long.parseLong(v) * mul;
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            System.err.println(opt + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void usage() {
        System.err.println(String.join("\n",
                "usage: DataGenerator [--out-dir D] [--users N] [--users-file users.csv] [--no-org] [--org-dir D]",
                "                     [--history-rows M] [--history-users U (default N/10)] [--seed S (default 42)]",
                "       DataGenerator --from users.csv --changed-percent P [--seed S] [--out users_changed.csv]",
                "Counts accept 1000000, 1_000_000, 10k, 5M."));
    }
}
