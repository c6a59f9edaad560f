package io.safeimport.internal.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read {@code safeimport.yml} (DESIGN.md §7): the importers it declares, in file order, and the
 * order in which {@code import all} runs them. Well-formed by construction ({@link ConfigFile#read});
 * whether it fits the database is {@link ConfigCheck}'s question.
 *
 * @param file      the file it was read from
 * @param importers name → importer, in file order
 * @param order     the {@code order:} list (importer names), empty when not given
 * @param orderLine the 1-based line of {@code order:}, 0 when not given
 */
public record SafeImportConfig(Path file, Map<String, DeclaredImporter> importers, List<String> order, int orderLine) {
    public SafeImportConfig {
        importers = Collections.unmodifiableMap(new LinkedHashMap<>(importers));
        order = List.copyOf(order);
    }

    /** {@code safeimport.yml:LINE}: how a problem names a line of this file (the file's name, not its path). */
    public String where(int line) {
        return file.getFileName() + ":" + line;
    }
}
