package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Help and usage errors need no database: {@code --help}/{@code -h} work on every command and
 * subcommand (exit 0, the page on stdout), as the "Try '... --help'" hint of a usage error promises.
 */
class UsageTest {

    /** Every command path of the tree, e.g. {@code [import, users]}, found by walking it (a new command is covered too). */
    static Stream<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        walk(SafeImport.commandLine(), new ArrayList<>(), paths);
        return paths.stream();
    }

    private static void walk(CommandLine cmd, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        cmd.getSubcommands().forEach((name, sub) -> {
            List<String> next = new ArrayList<>(path);
            next.add(name);
            walk(sub, next, paths);
        });
    }

    private static String[] args(List<String> path, String... more) {
        List<String> all = new ArrayList<>(path);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandPaths")
    void helpWorksOnEveryCommand(List<String> path) {
        String usage = "Usage: " + String.join(" ", args(List.of("safeimport"), path.toArray(String[]::new)));
        for (String flag : List.of("--help", "-h")) {
            Cli.Result r = Cli.raw(args(path, flag));
            assertEquals(0, r.exit(), flag + ": " + r);
            assertTrue(r.out().startsWith(usage), flag + ": " + r);
            assertTrue(r.out().contains("--help") && r.out().contains("Exit codes:"), r.toString());
            assertEquals("", r.err(), r.toString());
        }
    }

    @Test
    void importHelpListsEveryOptionEvenWhenARequiredOneIsMissing() {
        Cli.Result r = Cli.raw("import", "users", "--help");
        assertEquals(0, r.exit(), r.toString());
        for (String option : List.of("--csv", "--dry-run", "--force-update", "--max-errors", "--no-backup", "--no-validate",
                "--log-file", "--output", "--plan-out", "--plan", "--snapshot", "--db", "--log-dir", "--snapshot-dir")) {
            assertTrue(r.out().contains(option), option + " listed: " + r);
        }
        Cli.Result all = Cli.raw("import", "all", "-h");
        assertEquals(0, all.exit(), all.toString());
        assertTrue(all.out().contains("--dir") && all.out().contains("--no-backup"), all.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandPaths")
    void helpCommandShowsTheSamePageAsHelpOption(List<String> path) {
        if (path.contains("help")) {
            return;
        }
        Cli.Result byCommand = Cli.raw(args(List.of("help"), path.toArray(String[]::new)));
        assertEquals(0, byCommand.exit(), byCommand.toString());
        assertEquals(Cli.raw(args(path, "--help")).out(), byCommand.out());
    }

    @Test
    void helpOfAnUnknownCommandIsAUsageError() {
        Cli.Result r = Cli.raw("help", "import", "people");
        assertEquals(2, r.exit(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().contains("'people' is not a command of 'safeimport import'") && r.err().contains("users"), r.toString());
    }

    @Test
    void usageErrorPointsAtAHelpThatWorks() {
        Cli.Result r = Cli.raw("import", "users");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("Missing required option: '--csv=FILE'"), r.toString());
        assertTrue(r.err().contains("Try 'safeimport import users --help'"), r.toString());
        assertEquals(0, Cli.raw("import", "users", "--help").exit());
    }

    @Test
    void runsShowRejectsSomethingThatIsNotARunIdAsARunId() {
        Cli.Result r = Cli.raw("runs", "show", "nope");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("'nope' is not a run ID"), r.toString());
        assertFalse(r.err().contains("snapshot ID"), r.toString());
        assertTrue(r.err().contains("runs list"), r.toString());
    }
}
