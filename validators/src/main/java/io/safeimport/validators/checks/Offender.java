package io.safeimport.validators.checks;

/**
 * One row a check found wrong, before it becomes a {@link io.safeimport.spi.Finding}.
 *
 * @param key     the row's natural key as text
 * @param message a sentence naming the problem and the row
 */
record Offender(String key, String message) {
}
