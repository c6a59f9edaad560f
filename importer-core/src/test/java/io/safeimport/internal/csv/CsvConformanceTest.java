package io.safeimport.internal.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs {@link CsvSource} over every case of the public conformance corpora in the test
 * resources {@code csv-conformance/} (see its README for sources and licences): the 12
 * csv-spectrum files, the 60 FastCSV spec checks (108 inputs once {@code ⏎} is expanded to LF,
 * CRLF and CR) and the 6 FastCSV byte-order-mark files.
 *
 * <p><b>Deviations</b> (details in {@code csv-conformance/DEVIATIONS.md}); each is asserted, not
 * skipped, except the not-applicable comment modes:
 * <ul>
 *   <li>csv-spectrum {@code location_coordinates}: known upstream defect (its JSON is one object,
 *       not an array, and has another phone number than the CSV); we assert the CSV's values.</li>
 *   <li>FastCSV {@code open-quotation-1}, {@code -2} and {@code spaces-around-quotes-1} to
 *       {@code -5}: we reject the input ({@code unclosed_quote} / {@code malformed_quotes}, see
 *       {@link #DELIBERATE_REJECTIONS}) where FastCSV reads leniently; those files set
 *       {@code exceptionAllowed}.</li>
 *   <li>FastCSV {@code comments-read} and {@code comments-skip}: not applicable (we have no
 *       comment lines; CSV exports have none); reported as aborted cases with the reason.
 *       {@code comments-none}, where {@code #} is an ordinary character, is run.</li>
 *   <li>FastCSV {@code bom/utf16*}, {@code bom/utf32*}: rejected as
 *       {@code unsupported_encoding} instead of decoded.</li>
 * </ul>
 */
class CsvConformanceTest {

    private static final String SPECTRUM_DEFECT = "location_coordinates";

    /** FastCSV checks we deliberately reject, with the error code we reject them with. */
    private static final Map<String, String> DELIBERATE_REJECTIONS = Map.of(
            "open-quotation-1", "unclosed_quote",
            "open-quotation-2", "unclosed_quote",
            "spaces-around-quotes-1", "malformed_quotes",
            "spaces-around-quotes-2", "malformed_quotes",
            "spaces-around-quotes-3", "malformed_quotes",
            "spaces-around-quotes-4", "malformed_quotes",
            "spaces-around-quotes-5", "malformed_quotes");

    private static final List<List<String>> BOM_RECORDS = List.of(List.of("foo", "üÜß"), List.of("123", "456"));

    private static final Map<String, String> BOM_CHARSETS = Map.of("utf16le_bom.csv", "UTF-16LE",
            "utf16be_bom.csv", "UTF-16BE", "utf32le_bom.csv", "UTF-32LE", "utf32be_bom.csv", "UTF-32BE");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void corporaHaveEveryCase() throws IOException {
        assertEquals(12, spectrumCases().count());
        assertEquals(15, list("fastcsv-spec/spec").size());
        assertEquals(60, fastCsvChecks().map(SpecCase::id).distinct().count());
        assertEquals(108, fastCsvChecks().count());
        assertEquals(6, byteOrderMarkFiles().count());
    }

    static Stream<String> spectrumCases() throws IOException {
        return list("csv-spectrum/csvs").stream().map(f -> f.getFileName().toString().replace(".csv", ""));
    }

    @ParameterizedTest(name = "csv-spectrum {0}")
    @MethodSource("spectrumCases")
    void csvSpectrumFileReadsAsItsJson(String name) throws IOException {
        List<Map<String, String>> actual = asMaps(read(corpus("csv-spectrum/csvs/" + name + ".csv"), true));
        Path json = corpus("csv-spectrum/json/" + name + ".json");
        if (name.equals(SPECTRUM_DEFECT)) {
            Map<String, String> upstream = JSON.readValue(json.toFile(), new TypeReference<>() { });
            Map<String, String> corrected = new LinkedHashMap<>(upstream);
            corrected.put("Contact Phone Number", "2095257564");
            assertNotEquals(List.of(upstream), actual, "upstream defect fixed? drop the expected deviation");
            assertEquals(List.of(corrected), actual);
            return;
        }
        assertEquals(JSON.readValue(json.toFile(), new TypeReference<List<Map<String, String>>>() { }), actual);
    }

    static Stream<Named<SpecCase>> fastCsvCases() throws IOException {
        return fastCsvChecks().map(c -> Named.of(c.displayName(), c));
    }

    @ParameterizedTest(name = "fastcsv-spec {0}")
    @MethodSource("fastCsvCases")
    void fastCsvCheckReadsAsSpecifiedUnlessADeliberateDeviation(SpecCase check) {
        if (!check.commentMode().equals("NONE")) {
            Assumptions.abort(check.displayName() + ": not applicable: comment lines (commentMode " + check.commentMode()
                    + ") are not supported; CSV exports have none and '#' is an ordinary character");
        }
        byte[] input = check.input().getBytes(StandardCharsets.UTF_8);
        String rejection = DELIBERATE_REJECTIONS.get(check.id());
        if (rejection != null) {
            assertTrue(check.exceptionAllowed(), check.id() + " does not allow an exception");
            CsvFormatException e = assertThrows(CsvFormatException.class, () -> read(input, check.skipEmptyLines()));
            assertEquals(rejection, e.code());
            return;
        }
        assertEquals(check.records(), fieldsOf(read(input, check.skipEmptyLines())));
    }

    static Stream<String> byteOrderMarkFiles() throws IOException {
        return list("fastcsv-spec/bom").stream().map(f -> f.getFileName().toString());
    }

    @ParameterizedTest(name = "fastcsv-spec bom/{0}")
    @MethodSource("byteOrderMarkFiles")
    void utf8ReadsWithOrWithoutBomAndUtf16Or32IsRejected(String name) throws IOException {
        byte[] input = Files.readAllBytes(corpus("fastcsv-spec/bom/" + name));
        if (name.startsWith("utf8")) {
            assertEquals(BOM_RECORDS, fieldsOf(read(input, true)));
            return;
        }
        String charset = BOM_CHARSETS.get(name);
        CsvFormatException e = assertThrows(CsvFormatException.class, () -> read(input, true));
        assertEquals("unsupported_encoding", e.code());
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("the file is " + charset + " ") && e.getMessage().contains("save it as UTF-8"),
                e.getMessage());
    }

    /** One concrete FastCSV check: placeholders expanded, {@code ⏎} resolved to one line break. */
    record SpecCase(String file, String id, String lineBreak, String input, List<List<String>> records,
                    boolean skipEmptyLines, String commentMode, boolean exceptionAllowed) {

        String displayName() {
            return id + (lineBreak == null ? "" : " [" + lineBreak + "]");
        }
    }

    @SuppressWarnings("unchecked")
    private static Stream<SpecCase> fastCsvChecks() throws IOException {
        List<SpecCase> cases = new ArrayList<>();
        for (Path file : list("fastcsv-spec/spec")) {
            Map<String, Object> spec;
            try (InputStream in = Files.newInputStream(file)) {
                spec = new Yaml().load(in);
            }
            Map<String, Object> settings = (Map<String, Object>) spec.getOrDefault("settings", Map.of());
            boolean skipEmptyLines = (Boolean) settings.getOrDefault("skipEmptyLines", false);
            String commentMode = (String) settings.getOrDefault("commentMode", "NONE");
            boolean exceptionAllowed = (Boolean) settings.getOrDefault("exceptionAllowed", false);
            for (Map<String, Object> check : (List<Map<String, Object>>) spec.get("checks")) {
                String input = (String) check.get("input");
                List<List<String>> records = (List<List<String>>) check.get("records");
                boolean anyLineBreak = input.contains("⏎") || records.toString().contains("⏎");
                for (String name : anyLineBreak ? List.of("LF", "CRLF", "CR") : List.of("")) {
                    String lineBreak = switch (name) {
                        case "LF" -> "\n";
                        case "CRLF" -> "\r\n";
                        default -> "\r";
                    };
                    cases.add(new SpecCase(file.getFileName().toString(), (String) check.get("id"),
                            name.isEmpty() ? null : name, expand(input, lineBreak),
                            records.stream().map(r -> r.stream().map(f -> expand(f, lineBreak)).toList()).toList(),
                            skipEmptyLines, commentMode, exceptionAllowed));
                }
            }
        }
        return cases.stream();
    }

    /** Expands the FastCSV placeholders; {@code ␠} ("various spaces", unused in this corpus) as a space. */
    private static String expand(String text, String lineBreak) {
        return text.replace("␊", "\n").replace("␍", "\r").replace("␤", "\r\n").replace("⏎", lineBreak)
                .replace("␠", " ");
    }

    private static List<Map<String, String>> asMaps(List<CsvRecord> records) {
        List<String> header = records.get(0).fields();
        List<Map<String, String>> rows = new ArrayList<>();
        for (CsvRecord record : records.subList(1, records.size())) {
            assertEquals(header.size(), record.size(), "fields on line " + record.line());
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), record.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<CsvRecord> read(Path file, boolean skipEmptyLines) {
        List<CsvRecord> records = new ArrayList<>();
        try (CsvSource source = CsvSource.open(file, file.getFileName().toString(), skipEmptyLines)) {
            for (CsvRecord r = source.next(); r != null; r = source.next()) {
                records.add(r);
            }
        }
        return records;
    }

    private static List<CsvRecord> read(byte[] input, boolean skipEmptyLines) {
        List<CsvRecord> records = new ArrayList<>();
        try (CsvSource source = CsvSource.of(new ByteArrayInputStream(input), "input.csv", skipEmptyLines)) {
            for (CsvRecord r = source.next(); r != null; r = source.next()) {
                records.add(r);
            }
        }
        return records;
    }

    private static List<List<String>> fieldsOf(List<CsvRecord> records) {
        return records.stream().map(CsvRecord::fields).toList();
    }

    /** A corpus file from the test classpath (never from outside the repository). */
    private static Path corpus(String relative) {
        URL url = CsvConformanceTest.class.getResource("/csv-conformance/" + relative);
        assertNotNull(url, "test resource csv-conformance/" + relative);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> list(String directory) throws IOException {
        try (Stream<Path> files = Files.list(corpus(directory))) {
            return files.sorted().toList();
        }
    }
}
