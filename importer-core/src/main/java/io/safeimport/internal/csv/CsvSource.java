package io.safeimport.internal.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    private static final int BUFFER_SIZE = 1 << 16;
    private static final int EOF = -1;
    private static final String SAVE_AS_UTF8 = "save it as UTF-8, e.g. Excel's \"CSV UTF-8\"";

    private final InputStream in;
    private final String file;
    private final boolean skipEmptyLines;
    private final char separator;
    private final Charset charset;

    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_SIZE).flip();
    private final char[] chars = new char[BUFFER_SIZE];
    private final CharBuffer charView = CharBuffer.wrap(chars);
    private int pos;
    private int limit;
    private boolean inputExhausted;
    private boolean decoderDone;
    /** Where undecodable bytes were found; they are reported once the chars before them are parsed. */
    private long badByteOffset = -1;
    private int badByte;
    private volatile long bytesRead;

    private final StringBuilder field = new StringBuilder();
    private final List<String> fields = new ArrayList<>();
    /** The current physical line, 1-based. */
    private long line = 1;
    private boolean started;
    private boolean closed;
    private CsvFormatException failure;

    private CsvSource(InputStream in, String file, boolean skipEmptyLines, char separator, Charset charset) {
        this.in = Objects.requireNonNull(in, "in");
        this.file = Objects.requireNonNull(file, "displayName");
        this.skipEmptyLines = skipEmptyLines;
        if (separator == '"' || separator == '\r' || separator == '\n') {
            throw new IllegalArgumentException("a quote or line break cannot separate fields");
        }
        this.separator = separator;
        this.charset = Objects.requireNonNull(charset, "charset");
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
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
            throw ioError(displayName, 0, e);
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
        return bytesRead;
    }

    /** Closes the input. Calling it again does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            in.close();
        } catch (IOException e) {
            throw ioError(file, 0, e);
        }
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

    private int read() {
        if (pos == limit && !fill()) {
            return EOF;
        }
        return chars[pos++];
    }

    private int peek() {
        if (pos == limit && !fill()) {
            return EOF;
        }
        return chars[pos];
    }

    /** Decodes more characters into {@link #chars}; false at the end of input. */
    private boolean fill() {
        if (badByteOffset >= 0) {
            throw invalidUtf8();
        }
        if (decoderDone) {
            return false;
        }
        charView.clear();
        while (charView.position() == 0) {
            CoderResult result = decoder.decode(bytes, charView, inputExhausted);
            if (result.isError()) {
                badByteOffset = bytesRead - bytes.remaining();
                badByte = bytes.get(bytes.position()) & 0xff;
                if (charView.position() == 0) {
                    throw invalidUtf8();
                }
            } else if (result.isUnderflow()) {
                if (inputExhausted) {
                    decoder.flush(charView);
                    decoderDone = true;
                    break;
                }
                readBytes();
            }
        }
        pos = 0;
        limit = charView.position();
        return limit > 0;
    }

    /** Reads more bytes behind those not yet decoded. */
    private void readBytes() {
        bytes.compact();
        try {
            int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
            if (n < 0) {
                inputExhausted = true;
            } else {
                bytes.position(bytes.position() + n);
                bytesRead += n;
            }
        } catch (IOException e) {
            throw ioError(file, line, e);
        } finally {
            bytes.flip();
        }
    }

    private void checkByteOrderMark() {
        while (!inputExhausted && bytes.remaining() < SNIFF) {
            readBytes();
        }
        if (wide()) {
            // named by the operator: decoded as such; a byte order mark decodes to U+FEFF, dropped here
            if (peek() == '\uFEFF') {
                pos++;
            }
            return;
        }
        boolean utf8 = charset.equals(StandardCharsets.UTF_8);
        if (startsWith(0xEF, 0xBB, 0xBF)) {
            if (!utf8) {
                throw new CsvFormatException(file, 1, "unsupported_encoding", "the file starts with a UTF-8 byte order mark,"
                        + " so it is UTF-8, not " + charset.name() + "; leave out --encoding", null);
            }
            bytes.position(bytes.position() + 3);
        } else if (startsWith(0x00, 0x00, 0xFE, 0xFF)) {
            throw unsupportedEncoding("UTF-32BE");
        } else if (startsWith(0xFF, 0xFE, 0x00, 0x00)) {
            throw unsupportedEncoding("UTF-32LE");
        } else if (startsWith(0xFE, 0xFF)) {
            throw unsupportedEncoding("UTF-16BE");
        } else if (startsWith(0xFF, 0xFE)) {
            throw unsupportedEncoding("UTF-16LE");
        } else if (zeroEveryOtherByte(1)) {
            throw utf16WithoutMark("UTF-16LE");
        } else if (zeroEveryOtherByte(0)) {
            throw utf16WithoutMark("UTF-16BE");
        }
    }

    /** Whether the operator named a UTF-16 or UTF-32 encoding, whose bytes the checks below would take for a mistake. */
    private boolean wide() {
        String name = charset.name().toUpperCase(Locale.ROOT);
        return name.startsWith("UTF-16") || name.startsWith("UTF-32");
    }

    /** How many leading bytes are looked at to recognise UTF-16 without a byte order mark. */
    private static final int SNIFF = 16;

    /**
     * Whether the first bytes look like UTF-16 of mostly ASCII text: a zero in every other byte from {@code parity}
     * (1 for little-endian, 0 for big-endian) and none in between. UTF-8 text never holds a zero byte but for NUL,
     * which no CSV has; decoded as UTF-8, such a file would read as column names riddled with NULs.
     */
    private boolean zeroEveryOtherByte(int parity) {
        int n = Math.min(bytes.remaining(), SNIFF) & ~1;
        if (n < 2) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            boolean zero = bytes.get(bytes.position() + i) == 0;
            if (zero != (i % 2 == parity)) {
                return false;
            }
        }
        return true;
    }

    private CsvFormatException utf16WithoutMark(String charset) {
        return new CsvFormatException(file, 1, "unsupported_encoding", "the file looks like " + charset
                + " without a byte order mark (every other byte is zero), not " + this.charset.name() + "; " + SAVE_AS_UTF8
                + ", or pass --encoding " + charset + " (Excel's \"Unicode text\" also needs --delimiter tab)", null);
    }

    private boolean startsWith(int... prefix) {
        if (bytes.remaining() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes.get(bytes.position() + i) & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private CsvFormatException unsupportedEncoding(String charset) {
        return new CsvFormatException(file, 1, "unsupported_encoding", "the file is " + charset
                + " (it starts with a " + charset + " byte order mark), not " + this.charset.name() + "; " + SAVE_AS_UTF8
                + ", or pass --encoding " + charset.replaceAll("(BE|LE)$", ""), null);
    }

    private CsvFormatException invalidUtf8() {
        if (!charset.equals(StandardCharsets.UTF_8)) {
            return new CsvFormatException(file, line, "invalid_encoding", String.format("byte 0x%02X at byte offset %d"
                    + " is not a character of %s, the encoding given with --encoding; check which encoding the file is in",
                    badByte, badByteOffset, charset.name()), null);
        }
        return new CsvFormatException(file, line, "invalid_utf8", String.format("byte 0x%02X at byte offset %d"
                + " is not valid UTF-8 (the file is probably in a legacy encoding such as Windows-1252); %s, or, if you"
                + " know its encoding, name it with --encoding (e.g. --encoding windows-1252)",
                badByte, badByteOffset, SAVE_AS_UTF8), null);
    }

    private CsvFormatException recordTooLong(long start) {
        return new CsvFormatException(file, start, "record_too_long", "a record starting here is longer than "
                + MAX_RECORD_CHARS + " characters; check that this is a CSV file with one record per line", null);
    }

    private static CsvFormatException ioError(String file, long line, IOException e) {
        return new CsvFormatException(file, line, "io_error", "cannot read the file ("
                + e.getClass().getSimpleName() + ": " + e.getMessage() + "); check that it exists and is readable", e);
    }
}
