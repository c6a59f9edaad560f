package io.safeimport.spi;

/**
 * What an integrity check may ask of the database it runs on, handed to it by the pipeline (the
 * check never detects the database itself). Implementations are the pipeline's dialects; they are
 * stateless and thread-safe.
 */
public interface SqlDialect {

    /** A short name: {@code h2}, {@code mysql} or {@code postgresql}. */
    String name();

    /** The fetch size that makes the driver stream a result set instead of buffering it whole. */
    int streamingFetchSize();

    /**
     * {@code column} as an expression that compares exactly: case and trailing blanks count. (A
     * case-insensitive collation such as MySQL's {@code utf8mb4_unicode_ci} takes {@code 'Hire '}
     * for {@code 'hire'}.)
     */
    String exact(String column);
}
