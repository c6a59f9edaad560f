package io.safeimport.internal.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.io.PrivateFiles;
import io.safeimport.internal.run.RunIds;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The snapshot folder ({@code ./snapshots} by default). Each snapshot is a folder named by its ID
 * (0700) holding gzipped JSON-lines files (0600) and a {@code manifest.json} with the schema
 * version and the SHA-256 and row count of every file. A snapshot is trusted only after
 * {@link #verify} has read every file back against the manifest.
 *
 * <p>Files: {@code pre.jsonl.gz} (written before the first write: the pre-image of every row the
 * run will update and the key of every row it will insert), {@code changes.jsonl.gz} (written
 * inside the transaction before commit: for each row written, the operation, its id, pre-image
 * and post-image — what rollback restores and checks drift against) and, with
 * {@code --snapshot full}, {@code full.jsonl.gz} (every table the run may write, whole).
 */
public final class SnapshotStore {
    /**
     * Manifest field of a run over the operator's own tables: the fingerprint of each table's
     * definition when the snapshot was taken, by table ({@code Catalog#fingerprints}).
     */
    public static final String DEFINITIONS = "table_definitions";
    public static final String MANIFEST = "manifest.json";
    public static final String PRE = "pre.jsonl.gz";
    public static final String CHANGES = "changes.jsonl.gz";
    public static final String FULL = "full.jsonl.gz";

    private final Path root;

    public SnapshotStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The folder of a snapshot; the ID is validated before any path is built from it. */
    public Path dir(String id) {
        return root.resolve(RunIds.require(id));
    }

    /**
     * Makes sure snapshots can be kept here before a run reads its first row: the folder is
     * created owner-only when missing, and an existing one must be safe for personal data
     * ({@link PrivateFiles#ownFolder}).
     */
    public void requireUsable() {
        try {
            PrivateFiles.ownFolder(root, "snapshot folder (--snapshot-dir)");
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /** Creates the folder of a new snapshot (owner-only). */
    public Path create(String id) {
        try {
            PrivateFiles.ownFolder(root, "snapshot folder (--snapshot-dir)");
            Path dir = dir(id);
            PrivateFiles.createDirectory(dir);
            return dir;
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /**
     * Opens a new file of a snapshot for writing. Its write failures (a full disk) are refused like
     * a folder that cannot be written (exit 5, naming the folder), not reported as internal errors.
     */
    public JsonLines.Writer writer(String id, String file) {
        try {
            return JsonLines.write(dir(id).resolve(file), this::cannotWrite);
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /** Writes the manifest atomically (temp file then rename), replacing any earlier one. */
    public void writeManifest(String id, ObjectNode manifest) {
        Path dir = dir(id);
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        try {
            try (OutputStream out = PrivateFiles.replace(tmp)) {
                JsonLines.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, manifest);
                out.flush();
            }
            try {
                Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /** The SHA-256 of a snapshot's {@code manifest.json} as it lies in the folder now. */
    public String manifestSha256(String id) {
        PrivateFiles.requireNoForeignLinks(dir(id), "snapshot", ExitCode.REFUSED);
        try {
            return JsonLines.sha256(dir(id).resolve(MANIFEST));
        } catch (IOException e) {
            throw new SafeImportException(ExitCode.REFUSED, "snapshot " + id + ": manifest.json cannot be read (" + e.getMessage()
                    + "); the snapshot is damaged");
        }
    }

    /** Records a closed file (its SHA-256 and row count) in the manifest object. */
    public static void record(ObjectNode manifest, JsonLines.Writer writer) {
        ObjectNode files = manifest.has("files") ? (ObjectNode) manifest.get("files") : manifest.putObject("files");
        ObjectNode f = files.putObject(writer.file().getFileName().toString());
        f.put("sha256", writer.sha256());
        f.put("rows", writer.rows());
    }

    /**
     * Whether the snapshot is of tables the operator declared ({@link #DEFINITIONS} in its manifest);
     * {@code false} also when there is no readable manifest (the rollback then says what is wrong).
     */
    public boolean declaresTables(String id) {
        try {
            return manifest(id).has(DEFINITIONS);
        } catch (SafeImportException e) {
            return false;
        }
    }

    /** The manifest of a snapshot. */
    public ObjectNode manifest(String id) {
        PrivateFiles.requireNoForeignLinks(dir(id), "snapshot", ExitCode.REFUSED);
        Path file = dir(id).resolve(MANIFEST);
        try {
            JsonNode node = JsonLines.MAPPER.readTree(file.toFile());
            if (!(node instanceof ObjectNode o)) {
                throw new SafeImportException(ExitCode.REFUSED, "snapshot " + id + ": manifest.json is not a JSON object; the snapshot is damaged");
            }
            return o;
        } catch (NoSuchFileException | FileNotFoundException e) {
            if (!Files.isDirectory(dir(id))) {
                throw new SafeImportException(ExitCode.USAGE, "no snapshot " + id + " in " + root + " (see `snapshots list`, or --snapshot-dir)");
            }
            throw new SafeImportException(ExitCode.REFUSED, "snapshot " + id + " has no manifest.json: it is incomplete or damaged");
        } catch (IOException e) {
            throw new SafeImportException(ExitCode.REFUSED, "snapshot " + id + ": manifest.json cannot be read (" + e.getMessage() + "); the snapshot is damaged");
        }
    }

    /**
     * Reads every file of the snapshot back and compares it with the manifest: same SHA-256, same
     * number of JSON lines, every line a JSON object. Returns the problems found (empty when sound).
     */
    public List<String> verify(String id) {
        List<String> problems = new ArrayList<>();
        ObjectNode manifest = manifest(id);
        JsonNode files = manifest.get("files");
        if (files == null || !files.isObject() || files.size() == 0) {
            problems.add("manifest.json lists no files");
            return problems;
        }
        Path dir = dir(id);
        Iterator<Map.Entry<String, JsonNode>> it = files.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (!name.matches("[a-z]+\\.jsonl\\.gz")) {
                problems.add("manifest.json names an unexpected file '" + name + "'");
                continue;
            }
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                problems.add(name + " is missing");
                continue;
            }
            try {
                String sha = JsonLines.sha256(file);
                if (!sha.equals(e.getValue().path("sha256").asText())) {
                    problems.add(name + ": SHA-256 " + sha + " does not match the manifest's " + e.getValue().path("sha256").asText());
                    continue;
                }
                long rows = JsonLines.countObjects(file);
                if (rows != e.getValue().path("rows").asLong(-1)) {
                    problems.add(name + ": " + rows + " rows but the manifest says " + e.getValue().path("rows").asLong(-1));
                }
            } catch (IOException | RuntimeException ex) {
                problems.add(name + " cannot be read: " + ex.getMessage());
            }
        }
        return problems;
    }

    /** Verifies and throws {@code REFUSED} (5) naming the problems when the snapshot is damaged. */
    public void requireSound(String id) {
        List<String> problems = verify(id);
        if (!problems.isEmpty()) {
            throw new SafeImportException(ExitCode.REFUSED, "snapshot " + id + " failed verification: "
                    + String.join("; ", problems) + " — it cannot be trusted");
        }
    }

    /** IDs of all snapshots, oldest first. */
    public List<String> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).filter(RunIds::isValid).sorted().toList();
        } catch (IOException e) {
            throw new SafeImportException(ExitCode.INTERNAL, "cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** Removes a snapshot that never protected a write (the run was rejected before writing). */
    public void discard(String id) {
        Path dir = dir(id);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover folder only wastes space; the run record says it protects nothing
        }
    }

    /** A snapshot file or folder that cannot be written: refused (5), naming the folder and what to do. */
    SafeImportException cannotWrite(IOException e) {
        return new SafeImportException(ExitCode.REFUSED, "cannot write the snapshot under " + root + " ("
                + e.getClass().getSimpleName() + ": " + e.getMessage() + "); nothing was written to the database."
                + " Free disk space or fix permissions, or choose another folder with --snapshot-dir", e);
    }
}
