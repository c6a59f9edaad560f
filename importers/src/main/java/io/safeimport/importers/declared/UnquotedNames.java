package io.safeimport.importers.declared;

import io.safeimport.internal.catalog.TableInfo;
import io.safeimport.internal.config.ColumnMapping;
import io.safeimport.internal.config.DeclaredImporter;
import io.safeimport.internal.config.Problem;
import io.safeimport.internal.config.SafeImportConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names of the operator's tables and columns that this database does not take unquoted in SQL
 * ({@code order}, {@code key}, {@code group}, {@code user}: its reserved words). safeimport writes
 * these names into its statements as they are, so such a name would stop an import halfway with a
 * syntax error; instead the config is refused before a row is read, naming the line and what the
 * database said. Each name is tried on the database itself ({@code SELECT name FROM table WHERE
 * 1 = 0}), so the reserved words are exactly the database's own.
 */
final class UnquotedNames {
    private final Connection connection;
    private final SafeImportConfig config;
    private final Map<String, TableInfo> tables;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> tried = new LinkedHashSet<>();

    private UnquotedNames(Connection connection, SafeImportConfig config, Map<String, TableInfo> tables) {
        this.connection = connection;
        this.config = config;
        this.tables = tables;
    }

    /** The names of {@code tables} (each known to exist) that the config uses and this database refuses unquoted. */
    static List<Problem> check(Connection connection, SafeImportConfig config, Map<String, TableInfo> tables) throws SQLException {
        UnquotedNames names = new UnquotedNames(connection, config, tables);
        for (DeclaredImporter d : config.importers().values()) {
            TableInfo table = tables.get(d.table());
            if (table == null || !names.table(d.table(), d.tableLine())) {
                continue;
            }
            for (String pk : table.primaryKey()) {
                names.column(d.table(), pk, d.tableLine());
            }
            for (ColumnMapping m : d.columns().values()) {
                names.column(d.table(), m.column(), m.line());
                if (m.isRef() && tables.containsKey(m.refTable()) && names.table(m.refTable(), m.line())) {
                    names.column(m.refTable(), m.refColumn(), m.line());
                    for (String pk : tables.get(m.refTable()).primaryKey()) {
                        names.column(m.refTable(), pk, m.line());
                    }
                }
            }
        }
        return List.copyOf(names.problems);
    }

    private boolean table(String table, int line) throws SQLException {
        String refused = tried.add(table) ? refusal("SELECT 1 FROM " + table + " WHERE 1 = 0") : null;
        if (refused == null) {
            return true;
        }
        problems.add(new Problem(config.where(line), "table " + table + ": this database does not take the name " + table
                + " unquoted in SQL (" + refused + "), and safeimport does not quote names yet: it cannot import into or refer to"
                + " this table"));
        return false;
    }

    private void column(String table, String column, int line) throws SQLException {
        String refused = tried.add(table + "." + column) ? refusal("SELECT " + column + " FROM " + table + " WHERE 1 = 0") : null;
        if (refused != null) {
            problems.add(new Problem(config.where(line), "column " + table + "." + column + ": this database does not take the name "
                    + column + " unquoted in SQL (" + refused + "), and safeimport does not quote names yet: leave the column out"
                    + " of the config, or rename it"));
        }
    }

    /**
     * {@code null} when the database runs {@code sql}, else the start of what it says; a refusal
     * leaves the caller's transaction as it was.
     */
    private String refusal(String sql) throws SQLException {
        Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
        try (Statement s = connection.createStatement()) {
            s.executeQuery(sql).close();
            return null;
        } catch (SQLException e) {
            if (savepoint != null) {
                connection.rollback(savepoint);
            }
            String said = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
            return "it says: " + (said.length() > 100 ? said.substring(0, 97) + "..." : said);
        } finally {
            if (savepoint != null) {
                connection.releaseSavepoint(savepoint);
            }
        }
    }
}
