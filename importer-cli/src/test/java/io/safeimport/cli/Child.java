package io.safeimport.cli;

import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * safeimport in a child process (its own JVM, as an operator runs it) against a test database,
 * with its audit logs in a folder of its own: a test can wait for a step in its log, then kill it
 * with SIGKILL or run something beside it.
 */
final class Child implements AutoCloseable {
    final Process process;
    final Path logs;
    private final Path output;

    private Child(Process process, Path logs, Path output) {
        this.process = process;
        this.logs = logs;
        this.output = output;
    }

    /** Starts {@code safeimport --db ... --snapshot-dir DIR/snapshots --log-dir LOGS ARGS...}. */
    static Child start(TestDatabase db, Path dir, Path logs, String... args) throws IOException {
        return start(null, db.settings().url(), db, dir, logs, args);
    }

    /**
     * Like {@link #start(TestDatabase, Path, Path, String...)}, with the run's test gates in
     * {@code gates} ({@code StepGate}: the child stops at each step the test {@link #hold}s until the
     * test lets it go) and the database at {@code url} (the test database's, with settings of the test's own).
     */
    static Child start(Path gates, String url, TestDatabase db, Path dir, Path logs, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (gates != null) {
            cmd.add("-Dsafeimport.test.gates=" + gates);
        }
        // a heap limit the tests run under (mvn -DargLine=-Xmx256m) holds for the child too
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx")).forEach(cmd::add);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SafeImport.class.getName(), "--db", url));
        if (db.settings().user() != null) {
            cmd.addAll(List.of("--db-user", db.settings().user()));
        }
        cmd.addAll(List.of("--snapshot-dir", dir.resolve("snapshots").toString(), "--log-dir", logs.toString()));
        cmd.addAll(Arrays.asList(args));
        Files.createDirectories(logs);
        Path output = Files.createTempFile(dir, "child-", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
        if (db.settings().password() != null && !db.settings().password().isEmpty()) {
            pb.environment().put("SAFEIMPORT_DB_PASSWORD", db.settings().password());
        }
        return new Child(pb.start(), logs, output);
    }

    /** Waits until a log in this child's folder has {@code marker}; {@code false} if the child ended first or time ran out. */
    boolean awaitLog(String marker, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (logHas(marker)) {
                return process.isAlive();
            }
            if (!process.isAlive()) {
                return false;
            }
            Thread.sleep(5);
        }
        return false;
    }

    boolean logHas(String marker) throws IOException {
        for (Path p : logFiles()) {
            if (Files.readString(p, StandardCharsets.UTF_8).contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /** The run ID of the child's run: the name of its audit log. */
    String runId() throws IOException {
        List<Path> files = logFiles();
        if (files.size() != 1) {
            throw new AssertionError("expected one audit log in " + logs + ", found " + files);
        }
        String name = files.get(0).getFileName().toString();
        return name.substring(0, name.length() - ".log".length());
    }

    private List<Path> logFiles() throws IOException {
        try (Stream<Path> s = Files.list(logs)) {
            return s.filter(p -> p.toString().endsWith(".log")).toList();
        }
    }

    /** Waits until the child reaches test gate {@code step}; {@code false} if it ended first or time ran out. */
    static boolean awaitGate(Child child, Path gates, String step, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(gates.resolve(step + ".reached"))) {
                return true;
            }
            if (!child.process.isAlive()) {
                return false;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** Makes a child started with {@code gates} stop at each of {@code steps} (an audit log event's step, or {@code locked}, {@code commit}) until {@link #open}. */
    static void hold(Path gates, String... steps) throws IOException {
        Files.createDirectories(gates);
        for (String step : steps) {
            Files.writeString(gates.resolve(step + ".hold"), "hold");
        }
    }

    /** Lets the child go on from test gate {@code step}. */
    static void open(Path gates, String step) throws IOException {
        Files.createDirectories(gates);
        Files.writeString(gates.resolve(step + ".go"), "go");
    }

    long pid() {
        return process.pid();
    }

    /** Kills the child with SIGKILL and returns its exit status (137). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** Waits for the child to end and returns its exit status. */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the child did not end within " + timeout);
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
