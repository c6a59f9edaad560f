package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded production jar, as {@code mvn verify} has just packaged it (failsafe runs this after
 * the package phase; as a unit test it could only be skipped on a clean checkout), holds no class
 * of the destructive dev module (DESIGN.md §1).
 */
class ProductionJarIT {
    @Test
    void theShadedJarHoldsNoDevClass() throws Exception {
        Path jar = Path.of("target", "safeimport.jar");
        assertTrue(Files.isRegularFile(jar), jar.toAbsolutePath() + " was not built by the package phase");
        try (JarFile j = new JarFile(jar.toFile())) {
            List<String> dev = j.stream().map(e -> e.getName()).filter(n -> n.startsWith("io/safeimport/dev/")).toList();
            assertEquals(List.of(), dev, jar + " holds dev classes");
            assertNotNull(j.getEntry("io/safeimport/cli/SafeImport.class"), jar + " is the production jar");
            assertTrue(j.stream().count() > 1000, jar + " is shaded (holds its dependencies)");
        }
    }
}
