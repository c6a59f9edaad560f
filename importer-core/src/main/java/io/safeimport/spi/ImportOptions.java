package io.safeimport.spi;

/**
 * The options of one import that importers may need to see. Pipeline-only options (dry-run,
 * max errors, backup) live with the pipeline; these shape what rows mean.
 *
 * @param forceUpdate    relationship changes are applied instead of being kept
 * @param createUsers    {@code import org}: unknown leaders are created as users (email only)
 * @param only           {@code import ladders}: "ladder", "aspect" or "level" to import one kind; {@code null} for all
 * @param updateExisting {@code import history}: existing events are updated instead of skipped
 */
public record ImportOptions(boolean forceUpdate, boolean createUsers, String only, boolean updateExisting) {

    public static ImportOptions defaults() {
        return new ImportOptions(false, false, null, false);
    }
}
