package io.safeimport.internal.config;

import io.safeimport.spi.Severity;

/**
 * An integrity check declared with an importer: {@code sql} selects the keys of offending rows.
 *
 * @param code     the finding code; {@code null} when the file gives none ({@link ConfigCheck} reports it)
 * @param severity {@code ERROR} unless the file says {@code warning}
 * @param sql      the query; {@code null} when the file gives none ({@link ConfigCheck} reports it)
 * @param line     the 1-based line where the check starts
 */
public record DeclaredCheck(String code, Severity severity, String sql, int line) {
}
