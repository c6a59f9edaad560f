package io.safeimport.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.safeimport.testing.TestDatabase;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs safeimport commands in-process against a test database, with snapshots and logs in a
 * temporary folder, capturing stdout, stderr and the exit code.
 */
final class Cli {
    final TestDatabase db;
    final Path dir;

    Cli(TestDatabase db, Path dir) {
        this.db = db;
        this.dir = dir;
    }

    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not one JSON object: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    Result run(String... args) {
        List<String> all = new ArrayList<>();
        all.add("--db");
        all.add(db.settings().url());
        if (db.settings().user() != null) {
            all.add("--db-user");
            all.add(db.settings().user());
        }
        if (!Arrays.asList(args).contains("--snapshot-dir")) {
            all.add("--snapshot-dir");
            all.add(dir.resolve("snapshots").toString());
        }
        all.add("--log-dir");
        all.add(dir.resolve("logs").toString());
        all.addAll(Arrays.asList(args));
        return raw(all.toArray(String[]::new));
    }

    static Result raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = SafeImport.commandLine(args);
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Writes a CSV file (UTF-8) in the test folder and returns its path. */
    Path csv(String name, String... lines) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path bytes(String name, byte[] content) {
        try {
            Path p = dir.resolve(name);
            Files.write(p, content);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
