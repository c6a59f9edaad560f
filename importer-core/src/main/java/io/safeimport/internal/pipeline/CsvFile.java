package io.safeimport.internal.pipeline;

import io.safeimport.api.CsvFormat;
import io.safeimport.api.ImportError;
import io.safeimport.internal.csv.CsvFormatException;
import io.safeimport.internal.csv.CsvRecord;
import io.safeimport.internal.csv.CsvSource;
import io.safeimport.spi.CsvLayout;
import io.safeimport.spi.CsvRow;
import io.safeimport.spi.ImportOptions;
import io.safeimport.spi.Importer;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * One pass over a CSV file: the header matched against the importer's layout, then each record
 * as a {@link CsvRow}. The bytes are hashed on the way through, so the SHA-256 of exactly what was
 * read is known at the end of the pass.
 *
 * <p>The records after the header are parsed on a thread of their own, {@link #BATCH} at a time
 * and at most {@link #BATCHES_AHEAD} batches ahead, while the caller maps and plans the ones before
 * (two cores: parsing and the rest overlap). Records, and a fault in the file, reach the caller in
 * file order exactly as a plain read would deliver them.
 */
final class CsvFile implements Closeable {
    static final int BATCH = 512;
    static final int BATCHES_AHEAD = 4;

    private final String display;
    private final CsvSource source;
    /** Parsed batches; the last one of a pass is {@link #END} or carries the fault that ended it. */
    private final BlockingQueue<Batch> ahead = new ArrayBlockingQueue<>(BATCHES_AHEAD);
    private Thread reader;
    private volatile boolean closed;
    private volatile long bytesRead;
    private List<CsvRecord> current = List.of();
    private int position;
    private boolean ended;
    private Throwable fault;

    /** Records in file order, then possibly the fault that stopped the reading ({@code last} marks the end). */
    private record Batch(List<CsvRecord> records, Throwable fault, boolean last) {
    }

    private static final Batch END = new Batch(List.of(), null, true);
    private final MessageDigest digest;
    private final CsvLayout layout;
    private final Map<String, Integer> index = new HashMap<>();
    private final int width;
    private final List<String> rawHeader;
    private long ordinal;

    private CsvFile(String display, CsvSource source, MessageDigest digest, CsvLayout layout, List<String> header,
                    List<String> rawHeader) {
        this.display = display;
        this.rawHeader = rawHeader;
        this.source = source;
        this.digest = digest;
        this.layout = layout;
        this.width = header.size();
        for (int i = 0; i < header.size(); i++) {
            index.put(header.get(i), i);
        }
    }

    /**
     * Opens the file and checks its header. A file that cannot be read, or whose start shows it is
     * not a CSV file safeimport reads (another encoding), and header problems (unknown, misspelt,
     * duplicate or missing required columns) are reported to {@code errors} and make the result
     * {@code null}.
     */
    static CsvFile open(Path path, String display, Importer importer, ImportOptions options,
                        boolean ignoreUnknownColumns, Consumer<ImportError> errors) {
        return open(path, display, importer, options, ignoreUnknownColumns, CsvFormat.DEFAULT, errors);
    }

    /** {@link #open(Path, String, Importer, ImportOptions, boolean, Consumer)} of a file in {@code format}. */
    static CsvFile open(Path path, String display, Importer importer, ImportOptions options,
                        boolean ignoreUnknownColumns, CsvFormat format, Consumer<ImportError> errors) {
        InputStream in;
        try {
            in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            errors.accept(new ImportError(display, 0, null, "io_error", "no such file; check the --csv path"));
            return null;
        } catch (IOException e) {
            errors.accept(new ImportError(display, 0, null, "io_error", "cannot read the file: " + e.getMessage()));
            return null;
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        CsvSource source = CsvSource.of(new DigestInputStream(new BufferedInputStream(in, 1 << 16), digest), display, true,
                format.delimiter(), format.encoding());
        boolean ok = false;
        try {
            CsvRecord first;
            try {
                first = source.next();
            } catch (CsvFormatException e) {
                errors.accept(e.toImportError()); // the file as a whole: an encoding it is not in, broken bytes up front
                return null;
            }
            if (first == null) {
                errors.accept(new ImportError(display, 1, null, "empty_file",
                        "the file is empty; it needs a header line (" + importer.name() + " columns) and at least one row"));
                return null;
            }
            List<String> header = new ArrayList<>();
            for (String h : first.fields()) {
                header.add(h == null ? "" : trim(h).toLowerCase(Locale.ROOT));
            }
            CsvLayout layout = importer.layout(header, options);
            if (!CsvHeader.checkDelimiter(display, first.line(), header, layout, format, errors)
                    || !CsvHeader.checkHeader(display, first.line(), header, layout, ignoreUnknownColumns, errors)) {
                return null;
            }
            ok = true;
            return new CsvFile(display, source, digest, layout, header, first.fields());
        } finally {
            if (!ok) {
                closeQuietly(source);
            }
        }
    }

    /** The header as written in the file. */
    List<String> rawHeader() {
        return rawHeader;
    }

    CsvLayout layout() {
        return layout;
    }

    String display() {
        return display;
    }

    /**
     * The next data row, or {@code null} at the end. A record with the wrong number of fields is
     * returned already rejected ({@code field_count}).
     */
    Row next() {
        CsvRecord rec = nextRecord();
        if (rec == null) {
            return null;
        }
        ordinal++;
        Row row = new Row(rec, ordinal);
        if (rec.size() != width) {
            row.reject(null, "field_count", "this row has " + rec.size() + " fields but the header has " + width
                    + "; check for an unquoted comma or a missing quote");
        }
        return row;
    }

    private CsvRecord nextRecord() {
        while (position == current.size()) {
            if (fault != null) {
                // the records before the fault were delivered first, as a plain read would
                Throwable f = fault;
                fault = null;
                if (f instanceof Error err) {
                    throw err;
                }
                throw (RuntimeException) f;
            }
            if (ended) {
                return null;
            }
            if (reader == null) {
                startReader();
            }
            Batch b;
            try {
                b = ahead.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading " + display, e);
            }
            current = b.records();
            position = 0;
            if (b.last()) {
                ended = true;
                fault = b.fault();
            }
        }
        return current.get(position++);
    }

    private void startReader() {
        reader = new Thread(() -> {
            try {
                while (!closed) {
                    List<CsvRecord> batch = new ArrayList<>(BATCH);
                    Throwable fault = null;
                    boolean last = false;
                    try {
                        while (batch.size() < BATCH) {
                            CsvRecord r = source.next();
                            if (r == null) {
                                last = true;
                                break;
                            }
                            batch.add(r);
                        }
                    } catch (RuntimeException | Error e) {
                        fault = e; // handed over in order; an Error (out of memory) too, so the caller never waits forever
                        last = true;
                    }
                    bytesRead = source.bytesRead();
                    ahead.put(new Batch(batch, fault, last));
                    if (last) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // closed while waiting for room: the pass was abandoned
            }
        }, "safeimport-csv-" + display);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * {@code v} without the blanks around it: what {@link String#strip} removes, and also the no-break spaces
     * (U+00A0, U+2007, U+202F) that spreadsheets put in and a stray byte order mark (U+FEFF, from files pasted
     * together), none of which {@code strip} counts as blank. {@code "Checkout\u00A0"} is the team {@code Checkout}.
     */
    static String trim(String v) {
        int start = 0;
        int end = v.length();
        while (start < end && blank(v.charAt(start))) {
            start++;
        }
        while (end > start && blank(v.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == v.length() ? v : v.substring(start, end);
    }

    private static boolean blank(char c) {
        if (c > ' ' && c < 0x7f) {
            return false; // printable ASCII, the common case
        }
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F' || c == '\uFEFF';
    }

    /** The SHA-256 of every byte read so far (the whole file once {@link #next()} returned {@code null}). */
    String sha256() {
        return HexFormat.of().formatHex(digest.digest());
    }

    long bytesRead() {
        return reader == null ? source.bytesRead() : bytesRead;
    }

    @Override
    public void close() {
        closed = true;
        if (reader != null) {
            reader.interrupt();
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(source);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // reading only: nothing to lose
        }
    }

    /** A data row; errors are collected on it. */
    final class Row implements CsvRow {
        private final CsvRecord record;
        private final long ordinal;
        private final List<ImportError> errors = new ArrayList<>(1);

        Row(CsvRecord record, long ordinal) {
            this.record = record;
            this.ordinal = ordinal;
        }

        /** 1-based position among the data rows (not the line number). */
        long ordinal() {
            return ordinal;
        }

        List<ImportError> errors() {
            return errors;
        }

        /** The fields as read. */
        List<String> fields() {
            return record.fields();
        }

        @Override
        public String file() {
            return display;
        }

        @Override
        public long line() {
            return record.line();
        }

        @Override
        public boolean has(String column) {
            return index.containsKey(column);
        }

        @Override
        public String get(String column) {
            Integer i = index.get(column);
            if (i == null || i >= record.size()) {
                return null;
            }
            String v = record.get(i);
            if (v == null) {
                return null;
            }
            String s = trim(v);
            return s.isEmpty() ? null : s;
        }

        @Override
        public void reject(String column, String code, String message) {
            errors.add(new ImportError(display, record.line(), column, code, message));
        }

        @Override
        public boolean rejected() {
            return !errors.isEmpty();
        }
    }
}
