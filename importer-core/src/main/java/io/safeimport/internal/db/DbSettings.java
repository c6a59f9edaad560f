package io.safeimport.internal.db;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where the database is and how to log in. The password is never part of {@link #toString()}
 * or {@link #redactedUrl()}.
 */
public final class DbSettings {
    /** The embedded default: an H2 file database under {@code ./data/} in MySQL mode. */
    public static final String EMBEDDED_URL = "jdbc:h2:file:./data/safeimport";

    private static final Pattern SECRET_PARAMS =
            Pattern.compile("(?i)((?:password|pwd|passwd|secret|token)=)[^&;]*");
    private static final Pattern USERINFO = Pattern.compile("(//[^/@:]*:)[^@/]*@");

    private final String url;
    private final String user;
    private final String password;

    public DbSettings(String url, String user, String password) {
        this.url = url == null || url.isBlank() ? EMBEDDED_URL : url.trim();
        this.user = user;
        this.password = password;
    }

    /** The embedded default database in the given folder (used by tests). */
    public static DbSettings embedded(Path folder) {
        return new DbSettings("jdbc:h2:file:" + folder.resolve("safeimport").toAbsolutePath(), null, null);
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Whether this is the embedded H2 database (migrated automatically on first use). */
    public boolean embedded() {
        return url.startsWith("jdbc:h2:");
    }

    /** The URL with any password or credential removed, safe for logs and messages. */
    public String redactedUrl() {
        return redact(url);
    }

    /** Removes credentials from any text that may contain a JDBC URL. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String s = SECRET_PARAMS.matcher(text).replaceAll("$1***");
        return USERINFO.matcher(s).replaceAll("$1***@");
    }

    @Override
    public String toString() {
        return redactedUrl() + (user == null ? "" : " as " + user);
    }
}
