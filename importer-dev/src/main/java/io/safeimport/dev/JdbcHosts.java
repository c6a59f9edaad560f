package io.safeimport.dev;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hosts a JDBC URL points at, read from the URL's text alone: no name lookup and no
 * connection, so the fence can refuse a remote database before anything touches the network.
 */
final class JdbcHosts {
    /** The names that mean "this machine". Other loopback spellings are not guessed at. */
    static final Set<String> LOCAL = Set.of("localhost", "127.0.0.1", "::1", "0:0:0:0:0:0:0:1");

    private static final Pattern KEY_VALUE_HOST = Pattern.compile("(?i)\\bhost=([^(),\\s/]+)");
    private static final Pattern SUB_PROTOCOL = Pattern.compile("[a-z]*:?");
    /** pgJDBC parameters that name the host elsewhere than the URL's authority (a property, a service file). */
    private static final Pattern POSTGRES_HOST_PARAMETER = Pattern.compile("(?i)[?&](pghost|service)=");

    private JdbcHosts() {
    }

    /**
     * The hosts of {@code url}, lower-case, or empty when the database is embedded in this process
     * (an H2 file or in-memory database); {@link Optional#empty()} when the URL's hosts cannot be
     * read, which callers must treat as remote.
     */
    static Optional<List<String>> of(String url) {
        String u = url.trim();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:h2:")) {
            String rest = u.substring("jdbc:h2:".length());
            String r = rest.toLowerCase(Locale.ROOT);
            if (r.startsWith("tcp://") || r.startsWith("ssl://")) {
                return hosts(rest.substring(6));
            }
            return Optional.of(List.of());
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            if (POSTGRES_HOST_PARAMETER.matcher(u).find()) {
                return Optional.empty();
            }
            String rest = u.substring("jdbc:postgresql:".length());
            // jdbc:postgresql:db and jdbc:postgresql:/ name no host: pgJDBC connects to localhost
            return rest.startsWith("//") ? hosts(rest.substring(2)) : Optional.of(List.of("localhost"));
        }
        String rest;
        if (lower.startsWith("jdbc:mysql:")) {
            rest = u.substring("jdbc:mysql:".length());
        } else if (lower.startsWith("jdbc:mariadb:")) {
            rest = u.substring("jdbc:mariadb:".length());
        } else {
            return Optional.empty();
        }
        int slashes = rest.indexOf("//");
        // only a sub-protocol such as "loadbalance:" or "replication:" may come before the hosts
        if (slashes < 0 || !SUB_PROTOCOL.matcher(rest.substring(0, slashes).toLowerCase(Locale.ROOT)).matches()) {
            return Optional.empty();
        }
        return hosts(rest.substring(slashes + 2));
    }

    /** Whether every host of the URL is this machine (an embedded database is). */
    static boolean isLocal(List<String> hosts) {
        return hosts.stream().allMatch(JdbcHosts::isLocal);
    }

    static boolean isLocal(String host) {
        return LOCAL.contains(host);
    }

    private static Optional<List<String>> hosts(String afterSlashes) {
        String authority = authority(afterSlashes);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        List<String> out = new ArrayList<>();
        if (authority.contains("(")) {
            Matcher m = KEY_VALUE_HOST.matcher(authority);
            while (m.find()) {
                out.add(normalize(m.group(1)));
            }
            return out.isEmpty() ? Optional.empty() : Optional.of(out);
        }
        for (String part : authority.split(",", -1)) {
            String host = hostOf(part.trim());
            if (host == null) {
                return Optional.empty();
            }
            out.add(host);
        }
        return Optional.of(out);
    }

    /** Everything up to the path or the parameters; parentheses may hold anything but those. */
    private static String authority(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (depth == 0 && (c == '/' || c == '?' || c == ';')) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    /** {@code host}, {@code host:port}, {@code [v6]:port}; an empty host is the drivers' default, localhost. */
    private static String hostOf(String part) {
        if (part.isEmpty()) {
            return "localhost";
        }
        if (part.startsWith("[")) {
            int close = part.indexOf(']');
            return close < 0 ? null : normalize(part.substring(1, close));
        }
        int colon = part.indexOf(':');
        if (colon >= 0 && part.indexOf(':', colon + 1) >= 0) {
            return normalize(part); // a bare IPv6 address
        }
        String host = colon < 0 ? part : part.substring(0, colon);
        return host.isEmpty() ? "localhost" : normalize(host);
    }

    private static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h;
    }
}
