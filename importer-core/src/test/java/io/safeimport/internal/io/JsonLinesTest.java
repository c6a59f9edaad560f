package io.safeimport.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counting a snapshot file's lines without building them still refuses anything but one JSON object per line. */
class JsonLinesTest {
    @TempDir
    Path dir;

    private Path gz(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return f;
    }

    @Test
    void countsTheObjectsWrittenAndReadsTheSameAsTheReader() throws IOException {
        Path f = dir.resolve("a.jsonl.gz");
        try (JsonLines.Writer w = JsonLines.write(f)) {
            for (int i = 0; i < 2500; i++) {
                w.write(JsonLines.MAPPER.createObjectNode().put("id", i).put("name", "Zoë \"quoted\" \\ " + i)
                        .set("pre", JsonLines.MAPPER.createObjectNode().putNull("title")));
            }
        }
        assertEquals(2500, JsonLines.countObjects(f));
        long read = 0;
        try (JsonLines.Reader r = JsonLines.read(f)) {
            while (r.hasNext()) {
                r.next();
                read++;
            }
        }
        assertEquals(read, JsonLines.countObjects(f));
    }

    @Test
    void refusesValuesThatAreNotObjectsBrokenJsonAndTruncatedFiles() throws IOException {
        assertThrows(IllegalStateException.class, () -> JsonLines.countObjects(gz("b.jsonl.gz", "{\"a\":1}\n[1,2]\n")));
        assertThrows(IOException.class, () -> JsonLines.countObjects(gz("c.jsonl.gz", "{\"a\":1}\n{\"a\":tru}\n")));
        assertThrows(IOException.class, () -> JsonLines.countObjects(gz("d.jsonl.gz", "{\"a\":1}\n{\"a\":\"open\n")));
        Path whole = gz("e.jsonl.gz", "{\"a\":1}\n".repeat(1000));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("f.jsonl.gz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThrows(IOException.class, () -> JsonLines.countObjects(cut));
    }

    /** A disk that fills up after {@code room} bytes. */
    private static OutputStream filling(int room) {
        return new OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > room) {
                    throw new IOException("No space left on device");
                }
                written += len;
            }
        };
    }

    @Test
    void aWriteFailureIsThrownAsTheOwnerOfTheFileMakesItAndClosingAfterwardsIsQuiet() throws IOException {
        class DiskFull extends RuntimeException {
            DiskFull(IOException cause) {
                super("the folder is full", cause);
            }
        }
        Path f = dir.resolve("full.jsonl.gz");
        JsonLines.Writer w = new JsonLines.Writer(f, filling(4096), DiskFull::new);
        DiskFull failure = assertThrows(DiskFull.class, () -> {
            for (int i = 0; i < 1_000_000; i++) {
                w.write(JsonLines.MAPPER.createObjectNode().put("id", i).put("key", java.util.UUID.randomUUID().toString()));
            }
            w.close();
        });
        assertEquals("No space left on device", failure.getCause().getMessage());
        w.close();
        w.close();

        JsonLines.Writer atClose = new JsonLines.Writer(f, filling(10), DiskFull::new);
        atClose.write(JsonLines.MAPPER.createObjectNode().put("id", 1));
        assertThrows(DiskFull.class, atClose::close, "the failure of the last bytes, written when closing");
        atClose.close();
    }
}
