package io.safeimport.internal.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a CSV file one record at a time (the Read step of DESIGN.md §2), streaming: memory use
 * is bounded by the longest record, whatever the size of the file.
 *
 * <p>The format is RFC 4180 with a comma separator (or another one the operator names, such as
 * the semicolon of European spreadsheets or a tab), read strictly:
 * <ul>
 *   <li>Encoding: UTF-8 unless the operator names another ({@code --encoding windows-1252}); it
 *       is never guessed. A UTF-8 byte order mark is dropped; in a file read in another
 *       single-byte encoding it is an {@code unsupported_encoding} error (the file is UTF-8). A
 *       file read as UTF-16 or UTF-32 is decoded as such, its byte order mark dropped. Bytes
 *       that are not UTF-8 are an {@code invalid_utf8} error on the physical line where they
 *       occur ({@code invalid_encoding} for bytes another named encoding does not map). A UTF-16 or UTF-32
 *       byte order mark, or UTF-16 without one (a zero in every other of the first bytes), is an
 *       {@code unsupported_encoding} error ("save it as UTF-8"): such
 *       files are deliberately not decoded, because DESIGN.md makes UTF-8 the contract and
 *       Excel's "Unicode text" export (UTF-16) is tab-separated, which would otherwise surface
 *       later as a confusing header error.</li>
 *   <li>LF, CRLF and a lone CR each end a record and each count as one physical line break.
 *       Inside a quoted field they are kept verbatim (CRLF stays {@code "\r\n"}) and still
 *       count as line breaks for line numbers.</li>
 *   <li>A field is quoted only if its first character is {@code "}; inside it {@code ""} is a
 *       quote. Elsewhere in an unquoted field a quote is an ordinary character
 *       ({@code 5'10"}, {@code 37°36'37.8"N}): that reading is unambiguous. Where it is not, the
 *       input is a {@code malformed_quotes} error rather than a guess that could put a quote
 *       into the database or shift values between columns: a quote after leading blanks
 *       ({@code a, "b"}, meant as a quoted field most likely), and anything but a comma or line
 *       break after a closing quote ({@code "a"b}, {@code "a" ,b}).</li>
 *   <li>A quoted field still open at the end of input is an {@code unclosed_quote} error on the
 *       line where its quote opened, as is one still open after {@link #MAX_RECORD_CHARS}
 *       characters (so a stray quote in a multi-gigabyte file fails fast instead of running
 *       out of memory). An unquoted record longer than that is {@code record_too_long}.</li>
 *   <li>A line break at the very end of the input does not start another record; an empty
 *       input has no records. A completely empty physical line is skipped when
 *       {@code skipEmptyLines} is set (the default), otherwise it is a record of one empty
 *       field. A line of blanks, or {@code ""}, is a record either way.</li>
 *   <li>Records may have different numbers of fields; checking them against the header is
 *       the caller's job.</li>
 * </ul>
 * After a {@link CsvFormatException} the source is unusable: {@link #next()} throws the same
 * exception again. Not thread-safe, except {@link #bytesRead()}.
 *
 * <p><b>Why not opencsv.</b> opencsv 5.9 ({@code CSVReaderBuilder} with {@code RFC4180Parser})
 * cannot keep CRLF inside quoted fields and end records at a lone CR at the same time, and its
 * only CRLF-preserving setting loses data; {@code OpenCsvLimitationTest} pins what was measured:
 * <ul>
 *   <li>without {@code withKeepCarriageReturn(true)} a quoted {@code "x\r\ny"} reads as
 *       {@code "x\ny"} (and a quoted lone CR becomes LF);</li>
 *   <li>with it, a lone CR no longer ends a record ({@code A,B\rC,D} reads as one record
 *       {@code [A, B\rC, D]}), an empty LF line is taken for the end of input
 *       ({@code A\n\nB\nC\n} reads as just {@code [A]}, silently), and an empty line inside a
 *       quoted field is reported as an unterminated quote.</li>
 * </ul>
 * Its start-line numbers ({@code getLinesRead}) and its unclosed-quote detection at end of
 * input were fine, and its speed was about the same as this state machine's (a 1,000,000-row,
 * 10-column, 124 MB file parses in about one second either way).
 */
public final class CsvSource implements Closeable {

    /**
     * The most characters one record may hold (fields plus separators). Far above any real
     * value, it bounds memory when a stray quote would otherwise swallow the rest of the file.
     */
    public static final int MAX_RECORD_CHARS = 1 << 20;

    private static final int EOF = -1;

    private final String file;
    private final boolean skipEmptyLines;
    private final char separator;
    private final DecodedInput input;
    private final char[] chars = new char[DecodedInput.BUFFER_SIZE];
    private final CharBuffer charView = CharBuffer.wrap(chars);
    private int pos;
    private int limit;

    private final StringBuilder field = new StringBuilder();
    private final List<String> fields = new ArrayList<>();
    /** The current physical line, 1-based. */
    private long line = 1;
    private boolean started;
    private boolean closed;
    private CsvFormatException failure;

    private CsvSource(InputStream in, String file, boolean skipEmptyLines, char separator, Charset charset) {
        Objects.requireNonNull(in, "in");
        this.file = Objects.requireNonNull(file, "displayName");
        this.skipEmptyLines = skipEmptyLines;
        if (separator == '"' || separator == '\r' || separator == '\n') {
            throw new IllegalArgumentException("a quote or line break cannot separate fields");
        }
        this.separator = separator;
        this.input = new DecodedInput(in, file, Objects.requireNonNull(charset, "charset"), () -> line);
    }

    /** {@link #open(Path, String, boolean)} skipping empty lines. */
    public static CsvSource open(Path file, String displayName) {
        return open(file, displayName, true);
    }

    /**
     * Opens a file for reading.
     *
     * @param displayName the name used in messages (the file name as the user gave it)
     * @param skipEmptyLines whether a completely empty physical line is skipped rather than
     *                       read as a record of one empty field
     * @throws CsvFormatException {@code io_error} when the file cannot be opened
     */
    public static CsvSource open(Path file, String displayName, boolean skipEmptyLines) {
        Objects.requireNonNull(displayName, "displayName");
        try {
            return new CsvSource(Files.newInputStream(file), displayName, skipEmptyLines, ',', StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw DecodedInput.ioError(displayName, 0, e);
        }
    }

    /** {@link #of(InputStream, String, boolean)} skipping empty lines. */
    public static CsvSource of(InputStream in, String displayName) {
        return of(in, displayName, true);
    }

    /**
     * Reads from a stream, which the source then owns: {@link #close()} closes it. The stream
     * is read in large blocks, so it need not be buffered.
     *
     * @see #open(Path, String, boolean)
     */
    public static CsvSource of(InputStream in, String displayName, boolean skipEmptyLines) {
        return of(in, displayName, skipEmptyLines, ',', StandardCharsets.UTF_8);
    }

    /**
     * Reads from a stream with another separator or encoding than comma and UTF-8.
     *
     * @param separator the field separator: {@code ','}, {@code ';'}, a tab, ...; never a quote or line break
     * @param charset   the file's encoding, as the operator named it
     * @see #of(InputStream, String, boolean)
     */
    public static CsvSource of(InputStream in, String displayName, boolean skipEmptyLines, char separator, Charset charset) {
        return new CsvSource(in, displayName, skipEmptyLines, separator, charset);
    }

    /**
     * Returns the next record, or {@code null} at the end of input (and on every call after).
     *
     * @throws CsvFormatException when the input is not valid CSV in UTF-8 or cannot be read
     * @throws IllegalStateException when the source is closed
     */
    public CsvRecord next() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IllegalStateException(file + " is closed");
        }
        try {
            return readRecord();
        } catch (CsvFormatException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * How many bytes have been read from the input so far: a little ahead of the records
     * returned, since input is read in blocks. Meant for progress display; may be called from
     * any thread.
     */
    public long bytesRead() {
        return input.bytesRead();
    }

    /** Closes the input. Calling it again does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        input.close();
    }

    private CsvRecord readRecord() {
        if (!started) {
            started = true;
            checkByteOrderMark();
        }
        int c = read();
        while (skipEmptyLines && (c == '\n' || c == '\r')) {
            endLine(c);
            c = read();
        }
        if (c == EOF) {
            return null;
        }
        long start = line;
        fields.clear();
        int budget = MAX_RECORD_CHARS;
        while (true) {
            field.setLength(0);
            if (c == '"') {
                readQuoted(budget);
                c = read();
                if (c != separator && c != '\n' && c != '\r' && c != EOF) {
                    throw new CsvFormatException(file, line, "malformed_quotes",
                            "text follows the closing quote of a quoted field; put the " + separatorName() + " right after"
                                    + " the closing quote, and write each quote inside the field as \"\"", null);
                }
            } else {
                while (c != separator && c != '\n' && c != '\r' && c != EOF) {
                    if (c == '"' && isBlank(field)) {
                        throw new CsvFormatException(file, line, "malformed_quotes",
                                "blanks before the opening quote of a quoted field; remove them (or, if the"
                                        + " quote belongs to the value, quote the whole field and write it as \"\")",
                                null);
                    }
                    if (field.length() >= budget) {
                        throw recordTooLong(start);
                    }
                    field.append((char) c);
                    c = read();
                }
            }
            fields.add(field.toString());
            budget -= field.length();
            if (budget < 0) {
                throw recordTooLong(start);
            }
            if (c != separator) {
                if (c != EOF) {
                    endLine(c);
                }
                return new CsvRecord(start, List.copyOf(fields));
            }
            // the separator is a character of the record too (the line break after the last field is not)
            if (--budget < 0) {
                throw recordTooLong(start);
            }
            c = read();
        }
    }

    /** Reads a quoted field after its opening quote, through its closing quote, into {@link #field}. */
    private void readQuoted(int budget) {
        long opened = line;
        while (true) {
            int c = read();
            if (c == EOF) {
                throw new CsvFormatException(file, opened, "unclosed_quote",
                        "a quoted field starting here never ends; close the quote or escape it as \"\"", null);
            }
            if (c == '"') {
                if (peek() != '"') {
                    return;
                }
                pos++;
            } else if (c == '\n') {
                line++;
            } else if (c == '\r') {
                line++;
                if (peek() == '\n') {
                    field.append('\r');
                    c = '\n';
                    pos++;
                }
            }
            if (field.length() >= budget) {
                throw new CsvFormatException(file, opened, "unclosed_quote", "a quoted field starting here is"
                        + " still open after " + MAX_RECORD_CHARS + " characters; close the quote or escape it"
                        + " as \"\"", null);
            }
            field.append((char) c);
        }
    }

    private String separatorName() {
        return switch (separator) {
            case ',' -> "comma";
            case ';' -> "semicolon";
            case '\t' -> "tab";
            default -> "separator '" + separator + "'";
        };
    }

    /** Whether {@code s} is one or more spaces or tabs (other than the separator). */
    private boolean isBlank(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == separator || (c != ' ' && c != '\t')) {
                return false;
            }
        }
        return s.length() > 0;
    }

    /** Consumes the line break that starts with {@code c} (a CR may be followed by an LF). */
    private void endLine(int c) {
        line++;
        if (c == '\r' && peek() == '\n') {
            pos++;
        }
    }

    private void checkByteOrderMark() {
        // named by the operator: decoded as such; a byte order mark decodes to U+FEFF, dropped here
        if (input.checkByteOrderMark() && peek() == '\uFEFF') {
            pos++;
        }
    }

    /**
     * The next character, or {@link #EOF}. This and {@link #peek()} decode the next block
     * themselves rather than through a small shared method: the JIT inlines such a method, and
     * {@link DecodedInput#decode} with it, into the parsing loop, which then parsed a
     * 1,000,000-row file about 1.7 times slower.
     */
    private int read() {
        if (pos == limit) {
            limit = input.decode(charView);
            pos = 0;
            if (limit == 0) {
                return EOF;
            }
        }
        return chars[pos++];
    }

    private int peek() {
        if (pos == limit) {
            limit = input.decode(charView);
            pos = 0;
            if (limit == 0) {
                return EOF;
            }
        }
        return chars[pos];
    }

    private CsvFormatException recordTooLong(long start) {
        return new CsvFormatException(file, start, "record_too_long", "a record starting here is longer than "
                + MAX_RECORD_CHARS + " characters; check that this is a CSV file with one record per line", null);
    }
}
