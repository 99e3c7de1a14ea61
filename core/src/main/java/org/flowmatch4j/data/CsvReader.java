package org.flowmatch4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a numeric CSV file into a {@link Dataset}: a header row of column names, then one sample per row,
 * every field a finite decimal number (parsed to the nearest float32, e.g. {@code 1}, {@code -0.5},
 * {@code 3.2e-4}), any number of columns, fields separated by commas.
 *
 * <p>Accepted: UTF-8 with or without a byte-order mark; LF, CRLF (or CR) line ends; spaces around fields;
 * RFC 4180 double quotes around a field ({@code "1.5"}, or a header name containing a comma, with
 * {@code ""} for a quote); blank lines at the end. Not supported, and rejected with a message saying so:
 * comment lines, blank lines between rows, quoted fields spanning lines, a header made only of numbers
 * (a missing header would silently drop the first sample).
 *
 * <p>Every error is a {@link DataFormatException} naming the file, the line and the column (number and
 * header name): an empty field, a non-number, NaN or ±Inf, a value beyond float32, a row with the wrong
 * number of fields (expected and found), a missing or unreadable file, an empty file, a header without
 * rows, and fewer than {@code minRows} rows (default {@value #DEFAULT_MIN_ROWS}: one sample is too few to
 * train or evaluate on).
 */
public final class CsvReader {
    /** The default minimum number of data rows. */
    public static final int DEFAULT_MIN_ROWS = 2;

    private final String file;
    private final List<String> fields = new ArrayList<>();
    private long lineNo;

    private CsvReader(String file) {
        this.file = file;
    }

    /** Reads {@code path}, requiring at least {@value #DEFAULT_MIN_ROWS} data rows. */
    public static Dataset read(Path path) {
        return read(path, DEFAULT_MIN_ROWS);
    }

    /** Reads {@code path}, requiring at least {@code minRows} (≥ 1) data rows. */
    public static Dataset read(Path path, int minRows) {
        if (path == null) {
            throw new IllegalArgumentException("CsvReader: path is null");
        }
        if (minRows < 1) {
            throw new IllegalArgumentException("CsvReader: minRows must be >= 1, got " + minRows);
        }
        return new CsvReader(path.toString()).parse(path, minRows);
    }

    private Dataset parse(Path path, int minRows) {
        if (Files.isDirectory(path)) {
            throw new DataFormatException(file, "is a directory, not a CSV file", null);
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8), 1 << 16)) {
            return parse(in, minRows);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "file not found", e);
        } catch (AccessDeniedException e) {
            throw new DataFormatException(file, "cannot read the file: permission denied", e);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read the file: " + e, e);
        }
    }

    private Dataset parse(BufferedReader in, int minRows) throws IOException {
        String line = in.readLine();
        lineNo = 1;
        while (line != null && line.isBlank()) {
            line = in.readLine();
            lineNo++;
        }
        if (line == null) {
            throw new DataFormatException(file, "the file is empty; expected a header row of column names, then one sample per row", null);
        }
        if (line.startsWith("\uFEFF")) {
            line = line.substring(1);
        }
        String[] header = parseHeader(line);
        int d = header.length;

        float[] data = new float[Math.max(d * 1024, 16)];
        int rows = 0;
        long firstBlank = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                if (firstBlank == 0) {
                    firstBlank = lineNo;
                }
                continue;
            }
            if (firstBlank != 0) {
                throw new DataFormatException(file, firstBlank, 0, null,
                        "blank line between data rows (only trailing blank lines are allowed)", null);
            }
            if (line.stripLeading().startsWith("#")) {
                throw new DataFormatException(file, lineNo, 1, header[0], "comment lines are not supported", null);
            }
            long need = (long) (rows + 1) * d;
            if (need > data.length) {
                if (need > Integer.MAX_VALUE - 16) {
                    throw new DataFormatException(file, lineNo, 0, null, "too many values for one float array (" + need + ")", null);
                }
                data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 16L, Math.max(need, 2L * data.length)));
            }
            parseRow(line, header, data, rows * d);
            rows++;
        }
        if (rows == 0) {
            throw new DataFormatException(file, "has a header (" + String.join(",", header) + ") but no data rows", null);
        }
        if (rows < minRows) {
            throw new DataFormatException(file, "has " + rows + " data row" + (rows == 1 ? "" : "s") + "; at least " + minRows
                    + " are needed to train or evaluate", null);
        }
        // every value was checked finite while parsing
        return Dataset.adopt(rows * d == data.length ? data : Arrays.copyOf(data, rows * d), rows, d, null, Arrays.asList(header));
    }

    private String[] parseHeader(String line) {
        split(line, null);
        String[] names = fields.toArray(new String[0]);
        Map<String, Integer> seen = new HashMap<>();
        boolean allNumbers = true;
        for (int j = 0; j < names.length; j++) {
            String s = names[j].strip();
            names[j] = s;
            if (s.isEmpty()) {
                throw new DataFormatException(file, lineNo, j + 1, null, "empty column name in the header", null);
            }
            Integer prev = seen.put(s, j + 1);
            if (prev != null) {
                throw new DataFormatException(file, lineNo, j + 1, s, "duplicate column name (also column " + prev + ")", null);
            }
            allNumbers &= isPlainNumber(s);
        }
        if (names[0].startsWith("#")) {
            throw new DataFormatException(file, lineNo, 0, null, "comment lines are not supported; the first line must be the header", null);
        }
        if (allNumbers) {
            throw new DataFormatException(file, lineNo, 0, null, "the first line holds only numbers (" + line.strip()
                    + "); the file needs a header row of column names, e.g. " + String.join(",", Dataset.defaultColumnNames(names.length)), null);
        }
        return names;
    }

    private static boolean isPlainNumber(String s) {
        if (!hasOnlyNumberChars(s)) {
            return false;
        }
        try {
            Float.parseFloat(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void parseRow(String line, String[] header, float[] out, int off) {
        int found = split(line, header);
        if (found != header.length) {
            int col = Math.min(found, header.length) + 1;
            String what = found < header.length ? "missing" : "extra";
            throw new DataFormatException(file, lineNo, col, col <= header.length ? header[col - 1] : null,
                    "expected " + header.length + " fields as in the header, found " + found + " (column " + col + " " + what + ")", null);
        }
        for (int j = 0; j < found; j++) {
            out[off + j] = parseValue(fields.get(j), j, header);
        }
    }

    private float parseValue(String raw, int j, String[] header) {
        String s = raw.strip();
        if (s.isEmpty()) {
            throw error(j, header, "missing value (empty field)");
        }
        if (!hasOnlyNumberChars(s)) {
            String lower = s.toLowerCase(Locale.ROOT);
            String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
            if (unsigned.equals("nan") || unsigned.equals("inf") || unsigned.equals("infinity")) {
                throw error(j, header, "value " + s + " is not allowed: NaN and ±Inf are not data");
            }
            if (j == 0 && s.startsWith("#")) {
                throw error(j, header, "not a number: \"" + s + "\" (comment lines are not supported)");
            }
            throw error(j, header, "not a number: \"" + s + "\"");
        }
        float v;
        try {
            v = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw error(j, header, "not a number: \"" + s + "\"");
        }
        if (Float.isInfinite(v)) {
            throw error(j, header, "value " + s + " is beyond the float32 range (±" + Float.MAX_VALUE + ")");
        }
        return v;
    }

    /** Digits, signs, a point and exponent marks only: rejects Java's extras ("1f", "0x1p3", "Infinity"). */
    private static boolean hasOnlyNumberChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return true;
    }

    private DataFormatException error(int j, String[] header, String problem) {
        return new DataFormatException(file, lineNo, j + 1, header[j], problem, null);
    }

    /**
     * Splits {@code line} into {@link #fields} (quotes removed) and returns the count; {@code header} names
     * the columns in error messages (null while reading the header itself).
     */
    private int split(String line, String[] header) {
        fields.clear();
        int n = line.length();
        int i = 0;
        while (true) {
            int start = i;
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= n) {
                        int col = fields.size() + 1;
                        throw new DataFormatException(file, lineNo, col, header != null && col <= header.length ? header[col - 1] : null,
                                "unterminated quoted field (quoted fields cannot span lines)", null);
                    }
                    char c = line.charAt(j);
                    if (c == '"') {
                        if (j + 1 < n && line.charAt(j + 1) == '"') {
                            sb.append('"');
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    sb.append(c);
                    j++;
                }
                i = j + 1;
                while (i < n && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) != ',') {
                    int col = fields.size() + 1;
                    throw new DataFormatException(file, lineNo, col, header != null && col <= header.length ? header[col - 1] : null,
                            "unexpected text after a closing quote", null);
                }
                fields.add(sb.toString());
            } else {
                int comma = line.indexOf(',', start);
                int end = comma < 0 ? n : comma;
                fields.add(line.substring(start, end));
                i = end;
            }
            if (i >= n) {
                return fields.size();
            }
            i++; // past the comma
        }
    }
}
