package io.safeimport.bench;

import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A declared importer against the built-in one (issue 18, DESIGN.md §7): the same users file
 * imported by {@code import users} and by an importer declared in {@code safeimport.yml} over the
 * same reference {@code app_user} table, each into its own fresh database set up alike (the org
 * structure first), timed from process start to exit with the JVM's CPU seconds from
 * {@code /usr/bin/time}. The runs alternate (built-in, declared, built-in, ...), so that the
 * machine's drift hits both alike. The file has no {@code ladder}/{@code level} columns: a level is
 * named by a composite key, which a declared reference cannot express yet.
 *
 * <pre>java -cp bench/target/safeimport-bench.jar io.safeimport.bench.DeclaredBench --rows 1000000 --repeat 2</pre>
 */
public final class DeclaredBench {
    private static final String HEADER = "email,first_name,last_name,title,team,chapter,manager_email,hired_on,active";
    private static final String CONFIG = """
            importers:
              people:
                table: app_user
                key: [email]
                columns:
                  email: {column: email, format: email}
                  first_name: first_name
                  last_name: last_name
                  title: title
                  team: {column: team_id, ref: team.team}
                  chapter: {column: chapter_id, ref: chapter.chapter}
                  manager_email: {column: manager_id, ref: app_user.email, format: email}
                  hired_on: hired_on
                  active: active
            """;

    private String url = "jdbc:mysql://127.0.0.1:3306/";
    private String user;
    private long rows = 1_000_000;
    private int repeat = 1;
    private Path launcher = Path.of("./safeimport");
    private String javaOpts = "-Xmx256m";
    private Path work = Path.of("bench/target/declared-work");
    private Server server;

    public static void main(String[] args) throws Exception {
        DeclaredBench b = new DeclaredBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> b.url = args[++i];
                case "--db-user" -> b.user = args[++i];
                case "--rows" -> b.rows = DataGenerator.parseCount(args[++i]);
                case "--repeat" -> b.repeat = Integer.parseInt(args[++i]);
                case "--launcher" -> b.launcher = Path.of(args[++i]);
                case "--java-opts" -> b.javaOpts = args[++i];
                case "--work-dir" -> b.work = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: DeclaredBench [--url U] [--db-user U] [--rows N] [--repeat K] [--launcher L]"
                            + " [--java-opts O] [--work-dir D]");
                    System.exit(2);
                }
            }
        }
        b.server = Server.forUrl(b.url);
        if (b.user == null) {
            b.user = b.server.defaultUser();
        }
        System.exit(b.run());
    }

    private int run() throws IOException, SQLException, InterruptedException {
        Files.createDirectories(work);
        Path csv = work.resolve("users.csv");
        Path org = work.resolve("org");
        Path config = Files.writeString(work.resolve("safeimport.yml"), CONFIG);
        long t0 = System.nanoTime();
        writeUsers(csv);
        DataGenerator.writeOrg(org, rows, 42);
        System.out.printf(Locale.ROOT, "data: %s users in %.1f s (%s)%n", Benchmark.fmt(rows), DataGenerator.secs(t0), csv);
        List<String> lines = new ArrayList<>();
        int failed = 0;
        for (int r = 0; r < repeat; r++) {
            double[] builtIn = timedImport("builtin" + r, org, List.of("import", "users", "--csv", csv.toAbsolutePath().toString()));
            double[] declared = timedImport("declared" + r, org, List.of("--config", config.toAbsolutePath().toString(),
                    "import", "people", "--csv", csv.toAbsolutePath().toString()));
            if (builtIn == null || declared == null) {
                failed++;
                continue;
            }
            lines.add(String.format(Locale.ROOT, "run %d: built-in %.1f s (JVM CPU %.1f s), declared %.1f s (JVM CPU %.1f s):"
                    + " declared / built-in = %.3f wall, %.3f CPU", r + 1, builtIn[0], builtIn[1], declared[0], declared[1],
                    declared[0] / builtIn[0], declared[1] / builtIn[1]));
            System.out.println(lines.get(lines.size() - 1));
        }
        System.out.println();
        System.out.println("declared importer vs import users, " + Benchmark.fmt(rows) + " users, fresh database each, "
                + server.getClass().getSimpleName() + " at " + url + ", JAVA_OPTS=" + javaOpts);
        lines.forEach(System.out::println);
        return failed == 0 ? 0 : 1;
    }

    /** A users file without ladder and level, otherwise the benchmark's own users. */
    private void writeUsers(Path file) throws IOException {
        try (Writer w = DataGenerator.open(file)) {
            StringBuilder sb = new StringBuilder(1 << 17);
            sb.append(HEADER).append('\n');
            for (long i = 0; i < rows; i++) {
                DataGenerator.User u = DataGenerator.user(42, i, rows);
                Csv.field(sb, u.email);
                for (String v : new String[] {u.firstName, u.lastName, u.title, u.team, u.chapter, u.managerEmail}) {
                    sb.append(',');
                    Csv.field(sb, v);
                }
                sb.append(',').append(LocalDate.ofEpochDay(u.hiredOn)).append(',').append(u.active).append('\n');
                if (sb.length() > 1 << 16) {
                    w.append(sb);
                    sb.setLength(0);
                }
            }
            w.append(sb);
        }
    }

    /** A fresh database with the org structure, then the timed import: {wall seconds, JVM CPU seconds}, or null when it failed. */
    private double[] timedImport(String tag, Path org, List<String> args) throws SQLException, IOException, InterruptedException {
        String db = "safeimport_declbench_" + tag + "_" + ProcessHandle.current().pid();
        try (Connection c = server.connect(null, user, "")) {
            server.createDatabase(c, db);
        }
        try {
            Path dir = Files.createDirectories(work.resolve(tag));
            if (cli(dir, db, List.of("db", "migrate"), null) == null
                    || cli(dir, db, List.of("import", "ladders", "--csv", org.resolve("ladders.csv").toAbsolutePath().toString()), null) == null) {
                return null;
            }
            for (String f : List.of("organizations", "chapters", "tribes", "teams")) {
                List<String> a = new ArrayList<>(List.of("import", "org", "--csv", org.resolve(f + ".csv").toAbsolutePath().toString()));
                if (!f.equals("organizations")) {
                    a.add("--create-users");
                }
                if (cli(dir, db, a, null) == null) {
                    return null;
                }
            }
            return cli(dir, db, args, dir.resolve("time.txt"));
        } finally {
            try (Connection c = server.connect(null, user, "")) {
                server.dropDatabase(c, db);
            }
        }
    }

    /** Runs the CLI; with {@code timeFile}, under {@code /usr/bin/time}: {wall, user+sys}. Null when it failed. */
    private double[] cli(Path dir, String db, List<String> args, Path timeFile) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        if (timeFile != null) {
            argv.addAll(List.of("/usr/bin/time", "-f", "%e %U %S", "-o", timeFile.toString()));
        }
        argv.add(launcher.toAbsolutePath().toString());
        argv.addAll(List.of("--db", Server.withDatabase(url, db), "--db-user", user, "--snapshot-dir", dir.resolve("snapshots").toString(),
                "--log-dir", dir.resolve("logs").toString()));
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("JAVA_OPTS", javaOpts);
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0) {
            p.destroyForcibly();
            System.err.println("failed: " + String.join(" ", argv) + "\n" + Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
            return null;
        }
        double wall = DataGenerator.secs(t0);
        if (timeFile == null) {
            return new double[] {wall, 0};
        }
        String[] t = Files.readString(timeFile).trim().split("\\s+");
        return new double[] {wall, Double.parseDouble(t[t.length - 2]) + Double.parseDouble(t[t.length - 1])};
    }
}
