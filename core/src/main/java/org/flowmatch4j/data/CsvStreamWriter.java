package org.flowmatch4j.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a numeric CSV file of any size in chunks of rows, atomically: rows go to a hidden temporary file
 * in the target's directory ({@code .<name>.<random>.tmp}); {@link #commit()} flushes it to disk and
 * renames it over the target with {@code ATOMIC_MOVE}, so readers see either the old file or the whole new
 * one, never a prefix. Nothing appears under the target name before {@code commit()}.
 *
 * <p>{@link #close()} without {@code commit()} — e.g. when an exception leaves a try-with-resources
 * block — discards the temporary file: partial output is never published. Any failure inside the writer
 * (an I/O error, a non-finite value) also discards it, and the writer is then unusable.
 *
 * <p>Format: a header of the column names (quoted per RFC 4180 when they contain a comma, quote or line
 * break), then one row per sample, values as {@code Float.toString}, which {@link CsvReader} parses back to
 * the same float32 bits; lines end with LF.
 */
public final class CsvStreamWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final Writer out;
    private final List<String> names;
    private final StringBuilder line = new StringBuilder(256);
    private long rows;
    private boolean open = true;

    private CsvStreamWriter(Path target, Path temp, FileChannel channel, List<String> names) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8), 1 << 16);
        this.names = names;
    }

    /** Starts writing {@code target} with the given column names (distinct, non-blank). */
    public static CsvStreamWriter open(Path target, List<String> columnNames) throws IOException {
        if (target == null) {
            throw new IllegalArgumentException("CsvStreamWriter: target path is null");
        }
        if (columnNames == null || columnNames.isEmpty()) {
            throw new IllegalArgumentException("CsvStreamWriter: need at least one column name for " + target + ", got " + columnNames);
        }
        // Dataset's checks on names: distinct and non-blank
        List<String> names = Dataset.of(new float[0], 0, columnNames.size(), null, columnNames).columnNames();
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new IllegalArgumentException("CsvStreamWriter: " + target + " is a directory");
        }
        Path temp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            CsvStreamWriter w = new CsvStreamWriter(abs, temp, ch, names);
            w.writeHeader();
            return w;
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    private void writeHeader() throws IOException {
        line.setLength(0);
        for (int j = 0; j < names.size(); j++) {
            if (j > 0) {
                line.append(',');
            }
            appendName(line, names.get(j));
        }
        line.append('\n');
        out.append(line);
    }

    private static void appendName(StringBuilder sb, String name) {
        if (name.indexOf(',') < 0 && name.indexOf('"') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0
                && name.strip().equals(name)) {
            sb.append(name);
            return;
        }
        sb.append('"').append(name.replace("\"", "\"\"")).append('"');
    }

    /** The number of columns. */
    public int dim() {
        return names.size();
    }

    /** The rows appended so far. */
    public long rowsWritten() {
        return rows;
    }

    /** The final path the file gets on {@link #commit()}. */
    public Path target() {
        return target;
    }

    /** The temporary file rows are written to until {@link #commit()}. */
    public Path tempFile() {
        return temp;
    }

    /**
     * Appends {@code count} rows stored row-major in {@code data[off, off + count·dim)}. Every value must be
     * finite; otherwise the whole output is discarded and an {@link IllegalArgumentException} names the row
     * and column.
     */
    public void appendRows(float[] data, int off, int count) throws IOException {
        ensureOpen();
        int d = names.size();
        if (data == null || off < 0 || count < 0 || off + (long) count * d > data.length) {
            abort();
            throw new IllegalArgumentException("CsvStreamWriter: " + count + " rows of " + d + " from offset " + off
                    + " do not fit an array of " + (data == null ? "null" : data.length) + "; output " + target + " discarded");
        }
        try {
            for (int i = 0; i < count; i++) {
                line.setLength(0);
                int base = off + i * d;
                for (int j = 0; j < d; j++) {
                    float v = data[base + j];
                    if (!Float.isFinite(v)) {
                        throw new IllegalArgumentException("CsvStreamWriter: non-finite value " + v + " at row " + rows
                                + ", column " + (j + 1) + " (\"" + names.get(j) + "\"); output " + target + " discarded");
                    }
                    if (j > 0) {
                        line.append(',');
                    }
                    line.append(v);
                }
                line.append('\n');
                out.append(line);
                rows++;
            }
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    /** Appends one row of {@link #dim()} values. */
    public void appendRow(float... values) throws IOException {
        ensureOpen();
        if (values == null || values.length != names.size()) {
            abort();
            throw new IllegalArgumentException("CsvStreamWriter: row of " + (values == null ? "null" : values.length + " values")
                    + " for " + names.size() + " columns " + names + "; output " + target + " discarded");
        }
        appendRows(values, 0, 1);
    }

    /**
     * Publishes the file: flushes and syncs the temporary file, then renames it over the target
     * atomically. On failure the temporary file is deleted and any previous target is left as it was.
     */
    public void commit() throws IOException {
        ensureOpen();
        try {
            out.flush();
            channel.force(true);
            out.close();
            moveIntoPlace(temp, target);
            open = false;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // same directory, so this only happens on file systems without atomic rename (some network
            // mounts); a plain replacing move is the best they offer
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Discards the output: closes and deletes the temporary file. Safe to call more than once. */
    public void abort() {
        if (!open) {
            return;
        }
        open = false;
        try {
            out.close();
        } catch (IOException ignored) {
            // the file is being deleted; a failed flush of it does not matter
        }
        try {
            channel.close();
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("CsvStreamWriter: could not delete temporary file " + temp, e);
        }
    }

    /** Discards the output unless {@link #commit()} succeeded. */
    @Override
    public void close() {
        abort();
    }

    private void ensureOpen() {
        if (!open) {
            throw new IllegalStateException("CsvStreamWriter for " + target + " is already committed or discarded");
        }
    }

    /** The column names. */
    public List<String> columnNames() {
        return new ArrayList<>(names);
    }
}
