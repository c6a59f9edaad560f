package io.safeimport.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.jdbc.JdbcConnection;
import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.testing.TestDatabase;
import java.sql.Connection;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * The operator's security settings in a MySQL URL win over safeimport's defaults, and the
 * restricted {@code LOAD DATA LOCAL} path stays the only one whatever the URL asks.
 */
class ConnectionSecurityTest {

    @Test
    void urlPropertiesAreReadCaseInsensitivelyFromQueryAndAddress() {
        assertEquals(Set.of("sslmode", "usessl", "connecttimeout"),
                MySqlDialect.urlProperties("jdbc:mysql://h:3306/db?SSLMode=REQUIRED&useSSL&connectTimeout=5"));
        assertTrue(MySqlDialect.urlProperties("jdbc:mysql://address=(host=h)(port=3306)(sslMode=VERIFY_IDENTITY)/db")
                .contains("sslmode"));
        assertEquals(Set.of(), MySqlDialect.urlProperties("jdbc:mysql://h:3306/db"));
    }

    @Test
    void tlsDefaultsOnlyWhereTheUrlIsSilent() {
        MySqlDialect dialect = new MySqlDialect();
        assertEquals("PREFERRED", dialect.connectionProperties("jdbc:mysql://h/db").get("sslMode"));
        for (String url : new String[] {"jdbc:mysql://h/db?sslMode=REQUIRED", "jdbc:mysql://h/db?sslmode=VERIFY_IDENTITY",
                "jdbc:mysql://h/db?useSSL=true", "jdbc:mysql://h/db?requireSSL=true&verifyServerCertificate=true"}) {
            Map<String, String> props = dialect.connectionProperties(url);
            assertFalse(props.containsKey("sslMode"), url + " keeps its own TLS setting: " + props);
        }
        assertFalse(dialect.connectionProperties("jdbc:mysql://h/db?allowPublicKeyRetrieval=false").containsKey("allowPublicKeyRetrieval"));
    }

    @Test
    void localInfileFromAnyFileOrUrlIsForcedOff() {
        Map<String, String> props = new MySqlDialect().connectionProperties(
                "jdbc:mysql://h/db?allowLoadLocalInfile=true&allowUrlInLocalInfile=true");
        assertEquals("false", props.get("allowLoadLocalInfile"));
        assertEquals("false", props.get("allowUrlInLocalInfile"));
    }

    @Test
    void aUrlThatRequiresTlsIsRefusedByAServerWithoutIt() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.MARIADB)) {
            boolean serverHasTls;
            try (Handle h = db.database().open()) {
                serverHasTls = "YES".equalsIgnoreCase(h.createQuery("SELECT @@have_ssl").mapTo(String.class).one());
            }
            org.junit.jupiter.api.Assumptions.assumeFalse(serverHasTls, "the test server offers TLS");
            DbSettings required = new DbSettings(db.settings().url() + "?sslMode=REQUIRED", db.settings().user(),
                    db.settings().password());
            SafeImportException e = assertThrows(SafeImportException.class, () -> Database.connect(required));
            assertEquals(ExitCode.DATABASE, e.exitCode(), e.getMessage());
            // and Flyway, which connects through the same source, is refused the same way
            DbSettings preferred = new DbSettings(db.settings().url() + "?sslMode=PREFERRED", db.settings().user(),
                    db.settings().password());
            assertTrue(new Migrations(Database.connect(preferred)).currentVersion() != null);
        }
    }

    @Test
    void theDriverKeepsLocalInfileRestrictedWhateverTheUrlSays() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.MARIADB)) {
            DbSettings asking = new DbSettings(db.settings().url() + "?allowLoadLocalInfile=true&allowUrlInLocalInfile=true",
                    db.settings().user(), db.settings().password());
            try (Handle h = Database.connect(asking).open()) {
                Connection c = h.getConnection();
                JdbcConnection mysql = c.unwrap(JdbcConnection.class);
                assertFalse(mysql.getPropertySet().getBooleanProperty(PropertyKey.allowLoadLocalInfile).getValue());
                assertFalse(mysql.getPropertySet().getBooleanProperty(PropertyKey.allowUrlInLocalInfile).getValue());
            }
        }
    }

    @Test
    void aMariaDbUrlReachesTheSameServer() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.MARIADB)) {
            DbSettings mariadb = new DbSettings(db.settings().url().replace("jdbc:mysql:", "jdbc:mariadb:"), db.settings().user(),
                    db.settings().password());
            assertTrue(mariadb.url().startsWith("jdbc:mariadb://"));
            assertEquals(new Migrations(db.database()).currentVersion(), new Migrations(Database.connect(mariadb)).currentVersion());
        }
    }
}
