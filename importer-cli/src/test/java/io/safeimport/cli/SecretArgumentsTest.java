package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A password given on the command line is refused and never repeated, in text or in JSON. */
class SecretArgumentsTest {
    static final String SECRET = "S3cret-xyzzy";

    @TempDir
    Path dir;

    static Stream<List<String>> secretArguments() {
        return Stream.of(
                List.of("import", "users", "--csv", "u.csv", "--db-password=" + SECRET),
                List.of("--db-password", SECRET, "import", "users", "--csv", "u.csv"),
                List.of("import", "users", "--csv", "u.csv", "--dry-run", "--db-password", SECRET),
                List.of("db", "status", "--password=" + SECRET),
                List.of("validate", "--token", SECRET),
                List.of("--api-key=" + SECRET, "runs", "list"),
                List.of("rollback", "20261122T034000Z-users-1a2b3c", "--db-secret", SECRET, "--yes"),
                List.of("snapshots", "verify", "--db-pass=" + SECRET),
                // parses (the secret is taken as the file name) but is refused before it is shown as one
                List.of("import", "users", "--dry-run", "--csv", "--password=" + SECRET),
                // the report's case: an unknown option and its value, which picocli quotes in 'Unknown options: ...'
                List.of("--db-password", SECRET),
                List.of("import", "all", "--dir", "samples", "--db-password", SECRET),
                // other spellings of a password option
                List.of("import", "users", "--csv", "u.csv", "--pw", SECRET),
                List.of("import", "users", "--csv", "u.csv", "--db-pw=" + SECRET),
                List.of("import", "users", "--csv", "u.csv", "--DB_PASSWORD", SECRET),
                List.of("import", "users", "--csv", "u.csv", "-p", SECRET),
                List.of("import", "users", "--csv", "u.csv", "-p" + SECRET),
                // a misspelt command with a secret after it: the suggestion must not carry the secret along
                List.of("improt", "--db-password", SECRET),
                List.of("db", "migarte", "--password", SECRET));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secretArguments")
    void aSecretOnTheCommandLineIsNeverEchoed(List<String> args) {
        try (TestDatabase db = TestDatabase.create(TestDatabase.H2)) {
            Cli cli = new Cli(db, dir);
            for (boolean json : new boolean[] {false, true}) {
                List<String> all = new ArrayList<>(args);
                if (json) {
                    all.addAll(List.of("--output", "json"));
                }
                Cli.Result r = cli.run(all.toArray(String[]::new));
                assertEquals(2, r.exit(), r.toString());
                assertFalse(r.out().contains(SECRET) || r.err().contains(SECRET), "the secret is echoed: " + r);
                assertFalse(r.out().contains("S3cret") || r.err().contains("S3cret"), "part of the secret is echoed: " + r);
                assertTrue(r.err().contains("SAFEIMPORT_DB_PASSWORD") && r.err().contains("--db-password-file"), r.toString());
                if (json && !r.out().isEmpty()) {
                    assertTrue(r.json().get("message").asText().contains("SAFEIMPORT_DB_PASSWORD"), r.toString());
                }
            }
        }
    }
}
