package io.safeimport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The production artifact cannot reach the destructive dev commands (DESIGN.md §1: production
 * code must not depend on importer-dev): not through its POM, not inside its shaded jar, not on
 * its class path, not in its command tree. The shaded jar itself is checked after packaging by
 * {@link ProductionJarIT}.
 */
class ProductionArtifactTest {
    private static final Set<String> DESTRUCTIVE = Set.of("reset", "seed", "clear");

    @Test
    void theCliPomDoesNotDependOnImporterDev() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document pom = f.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        List<String> artifacts = new ArrayList<>();
        NodeList deps = pom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            NodeList ids = ((Element) deps.item(i)).getElementsByTagName("artifactId");
            for (int j = 0; j < ids.getLength(); j++) {
                artifacts.add(ids.item(j).getTextContent().trim());
            }
        }
        assertTrue(artifacts.contains("importer-core"), "the POM was read: " + artifacts);
        assertFalse(artifacts.contains("importer-dev"), "importer-cli depends on importer-dev: " + artifacts);
    }

    @Test
    void devClassesAreNotOnTheProductionClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.safeimport.dev.SafeImportDev"));
    }

    @Test
    void theProductionCommandTreeHasNoDestructiveCommandOrOption() {
        List<String> seen = new ArrayList<>();
        walk(SafeImport.commandLine(), seen);
        assertTrue(seen.contains("safeimport rollback"), "the tree was walked: " + seen);
    }

    private static void walk(CommandLine cmd, List<String> seen) {
        String path = cmd.getCommandSpec().qualifiedName();
        seen.add(path);
        List<String> names = new ArrayList<>(List.of(cmd.getCommandSpec().aliases()));
        names.add(cmd.getCommandName());
        for (String name : names) {
            assertFalse(DESTRUCTIVE.contains(name.toLowerCase(Locale.ROOT)), "production command " + path + " is destructive");
        }
        for (OptionSpec o : cmd.getCommandSpec().options()) {
            for (String n : o.names()) {
                assertFalse(n.toLowerCase(Locale.ROOT).startsWith("--clear"), path + " has the option " + n);
            }
        }
        assertFalse(cmd.getUsageMessage().contains("--clear-users"), path + " --help mentions --clear-users");
        cmd.getSubcommands().values().forEach(sub -> walk(sub, seen));
    }
}
