package io.safeimport.spi;

/**
 * Turns one CSV row into target rows. Implementations are pure: no database, no I/O, no state
 * kept between rows (the pipeline may map the same row more than once, in separate passes).
 * Format problems are reported with {@link CsvRow#reject}; references are only named
 * ({@link Ref}); whether they exist is the pipeline's business.
 */
@FunctionalInterface
public interface RowMapper {
    void map(CsvRow row, RowEmitter out);
}
