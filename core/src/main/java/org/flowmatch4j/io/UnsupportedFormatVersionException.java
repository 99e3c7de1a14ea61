package org.flowmatch4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A well-formed file written by a newer flowmatch4j, in a format version this build cannot read. Not a
 * {@link CorruptModelFileException}: the file is fine, and a reader must not skip it as damaged and fall back
 * to an older one silently.
 */
public class UnsupportedFormatVersionException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long foundVersion;
    private final long supportedVersion;

    /** {@code file} has format version {@code found}; this build reads up to {@code supported}. */
    public UnsupportedFormatVersionException(Path file, String format, long found, long supported) {
        super(file + ": " + format + " format version " + found + " is newer than this build of flowmatch4j supports (up to "
                + supported + "); upgrade flowmatch4j to read it");
        this.file = file;
        this.foundVersion = found;
        this.supportedVersion = supported;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The version found in the file. */
    public long foundVersion() {
        return foundVersion;
    }

    /** The newest version this build reads. */
    public long supportedVersion() {
        return supportedVersion;
    }
}
