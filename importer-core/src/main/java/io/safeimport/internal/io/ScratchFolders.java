package io.safeimport.internal.io;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A process's scratch folders under the system temp folder ({@code safeimport-<run id>-pid<pid>-*}
 * for a run's work files, {@code safeimport-infile-pid<pid>-*} for {@code LOAD DATA}): owner-only,
 * each with an {@value #OWNER} file naming the process that made it (pid, host, process start).
 *
 * <p>They hold row data, and a process killed with {@code kill -9} leaves them behind. So every new
 * scratch folder first removes this user's leftovers of processes that are gone. A folder is left
 * alone when its process still runs (the same pid started at the same moment), when it was made on
 * another host (a temp folder shared between machines or containers: its process cannot be
 * checked), when it has no readable owner file (made by an older safeimport, or still being made),
 * or when it belongs to another user.
 */
public final class ScratchFolders {
    /** The file in each scratch folder that names its process. */
    public static final String OWNER = "owner";

    private ScratchFolders() {
    }

    /**
     * Removes dead processes' leftovers, then creates an owner-only scratch folder
     * {@code <prefix>pid<pid>-<random>} with its owner file.
     *
     * @param prefix {@code safeimport-<run id>-} or {@code safeimport-infile-}
     */
    public static Path create(String prefix) throws IOException {
        removeDeadLeftovers();
        ProcessHandle me = ProcessHandle.current();
        Path dir = PrivateFiles.createTempDirectory(prefix + "pid" + me.pid() + "-");
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("pid", me.pid());
        owner.put("host", localHost());
        me.info().startInstant().ifPresent(t -> owner.put("process_start", t));
        StringBuilder text = new StringBuilder();
        owner.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try (OutputStream out = PrivateFiles.create(dir.resolve(OWNER))) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        return dir;
    }

    /** Has the JVM remove {@code dir} (made by {@link #create}, its other files already gone) when it exits. */
    public static void deleteOnExit(Path dir) {
        dir.toFile().deleteOnExit();
        // registered after the folder, so deleted before it (the JVM deletes in reverse order)
        dir.resolve(OWNER).toFile().deleteOnExit();
    }

    /** Removes this user's scratch folders whose process is gone; returns how many. Never fails. */
    public static int removeDeadLeftovers() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        int removed = 0;
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(tmp, "safeimport-*-pid*-*")) {
            for (Path dir : candidates) {
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && PrivateFiles.isMine(dir) && ownerIsGone(dir)) {
                    removed += delete(dir) ? 1 : 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // a temp folder that cannot be listed: nothing to clean, and nothing to stop a run for
        }
        return removed;
    }

    private static boolean ownerIsGone(Path dir) {
        Map<String, String> owner = new LinkedHashMap<>();
        try {
            Path f = dir.resolve(OWNER);
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > 4096) {
                return false;
            }
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    owner.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            if (!localHost().equals(owner.get("host"))) {
                return false;
            }
            long pid = Long.parseLong(owner.get("pid"));
            Instant started = owner.containsKey("process_start") ? Instant.parse(owner.get("process_start")) : null;
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> {
                // a pid used again by a later process: its start differs from the owner's
                Instant start = p.info().startInstant().orElse(null);
                return started != null && start != null && Math.abs(Duration.between(start, started).toMillis()) >= 1000;
            }).orElse(true);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean delete(Path dir) {
        // a walk does not follow links: a link inside is removed, never what it points at
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
