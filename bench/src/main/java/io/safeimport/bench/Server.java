package io.safeimport.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What differs between the servers the benchmark runs on: the scratch databases, the baselines'
 * tables and timed loads, how a table's content and its id sequence are read for the checks, and the
 * schema-floor reference load. The scenarios, the CLI runs, their timing and the report are the same
 * for every server and stay in {@link Benchmark}.
 *
 * <p>A connection belongs to one database ({@link #connect}); tables are named without their
 * database, so the same table names (the reference schema's {@code app_user}, the baselines'
 * {@code user_csv}) serve every server.
 */
interface Server {

    /** The server that {@code url} names ({@code jdbc:mysql:} or {@code jdbc:postgresql:}), or null for any other URL. */
    static Server forUrl(String url) {
        if (url.startsWith("jdbc:mysql:")) {
            return new MySqlServer(url);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return new PostgresServer(url);
        }
        return null;
    }

    /**
     * The ratio scenario {@code scenario} must stay within on this server, or {@code NaN} for none.
     * MySQL/MariaDB's targets: fresh import 2.5x {@code LOAD DATA}, re-import 0.5x, dry-run 1.5x,
     * rollback 1.0x of the re-import, history 3.0x.
     */
    default double target(int scenario) {
        return switch (scenario) {
            case 1 -> 2.5;
            case 2 -> 0.5;
            case 3 -> 1.5;
            case 4 -> 1.0;
            case 5 -> 3.0;
            default -> Double.NaN;
        };
    }

    /** The user that the reference setup connects as when {@code --db-user} is not given. */
    String defaultUser();

    /** A connection to {@code database}, or to the server's administrative database when it is null (to create and drop databases). */
    Connection connect(String database, String user, String password) throws SQLException;

    void createDatabase(Connection admin, String name) throws SQLException;

    void dropDatabase(Connection admin, String name) throws SQLException;

    /** The report's server line: version, URL and the settings that bulk loads depend on. */
    String describe(Connection admin) throws SQLException;

    /** The baseline's bulk load as the report names it: {@code LOAD DATA}, {@code COPY}. */
    String load();

    /** The baseline of scenario 2, loading the changed file over the full table, as the report names it. */
    String reload();

    /** Why {@link #reload()} moves the table's id sequence, for the check that shows by how much. */
    String reloadMovesSequence();

    /** What {@link #sequencePosition} reports, as the checks name it: {@code AUTO_INCREMENT}, ... */
    String sequence();

    /** The position of {@code table}'s id sequence (it must not move when nothing is inserted), or null when it cannot be read. */
    Long sequencePosition(Connection c, String table);

    /** Row count and a checksum of {@code table}'s whole content: equal for equal content. */
    String checksum(Connection c, String table);

    /** Warnings that the last load left, or 0 where the server has no such thing. */
    long warnings(Connection c) throws SQLException;

    /** Drops and creates the empty baseline table {@code user_csv}: the users file's 11 columns, an id, a unique e-mail. */
    void createUserTable(Connection c) throws SQLException;

    /** Drops and creates the empty baseline table {@code history_csv}: the history file's 11 columns, an id, a unique event key. */
    void createHistoryTable(Connection c) throws SQLException;

    /** Loads users.csv into the empty {@code user_csv} in one transaction; the rows the server reports. Timed. */
    long loadUsers(Connection c, Path csv) throws SQLException, IOException;

    /** Loads users_changed.csv over the full {@code user_csv} in one transaction ({@link #reload()}); the rows the server reports. Timed. */
    long reloadUsers(Connection c, Path csv) throws SQLException, IOException;

    /** Loads history.csv into the empty {@code history_csv} in one transaction; the rows the server reports. Timed. */
    long loadHistory(Connection c, Path csv) throws SQLException, IOException;

    /**
     * Copies the tables that app_user's foreign keys need ({@code tables}, parents first) from the users
     * database into the freshly migrated floor database, their leaders left out (they are users, and the
     * floor's app_user is empty).
     */
    void copyFloorParents(Connection users, Connection floor, Iterable<String> tables) throws SQLException, IOException;

    /**
     * Writes app_user's rows ({@code columns}, in id order, every reference an id) to {@code file} in the
     * form {@link #loadFloor} reads; the number of managers written as NULL because the load could not
     * take a manager that comes after its report.
     */
    long exportFloorRows(Connection users, String columns, Path file) throws SQLException, IOException;

    /** Loads {@code file} into the floor's empty app_user in the caller's open transaction; the rows the server reports. Timed. */
    long loadFloor(Connection floor, String columns, Path file) throws SQLException, IOException;

    // ------------------------------------------------------------------ helpers for the implementations and the benchmark

    /** {@code url} with its database replaced by {@code db} (kept: server, port, parameters). */
    static String withDatabase(String url, String db) {
        int q = url.indexOf('?');
        String base = q >= 0 ? url.substring(0, q) : url;
        String query = q >= 0 ? url.substring(q) : "";
        int hosts = base.indexOf("//");
        int slash = base.indexOf('/', hosts >= 0 ? hosts + 2 : 0);
        String server = slash >= 0 ? base.substring(0, slash) : base;
        return server + "/" + db + query;
    }

    static String withParam(String url, String param) {
        return url + (url.contains("?") ? "&" : "?") + param;
    }

    static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
