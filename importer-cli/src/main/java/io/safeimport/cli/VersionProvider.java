package io.safeimport.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code --version}: the version, the commit and the moment the jar was built, from
 * {@code io/safeimport/build.properties}, which the build fills in (importer-core/pom.xml), then the Java
 * runtime. A jar built without git metadata (from a source archive) says {@code unknown commit};
 * one built from a work tree with uncommitted changes says so with {@code -dirty}.
 */
public final class VersionProvider implements CommandLine.IVersionProvider {
    private static final String RESOURCE = "/io/safeimport/build.properties";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public String[] getVersion() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // reported as unknown below
        }
        String name = spec == null ? "safeimport" : spec.root().name();
        return new String[] {describe(name, p),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }

    /** {@code safeimport 0.1.0 (commit 3a9ec8f, built 2026-12-03T13:40:00Z)}; what the build did not know is named unknown. */
    static String describe(String name, Properties p) {
        String version = known(p.getProperty("version"));
        String commit = known(p.getProperty("commit"));
        String built = known(p.getProperty("built"));
        String dirty = "true".equals(known(p.getProperty("dirty"))) ? "-dirty" : "";
        return name + " " + (version == null ? "(unknown version)" : version)
                + " (" + (commit == null ? "unknown commit" : "commit " + commit + dirty)
                + ", " + (built == null ? "unknown build date" : "built " + built) + ")";
    }

    /** A value the build filled in, or {@code null} for a missing one or a placeholder left as it was. */
    private static String known(String value) {
        return value == null || value.isBlank() || value.contains("${") ? null : value.strip();
    }
}
