package io.safeimport.internal.db;

import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The import lock of the embedded H2 database: a file next to it ({@code ./data/safeimport.import.lock})
 * locked with {@link FileChannel#tryLock()} for the whole run. The operating system releases the
 * lock when the process dies, so a {@code kill -9} never leaves it behind; the file's content names
 * the holder (process, host, user, command, run, start), is cleared on release, and is only
 * believed while that process still runs. Runs in the same JVM (tests, the dev module's
 * reset-then-import) exclude each other through a registry, as the operating system lock is per
 * process.
 */
final class EmbeddedLock {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final long POLL_MILLIS = 200;
    /** Locks this JVM holds, by {@link #key}. */
    private static final Map<String, Held> HELD = new HashMap<>();

    private record Held(FileChannel channel, FileLock lock, Object owner, LockHolder holder) {
    }

    private EmbeddedLock() {
    }

    /** The lock file of an H2 file database URL, or {@code null} for a database without a file (in-memory). */
    static Path file(String url) {
        Path base = Database.embeddedBase(url);
        return base == null ? null : Path.of(base + ".import.lock").toAbsolutePath().normalize();
    }

    private static String key(String url) {
        Path f = file(url);
        return f != null ? f.toString() : url.toLowerCase(Locale.ROOT);
    }

    /**
     * Takes the lock for {@code owner}, waiting up to {@code waitSeconds} for another holder.
     *
     * @return {@code false} when another run still holds it
     * @throws SafeImportException {@code DATABASE} when the lock file cannot be created or written
     */
    static boolean acquire(String url, Object owner, LockHolder me, int waitSeconds) {
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        while (true) {
            if (tryOnce(url, owner, me)) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Thread.sleep(Math.min(POLL_MILLIS, left / 1_000_000 + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static synchronized boolean tryOnce(String url, Object owner, LockHolder me) {
        String key = key(url);
        if (HELD.containsKey(key)) {
            return false;
        }
        Path f = file(url);
        if (f == null) {
            HELD.put(key, new Held(null, null, owner, me));
            return true;
        }
        FileChannel channel = null;
        try {
            channel = open(f);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return false;
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me.toText().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            HELD.put(key, new Held(channel, lock, owner, me));
            return true;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SafeImportException(ExitCode.DATABASE, "cannot take the import lock " + f + " next to the embedded database ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); check that the folder is writable", e);
        }
    }

    private static FileChannel open(Path f) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (POSIX) {
            // it names a user and a command line: owner-only, like the database files themselves
            FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            return FileChannel.open(f, options, ownerOnly);
        }
        return FileChannel.open(f, options);
    }

    /** Whether {@code owner} holds the lock of this database right now (its file lock still valid). */
    static synchronized boolean heldBy(String url, Object owner) {
        Held h = HELD.get(key(url));
        return h != null && h.owner() == owner && (h.lock() == null || h.lock().isValid());
    }

    /** Releases what {@code owner} holds (nothing if it holds nothing); the file is emptied first. */
    static synchronized boolean release(Object owner) {
        boolean[] held = {false};
        HELD.entrySet().removeIf(e -> {
            Held h = e.getValue();
            if (h.owner() != owner) {
                return false;
            }
            held[0] = h.lock() == null || h.lock().isValid();
            if (h.channel() != null) {
                try {
                    h.channel().truncate(0);
                    h.channel().force(true);
                } catch (IOException ignored) {
                    // a stale content is harmless: nobody believes it once this process is gone
                }
                try {
                    h.lock().release();
                } catch (IOException ignored) {
                    // closing the channel releases it
                }
                closeQuietly(h.channel());
            }
            return true;
        });
        return held[0];
    }

    /**
     * Who holds the lock now: a run of this JVM, or a live process named in the lock file.
     * Empty when nobody does (or the holder is writing its name at this very moment).
     */
    static Optional<LockHolder> holder(String url) {
        synchronized (EmbeddedLock.class) {
            Held h = HELD.get(key(url));
            if (h != null) {
                return Optional.of(h.holder());
            }
        }
        Path f = file(url);
        if (f == null) {
            return Optional.empty();
        }
        try {
            LockHolder named = LockHolder.parse(Files.readString(f, StandardCharsets.UTF_8));
            if (named == null || named.pid() == ProcessHandle.current().pid() && named.host().equals(LockHolder.localHost())) {
                return Optional.empty();
            }
            return named.alive() ? Optional.of(named) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
