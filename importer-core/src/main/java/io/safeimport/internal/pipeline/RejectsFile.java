package io.safeimport.internal.pipeline;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.CSVWriter;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvValidationException;
import io.safeimport.api.ImportError;
import io.safeimport.internal.io.PrivateFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The rows skipped under {@code --max-errors N}, as a CSV next to the audit log: the original
 * columns plus {@code error_line}, {@code error_code} and {@code error_message}, so they can be fixed
 * and imported again. Every row has the header's width: a row with too few fields (rejected as
 * {@code field_count}) is padded with empty cells; one with too many keeps the header's width and
 * its surplus fields, as CSV, in a last column {@value #EXTRA}, added only to a file that has such
 * a row. Cells a spreadsheet would run as a formula (starting with {@code = + - @}, tab or carriage
 * return) get a leading apostrophe: the file came from outside and may be opened in Excel.
 * Owner-only, like every file holding personal data.
 */
final class RejectsFile implements Closeable {
    /** The column that holds the fields of a row beyond the header's width. */
    static final String EXTRA = "error_extra_fields";

    private final Path file;
    private final CSVWriter writer;
    private final List<String> header;
    private long rows;
    private boolean overflow;

    private RejectsFile(Path file, CSVWriter writer, List<String> header) {
        this.file = file;
        this.writer = writer;
        this.header = header;
    }

    static RejectsFile create(Path file, List<String> header) throws IOException {
        CSVWriter w = new CSVWriter(new OutputStreamWriter(PrivateFiles.replace(file), StandardCharsets.UTF_8),
                ',', '"', '"', "\n");
        List<String> h = new ArrayList<>(header);
        h.add("error_line");
        h.add("error_code");
        h.add("error_message");
        w.writeNext(neutralise(h), false);
        return new RejectsFile(file, w, List.copyOf(h));
    }

    void write(List<String> fields, long line, List<ImportError> errors) {
        int width = header.size() - 3;
        List<String> out = new ArrayList<>(header.size() + 1);
        for (int i = 0; i < width; i++) {
            out.add(i < fields.size() ? fields.get(i) : "");
        }
        out.add(Long.toString(line));
        out.add(errors.stream().map(ImportError::code).distinct().collect(Collectors.joining(";")));
        out.add(errors.stream().map(e -> (e.column() == null ? "" : e.column() + ": ") + e.message()).collect(Collectors.joining("; ")));
        if (fields.size() > width) {
            overflow = true;
            out.add(csvLine(fields.subList(width, fields.size())));
        }
        writer.writeNext(neutralise(out), false);
        rows++;
    }

    /** Fields as one CSV line (RFC 4180 quoting), so that the surplus of a row can be read back as it was. */
    static String csvLine(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (String f : fields) {
            String v = f == null ? "" : f;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(v.matches("(?s).*[\",\r\n].*") ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
        }
        return sb.toString();
    }

    /** Prefixes cells that a spreadsheet would evaluate as a formula. */
    static String[] neutralise(List<String> cells) {
        String[] out = new String[cells.size()];
        for (int i = 0; i < out.length; i++) {
            String c = cells.get(i) == null ? "" : cells.get(i);
            out[i] = !c.isEmpty() && "=+-@\t\r".indexOf(c.charAt(0)) >= 0 ? "'" + c : c;
        }
        return out;
    }

    Path file() {
        return file;
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        writer.close();
        if (overflow) {
            overflow = false;
            addExtraColumn();
        }
    }

    /** Rewrites the file with the {@value #EXTRA} column in the header and a cell for it in every row. */
    private void addExtraColumn() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (CSVReader in = new CSVReaderBuilder(Files.newBufferedReader(file, StandardCharsets.UTF_8))
                .withCSVParser(new RFC4180ParserBuilder().build()).build();
             CSVWriter out = new CSVWriter(new OutputStreamWriter(PrivateFiles.replace(tmp), StandardCharsets.UTF_8),
                     ',', '"', '"', "\n")) {
            String[] row = in.readNext();
            boolean first = true;
            while (row != null) {
                String[] wide = Arrays.copyOf(row, header.size() + 1);
                for (int i = row.length; i < wide.length; i++) {
                    wide[i] = "";
                }
                if (first) {
                    wide[header.size()] = EXTRA;
                    first = false;
                }
                out.writeNext(wide, false);
                row = in.readNext();
            }
        } catch (CsvValidationException e) {
            throw new IOException("cannot read back " + file + ": " + e.getMessage(), e);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
