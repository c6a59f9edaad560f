package io.safeimport.internal.csv;

import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportError;
import io.safeimport.api.SafeImportException;

/**
 * The CSV file cannot be read as RFC 4180 CSV in its encoding (UTF-8 unless named): the whole input is rejected
 * ({@link ExitCode#REJECTED}), because nothing after the problem can be trusted.
 *
 * <p>The message is one line naming the file, the 1-based physical line and a stable code,
 * and saying what to do, e.g. {@code users.csv:14: unclosed_quote: a quoted field starting
 * here never ends; close the quote or escape it as ""}. The codes are a contract (scripts
 * and the audit log may match on them):
 * <ul>
 *   <li>{@code unclosed_quote}: a quoted field never ends; the line is where its quote opened</li>
 *   <li>{@code malformed_quotes}: a quote after blanks at the start of a field, or characters
 *       after a closing quote</li>
 *   <li>{@code invalid_utf8}: bytes that are not UTF-8; the line is where they occur</li>
 *   <li>{@code invalid_encoding}: bytes that the encoding named with {@code --encoding} does not have</li>
 *   <li>{@code unsupported_encoding}: the file starts with a UTF-16 or UTF-32 byte order mark (or looks
 *       like UTF-16), or with a UTF-8 one while another encoding was named</li>
 *   <li>{@code record_too_long}: a record longer than {@link CsvSource#MAX_RECORD_CHARS}
 *       characters (not a CSV file, most likely)</li>
 *   <li>{@code io_error}: the file could not be opened or read</li>
 * </ul>
 * {@link #line()} is 0 when the problem has no line (the file cannot be opened).
 */
public class CsvFormatException extends SafeImportException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final String code;
    private final String detail;

    /**
     * @param file   the file name as the user gave it
     * @param line   the 1-based physical line, or 0 for none
     * @param code   one of the stable codes listed above
     * @param detail what is wrong and what to do, one sentence without file, line or code
     * @param cause  the underlying exception, or {@code null}
     */
    public CsvFormatException(String file, long line, String code, String detail, Throwable cause) {
        super(ExitCode.REJECTED, new ImportError(file, line, null, code, detail).describe(), cause);
        this.file = file;
        this.line = line;
        this.code = code;
        this.detail = detail;
    }

    /** The file name as the user gave it. */
    public String file() {
        return file;
    }

    /** The 1-based physical line the problem is on, or 0 when it has none. */
    public long line() {
        return line;
    }

    /** The stable machine-readable code, e.g. {@code unclosed_quote}. */
    public String code() {
        return code;
    }

    /** The same problem as an {@link ImportError} (no column), for reports and the audit log. */
    public ImportError toImportError() {
        return new ImportError(file, line, null, code, detail);
    }
}
