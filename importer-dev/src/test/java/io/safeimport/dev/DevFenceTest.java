package io.safeimport.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.db.DbSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The host fence: which JDBC URLs count as this machine, decided from the text alone. */
class DevFenceTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:h2:file:./data/safeimport", "jdbc:h2:mem:x", "jdbc:h2:~/x;AUTO_SERVER=TRUE", "jdbc:h2:tcp://localhost/~/x",
        "jdbc:mysql://127.0.0.1:3306/x", "jdbc:mysql://localhost/x?useSSL=false", "jdbc:mysql:///x", "jdbc:mysql://:3306/x",
        "jdbc:mysql://[::1]:3306/x", "jdbc:mariadb://LOCALHOST:3306/x", "jdbc:mysql://root:secret@localhost/x",
        "jdbc:mysql://(host=localhost,port=3306)/x", "jdbc:mysql://localhost:3306,127.0.0.1:3307/x",
        "jdbc:postgresql://127.0.0.1:5432/x", "jdbc:postgresql://localhost/x?sslmode=disable", "jdbc:postgresql://[::1]:5432/x",
        "jdbc:postgresql:x", "jdbc:postgresql:/", "jdbc:postgresql://localhost:5432,127.0.0.1:5433/x"})
    void localUrlsPassWithoutAllowRemote(String url) {
        Fence.requireLocal(new DbSettings(url, null, null), false, "reset");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jdbc:mysql://db.example.invalid:3306/x", "jdbc:mysql://user:pw@db.example.invalid/x",
        "jdbc:mysql://localhost,db.example.invalid/x", "jdbc:mysql:loadbalance://localhost:3306,10.0.0.5:3306/x",
        "jdbc:mysql://address=(host=db.example.invalid)(port=3306)/x", "jdbc:mysql://127.0.0.2/x",
        "jdbc:mysql://[2001:db8::1]:3306/x", "jdbc:h2:tcp://db.example.invalid:9092/~/x", "jdbc:h2:ssl://10.1.2.3/x",
        "jdbc:mysql:db.example.invalid/x", "jdbc:postgresql://db.example.invalid:5432/x", "jdbc:postgresql://localhost,10.0.0.5/x",
        "jdbc:postgresql://localhost/x?PGHOST=db.example.invalid", "jdbc:postgresql:x?service=prod"})
    void otherUrlsAreRefusedNamingAllowRemote(String url) {
        DbSettings settings = new DbSettings(url, null, null);
        SafeImportException e = refused(() -> Fence.requireLocal(settings, false, "reset"));
        assertTrue(e.getMessage().startsWith("Unable to execute reset as "), e.getMessage());
        assertTrue(e.getMessage().contains("--allow-remote"), e.getMessage());
        Fence.requireLocal(settings, true, "reset");
    }

    @Test
    void anUnsupportedUrlIsAUsageError() {
        SafeImportException e = org.junit.jupiter.api.Assertions.assertThrows(SafeImportException.class,
                () -> Fence.requireLocal(new DbSettings("jdbc:sqlserver://localhost;databaseName=x", null, null), true, "reset"));
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    @Test
    void hostsAreReadFromTheUrlWithoutCredentials() {
        assertEquals(Optional.of(List.of("db.example.invalid", "127.0.0.1")),
                JdbcHosts.of("jdbc:mysql://me:p%40ss@db.example.invalid:3306,127.0.0.1/x?password=y"));
        assertEquals(Optional.of(List.of()), JdbcHosts.of(DbSettings.embedded(Path.of("/tmp/x")).url()));
        assertEquals(Optional.empty(), JdbcHosts.of("jdbc:sqlite:x.db"));
    }

    @Test
    void theRefusalNeverShowsThePassword() {
        SafeImportException e = refused(() -> Fence.requireLocal(
                new DbSettings("jdbc:mysql://me:hunter2@db.example.invalid/x?password=hunter2", null, null), false, "reset"));
        assertTrue(!e.getMessage().contains("hunter2"), e.getMessage());
    }

    private static SafeImportException refused(Executable call) {
        SafeImportException e = org.junit.jupiter.api.Assertions.assertThrows(SafeImportException.class, call);
        assertEquals(ExitCode.REFUSED, e.exitCode());
        return e;
    }
}
