package io.safeimport.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.safeimport.internal.csv.CsvFormatException;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.CsvColumn;
import io.safeimport.spi.CsvLayout;
import io.safeimport.spi.ImportOptions;
import io.safeimport.spi.Importer;
import io.safeimport.spi.IntegrityCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV pass with its records parsed ahead on another thread: same records, same order, same faults. */
class CsvFileTest {
    @TempDir
    Path dir;

    static final Importer TWO_COLUMNS = new Importer() {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public String description() {
            return "two columns";
        }

        @Override
        public CsvLayout layout(List<String> header, ImportOptions options) {
            return new CsvLayout("test", List.of(CsvColumn.required("a"), CsvColumn.optional("b")), List.of("ladder"), (row, out) -> { });
        }

        @Override
        public List<IntegrityCheck> checks() {
            return List.of();
        }

        @Override
        public Catalog catalog() {
            return Catalog.reference();
        }
    };

    private Path file(String content) throws Exception {
        Path p = dir.resolve("f.csv");
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static CsvFile open(Path p) {
        List<Object> errors = new ArrayList<>();
        CsvFile f = CsvFile.open(p, "f.csv", TWO_COLUMNS, ImportOptions.defaults(), false, errors::add);
        assertEquals(List.of(), errors);
        return f;
    }

    @Test
    void everyRecordInOrderThenTheHashOfTheWholeFile() throws Exception {
        StringBuilder sb = new StringBuilder("a,b\n");
        int n = CsvFile.BATCH * (CsvFile.BATCHES_AHEAD + 3) + 7;
        for (int i = 0; i < n; i++) {
            sb.append("r").append(i).append(",\"x, ").append(i).append("\"\n");
        }
        Path p = file(sb.toString());
        try (CsvFile f = open(p)) {
            for (int i = 0; i < n; i++) {
                CsvFile.Row row = f.next();
                assertEquals("r" + i, row.get("a"));
                assertEquals("x, " + i, row.get("b"));
                assertEquals(i + 2, row.line());
            }
            assertNull(f.next());
            assertNull(f.next(), "the end stays the end");
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))), f.sha256());
        }
    }

    @Test
    void noBreakSpacesAndStrayByteOrderMarksAroundHeadersAndValuesAreTrimmed() throws Exception {
        try (CsvFile f = open(file("\uFEFFa\u00A0,\uFEFF B\n\u00A0Checkout\u00A0, x\u202F\u2007\uFEFF\n\uFEFF,\u00A0\n"))) {
            CsvFile.Row row = f.next();
            assertEquals("Checkout", row.get("a"));
            assertEquals("x", row.get("b"));
            CsvFile.Row blanks = f.next();
            assertNull(blanks.get("a"), "a cell of no-break spaces is blank");
            assertNull(blanks.get("b"));
        }
        assertEquals("a\u00A0b", CsvFile.trim("\u00A0a\u00A0b\t"), "blanks inside a value stay");
    }

    @Test
    void aFaultDeepInTheFileComesAfterEveryRecordBeforeIt() throws Exception {
        StringBuilder sb = new StringBuilder("a,b\n");
        int good = CsvFile.BATCH * 3 + 100;
        for (int i = 0; i < good; i++) {
            sb.append("r").append(i).append(",b\n");
        }
        sb.append("broken,\"never closed\n");
        try (CsvFile f = open(file(sb.toString()))) {
            for (int i = 0; i < good; i++) {
                assertEquals("r" + i, f.next().get("a"));
            }
            CsvFormatException e = assertThrows(CsvFormatException.class, f::next);
            assertEquals(good + 2, e.line(), e.getMessage());
        }
    }

    @Test
    void closingAfterAFewRecordsDoesNotWaitForTheRest() throws Exception {
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 200_000; i++) {
            sb.append("r").append(i).append(",b\n");
        }
        Path p = file(sb.toString());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (CsvFile f = open(p)) {
                for (int i = 0; i < 3; i++) {
                    f.next();
                }
            }
        });
    }
}
