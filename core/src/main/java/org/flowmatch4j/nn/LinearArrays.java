package org.flowmatch4j.nn;

import java.util.List;

/**
 * The live float32 arrays of a stack of {@link Linear} layers, for the tape-free passes: {@code widths} (the first
 * layer's input width, then each layer's output width), each layer's weight {@code [out × in]} and bias. Views of the
 * parameters, not copies, so an optimiser's updates are seen by the next pass.
 */
public record LinearArrays(int[] widths, float[][] weights, float[][] biases) {
    /** The arrays of {@code layers} (float32 parameters, every layer with a bias). */
    public static LinearArrays of(List<Linear> layers) {
        int n = layers.size();
        int[] widths = new int[n + 1];
        float[][] w = new float[n][];
        float[][] b = new float[n][];
        widths[0] = layers.get(0).inFeatures();
        for (int i = 0; i < n; i++) {
            Linear l = layers.get(i);
            widths[i + 1] = l.outFeatures();
            w[i] = l.weight().value().floatData();
            b[i] = l.bias().value().floatData();
        }
        return new LinearArrays(widths, w, b);
    }

    /** Number of layers. */
    public int depth() {
        return weights.length;
    }
}
