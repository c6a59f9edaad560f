package io.safeimport.api;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * How the CSV files of an import are written: the field separator and the encoding. Both are
 * named by the operator ({@code --delimiter}, {@code --encoding}), never guessed: a guess that
 * reads a file in the wrong encoding stores wrong letters without a word.
 *
 * @param delimiter the field separator: {@code ','} (RFC 4180, the default), {@code ';'}, a tab, ...;
 *                  never a quote or a line break
 * @param encoding  the encoding of the files (UTF-8 by default)
 */
public record CsvFormat(char delimiter, Charset encoding) {
    /** RFC 4180 in UTF-8. */
    public static final CsvFormat DEFAULT = new CsvFormat(',', StandardCharsets.UTF_8);

    public CsvFormat {
        Objects.requireNonNull(encoding, "encoding");
        if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
            throw new IllegalArgumentException("a quote or line break cannot separate fields");
        }
    }

    /** The delimiter as an operator types it after {@code --delimiter}: {@code ';'}, {@code tab}. */
    public String delimiterOption() {
        return delimiter == '\t' ? "tab" : "'" + delimiter + "'";
    }

    /** For logs and the saved plan's options: {@code delimiter=';' encoding=windows-1252}. */
    @Override
    public String toString() {
        return "delimiter=" + delimiterOption() + " encoding=" + encoding.name();
    }
}
