package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.testing.EveryDatabase;
import io.safeimport.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same files against the same database preview the same plan, byte for byte, in every process
 * (run IDs, and the audit log named after the run, aside): operators diff previews and attach them
 * to change tickets. Each preview runs in its own JVM, as an operator runs it, because an iteration
 * order that depends on the JVM (a {@code Map.of}, an identity hash) is the same within one.
 */
class PlanDeterminismTest {
    static final Path SAMPLES = Path.of("..", "samples");
    /** A line of the progress reporter on stderr ({@code safeimport: plan users.csv: 40 of 45 rows ...}, {@code ...: running for 3 s}). */
    private static final Pattern PROGRESS = Pattern.compile("(?m)^safeimport: [^\\n]+: (running for \\d+ s|[\\d,]+ (of [\\d,]+ )?rows[^\\n]*)\\R");
    private static final String RUN_ID = "\\d{8}T\\d{6}Z-[a-z0-9_]+-[0-9a-f]{6}";

    @TempDir
    Path dir;

    @EveryDatabase
    void threePreviewsOfTheSameFilesAndDatabaseAreByteIdentical(TestDatabase db) throws Exception {
        Cli cli = new Cli(db, dir);
        // the company without its history already there, some of it changed since: inserts, updates, kept and unchanged rows
        Path withoutHistory = Files.createDirectories(dir.resolve("without-history"));
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path f : files.filter(f -> !f.endsWith("history.csv")).toList()) {
                Files.copy(f, withoutHistory.resolve(f.getFileName()));
            }
        }
        assertEquals(0, cli.run("import", "all", "--dir", withoutHistory.toString()).exit());
        db.execute("UPDATE ladder_aspect SET title = 'Craft' WHERE aspect = 'craft'",
                "UPDATE ladder_level SET description = 'old' WHERE level = 2",
                "UPDATE tribe SET organization_id = (SELECT id FROM organization WHERE organization = 'Acme Labs') WHERE tribe = 'Growth'",
                "UPDATE app_user SET title = 'Engineer' WHERE email LIKE 'a%'");

        List<String> texts = new ArrayList<>();
        List<String> jsons = new ArrayList<>();
        List<byte[]> plans = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path plan = dir.resolve("plan-" + i + ".gz");
            texts.add(preview(db, "text-" + i, "--plan-out", plan.toString()));
            jsons.add(preview(db, "json-" + i, "--output", "json"));
            plans.add(Files.readAllBytes(plan));
        }
        assertTrue(texts.get(0).contains("update    ladder_aspect  ENG/craft"), texts.get(0));
        assertTrue(texts.get(0).contains("kept"), texts.get(0));
        for (int i = 1; i < 3; i++) {
            assertEquals(texts.get(0), texts.get(i), "the text plan of preview " + (i + 1));
            assertEquals(jsons.get(0), jsons.get(i), "the JSON of preview " + (i + 1));
            assertArrayEquals(plans.get(0), plans.get(i), "the --plan-out file of preview " + (i + 1));
        }
    }

    /** A dry-run of {@code import all} in a JVM of its own; its output with the run ID replaced. */
    private String preview(TestDatabase db, String name, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("import", "all", "--dir", SAMPLES.toString(), "--dry-run"));
        args.addAll(List.of(more));
        try (Child child = Child.start(db, dir, dir.resolve("logs"), args.toArray(String[]::new))) {
            int exit = child.await(Duration.ofSeconds(300));
            assertEquals(0, exit, child.output());
            // progress lines come every few seconds, so how many a run prints depends on the machine's speed, not the plan
            return PROGRESS.matcher(child.output()).replaceAll("").replaceAll(RUN_ID, "RUN");
        }
    }
}
