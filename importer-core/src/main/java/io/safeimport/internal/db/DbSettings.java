package io.safeimport.internal.db;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the database is, how to log in, and who is asking. The password is never part of
 * {@link #toString()} or {@link #redactedUrl()}, and never comes from the URL: see
 * {@link #passwordInUrl}.
 */
public final class DbSettings {
    /** The embedded default: an H2 file database under {@code ./data/} in MySQL mode. */
    public static final String EMBEDDED_URL = "jdbc:h2:file:./data/safeimport";

    /**
     * URL parameters that carry a secret: Connector/J's {@code password} and the multi-factor
     * {@code password1..3}, the ODBC-style {@code pwd}, and generic names; in query ({@code ?a=b&c=d}),
     * H2 ({@code ;A=B}) and Connector/J address ({@code (key=value)}) form.
     */
    private static final Pattern SECRET_PARAMS =
            Pattern.compile("(?i)((?:password\\d?|pwd|passwd|secret|token)=)[^&;]*");
    /** The login password as a URL parameter (not, say, a key store's password, which is redacted but allowed). */
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(?:^|[?&;(])\\s*((?:password[123]?|pwd|passwd)\\s*=)(?=[^&;)\\s])");
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("//[^/@:]*:[^@/]+@");
    private static final Pattern USERINFO = Pattern.compile("(//[^/@:]*:)[^@/]*@");

    private final String url;
    private final String user;
    private final String password;
    private final String command;
    private final int lockWaitSeconds;

    public DbSettings(String url, String user, String password) {
        this(url, user, password, null, 0);
    }

    private DbSettings(String url, String user, String password, String command, int lockWaitSeconds) {
        this.url = url == null || url.isBlank() ? EMBEDDED_URL : url.trim();
        this.user = user;
        this.password = password;
        this.command = command;
        this.lockWaitSeconds = Math.max(0, lockWaitSeconds);
    }

    /**
     * The same database for one command: {@code command} (already free of secrets) names this
     * process to another one that finds the database busy; {@code lockWaitSeconds} is how long to
     * wait for another run's import lock ({@code --wait}), including, on the embedded database,
     * for the database file that run holds.
     */
    public DbSettings forCommand(String command, int lockWaitSeconds) {
        return new DbSettings(url, user, password, command, lockWaitSeconds);
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

    /** The command this process runs, as shown to others when it holds the database, or {@code null}. */
    public String command() {
        return command;
    }

    /** Seconds to wait for another run's import lock (and, on H2, for the file that run holds). */
    public int lockWaitSeconds() {
        return lockWaitSeconds;
    }

    /** Whether this is the embedded H2 database (migrated automatically on first use). */
    public boolean embedded() {
        return url.startsWith("jdbc:h2:");
    }

    /** The URL with any password or credential removed, safe for logs and messages. */
    public String redactedUrl() {
        return redact(url);
    }

    /**
     * How a password appears in a JDBC URL ({@code password=}, {@code password1=}, ...,
     * {@code user:secret@}), or empty when it has none. The secret itself is never returned.
     * DESIGN.md §3: the password comes only from {@code SAFEIMPORT_DB_PASSWORD} or
     * {@code --db-password-file}, never from a value that shows in {@code ps} or shell history.
     */
    public static Optional<String> passwordInUrl(String url) {
        if (url == null) {
            return Optional.empty();
        }
        Matcher m = PASSWORD_PARAM.matcher(url);
        if (m.find()) {
            return Optional.of("'" + m.group(1).replace(" ", "") + "'");
        }
        if (USERINFO_PASSWORD.matcher(url).find()) {
            return Optional.of("a 'user:password@' part");
        }
        return Optional.empty();
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
