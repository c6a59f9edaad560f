package io.safeimport.internal.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test-only hook that lets a test stop a run at a named step instead of racing a timer. With the
 * system property {@code safeimport.test.gates} naming a folder, a run reaching step {@code S}
 * creates {@code S.reached} there and waits until {@code S.go} exists. Without the property (every
 * real run) it does nothing.
 */
public final class StepGate {
    /** The system property naming the gates' folder. */
    public static final String PROPERTY = "safeimport.test.gates";

    private StepGate() {
    }

    /** Announces {@code step} and waits to be let through, when gates are on. */
    public static void pass(String step) {
        String folder = System.getProperty(PROPERTY);
        if (folder == null || folder.isBlank()) {
            return;
        }
        Path dir = Path.of(folder);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(step + ".reached"), Long.toString(ProcessHandle.current().pid()));
            while (!Files.exists(dir.resolve(step + ".go"))) {
                Thread.sleep(20);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("test gate " + step + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
