package io.safeimport.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code --help}/{@code -h} work on every safeimport-dev command, before any fence or database is reached. */
class DevHelpTest {

    static Stream<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        walk(SafeImportDev.commandLine(), new ArrayList<>(), paths);
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandPaths")
    void helpWorksOnEveryCommand(List<String> path) {
        for (String flag : List.of("--help", "-h")) {
            List<String> args = new ArrayList<>(path);
            args.add(flag);
            DevCli.Result r = DevCli.raw(SafeImportDev.commandLine(), args.toArray(String[]::new));
            assertEquals(0, r.exit(), flag + ": " + r);
            assertTrue(r.out().startsWith("Usage: " + String.join(" ", prefixed(path))), r.toString());
            assertEquals("", r.err(), r.toString());
        }
    }

    @Test
    void helpOfTheDestructiveImportListsItsOptions() {
        DevCli.Result r = DevCli.raw(SafeImportDev.commandLine(), "help", "import", "users");
        assertEquals(0, r.exit(), r.toString());
        for (String option : List.of("--csv", "--clear-users", "--yes", "--allow-remote")) {
            assertTrue(r.out().contains(option), option + ": " + r);
        }
        assertEquals(DevCli.raw(SafeImportDev.commandLine(), "import", "users", "--help").out(), r.out());
    }

    @Test
    void versionNamesTheDevLauncherAndTheBuild() {
        DevCli.Result r = DevCli.raw(SafeImportDev.commandLine(), "--version");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().matches("(?s)safeimport-dev \\S+ \\((commit [0-9a-f]{7}(-dirty)?|unknown commit), built \\S+Z\\)\n.*"), r.toString());
    }

    private static List<String> prefixed(List<String> path) {
        List<String> all = new ArrayList<>();
        all.add("safeimport-dev");
        all.addAll(path);
        return all;
    }
}
