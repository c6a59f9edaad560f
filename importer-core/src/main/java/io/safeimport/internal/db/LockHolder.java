package io.safeimport.internal.db;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who holds the import lock: a process (id, host, OS user, the command it runs) and the run it
 * holds the lock for, since when. Shown to whoever finds the lock taken, so they know what they
 * are waiting for and for how long it has been going on.
 *
 * @param pid          the holder's process id
 * @param host         the holder's host name
 * @param user         the holder's OS user
 * @param processStart when the holder's process started ({@code null} if unknown); with the pid it
 *                     tells a live holder from a dead one whose pid was reused
 * @param startedAt    when the holder took the lock
 * @param runId        the run holding it, or {@code null}
 * @param command      what the holder runs ({@code safeimport import users --csv big.csv}), free of secrets
 */
public record LockHolder(long pid, String host, String user, Instant processStart, Instant startedAt, String runId,
                         String command) {

    /** This process, about to take the lock for {@code runId}. */
    public static LockHolder me(String runId, String command, Instant startedAt) {
        ProcessHandle self = ProcessHandle.current();
        return new LockHolder(self.pid(), localHost(), System.getProperty("user.name", "unknown"),
                self.info().startInstant().orElse(null), startedAt, runId, command);
    }

    /** One line: {@code run ID (COMMAND; pid P on HOST as USER) started T, running for D}. */
    public String describe(Instant now) {
        StringBuilder sb = new StringBuilder();
        if (runId != null) {
            sb.append("run ").append(runId).append(" (");
        }
        sb.append(command == null ? "safeimport" : command);
        sb.append(runId == null ? " (" : "; ");
        sb.append(pid > 0 ? "pid " + pid + " on " : "on ").append(host).append(" as ").append(user).append(')');
        if (startedAt != null) {
            sb.append(" started ").append(startedAt.truncatedTo(ChronoUnit.SECONDS)).append(", running for ").append(duration(Duration.between(startedAt, now)));
        }
        return sb.toString();
    }

    /** {@code 45 s}, {@code 2 min 5 s}, {@code 3 h 10 min}. */
    public static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }

    /** The lines stored in a lock file: {@code key=value}, one a line. */
    String toText() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", pid);
        m.put("host", host);
        m.put("user", user);
        m.put("process_start", processStart);
        m.put("started_at", startedAt);
        m.put("run_id", runId);
        m.put("command", command);
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> {
            if (v != null) {
                sb.append(k).append('=').append(String.valueOf(v).replaceAll("[\\r\\n]+", " ")).append('\n');
            }
        });
        return sb.toString();
    }

    /** Reads {@link #toText()}; {@code null} when the text holds no holder (released, or being written). */
    static LockHolder parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (!m.containsKey("pid") || !m.containsKey("host") || !m.containsKey("command")) {
            return null;
        }
        try {
            return new LockHolder(Long.parseLong(m.get("pid")), m.get("host"), m.getOrDefault("user", "unknown"),
                    instant(m.get("process_start")), instant(m.get("started_at")), m.get("run_id"), m.get("command"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether the holder's process still runs. A holder on another host (a database folder on a
     * shared disk) cannot be checked and counts as alive.
     */
    boolean alive() {
        if (!host.equals(localHost())) {
            return true;
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> {
            Instant start = p.info().startInstant().orElse(null);
            return processStart == null || start == null || Math.abs(Duration.between(start, processStart).toMillis()) < 1000;
        }).orElse(false);
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
