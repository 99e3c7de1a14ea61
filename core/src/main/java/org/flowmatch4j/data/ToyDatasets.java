package org.flowmatch4j.data;

import java.util.List;

import org.flowmatch4j.tensor.Rng;

/** Entry point to the built-in 2-D toy distributions by name; see {@link ToyDataset} for each formula. */
public final class ToyDatasets {
    private ToyDatasets() {
    }

    /**
     * {@code n} samples of the toy distribution {@code name} ({@code 8gaussians, moons, circles,
     * checkerboard, spirals, swissroll, pinwheel, cat}) drawn from {@code rng}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or n < 0
     */
    public static Dataset generate(String name, int n, Rng rng) {
        return ToyDataset.byId(name).generate(n, rng);
    }

    /** The known names. */
    public static List<String> names() {
        return ToyDataset.ids();
    }
}
