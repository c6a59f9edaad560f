package io.safeimport.spi;

/**
 * One integrity problem in the database.
 *
 * @param code     the check's stable code
 * @param severity error or warning
 * @param table    the table holding the offending row
 * @param key      the offending row's natural key as text (an email, a team name, {@code ENG/3})
 * @param message  a sentence for a human
 */
public record Finding(String code, Severity severity, String table, String key, String message) {

    /** Identity used to tell findings an import introduced from ones that were already there. */
    public String identity() {
        return code + '\u0000' + table + '\u0000' + key;
    }
}
