package io.safeimport.importers.declared;

import io.safeimport.internal.config.DeclaredCheck;
import io.safeimport.spi.Finding;
import io.safeimport.spi.IntegrityCheck;
import io.safeimport.spi.Severity;
import io.safeimport.spi.SqlDialect;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.StringJoiner;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * A check declared under an importer's {@code checks:} in {@code safeimport.yml}: its SQL returns
 * the offending rows' key columns, and each row is one finding keyed by those values. It runs
 * before and after the writes like a built-in check, so an error check fails a run only for rows
 * it finds after and not before.
 */
final class DeclaredQueryCheck implements IntegrityCheck {
    private final DeclaredCheck check;
    private final String table;
    private final String where;

    /** @param where the config line that declares it, for messages ({@code safeimport.yml:14}) */
    DeclaredQueryCheck(DeclaredCheck check, String table, String where) {
        this.check = check;
        this.table = table;
        this.where = where;
    }

    @Override
    public String code() {
        return check.code();
    }

    @Override
    public Severity severity() {
        return check.severity();
    }

    @Override
    public String table() {
        return table;
    }

    @Override
    public String description() {
        return "the check " + check.code() + " declared at " + where;
    }

    @Override
    public void run(Handle handle, SqlDialect dialect, Consumer<Finding> findings) {
        handle.createQuery(check.sql()).setFetchSize(dialect.streamingFetchSize()).map((ResultSet rs, StatementContext ctx) -> {
            ResultSetMetaData md = rs.getMetaData();
            StringJoiner key = new StringJoiner(", ");
            for (int i = 1; i <= md.getColumnCount(); i++) {
                key.add(String.valueOf(rs.getObject(i)));
            }
            return key.toString();
        }).forEach(key -> findings.accept(new Finding(check.code(), check.severity(), table, key,
                table + " (" + key + ") fails " + check.code() + ", declared at " + where)));
    }
}
