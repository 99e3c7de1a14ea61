package org.flowmatch4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;

/**
 * Writes samples to a CSV file atomically (through {@link CsvStreamWriter}): a header of column names
 * ({@code x0, x1, …} unless given), then one row per sample with values as {@code Float.toString}, the
 * shortest decimal that {@link CsvReader} parses back to the same float32. On any failure no file appears
 * under the target name, an existing file there is left untouched, and the temporary file is deleted.
 * Labels are not written (the file holds the sample columns only).
 */
public final class CsvWriter {
    private CsvWriter() {
    }

    /** Writes the dataset's samples under its column names. */
    public static void write(Path file, Dataset data) throws IOException {
        write(file, data.toArray(), data.size(), data.dim(), data.columnNames());
    }

    /** Writes a rank-2 tensor {@code [n, d]} (float64 is rounded to float32) with columns {@code x0, x1, …}. */
    public static void write(Path file, Tensor samples) throws IOException {
        if (samples == null || samples.rank() != 2) {
            throw new IllegalArgumentException("CsvWriter: need a rank-2 tensor [n, d] for " + file + ", got shape "
                    + (samples == null ? "null" : Arrays.toString(samples.shape())));
        }
        float[] f = samples.dtype() == DType.FLOAT32 ? samples.floatData() : samples.to(DType.FLOAT32).floatData();
        write(file, f, samples.size(0), samples.size(1), null);
    }

    /**
     * Writes {@code rows × cols} values stored row-major in {@code data}, under {@code columnNames} (or
     * {@code x0, x1, …} when null).
     */
    public static void write(Path file, float[] data, int rows, int cols, List<String> columnNames) throws IOException {
        if (cols < 1 || rows < 0) {
            throw new IllegalArgumentException("CsvWriter: need rows >= 0 and cols >= 1 for " + file + ", got rows=" + rows + ", cols=" + cols);
        }
        if (data == null || (long) rows * cols != data.length) {
            throw new IllegalArgumentException("CsvWriter: " + (data == null ? "null" : data.length + " values")
                    + " do not fill [" + rows + ", " + cols + "] for " + file);
        }
        try (CsvStreamWriter w = CsvStreamWriter.open(file, columnNames == null ? Dataset.defaultColumnNames(cols) : columnNames)) {
            if (w.dim() != cols) {
                throw new IllegalArgumentException("CsvWriter: " + w.dim() + " column names " + columnNames + " for " + cols + " columns");
            }
            w.appendRows(data, 0, rows);
            w.commit();
        }
    }
}
