package io.safeimport.internal.pipeline;

import com.opencsv.CSVWriter;
import io.safeimport.api.ImportError;
import io.safeimport.internal.io.PrivateFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The rows skipped under {@code --max-errors N}, as a CSV next to the audit log: the original
 * columns plus {@code error_line}, {@code error_code} and {@code error_message}, so they can be fixed
 * and imported again. Cells a spreadsheet would run as a formula (starting with {@code = + - @},
 * tab or carriage return) get a leading apostrophe: the file came from outside and may be opened
 * in Excel. Owner-only, like every file holding personal data.
 */
final class RejectsFile implements Closeable {
    private final Path file;
    private final CSVWriter writer;
    private long rows;

    private RejectsFile(Path file, CSVWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    static RejectsFile create(Path file, List<String> header) throws IOException {
        CSVWriter w = new CSVWriter(new OutputStreamWriter(PrivateFiles.replace(file), StandardCharsets.UTF_8),
                ',', '"', '"', "\n");
        List<String> h = new ArrayList<>(header);
        h.add("error_line");
        h.add("error_code");
        h.add("error_message");
        w.writeNext(neutralise(h), false);
        return new RejectsFile(file, w);
    }

    void write(List<String> fields, long line, List<ImportError> errors) {
        List<String> out = new ArrayList<>(fields);
        out.add(Long.toString(line));
        out.add(errors.stream().map(ImportError::code).distinct().collect(Collectors.joining(";")));
        out.add(errors.stream().map(e -> (e.column() == null ? "" : e.column() + ": ") + e.message()).collect(Collectors.joining("; ")));
        writer.writeNext(neutralise(out), false);
        rows++;
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
    }
}
