package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With --output json, a command that fails before it has a result of its own (usage error,
 * unreachable database) still prints exactly one JSON object on stdout, and without it none.
 */
class EarlyErrorJsonTest {
    @TempDir
    Path dir;

    private static List<JsonNode> objects(Cli.Result r) throws IOException {
        try (MappingIterator<JsonNode> it = Json.MAPPER.readerFor(JsonNode.class).readValues(r.out())) {
            return it.readAll();
        }
    }

    @Test
    void aUsageErrorIsOneObjectWithExit2() throws IOException {
        Cli.Result r = Cli.raw("import", "users", "--csv", "x.csv", "--bogus", "--output", "json");
        assertEquals(2, r.exit(), r.toString());
        List<JsonNode> all = objects(r);
        assertEquals(1, all.size(), r.toString());
        JsonNode o = all.get(0);
        assertEquals("failed", o.get("status").asText());
        assertEquals(2, o.get("exit_code").asInt());
        assertEquals("import users", o.get("command").asText());
        assertTrue(o.get("message").asText().contains("--bogus"), r.toString());
        assertTrue(r.err().contains("--bogus"), "the message also goes to stderr: " + r);

        Cli.Result text = Cli.raw("import", "users", "--csv", "x.csv", "--bogus");
        assertEquals(2, text.exit());
        assertEquals("", text.out(), "no JSON without --output json");
    }

    @Test
    void anUnreachableDatabaseIsOneObjectWithExit6() throws IOException {
        Cli.Result r = Cli.raw("--db", "jdbc:mysql://127.0.0.1:1/nowhere", "--log-dir", dir.resolve("logs").toString(),
                "import", "users", "--csv", dir.resolve("u.csv").toString(), "--output=json");
        assertEquals(6, r.exit(), r.toString());
        List<JsonNode> all = objects(r);
        assertEquals(1, all.size(), r.toString());
        assertEquals(6, all.get(0).get("exit_code").asInt());
        assertEquals("failed", all.get(0).get("status").asText());
        assertTrue(all.get(0).get("message").asText().contains("cannot reach the database"), r.toString());
        assertFalse(r.out().contains("Exception"), r.toString());
    }
}
