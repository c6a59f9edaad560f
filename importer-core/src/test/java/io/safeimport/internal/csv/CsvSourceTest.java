package io.safeimport.internal.csv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTest {

    @Test
    void unclosedQuoteIsReportedAtTheLineWhereTheQuoteOpened() {
        CsvFormatException e = failure("a,b\n1,2\n3,\"x\n4,5\n6,7\n");
        assertEquals("unclosed_quote", e.code());
        assertEquals(3, e.line());
        assertEquals("t.csv:3: unclosed_quote: a quoted field starting here never ends;"
                + " close the quote or escape it as \"\"", e.getMessage());
        assertEquals(ExitCode.REJECTED, e.exitCode());
    }

    @Test
    void invalidUtf8OnLineThreeIsReportedOnLineThree() {
        byte[] latin1 = "a,b\n1,2\n3,Jos\u00e9\n4,5\n".getBytes(StandardCharsets.ISO_8859_1);
        CsvFormatException e = failure(latin1);
        assertEquals("invalid_utf8", e.code());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("t.csv:3: invalid_utf8: byte 0xE9 at byte offset 13 is not valid UTF-8"),
                e.getMessage());
    }

    @Test
    void invalidUtf8InsideAMultiLineFieldIsReportedOnItsOwnPhysicalLine() {
        byte[] input = concat("id,note\n1,\"first\r\nsecond\r\nthi".getBytes(UTF_8), new byte[] {(byte) 0xFF},
                "rd\"\n".getBytes(UTF_8));
        assertEquals(4, failure(input).line());
    }

    @Test
    void invalidUtf8BeyondTheFirstBufferIsReportedOnItsLine() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            sb.append(i).append(",some text\n");
        }
        CsvFormatException e = failure(concat(sb.toString().getBytes(UTF_8), new byte[] {'x', (byte) 0xC3, ','}));
        assertEquals("invalid_utf8", e.code());
        assertEquals(20_001, e.line());
    }

    @Test
    void utf8SequenceCutOffAtEndOfInputIsInvalid() {
        CsvFormatException e = failure(new byte[] {'a', '\n', 'b', (byte) 0xC3});
        assertEquals("invalid_utf8", e.code());
        assertEquals(2, e.line());
    }

    @Test
    void recordLinesAccountForMultiLineQuotedFields() {
        for (String nl : List.of("\n", "\r\n", "\r")) {
            String input = "id,note" + nl + "1,\"one" + nl + "two" + nl + "three\"" + nl + "2,plain" + nl
                    + "3,\"" + nl + "\"" + nl + "4,last";
            List<CsvRecord> records = readAll(input);
            assertEquals(List.of(1L, 2L, 5L, 6L, 8L), records.stream().map(CsvRecord::line).toList(), escape(nl));
            assertEquals("one" + nl + "two" + nl + "three", records.get(1).get(1));
            assertEquals(nl, records.get(3).get(1));
        }
    }

    @Test
    void quotedFieldKeepsCommasAndUndoublesQuotes() {
        List<CsvRecord> records = readAll("name,quote\n\"Doe, John\",\"He said \"\"hi\"\", then \"\"bye\"\"\"\n");
        assertEquals(List.of("Doe, John", "He said \"hi\", then \"bye\""), records.get(1).fields());
    }

    @Test
    void emptyFieldsQuotedOrNotAreEmptyStrings() {
        assertEquals(List.of("", "", "", ""), readAll(",\"\",,\"\"").get(0).fields());
    }

    @Test
    void utf8ByteOrderMarkIsDropped() {
        byte[] input = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "email,name\nx@y.z,\u00dc\n".getBytes(UTF_8));
        List<CsvRecord> records = readAll(input);
        assertEquals(List.of("email", "name"), records.get(0).fields());
        assertEquals(List.of("x@y.z", "\u00dc"), records.get(1).fields());
    }

    @Test
    void emptyFileHasNoRecords() {
        try (CsvSource source = CsvSource.of(new ByteArrayInputStream(new byte[0]), "t.csv")) {
            assertNull(source.next());
            assertNull(source.next());
        }
    }

    @Test
    void fileOfOnlyAByteOrderMarkOrEmptyLinesHasNoRecords() {
        assertEquals(List.of(), readAll(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}));
        assertEquals(List.of(), readAll("\n\r\n\r\n"));
    }

    @Test
    void crlfFileEndsRecordsAtCrlf() {
        List<CsvRecord> records = readAll("a,b\r\n1,2\r\n3,4\r\n");
        assertEquals(List.of(List.of("a", "b"), List.of("1", "2"), List.of("3", "4")), fieldsOf(records));
        assertEquals(List.of(1L, 2L, 3L), records.stream().map(CsvRecord::line).toList());
    }

    @Test
    void loneCrFileEndsRecordsAtCr() {
        List<CsvRecord> records = readAll("a,b\r1,2\r3,4");
        assertEquals(List.of(List.of("a", "b"), List.of("1", "2"), List.of("3", "4")), fieldsOf(records));
        assertEquals(List.of(1L, 2L, 3L), records.stream().map(CsvRecord::line).toList());
    }

    @Test
    void lineBreaksInsideQuotesAreKeptVerbatim() {
        assertEquals(List.of("a\r\nb", "c\rd", "e\nf"), readAll("\"a\r\nb\",\"c\rd\",\"e\nf\"\r\n").get(0).fields());
    }

    @Test
    void skippedEmptyLinesStillCountForLineNumbers() {
        List<CsvRecord> records = readAll("\na,b\n\n\r\n1,2\n\n");
        assertEquals(List.of(List.of("a", "b"), List.of("1", "2")), fieldsOf(records));
        assertEquals(List.of(2L, 5L), records.stream().map(CsvRecord::line).toList());
    }

    @Test
    void emptyLinesAreRecordsOfOneEmptyFieldWhenNotSkipped() {
        try (CsvSource source = CsvSource.of(stream("a\n\nb\n"), "t.csv", false)) {
            assertEquals(new CsvRecord(1, List.of("a")), source.next());
            assertEquals(new CsvRecord(2, List.of("")), source.next());
            assertEquals(new CsvRecord(3, List.of("b")), source.next());
            assertNull(source.next());
        }
    }

    @Test
    void blankLineIsARecordEvenWhenEmptyLinesAreSkipped() {
        assertEquals(List.of(List.of("a"), List.of(" "), List.of("")), fieldsOf(readAll("a\n \n\"\"\n")));
    }

    @Test
    void quoteInsideUnquotedFieldIsAnOrdinaryCharacter() {
        assertEquals(List.of("Bob", "5'10\"", "Dwayne \"The Rock\""), readAll("Bob,5'10\",Dwayne \"The Rock\"").get(0).fields());
    }

    @Test
    void quoteAfterLeadingBlanksIsMalformed() {
        CsvFormatException e = failure("a,b\n\"x\ny\", \"z\"\n");
        assertEquals("malformed_quotes", e.code());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("t.csv:3: malformed_quotes: blanks before the opening quote"), e.getMessage());
    }

    @Test
    void textAfterClosingQuoteIsMalformedOnItsPhysicalLine() {
        CsvFormatException e = failure("a,b\n\"multi\nline\"x,1\n");
        assertEquals("malformed_quotes", e.code());
        assertEquals(3, e.line());
        assertEquals("malformed_quotes", failure("\"a\" ,b\n").code());
    }

    @Test
    void utf16FileIsRejectedWithAHintToSaveAsUtf8() {
        byte[] input = "\uFEFFa,b\n".getBytes(StandardCharsets.UTF_16LE);
        CsvFormatException e = failure(input);
        assertEquals("unsupported_encoding", e.code());
        assertEquals("t.csv:1: unsupported_encoding: the file is UTF-16LE (it starts with a UTF-16LE byte order"
                + " mark), not UTF-8; save it as UTF-8, e.g. Excel's \"CSV UTF-8\", or pass --encoding UTF-16", e.getMessage());
    }

    @Test
    void utf16WithoutByteOrderMarkIsRecognisedInsteadOfReadAsColumnNamesFullOfNuls() {
        for (Charset cs : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            CsvFormatException e = failure("email,first_name\nann@acme.example,Ann\n".getBytes(cs));
            assertEquals("unsupported_encoding", e.code());
            assertEquals(1, e.line());
            assertEquals("t.csv:1: unsupported_encoding: the file looks like " + cs.name() + " without a byte order mark"
                    + " (every other byte is zero), not UTF-8; save it as UTF-8, e.g. Excel's \"CSV UTF-8\", or pass --encoding "
                    + cs.name() + " (Excel's \"Unicode text\" also needs --delimiter tab)", e.getMessage());
        }
        assertEquals(List.of(List.of("a")), fieldsOf(readAll("a\n")), "a short UTF-8 file is not taken for UTF-16");
    }

    @Test
    void quoteLeftOpenInAHugeFileFailsAtItsLineWithoutReadingToTheEnd() {
        RowStream rows = new RowStream(2_000_000, i -> i == 2 ? "3,\"oops\n" : (i + 1) + ",value\n");
        try (CsvSource source = CsvSource.of(rows, "big.csv")) {
            CsvFormatException e = assertThrows(CsvFormatException.class, () -> {
                while (source.next() != null) {
                    // read on
                }
            });
            assertEquals("unclosed_quote", e.code());
            assertEquals(3, e.line());
            assertTrue(rows.rowsServed < 1_000_000, "read " + rows.rowsServed + " rows");
        }
    }

    @Test
    void overlongUnquotedRecordIsRejected() {
        RowStream rows = new RowStream(1, i -> "x".repeat(CsvSource.MAX_RECORD_CHARS + 1) + "\n");
        try (CsvSource source = CsvSource.of(rows, "t.csv")) {
            CsvFormatException e = assertThrows(CsvFormatException.class, source::next);
            assertEquals("record_too_long", e.code());
            assertEquals(1, e.line());
        }
    }

    @Test
    void afterAFormatErrorNextThrowsTheSameError() {
        try (CsvSource source = CsvSource.of(stream("a\n\"b\n"), "t.csv")) {
            assertEquals(List.of("a"), source.next().fields());
            CsvFormatException first = assertThrows(CsvFormatException.class, source::next);
            assertSame(first, assertThrows(CsvFormatException.class, source::next));
        }
    }

    @Test
    void missingFileIsAnIoErrorNamingTheDisplayName(@TempDir Path dir) {
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> CsvSource.open(dir.resolve("nope.csv"), "users.csv"));
        assertEquals("io_error", e.code());
        assertEquals(0, e.line());
        assertTrue(e.getMessage().startsWith("users.csv: io_error: cannot read the file (NoSuchFileException: "),
                e.getMessage());
    }

    @Test
    void openReadsAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("users.csv"), "email\r\na@b.c\r\n");
        try (CsvSource source = CsvSource.open(file, "users.csv")) {
            assertEquals(new CsvRecord(1, List.of("email")), source.next());
            assertEquals(new CsvRecord(2, List.of("a@b.c")), source.next());
            assertNull(source.next());
            assertEquals(Files.size(file), source.bytesRead());
        }
    }

    @Test
    void generatedStreamOf200kRowsIsReadRecordByRecord() {
        int rows = 200_000;
        RowStream input = new RowStream(rows + 1, i -> i == 0 ? "id,name,note\n"
                : i + ",\"Name " + i + "\",\"two\nlines, " + i + "\"\n");
        long count = 0;
        long bytesAfterFirst;
        try (CsvSource source = CsvSource.of(input, "gen.csv")) {
            CsvRecord header = source.next();
            assertEquals(List.of("id", "name", "note"), header.fields());
            bytesAfterFirst = source.bytesRead();
            CsvRecord record;
            CsvRecord last = null;
            while ((record = source.next()) != null) {
                count++;
                last = record;
            }
            assertEquals(rows, count);
            assertEquals(new CsvRecord(2L * rows, List.of(String.valueOf(rows), "Name " + rows, "two\nlines, " + rows)),
                    last);
            assertEquals(input.bytesServed, source.bytesRead());
        }
        assertTrue(bytesAfterFirst < input.bytesServed / 50,
                "read " + bytesAfterFirst + " of " + input.bytesServed + " bytes for the first record");
    }

    /** An input stream producing generated rows on demand, never holding more than one. */
    private static final class RowStream extends InputStream {
        private final long rows;
        private final LongFunction<String> row;
        private long next;
        private byte[] current = new byte[0];
        private int offset;
        long rowsServed;
        long bytesServed;

        RowStream(long rows, LongFunction<String> row) {
            this.rows = rows;
            this.row = row;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (offset == current.length) {
                if (next == rows) {
                    return -1;
                }
                current = row.apply(next++).getBytes(UTF_8);
                offset = 0;
                rowsServed++;
            }
            int n = Math.min(len, current.length - offset);
            System.arraycopy(current, offset, b, off, n);
            offset += n;
            bytesServed += n;
            return n;
        }
    }

    @Test
    void semicolonAndTabSeparateFieldsWhenNamedAndCommasThenStayInTheValue() {
        assertEquals(List.of(List.of("email", "title"), List.of("ann@acme.example", "Engineer, Platform"), List.of("b", "x;y")),
                fieldsOf(readAll("email;title\nann@acme.example;Engineer, Platform\nb;\"x;y\"\n", ';', UTF_8)));
        assertEquals(List.of(List.of("email", "title"), List.of("ann@acme.example", "a,b"), List.of("c", "")),
                fieldsOf(readAll("email\ttitle\nann@acme.example\ta,b\nc\t\n", '\t', UTF_8)));
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> readAll("a;b\n\"x\",y\n", ';', UTF_8));
        assertEquals("malformed_quotes", e.code());
        assertTrue(e.getMessage().contains("put the semicolon right after the closing quote"), e.getMessage());
    }

    @Test
    void windows1252IsDecodedWhenNamedAndAUtf8FileNamedSoIsRefused() {
        Charset cp1252 = Charset.forName("windows-1252");
        byte[] legacy = {'a', ',', 'b', '\n', 'J', 'o', 's', (byte) 0xE9, ',', (byte) 0x80, '5', '\n'};
        assertEquals(List.of(List.of("a", "b"), List.of("Jos\u00e9", "\u20ac5")), fieldsOf(readAll(legacy, ',', cp1252)));
        CsvFormatException bom = assertThrows(CsvFormatException.class,
                () -> readAll("\uFEFFa,b\n".getBytes(UTF_8), ',', cp1252));
        assertEquals("unsupported_encoding", bom.code());
        assertTrue(bom.getMessage().contains("leave out --encoding"), bom.getMessage());
        CsvFormatException unmapped = assertThrows(CsvFormatException.class,
                () -> readAll(new byte[] {'a', '\n', 'x', (byte) 0x81, '\n'}, ',', cp1252));
        assertEquals("invalid_encoding", unmapped.code());
        assertEquals(2, unmapped.line());
    }

    @Test
    void utf16IsDecodedWhenNamed() {
        byte[] input = "\uFEFFa\tb\n1\t\u00e9\n".getBytes(StandardCharsets.UTF_16LE);
        assertEquals(List.of(List.of("a", "b"), List.of("1", "\u00e9")),
                fieldsOf(readAll(input, '\t', StandardCharsets.UTF_16LE)));
    }

    @Test
    void invalidUtf8NamesTheEncodingOption() {
        CsvFormatException e = failure(new byte[] {'a', '\n', (byte) 0xE9, '\n'});
        assertTrue(e.getMessage().contains("--encoding windows-1252"), e.getMessage());
    }

    @Test
    void aQuotedFieldStillOpenAfterTheLimitIsAnUnclosedQuoteEvenIfItClosesJustAfter() {
        String input = "id\n\"" + "x".repeat(CsvSource.MAX_RECORD_CHARS + 1) + "\"\n";
        CsvFormatException e = failure(input);
        assertEquals("unclosed_quote", e.code());
        assertEquals(2, e.line());
    }

    @Test
    void aRecordOfManyShortFieldsCountsItsSeparatorsTowardsTheLimit() {
        String fields = "a,".repeat(CsvSource.MAX_RECORD_CHARS / 2 + 1);
        CsvFormatException e = failure("id\n" + fields + "\n");
        assertEquals("record_too_long", e.code());
        assertEquals(2, e.line());

        CsvFormatException empty = failure(",".repeat(CsvSource.MAX_RECORD_CHARS + 1));
        assertEquals("record_too_long", empty.code(), "empty fields count too");
    }

    @Test
    void aRecordOfExactlyTheLimitIsReadAndOneCharacterMoreIsNot() {
        String whole = "x".repeat(CsvSource.MAX_RECORD_CHARS);
        assertEquals(List.of(List.of(whole), List.of("next")), fieldsOf(readAll(whole + "\nnext\n")));
        String two = "x".repeat(CsvSource.MAX_RECORD_CHARS - 2) + ",y";
        assertEquals(List.of(List.of("x".repeat(CsvSource.MAX_RECORD_CHARS - 2), "y")), fieldsOf(readAll(two + "\n")));
        assertEquals("record_too_long", failure(whole + "x\n").code());
        assertEquals("record_too_long", failure(two + "y\n").code());
        assertEquals("record_too_long", failure("x".repeat(CsvSource.MAX_RECORD_CHARS) + ",\n").code(),
                "a separator after a full record starts one more field: the record is one character too long");
    }

    @Test
    void aRecordJustUnderTheLimitIsRead() {
        String longest = "x".repeat(CsvSource.MAX_RECORD_CHARS - 1);
        assertEquals(List.of(List.of(longest), List.of("next")), fieldsOf(readAll(longest + "\nnext\n")));
        assertEquals(List.of(List.of(longest)), fieldsOf(readAll("\"" + longest + "\"")));
    }

    @Test
    void closeClosesTheInputOnceAndThenNextRefuses() {
        int[] closes = new int[1];
        InputStream in = new ByteArrayInputStream("a\nb\n".getBytes(UTF_8)) {
            @Override
            public void close() {
                closes[0]++;
            }
        };
        CsvSource source = CsvSource.of(in, "users.csv");
        assertEquals(List.of("a"), source.next().fields());

        source.close();
        source.close();

        assertEquals(1, closes[0], "the stream is closed once");
        IllegalStateException e = assertThrows(IllegalStateException.class, source::next);
        assertEquals("users.csv is closed", e.getMessage());
    }

    @Test
    void aStreamThatCannotBeClosedIsAnIoError() {
        InputStream in = new ByteArrayInputStream(new byte[0]) {
            @Override
            public void close() throws IOException {
                throw new IOException("disk gone");
            }
        };
        CsvSource source = CsvSource.of(in, "users.csv");
        CsvFormatException e = assertThrows(CsvFormatException.class, source::close);
        assertEquals("io_error", e.code());
        assertEquals("users.csv: io_error: cannot read the file (IOException: disk gone); check that it exists and is readable",
                e.getMessage());
    }

    @Test
    void aReadFailureIsAnIoErrorOnTheLineBeingRead() {
        // two blocks arrive, the third read fails while line 3 is being parsed
        List<byte[]> blocks = new ArrayList<>(List.of(("a\nb\n" + "c".repeat(20)).getBytes(UTF_8), "d\n".getBytes(UTF_8)));
        InputStream in = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (blocks.isEmpty()) {
                    throw new IOException("cable pulled");
                }
                byte[] block = blocks.remove(0);
                System.arraycopy(block, 0, b, off, block.length);
                return block.length;
            }
        };
        try (CsvSource source = CsvSource.of(in, "users.csv")) {
            assertEquals(List.of("a"), source.next().fields());
            assertEquals(List.of("b"), source.next().fields());
            CsvFormatException e = assertThrows(CsvFormatException.class, source::next);
            assertEquals("io_error", e.code());
            assertEquals(3, e.line());
            assertTrue(e.getCause() instanceof IOException);
        }
    }

    @Test
    void aQuoteOrLineBreakCannotBeTheSeparator() {
        for (char c : new char[] {'"', '\r', '\n'}) {
            assertThrows(IllegalArgumentException.class,
                    () -> CsvSource.of(stream("a"), "t.csv", true, c, UTF_8), "separator " + (int) c);
        }
    }

    @Test
    void malformedQuotesNameTheSeparatorInUse() {
        assertTrue(assertThrows(CsvFormatException.class, () -> readAll("\"x\"y,z\n", ',', UTF_8)).getMessage()
                .contains("put the comma right after"));
        assertTrue(assertThrows(CsvFormatException.class, () -> readAll("\"x\"y\tz\n", '\t', UTF_8)).getMessage()
                .contains("put the tab right after"));
        assertTrue(assertThrows(CsvFormatException.class, () -> readAll("\"x\"y|z\n", '|', UTF_8)).getMessage()
                .contains("put the separator '|' right after"));
    }

    @Test
    void utf16WithoutMarkIsRecognisedFromItsFirstCharacterUpToTheSniffedBytes() {
        for (Charset cs : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            assertEquals("unsupported_encoding", failure("a".getBytes(cs)).code(), "one character, " + cs);
            assertEquals("unsupported_encoding", failure("email,na".getBytes(cs)).code(), "exactly the sniffed 16 bytes, " + cs);
        }
    }

    @Test
    void aFormatErrorCarriesItsFileLineCodeAndDetailAsAnImportError() {
        CsvFormatException e = failure("a,b\n\"x\"y\n");

        assertEquals("t.csv", e.file());
        assertEquals(new ImportError("t.csv", 2, null, "malformed_quotes", "text follows the closing quote of a"
                + " quoted field; put the comma right after the closing quote, and write each quote inside the field as \"\""),
                e.toImportError());
        assertEquals(e.toImportError().describe(), e.getMessage());
    }

    private static List<CsvRecord> readAll(String input, char separator, Charset charset) {
        return readAll(input.getBytes(charset), separator, charset);
    }

    private static List<CsvRecord> readAll(byte[] input, char separator, Charset charset) {
        List<CsvRecord> records = new ArrayList<>();
        try (CsvSource source = CsvSource.of(new ByteArrayInputStream(input), "t.csv", true, separator, charset)) {
            CsvRecord record;
            while ((record = source.next()) != null) {
                records.add(record);
            }
        }
        return records;
    }

    private static List<CsvRecord> readAll(String input) {
        return readAll(input.getBytes(UTF_8));
    }

    private static List<CsvRecord> readAll(byte[] input) {
        List<CsvRecord> records = new ArrayList<>();
        try (CsvSource source = CsvSource.of(new ByteArrayInputStream(input), "t.csv")) {
            CsvRecord record;
            while ((record = source.next()) != null) {
                records.add(record);
            }
        }
        return records;
    }

    private static CsvFormatException failure(String input) {
        return failure(input.getBytes(UTF_8));
    }

    private static CsvFormatException failure(byte[] input) {
        return assertThrows(CsvFormatException.class, () -> readAll(input));
    }

    private static List<List<String>> fieldsOf(List<CsvRecord> records) {
        return records.stream().map(CsvRecord::fields).toList();
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
