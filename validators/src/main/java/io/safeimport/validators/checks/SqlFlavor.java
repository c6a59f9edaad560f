package io.safeimport.validators.checks;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import java.sql.SQLException;
import java.util.Locale;
import org.jdbi.v3.core.Handle;

/**
 * The few points where a check's SQL or fetching differs between H2 (MySQL mode) and
 * MySQL/MariaDB. Validators depend only on importer-core's public API, so they tell the two
 * apart from the connection's metadata instead of reaching for the pipeline's dialect.
 */
enum SqlFlavor {
    H2(1000),
    /** Connector/J streams a result set row by row only with this fetch size. */
    MYSQL(Integer.MIN_VALUE);

    private final int streamingFetchSize;

    SqlFlavor(int streamingFetchSize) {
        this.streamingFetchSize = streamingFetchSize;
    }

    static SqlFlavor of(Handle handle) {
        try {
            String product = handle.getConnection().getMetaData().getDatabaseProductName();
            return product != null && product.toUpperCase(Locale.ROOT).startsWith("H2") ? H2 : MYSQL;
        } catch (SQLException e) {
            throw new SafeImportException(ExitCode.DATABASE, "cannot read the database's metadata: " + e.getMessage(), e);
        }
    }

    int streamingFetchSize() {
        return streamingFetchSize;
    }

    /**
     * The column as an expression that compares exactly: case and trailing blanks count. H2
     * compares VARCHAR exactly already; MySQL's {@code utf8mb4_unicode_ci} would take {@code 'Hire '}
     * for {@code 'hire'}, so there the value is compared as bytes.
     */
    String exact(String column) {
        return this == H2 ? column : "CAST(" + column + " AS BINARY)";
    }
}
