package org.flowmatch4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model, checkpoint or safetensors file that is truncated, damaged or not what it claims to be. The
 * message names the file and the problem; readers throw it before returning anything, so a corrupt file is
 * never half-loaded.
 */
public class CorruptModelFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    /** A corrupt {@code file}; {@code problem} says what is wrong with it. */
    public CorruptModelFileException(Path file, String problem) {
        this(file, problem, null);
    }

    /** As {@link #CorruptModelFileException(Path, String)}, keeping the underlying cause. */
    public CorruptModelFileException(Path file, String problem, Throwable cause) {
        super("corrupt or invalid file " + file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
