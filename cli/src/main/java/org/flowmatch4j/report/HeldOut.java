package org.flowmatch4j.report;

import org.flowmatch4j.data.ToyDatasets;
import org.flowmatch4j.tensor.Rng;

/**
 * Held-out reference points for a model trained on a built-in data set: a fresh draw from the same generator
 * with a seed derived from the training seed, so it is independent of the training draw (which the CLI seeds
 * with {@code seed ^ 0x5EED}) and the same every time the report is made.
 */
public final class HeldOut {
    private static final long SALT = 0x48454C444F5554L; // "HELDOUT"

    private HeldOut() {
    }

    /** {@code n} held-out points of built-in set {@code name} for a model trained with {@code seed}. */
    public static ModelReport.Reference builtIn(String name, int n, long seed) {
        if (!ToyDatasets.names().contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a built-in data set (" + String.join(", ", ToyDatasets.names()) + ")");
        }
        return new ModelReport.Reference(ToyDatasets.generate(name, n, new Rng(seed ^ SALT)),
                n + " held-out points of the built-in '" + name + "' set");
    }
}
