package io.safeimport.api;

/**
 * Told where a long run is. Called from the pipeline's thread; implementations must be cheap
 * (they are called per chunk) and must never throw.
 */
public interface ProgressListener {
    ProgressListener NONE = (phase, done, total) -> { };

    /**
     * @param phase what is happening ({@code validate}, {@code plan}, {@code apply}, ...)
     * @param done  rows done in this phase
     * @param total rows in this phase ({@code validate}: estimated from the bytes read so far), or {@code -1} when unknown
     */
    void progress(String phase, long done, long total);
}
