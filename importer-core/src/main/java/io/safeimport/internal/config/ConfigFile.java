package io.safeimport.internal.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.safeimport.api.ExitCode;
import io.safeimport.api.SafeImportException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds and reads {@code safeimport.yml} (DESIGN.md §7). Every fault of the file is a usage error
 * (exit 2) that names {@code file:line:column} and what to do; all such faults of a file are
 * reported together ({@link ConfigFileException#problems()}), not only the first.
 */
public final class ConfigFile {
    /** The file looked for in the working folder when neither {@code --config} nor {@code SAFEIMPORT_CONFIG} names one. */
    public static final String DEFAULT_NAME = "safeimport.yml";
    /** The environment variable that names the config file. */
    public static final String ENV = "SAFEIMPORT_CONFIG";

    private ConfigFile() {
    }

    /**
     * The config file to use: {@code explicit} ({@code --config}), else the one {@code SAFEIMPORT_CONFIG}
     * names, else {@code ./safeimport.yml} in {@code workingDir} when it exists; empty when none is
     * named and none is there. Relative paths are taken from {@code workingDir}.
     *
     * @throws SafeImportException {@code USAGE} when {@code --config} or {@code SAFEIMPORT_CONFIG} names no file
     */
    public static Optional<Path> locate(Path explicit, Map<String, String> env, Path workingDir) {
        if (explicit != null) {
            return Optional.of(existing(workingDir.resolve(explicit), "--config " + explicit));
        }
        String named = env.get(ENV);
        if (named != null && !named.isBlank()) {
            return Optional.of(existing(workingDir.resolve(named.trim()), ENV + "=" + named.trim()));
        }
        Path here = workingDir.resolve(DEFAULT_NAME);
        return Files.isRegularFile(here) ? Optional.of(here) : Optional.empty();
    }

    private static Path existing(Path file, String givenAs) {
        if (Files.isRegularFile(file)) {
            return file;
        }
        throw new SafeImportException(ExitCode.USAGE, givenAs + ": " + (Files.isDirectory(file) ? "is a folder, not a file"
                : "no such file") + " (" + file.toAbsolutePath().normalize() + "): give the path of an existing " + DEFAULT_NAME);
    }

    /**
     * The config in {@code file}, well-formed: every importer with a table, a key and columns, every
     * name and shape as DESIGN.md §7 allows. Whether it fits the database is {@link ConfigCheck}'s question.
     *
     * @throws ConfigFileException when the file cannot be read, is not YAML, or has unknown keys, wrong shapes or bad names
     */
    public static SafeImportConfig read(Path file) {
        Problems problems = new Problems(file.toString());
        if (Files.isDirectory(file)) {
            throw new ConfigFileException(List.of(file + ": cannot read it (a folder, not a file): give the path of a "
                    + DEFAULT_NAME + " file"));
        }
        YamlNode root;
        // read whole first (a config is small), so that bytes that are not UTF-8 are told apart from YAML errors
        try (Reader in = new StringReader(Files.readString(file, StandardCharsets.UTF_8))) {
            root = YamlTree.read(in, problems);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? file.toString() : file + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new ConfigFileException(List.of(where + ": not valid YAML (" + yamlMessage(e) + "): correct the file"
                    + " (indent with spaces, 'key: value', lists as [a, b] or '- a' lines)"));
        } catch (CharacterCodingException e) {
            throw new ConfigFileException(List.of(file + ": not UTF-8 text: save it as UTF-8"));
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(List.of(file + ": no such file: give the path of an existing " + DEFAULT_NAME));
        } catch (IOException e) {
            throw new ConfigFileException(List.of(file + ": cannot read it (" + e.getClass().getSimpleName()
                    + "): check that it is a readable file"));
        }
        SafeImportConfig config = new ConfigBinder(file, problems).bind(root);
        if (!problems.isEmpty()) {
            throw new ConfigFileException(problems.lines());
        }
        return config;
    }

    /**
     * The parser's own words on one line, without the excerpt of the file it adds ({@code in 'reader', line 3, ...}
     * and the quoted lines), since the position is given separately.
     */
    private static String yamlMessage(JsonProcessingException e) {
        String text = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        // snakeyaml indents the position and the quoted lines; its own words start at the margin
        String words = text.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .map(String::strip).collect(Collectors.joining(", "));
        return words.isEmpty() ? text.lines().findFirst().orElse("") : words;
    }
}
