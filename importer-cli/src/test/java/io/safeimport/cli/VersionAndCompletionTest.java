package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What users of a command line expect of it: {@code --version} that identifies the build, and shell completion. */
class VersionAndCompletionTest {
    private static final Pattern FIRST_LINE = Pattern.compile(
            "safeimport (\\S+) \\((?:commit ([0-9a-f]{7,})(-dirty)?|unknown commit), built (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ)\\)");

    @Test
    void versionNamesTheVersionTheCommitAndTheBuildDate() throws Exception {
        Cli.Result r = Cli.raw("--version");
        assertEquals(0, r.exit(), r.toString());
        String first = r.out().lines().findFirst().orElse("");
        Matcher m = FIRST_LINE.matcher(first);
        assertTrue(m.matches(), "version, commit and build date: " + r);
        assertEquals("0.1.0-SNAPSHOT", m.group(1));
        assertTrue(r.out().contains("Java " + System.getProperty("java.version")), r.toString());
        String head = gitHead();
        if (head != null) {
            // built from this work tree (the build runs before the tests): its commit
            assertEquals(head, m.group(2), r.toString());
        }
    }

    @Test
    void withoutGitMetadataTheVersionSaysUnknownCommit() {
        Properties p = new Properties();
        p.setProperty("version", "0.1.0");
        p.setProperty("commit", "${safeimport.commit}"); // no git command at all: the placeholder stays
        p.setProperty("dirty", "${safeimport.dirty}");
        p.setProperty("built", "2026-12-03T10:00:00Z");
        assertEquals("safeimport 0.1.0 (unknown commit, built 2026-12-03T10:00:00Z)", VersionProvider.describe("safeimport", p));
        p.setProperty("commit", ""); // git found no repository: its output was empty
        p.setProperty("dirty", "false");
        assertEquals("safeimport 0.1.0 (unknown commit, built 2026-12-03T10:00:00Z)", VersionProvider.describe("safeimport", p));
        p.setProperty("commit", "3a9ec8f");
        p.setProperty("dirty", "true");
        assertEquals("safeimport 0.1.0 (commit 3a9ec8f-dirty, built 2026-12-03T10:00:00Z)", VersionProvider.describe("safeimport", p));
        assertEquals("safeimport (unknown version) (unknown commit, unknown build date)", VersionProvider.describe("safeimport", new Properties()));
    }

    @Test
    void completionPrintsABashScriptThatCompletesTheCommands() {
        for (String shell : new String[] {"bash", "zsh"}) {
            Cli.Result r = Cli.raw("completion", shell);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("complete -F _complete_safeimport") && r.out().contains("-o default safeimport"), r.toString());
            for (String word : new String[] {"import", "rollback", "snapshots", "--dry-run", "--plan-out", "--env"}) {
                assertTrue(r.out().contains(word), word + " completed: " + shell);
            }
            assertTrue(r.out().contains("bashcompinit"), "zsh loads bash completion itself");
            assertEquals("", r.err(), r.toString());
        }
        Cli.Result fish = Cli.raw("completion", "fish");
        assertEquals(2, fish.exit(), fish.toString());
        assertTrue(fish.err().contains("bash, zsh"), fish.toString());
    }

    /** The abbreviated commit of the work tree the tests run in, or {@code null} without git. */
    private static String gitHead() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short=7", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{7}") ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
