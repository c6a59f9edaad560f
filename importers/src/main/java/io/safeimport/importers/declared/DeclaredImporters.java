package io.safeimport.importers.declared;

import io.safeimport.internal.catalog.CatalogReader;
import io.safeimport.internal.catalog.TableInfo;
import io.safeimport.internal.config.ColumnMapping;
import io.safeimport.internal.config.ConfigCheck;
import io.safeimport.internal.config.DeclaredCheck;
import io.safeimport.internal.config.DeclaredImporter;
import io.safeimport.internal.config.Problem;
import io.safeimport.internal.config.SafeImportConfig;
import io.safeimport.spi.Catalog;
import io.safeimport.spi.IntegrityCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The importers of a {@code safeimport.yml}, held against the live database: every problem of the
 * config at once (DESIGN.md §7 {@code config check}), or the importers with their catalog. Every
 * import of a declared importer runs this first, so it never reads a row of a file whose config
 * does not fit the database.
 *
 * @param problems  what does not fit, in config order; empty when the importers are usable
 * @param importers the usable importers by name (empty when there are problems)
 * @param order     the order {@code import all} reads them in: the config's {@code order:}, else file order
 * @param tables    the tables as the database describes them, by name (for fingerprints)
 */
public record DeclaredImporters(List<Problem> problems, Map<String, ConfiguredImporter> importers, List<String> order,
                                Map<String, TableInfo> tables) {

    /** Reads the tables {@code config} names through {@code connection} and checks the config against them. */
    public static DeclaredImporters load(SafeImportConfig config, Connection connection) throws SQLException {
        CatalogReader reader = new CatalogReader();
        Map<String, TableInfo> tables = new LinkedHashMap<>();
        for (String name : tableNames(config)) {
            reader.read(connection, name).ifPresent(t -> tables.put(name, t));
        }
        List<Problem> problems = new ArrayList<>(ConfigCheck.check(config, name -> Optional.ofNullable(tables.get(name))));
        if (problems.isEmpty()) {
            problems.addAll(UnquotedNames.check(connection, config, tables));
        }
        List<String> order = config.order().isEmpty() ? List.copyOf(config.importers().keySet()) : config.order();
        if (!problems.isEmpty()) {
            return new DeclaredImporters(problems, Map.of(), order, tables);
        }
        DeclaredCatalog built = DeclaredCatalog.build(config, tables);
        if (!built.problems().isEmpty()) {
            return new DeclaredImporters(built.problems(), Map.of(), order, tables);
        }
        Catalog catalog = built.catalog();
        Map<String, ConfiguredImporter> importers = new LinkedHashMap<>();
        for (DeclaredImporter d : config.importers().values()) {
            List<IntegrityCheck> checks = new ArrayList<>();
            for (DeclaredCheck c : d.checks()) {
                checks.add(new DeclaredQueryCheck(c, d.table(), config.where(c.line())));
            }
            importers.put(d.name(), new ConfiguredImporter(d, catalog, built.rules(d.name()), checks));
        }
        return new DeclaredImporters(List.of(), importers, order, tables);
    }

    /** Whether every declared importer is usable. */
    public boolean usable() {
        return problems.isEmpty();
    }

    /** Every table the config names: the importers' own, then those references point into. */
    static Set<String> tableNames(SafeImportConfig config) {
        Set<String> names = new LinkedHashSet<>();
        for (DeclaredImporter d : config.importers().values()) {
            names.add(d.table());
        }
        for (DeclaredImporter d : config.importers().values()) {
            for (ColumnMapping m : d.columns().values()) {
                if (m.isRef()) {
                    names.add(m.refTable());
                }
            }
        }
        return names;
    }
}
