package io.safeimport.internal.config;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One way a config does not fit the database, as {@code config check} prints it:
 * {@code where: message}.
 *
 * @param where   {@code safeimport.yml:12} (a line of the config) or {@code table accounts_user} (the table itself)
 * @param message what is wrong and what to do
 */
public record Problem(String where, String message) {
    private static final Pattern FILE_LINE = Pattern.compile(".*:(\\d+)");

    /** The config line this problem names, if it names one. */
    public OptionalInt line() {
        Matcher m = FILE_LINE.matcher(where);
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    @Override
    public String toString() {
        return where + ": " + message;
    }
}
