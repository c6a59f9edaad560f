package io.safeimport.internal.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test-only hook that lets a test stop a run at a named step instead of racing a timer. With the
 * system property {@code safeimport.test.gates} naming a folder, a run reaching step {@code S}
 * creates {@code S.reached} there and, when the test asked to hold it there ({@code S.hold}
 * exists), waits until {@code S.go} exists. Every event of the audit log is such a step, named as
 * the log names it ({@code validate}, {@code plan}, {@code snapshot}, {@code apply}, ...), reached
 * once the event is on disk; {@code locked} and {@code commit} are two more. Without the property
 * (every real run) it does nothing.
 */
public final class StepGate {
    /** The system property naming the gates' folder. */
    public static final String PROPERTY = "safeimport.test.gates";

    private StepGate() {
    }

    /** Announces {@code step} and, when the test holds it, waits to be let through; only when gates are on. */
    public static void pass(String step) {
        String folder = System.getProperty(PROPERTY);
        if (folder == null || folder.isBlank()) {
            return;
        }
        Path dir = Path.of(folder);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(step + ".reached"), Long.toString(ProcessHandle.current().pid()));
            if (!Files.exists(dir.resolve(step + ".hold"))) {
                return;
            }
            while (!Files.exists(dir.resolve(step + ".go"))) {
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("test gate " + step + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
