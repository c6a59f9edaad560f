package io.safeimport.internal.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safeimport.api.ExitCode;
import io.safeimport.api.ImportResult;
import io.safeimport.api.SafeImportException;
import io.safeimport.internal.io.JsonLines;
import io.safeimport.internal.plan.RowCodec;
import io.safeimport.spi.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * A saved plan ({@code --dry-run --plan-out F}) and its check ({@code --plan F}). The file is gzipped
 * JSON lines: a header with the SHA-256 of every CSV file, the options and the counts, then one line
 * per planned row with its action and a digest of the stored row the plan read (or {@code absent}).
 * Applying with {@code --plan} plans again and refuses (exit 5) unless the CSV files, the options,
 * every row action and every row read are exactly the same: so what is applied is exactly what was
 * reviewed.
 */
final class PlanDigest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Path work;
    private JsonLines.Writer rows;
    private JsonLines.Reader expected;
    private ObjectNode expectedHeader;
    private long compared;

    private PlanDigest(Path work) {
        this.work = work;
    }

    /** Records the plan for {@code --plan-out}. */
    static PlanDigest recording(Path work) throws IOException {
        PlanDigest d = new PlanDigest(work);
        d.rows = JsonLines.write(work.resolve("plan-digest.jsonl.gz"));
        return d;
    }

    /** Checks the plan against a saved one ({@code --plan F}). */
    static PlanDigest verifying(Path work, Path saved) {
        PlanDigest d = new PlanDigest(work);
        try {
            d.expected = JsonLines.read(saved);
            if (!d.expected.hasNext()) {
                throw new SafeImportException(ExitCode.REFUSED, "--plan " + saved + " is empty; make it with --dry-run --plan-out");
            }
            d.expectedHeader = d.expected.next();
            if (!"safeimport-plan".equals(d.expectedHeader.path("format").asText())) {
                throw new SafeImportException(ExitCode.REFUSED, "--plan " + saved + " is not a safeimport plan");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SafeImportException s) {
                throw s;
            }
            throw new SafeImportException(ExitCode.REFUSED, "--plan " + saved + " cannot be read (" + e.getMessage()
                    + "); make it again with --dry-run --plan-out", e);
        }
        return d;
    }

    /** Checks the files and options of this run against the saved plan's header (verify mode). */
    void checkHeader(ObjectNode header) {
        if (expectedHeader == null) {
            return;
        }
        if (!Objects.equals(expectedHeader.get("csv"), header.get("csv"))) {
            throw new SafeImportException(ExitCode.REFUSED, "the CSV files differ from the ones the plan was made from (SHA-256 "
                    + expectedHeader.get("csv") + " vs " + header.get("csv") + "); nothing was written. Make a new plan with --dry-run --plan-out");
        }
        if (!Objects.equals(expectedHeader.get("options"), header.get("options"))) {
            throw new SafeImportException(ExitCode.REFUSED, "the options differ from the plan's (" + expectedHeader.get("options")
                    + " vs " + header.get("options") + "); use the same options as the dry-run");
        }
    }

    /** One planned row. */
    void row(String file, long line, TableSpec spec, String key, String action, Map<String, Object> read) {
        ObjectNode n = JSON.objectNode();
        n.put("file", file);
        n.put("line", line);
        n.put("table", spec.name());
        n.put("key", key);
        n.put("action", action);
        n.put("read", read == null ? "absent" : sha(RowCodec.row(spec, read).toString()));
        try {
            if (rows != null) {
                rows.write(n);
            }
            if (expected != null) {
                compared++;
                ObjectNode want = expected.hasNext() ? expected.next() : null;
                if (want == null || !want.toString().equals(n.toString())) {
                    throw new SafeImportException(ExitCode.REFUSED, file + ":" + line + ": " + spec.noun() + " " + key
                            + (want == null ? " is not in the plan" : !want.path("key").equals(n.path("key")) ? " is not the row the plan has here (" + want.path("key").asText() + ")"
                            : !want.path("read").equals(n.path("read")) ? " changed in the database since the plan was made"
                            : " would now be '" + action + "' but the plan says '" + want.path("action").asText() + "'")
                            + "; nothing was written. Review a new plan with --dry-run --plan-out");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends verification: the saved plan must have no rows left. */
    void finish() throws IOException {
        if (expected != null) {
            if (expected.hasNext()) {
                ObjectNode extra = expected.next();
                throw new SafeImportException(ExitCode.REFUSED, "the plan has more rows than the run now plans (first: "
                        + extra.path("file").asText() + ":" + extra.path("line").asLong() + "); nothing was written");
            }
            expected.close();
        }
    }

    /** Writes the saved plan: header then rows (record mode). */
    void save(Path target, ObjectNode header, ImportResult result) throws IOException {
        rows.close();
        ObjectNode counts = header.putObject("counts");
        result.counts().asMap().forEach(counts::put);
        Path tmp = work.resolve("plan-out.jsonl.gz");
        try (JsonLines.Writer out = JsonLines.write(tmp); JsonLines.Reader in = JsonLines.read(rows.file())) {
            out.write(header);
            while (in.hasNext()) {
                out.write(in.next());
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }

    static ObjectNode header(String importer, ImportResult result, Object options) {
        ObjectNode h = JSON.objectNode();
        h.put("format", "safeimport-plan");
        h.put("importer", importer);
        ArrayNode csv = h.putArray("csv");
        result.csv().forEach(c -> csv.addObject().put("name", Path.of(c.path()).getFileName().toString()).put("sha256", c.sha256()));
        h.put("options", String.valueOf(options));
        return h;
    }

    long compared() {
        return compared;
    }

    private static String sha(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
