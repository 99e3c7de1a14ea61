package org.flowmatch4j.io;

/**
 * Malformed JSON text: the message names the problem and where it is ({@code line}, {@code column}, both
 * 1-based, columns counted in UTF-16 chars), so a hand-edited config can be fixed without guessing.
 */
public final class JsonParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String problem;

    JsonParseException(String source, String problem, int line, int column) {
        super((source == null ? "" : source + ": ") + "invalid JSON at line " + line + ", column " + column + ": " + problem);
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** The 1-based line of the offending character. */
    public int line() {
        return line;
    }

    /** The 1-based column of the offending character. */
    public int column() {
        return column;
    }

    /** What is wrong, without the position. */
    public String problem() {
        return problem;
    }
}
