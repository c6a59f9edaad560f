package io.safeimport.bench;

import static io.safeimport.bench.Server.exec;
import static io.safeimport.bench.Server.scalar;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * MySQL/MariaDB: the baselines are {@code LOAD DATA LOCAL INFILE} (the driver sends the file; the server
 * needs {@code local_infile} ON), the id sequence is the table's {@code AUTO_INCREMENT}, the checksum
 * {@code CHECKSUM TABLE}.
 */
final class MySqlServer implements Server {

    /**
     * Baseline tables: the CSV's columns as plain VARCHAR (dates as DATE, blank -> NULL), a surrogate
     * AUTO_INCREMENT id and a unique key on the natural key, in the same charset as the reference schema.
     * Not {@code CREATE TABLE ... LIKE app_user}: app_user holds ids (team_id, manager_id, ...) that LOAD DATA
     * cannot resolve from the CSV's names and e-mails.
     */
    static final String USER_TABLE = """
            CREATE TABLE user_csv (
              id            BIGINT AUTO_INCREMENT PRIMARY KEY,
              email         VARCHAR(254) COLLATE utf8mb4_bin NOT NULL,
              first_name    VARCHAR(200),
              last_name     VARCHAR(200),
              title         VARCHAR(200),
              team          VARCHAR(200),
              chapter       VARCHAR(200),
              ladder        VARCHAR(100),
              level         VARCHAR(10),
              manager_email VARCHAR(254),
              hired_on      DATE,
              active        VARCHAR(5),
              CONSTRAINT uk_user_csv_email UNIQUE (email)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci""";

    static final String HISTORY_TABLE = """
            CREATE TABLE history_csv (
              id             BIGINT AUTO_INCREMENT PRIMARY KEY,
              email          VARCHAR(254) COLLATE utf8mb4_bin NOT NULL,
              event_type     VARCHAR(40) NOT NULL,
              effective_date DATE NOT NULL,
              summary        VARCHAR(2000),
              ladder         VARCHAR(100),
              level          VARCHAR(10),
              title          VARCHAR(200),
              team           VARCHAR(200),
              salary         VARCHAR(20),
              currency       VARCHAR(3),
              pay_band       VARCHAR(50),
              CONSTRAINT uk_history_csv UNIQUE (email, event_type, effective_date)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci""";

    static final String USER_COLUMNS = "email, first_name, last_name, title, team, chapter, ladder, level, manager_email, @hired_on, active";
    static final String USER_SET = "hired_on = NULLIF(@hired_on, '')";
    static final String HISTORY_COLUMNS = "email, event_type, effective_date, summary, ladder, level, title, team, salary, currency, pay_band";

    private final String url;

    MySqlServer(String url) {
        this.url = url;
    }

    @Override
    public String defaultUser() {
        return "root";
    }

    @Override
    public Connection connect(String database, String user, String password) throws SQLException {
        String u = Server.withParam(Server.withDatabase(url, database == null ? "" : database), "allowLoadLocalInfile=true");
        return DriverManager.getConnection(u, user, password);
    }

    @Override
    public void createDatabase(Connection admin, String name) throws SQLException {
        exec(admin, "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }

    @Override
    public void dropDatabase(Connection admin, String name) throws SQLException {
        exec(admin, "DROP DATABASE IF EXISTS `" + name + "`");
    }

    @Override
    public String describe(Connection c) throws SQLException {
        return scalar(c, "SELECT VERSION()") + " at " + Server.withDatabase(url, "")
                + "; innodb_buffer_pool_size " + mib(scalar(c, "SELECT @@innodb_buffer_pool_size"))
                + ", innodb_flush_log_at_trx_commit " + scalar(c, "SELECT @@innodb_flush_log_at_trx_commit")
                + ", innodb_autoinc_lock_mode " + scalar(c, "SELECT @@innodb_autoinc_lock_mode")
                + ", local_infile " + scalar(c, "SELECT @@local_infile");
    }

    private static String mib(String bytes) {
        try {
            return (Long.parseLong(bytes) >> 20) + " MiB";
        } catch (RuntimeException e) {
            return bytes;
        }
    }

    @Override
    public String load() {
        return "LOAD DATA";
    }

    @Override
    public String reload() {
        return "LOAD DATA ... REPLACE";
    }

    @Override
    public String reloadMovesSequence() {
        return "REPLACE deletes and re-inserts every row of the file";
    }

    @Override
    public String sequence() {
        return "AUTO_INCREMENT";
    }

    @Override
    public Long sequencePosition(Connection c, String table) {
        try {
            try {
                exec(c, "SET SESSION information_schema_stats_expiry = 0"); // MySQL 8 caches it; MariaDB has no such variable
            } catch (SQLException ignored) {
                // MariaDB: always current
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long v = rs.getLong(1);
                        return rs.wasNull() ? null : v;
                    }
                }
            }
        } catch (SQLException e) {
            return null;
        }
        return null;
    }

    @Override
    public String checksum(Connection c, String table) {
        try {
            String rows = scalar(c, "SELECT COUNT(*) FROM `" + table + "`");
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("CHECKSUM TABLE `" + table + "`")) {
                return rows + " rows, checksum " + (rs.next() ? rs.getString(2) : null);
            }
        } catch (SQLException e) {
            return "error: " + e.getMessage();
        }
    }

    @Override
    public long warnings(Connection c) throws SQLException {
        return Long.parseLong(scalar(c, "SELECT @@warning_count"));
    }

    @Override
    public void createUserTable(Connection c) throws SQLException {
        exec(c, "DROP TABLE IF EXISTS user_csv");
        exec(c, USER_TABLE);
    }

    @Override
    public void createHistoryTable(Connection c) throws SQLException {
        exec(c, "DROP TABLE IF EXISTS history_csv");
        exec(c, HISTORY_TABLE);
    }

    /** RFC 4180 as the generator writes it: quotes only where needed, doubled inside, no escape character. */
    static String loadData(Path file, String table, boolean replace, String columns, String set) {
        return "LOAD DATA LOCAL INFILE '" + quote(file) + "' " + (replace ? "REPLACE " : "") + "INTO TABLE " + table
                + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY ''"
                + " LINES TERMINATED BY '\\n' IGNORE 1 LINES (" + columns + ")" + (set.isEmpty() ? "" : " SET " + set);
    }

    private static String quote(Path file) {
        return file.toAbsolutePath().toString().replace("\\", "\\\\").replace("'", "\\'");
    }

    private static long update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeLargeUpdate(sql);
        }
    }

    @Override
    public long loadUsers(Connection c, Path csv) throws SQLException {
        return update(c, loadData(csv, "user_csv", false, USER_COLUMNS, USER_SET));
    }

    @Override
    public long reloadUsers(Connection c, Path csv) throws SQLException {
        return update(c, loadData(csv, "user_csv", true, USER_COLUMNS, USER_SET));
    }

    @Override
    public long loadHistory(Connection c, Path csv) throws SQLException {
        return update(c, loadData(csv, "history_csv", false, HISTORY_COLUMNS, ""));
    }

    /** {@code INSERT ... SELECT} across the two databases of one server, with {@code foreign_key_checks} off. */
    @Override
    public void copyFloorParents(Connection users, Connection floor, Iterable<String> tables) throws SQLException {
        String usersDb = users.getCatalog();
        exec(floor, "SET foreign_key_checks = 0");
        for (String t : tables) {
            exec(floor, "INSERT INTO " + t + " SELECT * FROM `" + usersDb + "`." + t);
        }
        exec(floor, "SET foreign_key_checks = 1");
    }

    /**
     * Tab-separated with backslash escapes and {@code \N} for NULL. One LOAD DATA checks each row's foreign
     * keys as it goes, so a manager that comes after its report (manager_id greater than the row's id) is
     * written as NULL.
     */
    @Override
    public long exportFloorRows(Connection users, String columns, Path file) throws SQLException, IOException {
        long forward = 0;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             Statement st = users.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            st.setFetchSize(Integer.MIN_VALUE);
            try (ResultSet rs = st.executeQuery("SELECT " + columns + " FROM app_user ORDER BY id")) {
                int n = rs.getMetaData().getColumnCount();
                int manager = rs.findColumn("manager_id");
                StringBuilder line = new StringBuilder(256);
                while (rs.next()) {
                    line.setLength(0);
                    long id = rs.getLong(1);
                    for (int i = 1; i <= n; i++) {
                        String v = rs.getString(i);
                        if (i == manager && v != null && Long.parseLong(v) > id) {
                            v = null; // a manager loaded after the report: the load would fail its foreign key
                            forward++;
                        }
                        line.append(i == 1 ? "" : "\t").append(v == null ? "\\N" : v.replace("\\", "\\\\")
                                .replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"));
                    }
                    w.append(line).append('\n');
                }
            }
        }
        return forward;
    }

    @Override
    public long loadFloor(Connection floor, String columns, Path file) throws SQLException {
        return update(floor, "LOAD DATA LOCAL INFILE '" + quote(file) + "' INTO TABLE app_user CHARACTER SET utf8mb4"
                + " FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (" + columns + ")");
    }
}
