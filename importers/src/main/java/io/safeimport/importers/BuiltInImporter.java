package io.safeimport.importers;

import io.safeimport.spi.Catalog;
import io.safeimport.spi.Importer;

/**
 * What the four built-in importers share: they write the reference schema of DESIGN.md §4
 * ({@link Catalog#reference()}), and their files name referenced rows in columns of their
 * own, which errors about a missing row use: a user's {@code manager_id} is the file's
 * {@code manager_email} and is "manager" in the message, a team's {@code leader_id} is its
 * {@code leader_email}, an event's {@code user_id} is its {@code email}. The pipeline knows none
 * of these names; it asks the importer.
 */
interface BuiltInImporter extends Importer {

    @Override
    default Catalog catalog() {
        return Catalog.reference();
    }

    @Override
    default String csvColumn(String table, String column) {
        return switch (column) {
            case "manager_id" -> "manager_email";
            case "leader_id" -> "leader_email";
            case "user_id" -> "email";
            default -> null;
        };
    }

    @Override
    default String referenceNoun(String table, String column) {
        return switch (column) {
            case "manager_id" -> "manager";
            case "leader_id" -> "leader";
            default -> null;
        };
    }

    @Override
    default String missingReferenceAdvice(String table, String column) {
        // users need their teams and teams their leaders: importing users first cannot break that loop
        return "leader_id".equals(column) ? "add --create-users to create it as a user (email only) that a later users import"
                + " completes, or import the org files and users.csv together with `import all --dir D`" : null;
    }
}
