package io.safeimport.internal.db;

import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The embedded default: H2 in MySQL mode. H2's own file lock already keeps a second process
 * out of the database file, so the import lock is a no-op here.
 */
final class H2Dialect implements Dialect {

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/migration/h2";
    }

    @Override
    public String effectiveUrl(String url) {
        StringBuilder sb = new StringBuilder(url);
        for (String setting : new String[] {"MODE=MySQL", "DATABASE_TO_LOWER=TRUE", "DEFAULT_NULL_ORDERING=HIGH"}) {
            String name = setting.substring(0, setting.indexOf('='));
            if (!url.toUpperCase(java.util.Locale.ROOT).contains(";" + name + "=")) {
                sb.append(';').append(setting);
            }
        }
        return sb.toString();
    }

    @Override
    public Map<String, String> connectionProperties() {
        return Map.of();
    }

    @Override
    public int streamingFetchSize() {
        return 1000;
    }

    @Override
    public boolean tryLock(Handle handle, String name, int waitSeconds) {
        return true;
    }

    @Override
    public void unlock(Handle handle, String name) {
        // nothing to release: see the class comment
    }
}
