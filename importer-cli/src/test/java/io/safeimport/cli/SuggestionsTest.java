package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A misspelt command or option is a usage error (exit 2) that suggests what was probably meant,
 * and runs nothing: an option is never taken for a longer one it abbreviates.
 */
class SuggestionsTest {
    @Test
    void aMisspeltCommandSuggestsTheCommand() {
        Cli.Result r = Cli.raw("improt", "all", "--dir", "samples");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().startsWith("safeimport: 'improt' is not a command of safeimport; did you mean import?\n"), r.toString());
        assertEquals("", r.out(), r.toString());
    }

    @Test
    void aMisspeltOptionSuggestsTheOption() {
        Cli.Result r = Cli.raw("import", "all", "--dir", "samples", "--dryrun");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().startsWith("safeimport: Unknown option: '--dryrun'; did you mean --dry-run?\n"), r.toString());
        Cli.Result sub = Cli.raw("db", "migarte");
        assertEquals(2, sub.exit(), sub.toString());
        assertTrue(sub.err().startsWith("safeimport: 'migarte' is not a command of safeimport db; did you mean migrate?\n"), sub.toString());
    }

    @Test
    void anAbbreviatedOptionIsNotTakenForTheOptionItAbbreviates() {
        // a tool that can write to production must not read --force-u as --force-update
        Cli.Result r = Cli.raw("import", "users", "--csv", "u.csv", "--dry", "--force-u");
        assertEquals(2, r.exit(), r.toString());
        for (String line : List.of("--dry", "--force-u")) {
            assertTrue(r.err().contains(line), r.toString());
        }
        assertFalse(r.err().contains("internal error"), r.toString());
    }
}
