package io.safeimport.validators.checks;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import org.jdbi.v3.core.Handle;

/**
 * The few points where a check's SQL or fetching differs between H2 (MySQL mode), MariaDB and
 * MySQL. Validators depend only on importer-core's public API, so they tell the databases apart
 * from the connection's metadata instead of reaching for the pipeline's dialect.
 */
enum SqlFlavor {
    H2(1000),
    /** Connector/J streams a result set row by row only with the fetch size {@code Integer.MIN_VALUE}. */
    MARIADB(Integer.MIN_VALUE),
    MYSQL(Integer.MIN_VALUE);

    private final int streamingFetchSize;

    SqlFlavor(int streamingFetchSize) {
        this.streamingFetchSize = streamingFetchSize;
    }

    static SqlFlavor of(Handle handle) {
        try {
            DatabaseMetaData meta = handle.getConnection().getMetaData();
            String product = String.valueOf(meta.getDatabaseProductName()).toUpperCase(Locale.ROOT);
            if (product.startsWith("H2")) {
                return H2;
            }
            String version = String.valueOf(meta.getDatabaseProductVersion()).toUpperCase(Locale.ROOT);
            return product.contains("MARIADB") || version.contains("MARIADB") ? MARIADB : MYSQL;
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
