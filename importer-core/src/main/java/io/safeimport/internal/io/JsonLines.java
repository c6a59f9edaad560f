package io.safeimport.internal.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Gzipped JSON-lines files: one JSON object per line. Used for snapshots and plans, which may hold
 * millions of rows, so both directions stream. Compression uses the fastest level: these files are
 * written on the import's critical path.
 */
public final class JsonLines {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private JsonLines() {
    }

    /** Starts a new owner-only file. */
    public static Writer write(Path file) throws IOException {
        return write(file, null);
    }

    /**
     * Starts a new owner-only file whose write failures (a full disk, a lost mount) are thrown as
     * {@code onFailure} makes them from the {@link IOException}, so that the owner of the file can
     * say which folder failed and what to do; {@code null} throws the {@code IOException} itself.
     */
    public static Writer write(Path file, Function<IOException, ? extends RuntimeException> onFailure) throws IOException {
        return new Writer(file, PrivateFiles.create(file), onFailure);
    }

    /** Reads a file line by line; the iterator must be closed. */
    public static Reader read(Path file) throws IOException {
        return new Reader(file);
    }

    /** Work on one chunk of lines. */
    public interface ChunkAction {
        void accept(List<ObjectNode> chunk) throws IOException;
    }

    /** Reads a file in chunks of at most {@code size} lines (the last one may be shorter; none is empty). */
    public static void forEachChunk(Path file, int size, ChunkAction action) throws IOException {
        try (Reader r = read(file)) {
            List<ObjectNode> chunk = new ArrayList<>(size);
            while (r.hasNext()) {
                chunk.add(r.next());
                if (chunk.size() == size) {
                    action.accept(chunk);
                    chunk.clear();
                }
            }
            if (!chunk.isEmpty()) {
                action.accept(chunk);
            }
        }
    }

    /** The lines of a chunk grouped by their {@code table} field, in first-seen order. */
    public static Map<String, List<ObjectNode>> byTable(List<ObjectNode> chunk) {
        Map<String, List<ObjectNode>> m = new LinkedHashMap<>();
        for (ObjectNode n : chunk) {
            m.computeIfAbsent(n.get("table").asText(), k -> new ArrayList<>()).add(n);
        }
        return m;
    }

    /**
     * Reads a whole file and counts its lines, checking that each is a well-formed JSON object,
     * without building the objects: the parser checks every token and skips the strings' contents.
     *
     * @throws IOException when the file cannot be read or decompressed, or a line is not valid JSON
     * @throws IllegalStateException when a line holds a JSON value that is not an object
     */
    public static long countObjects(Path file) throws IOException {
        long rows = 0;
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), 1 << 16);
             JsonParser p = MAPPER.getFactory().createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.START_OBJECT) {
                    throw new IllegalStateException("not a JSON object per line (line " + (rows + 1) + ")");
                }
                p.skipChildren();
                rows++;
            }
        }
        return rows;
    }

    /** The SHA-256 of a file's bytes, hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes objects as gzipped JSON lines and hashes the bytes written. */
    public static final class Writer implements Closeable {
        private final Path file;
        private final MessageDigest digest = newDigest();
        private final OutputStream out;
        private final JsonGenerator gen;
        private final OutputStream target;
        private final Function<IOException, ? extends RuntimeException> onFailure;
        private long rows;
        private String sha256;
        private boolean closed;

        /** A writer over {@code target}, the stream of {@code file} (tests give one that fails). */
        Writer(Path file, OutputStream target, Function<IOException, ? extends RuntimeException> onFailure) throws IOException {
            this.file = file;
            this.target = target;
            this.onFailure = onFailure;
            OutputStream raw = new DigestOutputStream(new BufferedOutputStream(target, 1 << 16), digest);
            this.out = new GZIPOutputStream(raw, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
            this.gen = MAPPER.getFactory().createGenerator(out);
        }

        public void write(ObjectNode node) throws IOException {
            try {
                MAPPER.writeTree(gen, node);
                gen.writeRaw('\n');
            } catch (IOException e) {
                throw failed(e);
            }
            rows++;
        }

        /** The failure as the owner wants it; the file is closed (once failed, a writer writes nothing more). */
        private IOException failed(IOException e) {
            closed = true;
            try {
                target.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (onFailure != null) {
                throw onFailure.apply(e);
            }
            return e;
        }

        public long rows() {
            return rows;
        }

        public Path file() {
            return file;
        }

        /** The SHA-256 of the file, available after {@link #close()}. */
        public String sha256() {
            return sha256;
        }

        /** Finishes the file; closing again, or after a failure (already reported), does nothing. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            try {
                gen.flush();
                out.close();
            } catch (IOException e) {
                throw failed(e);
            }
            closed = true;
            sha256 = HexFormat.of().formatHex(digest.digest());
        }
    }

    /** Reads gzipped JSON lines. */
    public static final class Reader implements Closeable, Iterator<ObjectNode> {
        private final InputStream in;
        private final MappingIterator<JsonNode> it;

        private Reader(Path file) throws IOException {
            this.in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), 1 << 16);
            this.it = MAPPER.readerFor(JsonNode.class).readValues(in);
        }

        @Override
        public boolean hasNext() {
            return it.hasNext();
        }

        @Override
        public ObjectNode next() {
            JsonNode n = it.next();
            if (!(n instanceof ObjectNode o)) {
                throw new IllegalStateException("not a JSON object per line");
            }
            return o;
        }

        @Override
        public void close() throws IOException {
            it.close();
            in.close();
        }
    }
}
