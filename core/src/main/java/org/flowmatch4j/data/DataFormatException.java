package org.flowmatch4j.data;

/**
 * A data file that cannot be used, with where the problem is: the file, and when known the line and the
 * column (number and header name). Line and column numbers count from 1, as editors show them; 0 means
 * "not about one line/column" (e.g. an empty file).
 */
public final class DataFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final int column;
    private final String columnName;
    private final String problem;

    /** A problem with the whole file. */
    public DataFormatException(String file, String problem, Throwable cause) {
        this(file, 0, 0, null, problem, cause);
    }

    /** A problem at {@code line} (column 0 = the whole line). */
    public DataFormatException(String file, long line, int column, String columnName, String problem, Throwable cause) {
        super(format(file, line, column, columnName, problem), cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.columnName = columnName;
        this.problem = problem;
    }

    private static String format(String file, long line, int column, String columnName, String problem) {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(", line ").append(line);
        }
        if (column > 0) {
            sb.append(", column ").append(column);
            if (columnName != null) {
                sb.append(" (\"").append(columnName).append("\")");
            }
        }
        return sb.append(": ").append(problem).toString();
    }

    /** The file, as given to the reader. */
    public String file() {
        return file;
    }

    /** The 1-based line, or 0 when the problem is not about one line. */
    public long line() {
        return line;
    }

    /** The 1-based column, or 0 when the problem is not about one column. */
    public int column() {
        return column;
    }

    /** The header name of {@link #column()}, or null. */
    public String columnName() {
        return columnName;
    }

    /** The problem alone, without the location. */
    public String problem() {
        return problem;
    }
}
