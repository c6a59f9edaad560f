package io.safeimport.bench;

import static io.safeimport.bench.Server.exec;
import static io.safeimport.bench.Server.scalar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Times safeimport's whole pipeline (the CLI jar, as subprocesses) against the server's own bulk load of
 * the same files ({@code LOAD DATA LOCAL INFILE} on MySQL/MariaDB, {@code COPY} on PostgreSQL: see
 * {@link Server}), and prints one table. See bench/README.md.
 *
 * <p>Robust by design: a safeimport command that fails (missing jar, non-zero exit, no JSON, wrong status)
 * marks its row FAIL with the exit code and the tail of stderr; the harness itself carries on, and always
 * drops the scratch databases it created.
 */
public final class Benchmark {

    static final String GENERATOR_VERSION = "1";
    static final ObjectMapper JSON = new ObjectMapper();

    // ------------------------------------------------------------------ options

    static final class Options {
        String url = "jdbc:mysql://127.0.0.1:3306/";
        /** The server {@link #url} names; set by {@link #parse}. */
        Server server;
        /** The server's {@link Server#defaultUser()} unless given. */
        String dbUser;
        String dbPassword = Objects.requireNonNullElse(System.getenv("SAFEIMPORT_DB_PASSWORD"), "");
        long rows = 100_000;
        long historyRows = -1;
        long historyUsers = -1;
        Path jar = Path.of("importer-cli/target/safeimport.jar");
        /** The operator's launcher (the default; {@code JAVA_OPTS} set to {@link #javaOpts}), or {@code null} to run {@link #jar} with {@code java}. */
        Path launcher = Path.of("safeimport");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String javaOpts = "-Xmx256m";
        long seed = 42;
        int changedPercent = 10;
        Path workDir = Path.of("bench/target/bench-work");
        Path dataDir;
        Set<Integer> scenarios = new LinkedHashSet<>(List.of(1, 2, 3, 4, 5));
        boolean baselinesOnly;
        boolean keepDatabases;
        boolean keepFiles;
        boolean regenerate;
        long timeoutMinutes = 120;
        int baselineRepeat = 1;
        String env;

        long historyRows() {
            return historyRows >= 0 ? historyRows : rows;
        }

        long historyUsers() {
            return historyUsers > 0 ? historyUsers : Math.max(1, rows / 10);
        }
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int a = 0; a < args.length; a++) {
            String arg = args[a];
            switch (arg) {
                case "--url", "--mysql-url" -> o.url = value(args, ++a, arg);
                case "--db-user" -> o.dbUser = value(args, ++a, arg);
                case "--rows", "--users" -> o.rows = DataGenerator.parseCount(value(args, ++a, arg));
                case "--history-rows" -> o.historyRows = DataGenerator.parseCount(value(args, ++a, arg));
                case "--history-users" -> o.historyUsers = DataGenerator.parseCount(value(args, ++a, arg));
                case "--jar" -> {
                    o.jar = Path.of(value(args, ++a, arg));
                    o.launcher = null;
                }
                case "--launcher" -> o.launcher = Path.of(value(args, ++a, arg));
                case "--java" -> o.java = value(args, ++a, arg);
                case "--java-opts" -> o.javaOpts = value(args, ++a, arg);
                case "--seed" -> o.seed = Long.parseLong(value(args, ++a, arg));
                case "--changed-percent" -> o.changedPercent = Integer.parseInt(value(args, ++a, arg));
                case "--work-dir" -> o.workDir = Path.of(value(args, ++a, arg));
                case "--data-dir" -> o.dataDir = Path.of(value(args, ++a, arg));
                case "--scenarios" -> o.scenarios = Arrays.stream(value(args, ++a, arg).split(","))
                        .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt)
                        .collect(Collectors.toCollection(LinkedHashSet::new));
                case "--baselines-only" -> o.baselinesOnly = true;
                case "--keep-databases" -> o.keepDatabases = true;
                case "--keep-files" -> o.keepFiles = true;
                case "--regenerate" -> o.regenerate = true;
                case "--timeout-minutes" -> o.timeoutMinutes = Long.parseLong(value(args, ++a, arg));
                case "--baseline-repeat" -> o.baselineRepeat = Integer.parseInt(value(args, ++a, arg));
                case "--env" -> o.env = value(args, ++a, arg);
                case "-h", "--help" -> {
                    usage(System.out);
                    System.exit(0);
                }
                default -> {
                    System.err.println("unknown option: " + arg);
                    usage(System.err);
                    System.exit(2);
                }
            }
        }
        o.server = Server.forUrl(o.url);
        if (o.server == null) {
            die("--url takes jdbc:mysql://HOST:PORT/ or jdbc:postgresql://HOST:PORT/, not " + o.url);
        }
        if (o.dbUser == null) {
            o.dbUser = o.server.defaultUser();
        }
        if (o.rows < 1) {
            die("--rows must be at least 1");
        }
        if (o.baselineRepeat < 1) {
            die("--baseline-repeat must be at least 1");
        }
        if (o.changedPercent < 0 || o.changedPercent > 100) {
            die("--changed-percent must be 0..100");
        }
        for (int s : o.scenarios) {
            if (s < 1 || s > 5) {
                die("--scenarios takes numbers 1..5");
            }
        }
        if (o.dataDir == null) {
            o.dataDir = o.workDir.resolve("data-" + o.rows + "-" + o.historyRows() + "-" + o.seed);
        }
        return o;
    }

    static void usage(PrintStream out) {
        out.println(String.join("\n",
                "usage: Benchmark [--url jdbc:mysql://127.0.0.1:3306/ | jdbc:postgresql://127.0.0.1:5432/] [--db-user root | postgres]",
                "                 --rows N [--history-rows M]",
                "                 [--launcher ./safeimport (default) | --jar importer-cli/target/safeimport.jar] [--java-opts -Xmx256m]",
                "                 [--scenarios 1,2,3,4,5] [--baselines-only] [--changed-percent 10] [--seed 42]",
                "                 [--work-dir bench/target/bench-work] [--data-dir D] [--regenerate]",
                "                 [--keep-databases] [--keep-files] [--timeout-minutes 120] [--env development]",
                "                 [--baseline-repeat 1 (median of K runs of each baseline load)]",
                "--mysql-url is the old name of --url. The database password, if any, is read from SAFEIMPORT_DB_PASSWORD (as the CLI does).",
                "Counts accept 1000000, 1_000_000, 100k, 1M."));
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            die(opt + " needs a value");
        }
        return args[i];
    }

    private static void die(String message) {
        System.err.println("bench: " + message);
        System.exit(2);
    }

    // ------------------------------------------------------------------ results

    /** One safeimport CLI invocation. */
    static final class Cmd {
        String label;
        List<String> argv;
        int exit = -1;
        double seconds;
        String stdout = "";
        List<String> stderrTail = List.of();
        JsonNode json;
        String problem;

        boolean ok() {
            return problem == null;
        }

        String status() {
            return json != null && json.hasNonNull("status") ? json.get("status").asText() : null;
        }

        long count(String name) {
            if (json == null || !json.has("counts") || !json.get("counts").has(name)) {
                return -1;
            }
            return json.get("counts").get(name).asLong(-1);
        }

        /** A per-table count ({@code tables.<table>.<name>}), or -1. */
        long tableCount(String table, String name) {
            if (json == null || !json.path("tables").path(table).has(name)) {
                return -1;
            }
            return json.get("tables").get(table).get(name).asLong(-1);
        }

        String counts() {
            if (json == null || !json.has("counts")) {
                return "(no counts)";
            }
            StringBuilder sb = new StringBuilder();
            json.get("counts").fields().forEachRemaining(e -> sb.append(sb.length() == 0 ? "" : " ")
                    .append(e.getKey()).append('=').append(e.getValue().asText()));
            return sb.toString();
        }
    }

    /** One line of the report table. */
    static final class Row {
        final int no;
        final String scenario;
        final String baselineName;
        final double target;
        Double safeimport;
        Double baseline;
        String failure;
        final List<String> notes = new ArrayList<>();

        Row(int no, String scenario, String baselineName, double target) {
            this.no = no;
            this.scenario = scenario;
            this.baselineName = baselineName;
            this.target = target;
        }

        Double ratio() {
            return safeimport != null && baseline != null && baseline > 0 ? safeimport / baseline : null;
        }

        String result() {
            if (failure != null) {
                return "FAIL (" + failure + ")";
            }
            Double r = ratio();
            if (r == null) {
                return safeimport == null ? "not run" : "n/a (no baseline)";
            }
            if (Double.isNaN(target)) {
                return "measured";
            }
            return r <= target ? "PASS" : "FAIL (slow)";
        }
    }

    // ------------------------------------------------------------------ state

    private final Options o;
    private final Server server;
    private final PrintStream log = System.err;
    private final String runId;
    private final Path runDir;
    private final List<String> createdDatabases = new ArrayList<>();
    private final Map<Integer, Row> rows = new LinkedHashMap<>();
    private final List<Cmd> failures = new ArrayList<>();
    private final List<String> checks = new ArrayList<>();
    private final List<String> info = new ArrayList<>();
    private volatile boolean cleanedUp;

    private Path usersCsv;
    private Path changedCsv;
    private Path headCsv;
    private Path historyCsv;
    private Path orgDir;
    private long changedRows;

    Benchmark(Options o) {
        this.o = o;
        this.server = o.server;
        this.runId = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
                + "_" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(1 << 16));
        this.runDir = o.workDir.resolve("run-" + runId).toAbsolutePath();
    }

    public static void main(String[] args) {
        Options o = parse(args);
        Benchmark b = new Benchmark(o);
        Runtime.getRuntime().addShutdownHook(new Thread(b::cleanup, "bench-cleanup"));
        int rc;
        try {
            rc = b.run();
        } catch (Exception e) {
            System.err.println("bench: " + e);
            rc = 1;
        } finally {
            b.cleanup();
        }
        System.exit(rc);
    }

    int run() throws Exception {
        Files.createDirectories(runDir);
        String n = fmt(o.rows);
        String changed = o.changedPercent + "%";
        rows.put(1, new Row(1, "fresh import, " + n + " users", server.load() + " into empty table", server.target(1)));
        rows.put(2, new Row(2, "re-import, " + changed + " changed", server.reload() + " over full table", server.target(2)));
        rows.put(3, new Row(3, "dry-run, " + n + " rows (" + changed + " changed)", server.load() + " into empty table", server.target(3)));
        rows.put(4, new Row(4, "rollback of the re-import", "the re-import itself (row 2)", server.target(4)));
        rows.put(5, new Row(5, "history, " + fmt(o.historyRows()) + " events / " + fmt(o.historyUsers()) + " users",
                server.load() + " into one table", server.target(5)));
        rows.keySet().retainAll(o.scenarios);

        try (Connection c = connect(null)) {
            machineInfo(c);
        } catch (SQLException e) {
            log.println("bench: cannot connect to " + o.url + " as " + o.dbUser + ": " + e.getMessage());
            return 6;
        }
        generateData();
        baselines();
        if (!o.baselinesOnly) {
            if (o.scenarios.stream().anyMatch(s -> s <= 4)) {
                usersChain();
            }
            if (o.scenarios.contains(5)) {
                historyChain();
            }
        } else {
            rows.values().forEach(r -> r.notes.add("safeimport not run (--baselines-only)"));
        }
        String report = report();
        System.out.print(report);
        System.out.flush();
        Path reportFile = o.workDir.resolve("report-" + runId + ".txt");
        Files.writeString(reportFile, report, StandardCharsets.UTF_8);
        log.println("bench: report written to " + reportFile);
        boolean allPass = rows.values().stream().allMatch(r -> r.result().equals("PASS"));
        return allPass ? 0 : 1;
    }

    // ------------------------------------------------------------------ data

    private void generateData() throws IOException {
        Path d = o.dataDir.toAbsolutePath();
        orgDir = d.resolve("org");
        usersCsv = d.resolve("users.csv");
        changedCsv = d.resolve("users_changed.csv");
        headCsv = d.resolve("users_head.csv");
        historyCsv = d.resolve("history.csv");
        Path marker = d.resolve("params.properties");
        Properties want = new Properties();
        want.setProperty("generator", GENERATOR_VERSION);
        want.setProperty("rows", Long.toString(o.rows));
        want.setProperty("historyRows", Long.toString(o.historyRows()));
        want.setProperty("historyUsers", Long.toString(o.historyUsers()));
        want.setProperty("seed", Long.toString(o.seed));
        want.setProperty("changedPercent", Integer.toString(o.changedPercent));
        if (!o.regenerate && Files.exists(marker)) {
            Properties have = new Properties();
            try (InputStream in = Files.newInputStream(marker)) {
                have.load(in);
            }
            String changedRowsText = have.getProperty("changedRows");
            have.remove("changedRows");
            if (have.equals(want) && changedRowsText != null
                    && Stream.of(usersCsv, changedCsv, headCsv, historyCsv, orgDir.resolve("teams.csv")).allMatch(Files::exists)) {
                changedRows = Long.parseLong(changedRowsText);
                info.add("data: reused " + d + " (--regenerate to rebuild)");
                log.println("bench: reusing generated data in " + d);
                return;
            }
        }
        Files.createDirectories(d);
        Files.deleteIfExists(marker);
        long t0 = System.nanoTime();
        log.printf(Locale.ROOT, "bench: generating %s users into %s%n", fmt(o.rows), d);
        DataGenerator.writeUsers(usersCsv, o.rows, o.seed);
        double tUsers = DataGenerator.secs(t0);
        DataGenerator.writeOrg(orgDir, o.rows, o.seed);
        long t1 = System.nanoTime();
        changedRows = DataGenerator.writeChanged(usersCsv, changedCsv, o.changedPercent, o.seed);
        double tChanged = DataGenerator.secs(t1);
        long t2 = System.nanoTime();
        DataGenerator.writeUsers(headCsv, o.historyUsers(), o.seed);
        double tHead = DataGenerator.secs(t2);
        long t3 = System.nanoTime();
        DataGenerator.writeHistory(historyCsv, o.historyUsers(), o.historyRows(), o.seed);
        double tHistory = DataGenerator.secs(t3);
        want.setProperty("changedRows", Long.toString(changedRows));
        try (OutputStream out = Files.newOutputStream(marker)) {
            want.store(out, "safeimport bench data; delete or use --regenerate to rebuild");
        }
        info.add(String.format(Locale.ROOT, "data: users.csv %s rows %s in %.1f s; users_changed.csv %s changed in %.1f s; "
                        + "users_head.csv %s rows in %.1f s; history.csv %s rows %s in %.1f s",
                fmt(o.rows), size(usersCsv), tUsers, fmt(changedRows), tChanged, fmt(o.historyUsers()), tHead,
                fmt(o.historyRows()), size(historyCsv), tHistory));
        log.println("bench: " + info.get(info.size() - 1));
    }

    private static String size(Path p) throws IOException {
        return String.format(Locale.ROOT, "(%.1f MB)", Files.size(p) / 1e6);
    }

    // ------------------------------------------------------------------ JDBC

    /** A connection to {@code db}, or to the server's administrative database when it is null. */
    private Connection connect(String db) throws SQLException {
        return server.connect(db, o.dbUser, o.dbPassword);
    }

    private String createDatabase(String suffix) throws SQLException {
        String name = "safeimport_bench_" + runId + "_" + suffix;
        try (Connection c = connect(null)) {
            server.createDatabase(c, name);
        }
        synchronized (createdDatabases) {
            createdDatabases.add(name);
        }
        return name;
    }

    private void machineInfo(Connection c) throws SQLException {
        info.add("date: " + DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "?";
        }
        info.add("machine: " + host + ", nproc " + Runtime.getRuntime().availableProcessors() + ", " + cpuModel()
                + ", " + memTotal() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        info.add("server: " + server.describe(c));
        if (o.launcher == null && !Files.isRegularFile(o.jar)) {
            info.add("WARNING: " + o.jar.toAbsolutePath() + " does not exist (build it: mvn -q -B package -DskipTests); "
                    + "the safeimport scenarios will fail");
        }
        if (o.launcher != null) {
            info.add("launcher: " + warmLauncher());
        }
        info.add("java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + "; safeimport run as " + (o.launcher != null ? o.launcher + " with JAVA_OPTS=" + o.javaOpts
                : o.java + " " + o.javaOpts + " -jar " + o.jar));
    }

    /**
     * Runs {@code launcher --version} once, untimed, so that a launcher which finds its jar older than
     * the sources builds it now and not inside the first timed command; what it printed, or a warning.
     */
    private String warmLauncher() {
        Path err = null;
        try {
            err = Files.createTempFile("safeimport-bench-launcher", ".stderr");
            Process p = process(List.of(o.launcher.toAbsolutePath().toString(), "--version"))
                    .redirectError(err.toFile()) // the launcher's build messages; the version is on stdout
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int rc = p.waitFor();
            if (rc == 0) {
                return out + " (" + o.launcher + " --version, untimed)";
            }
            List<String> last = tail(err, 1);
            return "WARNING: " + o.launcher + " --version exited " + rc + (last.isEmpty() ? "" : ": " + last.get(0))
                    + "; the safeimport scenarios will fail";
        } catch (IOException e) {
            return "WARNING: cannot run " + o.launcher + ": " + e.getMessage() + "; the safeimport scenarios will fail";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "WARNING: interrupted while running " + o.launcher + " --version";
        } finally {
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("cpu ?");
        } catch (IOException | UncheckedIOException e) {
            return "cpu ?";
        }
    }

    private static String memTotal() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal")).findFirst()
                    .map(l -> (Long.parseLong(l.replaceAll("[^0-9]", "")) >> 20) + " GiB RAM").orElse("RAM ?");
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            return "RAM ?";
        }
    }

    // ------------------------------------------------------------------ baselines

    /** One of the server's timed loads ({@link Server#loadUsers}, ...): the rows it reports. */
    @FunctionalInterface
    interface Load {
        long run() throws SQLException, IOException;
    }

    private Double timedLoad(Connection c, String what, Load load, long expectedRows, String table, List<String> notes) {
        try {
            long t0 = System.nanoTime();
            long affected = load.run();
            double secs = DataGenerator.secs(t0);
            long warnings = server.warnings(c);
            long count = Long.parseLong(scalar(c, "SELECT COUNT(*) FROM " + table));
            log.printf(Locale.ROOT, "bench: baseline %s: %.3f s (%s rows affected, %d warnings, %s rows in table)%n",
                    what, secs, fmt(affected), warnings, fmt(count));
            if (count != expectedRows) {
                notes.add("baseline " + what + ": table holds " + fmt(count) + " rows, expected " + fmt(expectedRows));
            }
            if (warnings != 0) {
                notes.add("baseline " + what + ": " + warnings + " warnings");
            }
            return secs;
        } catch (SQLException | IOException | RuntimeException e) {
            notes.add("baseline " + what + " failed: " + e.getMessage());
            log.println("bench: baseline " + what + " failed: " + e.getMessage());
            return null;
        }
    }

    private void baselines() {
        boolean users = o.scenarios.stream().anyMatch(s -> s <= 3);
        boolean history = o.scenarios.contains(5);
        if (!users && !history) {
            return;
        }
        try {
            String db = createDatabase("baseline");
            try (Connection c = connect(db)) {
                if (users) {
                    userBaselines(c);
                }
                if (history) {
                    List<String> notes = new ArrayList<>();
                    List<Double> times = new ArrayList<>();
                    for (int rep = 1; rep <= o.baselineRepeat; rep++) {
                        server.createHistoryTable(c);
                        Double h = timedLoad(c, server.load() + " history.csv" + repeatTag(rep), () -> server.loadHistory(c, historyCsv),
                                o.historyRows(), "history_csv", notes);
                        if (h == null) {
                            break;
                        }
                        times.add(h);
                    }
                    setBaseline(5, median(times, notes), notes);
                }
            }
        } catch (SQLException e) {
            log.println("bench: baselines failed: " + e.getMessage());
            rows.values().forEach(r -> {
                if (r.no != 4 && r.baseline == null) {
                    r.notes.add("baseline failed: " + e.getMessage());
                }
            });
        }
    }

    /** Rows 1 and 3: users.csv into the empty user_csv; row 2: users_changed.csv over it, right after each. */
    private void userBaselines(Connection c) throws SQLException {
        List<String> notes = new ArrayList<>();
        List<String> replaceNotes = new ArrayList<>();
        List<Double> fresh = new ArrayList<>();
        List<Double> replace = new ArrayList<>();
        for (int rep = 1; rep <= o.baselineRepeat; rep++) {
            server.createUserTable(c);
            Double f = timedLoad(c, server.load() + " users.csv" + repeatTag(rep), () -> server.loadUsers(c, usersCsv),
                    o.rows, "user_csv", notes);
            if (f == null) {
                break;
            }
            fresh.add(f);
            if (o.scenarios.contains(2)) {
                Long before = server.sequencePosition(c, "user_csv");
                Double r = timedLoad(c, server.reload() + " users_changed.csv" + repeatTag(rep), () -> server.reloadUsers(c, changedCsv),
                        o.rows, "user_csv", replaceNotes);
                Long after = server.sequencePosition(c, "user_csv");
                if (r == null) {
                    break;
                }
                replace.add(r);
                if (rep == 1) {
                    checks.add("baseline user_csv " + server.sequence() + ": " + before + " before " + server.reload() + ", " + after
                            + " after (" + server.reloadMovesSequence() + ")");
                }
            }
        }
        Double freshTime = median(fresh, notes);
        setBaseline(1, freshTime, notes);
        setBaseline(3, freshTime, notes);
        setBaseline(2, median(replace, replaceNotes), replaceNotes);
    }

    private String repeatTag(int rep) {
        return o.baselineRepeat > 1 ? " #" + rep : "";
    }

    /** Median of the samples (null when there are none); with several samples, a note lists them all. */
    private static Double median(List<Double> samples, List<String> notes) {
        if (samples.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(samples);
        sorted.sort(Double::compare);
        int n = sorted.size();
        double m = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        if (n > 1) {
            notes.add("baseline median of " + n + " runs: " + samples.stream().map(Benchmark::secs).collect(Collectors.joining(", ")));
        }
        return m;
    }

    private void setBaseline(int scenario, Double secs, List<String> notes) {
        Row r = rows.get(scenario);
        if (r != null) {
            r.baseline = secs;
            r.notes.addAll(notes);
        }
    }

    // ------------------------------------------------------------------ safeimport

    private List<String> cliPrefix(String db, Path snapshots, Path logs) {
        List<String> argv = new ArrayList<>();
        if (o.launcher != null) {
            argv.add(o.launcher.toAbsolutePath().toString());
        } else {
            argv.add(o.java);
            argv.addAll(Arrays.asList(o.javaOpts.trim().split("\\s+")));
            argv.removeIf(String::isEmpty);
            argv.add("-jar");
            argv.add(o.jar.toAbsolutePath().toString());
        }
        argv.addAll(List.of("--db", Server.withDatabase(o.url, db), "--db-user", o.dbUser,
                "--snapshot-dir", snapshots.toString(), "--log-dir", logs.toString()));
        return argv;
    }

    /**
     * A safeimport process as an operator would start it: stdin closed (no terminal), the heap in
     * {@code JAVA_OPTS} for the launcher, the password (if any) in {@code SAFEIMPORT_DB_PASSWORD}.
     */
    private ProcessBuilder process(List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (o.launcher != null) {
            pb.environment().put("JAVA_OPTS", o.javaOpts);
        }
        if (!o.dbPassword.isEmpty()) {
            pb.environment().put("SAFEIMPORT_DB_PASSWORD", o.dbPassword);
        }
        return pb;
    }

    /** Runs one CLI command as a subprocess (stdin closed, no terminal), timing it from start to exit. */
    private Cmd cli(String label, String db, String... args) {
        Path dir = runDir.resolve(db);
        Cmd cmd = new Cmd();
        cmd.label = label;
        cmd.argv = new ArrayList<>(cliPrefix(db, dir.resolve("snapshots"), dir.resolve("logs")));
        cmd.argv.addAll(Arrays.asList(args));
        log.println("bench: " + label + ": " + String.join(" ", cmd.argv));
        try {
            Files.createDirectories(dir);
            String tag = label.replaceAll("[^A-Za-z0-9]+", "_");
            Path out = dir.resolve(tag + ".stdout");
            Path err = dir.resolve(tag + ".stderr");
            ProcessBuilder pb = process(cmd.argv)
                    .directory(dir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            boolean done = p.waitFor(o.timeoutMinutes, TimeUnit.MINUTES);
            cmd.seconds = DataGenerator.secs(t0);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
                cmd.problem = "timed out after " + o.timeoutMinutes + " min";
            } else {
                cmd.exit = p.exitValue();
            }
            cmd.stdout = Files.readString(out, StandardCharsets.UTF_8);
            cmd.stderrTail = tail(err, 15);
            cmd.json = parseJson(cmd.stdout);
            if (cmd.problem == null && cmd.exit != 0) {
                cmd.problem = "exit " + cmd.exit;
            }
        } catch (IOException e) {
            cmd.problem = "could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cmd.problem = "interrupted";
        }
        log.printf(Locale.ROOT, "bench: %s: %s in %.3f s%s%n", label, cmd.ok() ? "ok" : cmd.problem, cmd.seconds,
                cmd.json != null ? ", status " + cmd.status() + ", " + cmd.counts() : "");
        if (!cmd.ok()) {
            failures.add(cmd);
        }
        return cmd;
    }

    /** The last {@code lines} lines of a file, reading at most its last 64 KiB (a CLI may log a lot on stderr). */
    static List<String> tail(Path file, int lines) throws IOException {
        long size = Files.size(file);
        int n = (int) Math.min(size, 64 * 1024);
        byte[] buf = new byte[n];
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(size - n);
            f.readFully(buf);
        }
        List<String> all = new String(buf, StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        if (n < size && !all.isEmpty()) {
            all.remove(0); // probably cut in the middle
        }
        return new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    static JsonNode parseJson(String stdout) {
        String s = stdout.trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(s);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (IOException ignored) {
            // fall through: maybe something else was printed before the object
        }
        String[] lines = s.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].trim().startsWith("{")) {
                try {
                    JsonNode n = JSON.readTree(String.join("\n", Arrays.copyOfRange(lines, i, lines.length)));
                    if (n != null && n.isObject()) {
                        return n;
                    }
                } catch (IOException ignored) {
                    // keep looking
                }
            }
        }
        return null;
    }

    /** Requires a JSON object with the given status; turns any deviation into the command's problem. */
    private boolean expect(Cmd cmd, String status) {
        if (cmd.ok()) {
            if (cmd.json == null) {
                cmd.problem = "no JSON object on stdout";
            } else if (!status.equals(cmd.status())) {
                cmd.problem = "status " + cmd.status() + ", expected " + status;
            }
            if (!cmd.ok()) {
                failures.add(cmd);
            }
        }
        return cmd.ok();
    }

    /** db migrate, then ladders and the org files one by one (leaders are created as placeholder users). */
    private Cmd setup(String db) {
        List<String> migrate = new ArrayList<>(List.of("db", "migrate"));
        if (o.env != null) {
            migrate.addAll(List.of("--env", o.env));
        }
        Cmd m = cli("setup: db migrate", db, migrate.toArray(String[]::new));
        if (!m.ok()) {
            return m;
        }
        Cmd l = cli("setup: import ladders", db, "import", "ladders", "--csv", orgDir.resolve("ladders.csv").toString(), "--output", "json");
        if (!expect(l, "committed")) {
            return l;
        }
        for (String f : List.of("organizations", "chapters", "tribes", "teams")) {
            List<String> args = new ArrayList<>(List.of("import", "org", "--csv", orgDir.resolve(f + ".csv").toString(), "--output", "json"));
            if (!f.equals("organizations")) {
                args.add("--create-users"); // leader_email names people that the users import brings later
            }
            Cmd c = cli("setup: import org " + f, db, args.toArray(String[]::new));
            if (!expect(c, "committed")) {
                return c;
            }
        }
        return null;
    }

    private void fail(int scenario, String why) {
        Row r = rows.get(scenario);
        if (r != null && r.failure == null) {
            r.failure = why;
        }
    }

    private void record(int scenario, Cmd cmd) {
        Row r = rows.get(scenario);
        if (r == null) {
            return;
        }
        if (cmd.ok()) {
            r.safeimport = cmd.seconds;
        } else {
            r.failure = cmd.problem;
        }
        if (cmd.json != null) {
            r.notes.add("safeimport " + cmd.status() + ": " + cmd.counts()
                    + (cmd.json.hasNonNull("snapshot_id") ? ", snapshot " + cmd.json.get("snapshot_id").asText() : ""));
        }
    }

    private void expectCount(int scenario, Cmd cmd, String name, long expected) {
        Row r = rows.get(scenario);
        long got = cmd.count(name);
        if (r != null && cmd.json != null && got != expected) {
            r.notes.add("check: counts." + name + " = " + (got < 0 ? "missing" : fmt(got)) + ", expected " + fmt(expected));
        }
    }

    /** Scenarios 1-4 in one fresh database: fresh import, dry-run of the changed file, re-import, rollback. */
    private void usersChain() {
        String db;
        try {
            db = createDatabase("users");
        } catch (SQLException e) {
            for (int s = 1; s <= 4; s++) {
                fail(s, "create database: " + e.getMessage());
            }
            return;
        }
        Cmd setupFailure = setup(db);
        if (setupFailure != null) {
            for (int s = 1; s <= 4; s++) {
                fail(s, "setup failed: " + setupFailure.label.replace("setup: ", "") + ", " + setupFailure.problem);
            }
            return;
        }
        Cmd s1 = cli("1 fresh import users", db, "import", "users", "--csv", usersCsv.toString(), "--output", "json");
        expect(s1, "committed");
        record(1, s1);
        if (s1.json != null && s1.count("insert") + Math.max(0, s1.count("update")) != o.rows) {
            Row r = rows.get(1);
            if (r != null) {
                r.notes.add("check: insert + update = " + fmt(s1.count("insert") + Math.max(0, s1.count("update")))
                        + ", expected " + fmt(o.rows) + " (leaders already exist as --create-users placeholders)");
            }
        }
        if (!s1.ok()) {
            for (int s = 2; s <= 4; s++) {
                fail(s, "needs scenario 1");
            }
            return;
        }
        if (rows.containsKey(1)) {
            schemaFloor(db, s1.seconds);
        }
        try (Connection c = connect(db)) {
            String afterFresh = server.checksum(c, "app_user");
            Long aiFresh = server.sequencePosition(c, "app_user");
            long runsBefore = runCount(c);

            if (o.scenarios.contains(3)) {
                Cmd s3 = cli("3 dry-run users_changed", db, "import", "users", "--csv", changedCsv.toString(), "--dry-run", "--output", "json");
                expect(s3, "planned");
                record(3, s3);
                expectCount(3, s3, "update", changedRows);
                expectCount(3, s3, "insert", 0);
                String afterDry = server.checksum(c, "app_user");
                long runsAfter = runCount(c);
                Long aiDry = server.sequencePosition(c, "app_user");
                boolean untouched = afterDry.equals(afterFresh) && runsAfter == runsBefore && Objects.equals(aiDry, aiFresh);
                checks.add("dry-run changed nothing (app_user " + afterDry + ", " + server.sequence() + " " + aiDry + ", safeimport_run rows "
                        + runsBefore + " -> " + runsAfter + "): " + (untouched ? "PASS" : "FAIL"));
            }

            if (!o.scenarios.contains(2) && !o.scenarios.contains(4)) {
                return;
            }
            Long aiBefore = server.sequencePosition(c, "app_user");
            Cmd s2 = cli("2 re-import users_changed", db, "import", "users", "--csv", changedCsv.toString(), "--output", "json");
            expect(s2, "committed");
            record(2, s2);
            expectCount(2, s2, "update", changedRows);
            expectCount(2, s2, "insert", 0);
            Long aiAfter = server.sequencePosition(c, "app_user");
            long inserted = s2.count("insert");
            String verdict;
            if (!s2.ok()) {
                verdict = "n/a (re-import failed)";
            } else if (inserted == 0 || inserted < 0) {
                verdict = Objects.equals(aiBefore, aiAfter) ? "PASS" : "FAIL (moved by " + (aiAfter == null || aiBefore == null ? "?" : aiAfter - aiBefore) + ")";
            } else {
                verdict = "n/a (" + fmt(inserted) + " inserted)";
            }
            checks.add(server.sequence() + " app_user before re-import " + aiBefore + ", after " + aiAfter
                    + " (must not move when nothing is inserted): " + verdict);
            if (!s2.ok()) {
                fail(4, "needs scenario 2");
                return;
            }
            if (!o.scenarios.contains(4)) {
                return;
            }
            String snapshot = s2.json != null && s2.json.hasNonNull("snapshot_id") ? s2.json.get("snapshot_id").asText() : null;
            if (snapshot == null || snapshot.isBlank()) {
                fail(4, "re-import printed no snapshot_id");
                return;
            }
            Cmd s4 = cli("4 rollback re-import", db, "rollback", snapshot, "--yes", "--output", "json");
            expect(s4, "restored");
            Row r4 = rows.get(4);
            if (s4.ok()) {
                r4.safeimport = s4.seconds;
                r4.baseline = s2.seconds;
            } else {
                r4.failure = s4.problem;
            }
            if (s4.json != null) {
                r4.notes.add("rollback " + s4.status() + (s4.json.hasNonNull("safety_snapshot_id")
                        ? ", safety snapshot " + s4.json.get("safety_snapshot_id").asText() : ""));
            }
            String afterRollback = server.checksum(c, "app_user");
            checks.add("rollback restored app_user exactly as after the fresh import (" + afterRollback + "): "
                    + (afterRollback.equals(afterFresh) ? "PASS" : "FAIL (after fresh import: " + afterFresh + ")"));
        } catch (SQLException e) {
            log.println("bench: users chain: " + e.getMessage());
            for (int s = 2; s <= 4; s++) {
                fail(s, "JDBC: " + e.getMessage());
            }
        }
    }

    /** Tables app_user's foreign keys need, parents first, copied into the floor database (leaders left out: they are users). */
    static final List<String> FLOOR_PARENTS = List.of("ladder", "ladder_aspect", "ladder_level", "organization", "chapter", "tribe", "team");

    static final String FLOOR_COLUMNS = "id, email, first_name, last_name, title, team_id, chapter_id, level_id, manager_id, hired_on, active";

    /**
     * The reference schema's own floor for scenario 1: the rows the fresh import wrote, with every
     * reference already an id, loaded by one {@link Server#load()} in one transaction into an empty
     * {@code app_user} of a database migrated by safeimport (its foreign keys to team, chapter,
     * level and manager, its unique e-mail and their indexes), which the baseline's user_csv lacks.
     * No tool that writes app_user with its constraints on can beat it. Reported as a note of row 1.
     * The clock stops before the commit, as it always has on MySQL.
     */
    private void schemaFloor(String usersDb, double safeimportSeconds) {
        Row r1 = rows.get(1);
        String floorDb;
        try {
            floorDb = createDatabase("floor");
        } catch (SQLException e) {
            r1.notes.add("schema floor not measured: " + e.getMessage());
            return;
        }
        if (!cli("setup: db migrate (floor)", floorDb, "db", "migrate").ok()) {
            r1.notes.add("schema floor not measured: db migrate failed");
            return;
        }
        Path file = runDir.resolve("app_user-resolved.txt");
        try (Connection users = connect(usersDb); Connection floor = connect(floorDb)) {
            server.copyFloorParents(users, floor, FLOOR_PARENTS);
            for (String t : List.of("chapter", "tribe", "team")) {
                exec(floor, "UPDATE " + t + " SET leader_id = NULL");
            }
            long forward = server.exportFloorRows(users, FLOOR_COLUMNS, file);
            floor.setAutoCommit(false);
            Double secs = timedLoad(floor, server.load() + " into app_user itself", () -> server.loadFloor(floor, FLOOR_COLUMNS, file),
                    o.rows, "app_user", r1.notes);
            floor.commit();
            floor.setAutoCommit(true);
            if (secs != null) {
                r1.notes.add(String.format(Locale.ROOT, "reference, no target: %s of the same %s rows with every reference an id"
                        + " into app_user itself (its 4 foreign keys, unique e-mail, indexes), one transaction: %.3f s;"
                        + " the baseline's user_csv has none of those. safeimport / that = %.2fx%s", server.load(), fmt(o.rows), secs,
                        safeimportSeconds / secs, forward == 0 ? "" : " (" + fmt(forward) + " managers loaded as NULL: they come after their report)"));
            }
        } catch (SQLException | IOException e) {
            r1.notes.add("schema floor not measured: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // in the run directory; removed with it
            }
        }
    }

    private static long runCount(Connection c) {
        try {
            return Long.parseLong(scalar(c, "SELECT COUNT(*) FROM safeimport_run"));
        } catch (SQLException | RuntimeException e) {
            return -1;
        }
    }

    /** Scenario 5 in its own fresh database: setup, the first N/10 users (untimed), then the history import. */
    private void historyChain() {
        String db;
        try {
            db = createDatabase("history");
        } catch (SQLException e) {
            fail(5, "create database: " + e.getMessage());
            return;
        }
        Cmd setupFailure = setup(db);
        if (setupFailure != null) {
            fail(5, "setup failed: " + setupFailure.label.replace("setup: ", "") + ", " + setupFailure.problem);
            return;
        }
        Cmd users = cli("setup: import users_head", db, "import", "users", "--csv", headCsv.toString(), "--output", "json");
        if (!expect(users, "committed")) {
            fail(5, "setup failed: import users_head, " + users.problem);
            return;
        }
        Cmd s5 = cli("5 import history", db, "import", "history", "--csv", historyCsv.toString(), "--output", "json");
        expect(s5, "committed");
        record(5, s5);
        // each event may also make a compensation and a seniority snapshot: count the events themselves
        Row r5 = rows.get(5);
        long events = s5.tableCount("timeline_event", "insert");
        if (r5 != null && s5.json != null && events != o.historyRows()) {
            r5.notes.add("check: tables.timeline_event.insert = " + (events < 0 ? "missing" : fmt(events)) + ", expected " + fmt(o.historyRows()));
        }
    }

    // ------------------------------------------------------------------ report

    private String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("\nsafeimport benchmark ").append(runId).append('\n');
        info.forEach(l -> sb.append("  ").append(l).append('\n'));
        sb.append('\n');
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"#", "scenario", "safeimport", "baseline", "baseline time", "ratio", "target", "result"});
        for (Row r : rows.values()) {
            Double ratio = r.ratio();
            table.add(new String[] {
                Integer.toString(r.no), r.scenario, secs(r.safeimport), r.baselineName, secs(r.baseline),
                ratio == null ? "-" : String.format(Locale.ROOT, "%.2fx", ratio),
                Double.isNaN(r.target) ? "none" : String.format(Locale.ROOT, "<= %.1fx", r.target), r.result()});
        }
        int[] w = new int[table.get(0).length];
        for (String[] line : table) {
            for (int i = 0; i < line.length; i++) {
                w[i] = Math.max(w[i], line[i].length());
            }
        }
        for (int li = 0; li < table.size(); li++) {
            String[] line = table.get(li);
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                boolean right = i == 2 || i == 4 || i == 5;
                String cell = line[i];
                String pad = " ".repeat(w[i] - cell.length());
                l.append(i == 0 ? "" : " | ").append(right ? pad + cell : cell + (i == line.length - 1 ? "" : pad));
            }
            sb.append(l).append('\n');
            if (li == 0) {
                sb.append(Arrays.stream(w).mapToObj("-"::repeat).collect(Collectors.joining("-|-"))).append('\n');
            }
        }
        sb.append("ratio = safeimport / baseline (wall time; safeimport includes JVM start-up); PASS when ratio <= target; measured where the server has no target for the scenario.\n");
        boolean anyNotes = rows.values().stream().anyMatch(r -> !r.notes.isEmpty());
        if (anyNotes) {
            sb.append("\nnotes:\n");
            for (Row r : rows.values()) {
                r.notes.forEach(n -> sb.append("  ").append(r.no).append(": ").append(n).append('\n'));
            }
        }
        if (!checks.isEmpty()) {
            sb.append("\nchecks:\n");
            checks.forEach(c -> sb.append("  ").append(c).append('\n'));
        }
        if (!failures.isEmpty()) {
            sb.append("\nfailed commands:\n");
            for (Cmd c : failures) {
                sb.append("  ").append(c.label).append(": ").append(c.problem)
                        .append(c.exit > 0 && !c.problem.startsWith("exit") ? " (exit code " + c.exit + ")" : "").append('\n');
                sb.append("    $ ").append(String.join(" ", c.argv)).append('\n');
                if (!c.stdout.isBlank()) {
                    String[] out = c.stdout.strip().split("\n");
                    sb.append("    stdout (last line): ").append(abbreviate(out[out.length - 1], 300)).append('\n');
                }
                if (c.stderrTail.isEmpty()) {
                    sb.append("    stderr: (empty)\n");
                } else {
                    sb.append("    stderr (tail):\n");
                    c.stderrTail.forEach(e -> sb.append("      ").append(abbreviate(e, 300)).append('\n'));
                }
            }
        }
        return sb.toString();
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    static String secs(Double s) {
        return s == null ? "-" : String.format(Locale.ROOT, "%.3f s", s);
    }

    static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    // ------------------------------------------------------------------ cleanup

    synchronized void cleanup() {
        if (cleanedUp) {
            return;
        }
        cleanedUp = true;
        List<String> dbs;
        synchronized (createdDatabases) {
            dbs = new ArrayList<>(createdDatabases);
        }
        if (!dbs.isEmpty()) {
            if (o.keepDatabases) {
                log.println("bench: kept databases " + String.join(", ", dbs));
            } else {
                try (Connection c = connect(null)) {
                    for (String db : dbs) {
                        server.dropDatabase(c, db);
                    }
                    log.println("bench: dropped databases " + String.join(", ", dbs));
                } catch (SQLException e) {
                    log.println("bench: could not drop " + String.join(", ", dbs) + ": " + e.getMessage());
                }
            }
        }
        if (Files.exists(runDir)) {
            if (o.keepFiles) {
                log.println("bench: kept snapshots, logs and command output in " + runDir);
            } else {
                try (Stream<Path> walk = Files.walk(runDir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException | UncheckedIOException e) {
                    log.println("bench: could not delete " + runDir + ": " + e.getMessage());
                }
            }
        }
    }
}
