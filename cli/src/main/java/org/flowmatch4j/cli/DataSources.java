package org.flowmatch4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.flowmatch4j.data.CsvReader;
import org.flowmatch4j.data.Dataset;
import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.tensor.Rng;

/** Resolves {@code --data NAME|FILE.csv}: a built-in generator by name, otherwise a CSV file. */
final class DataSources {
    private DataSources() {
    }

    /** Points drawn from a built-in generator when one is named. */
    static final int TOY_POINTS = 20000;

    static boolean isToy(String spec) {
        return ToyDatasets.names().contains(spec);
    }

    static Dataset load(String spec, long seed) {
        return load(spec, seed, TOY_POINTS);
    }

    /** As {@link #load(String, long)}, drawing {@code toyPoints} points when a built-in generator is named. */
    static Dataset load(String spec, long seed, int toyPoints) {
        if (isToy(spec)) {
            return ToyDatasets.generate(spec, toyPoints, new Rng(seed ^ 0x5EEDL));
        }
        Path p = Path.of(spec);
        if (!Files.exists(p) && !spec.contains(".") && !spec.contains("/")) {
            throw new IllegalArgumentException("--data " + spec + ": not a built-in data set (" + String.join(", ", ToyDatasets.names())
                    + ") and no such file");
        }
        return CsvReader.read(p);
    }
}
