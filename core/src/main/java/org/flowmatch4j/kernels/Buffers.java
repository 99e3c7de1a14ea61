package org.flowmatch4j.kernels;

/** Per-thread scratch arrays for packing; they only grow, so steady-state calls allocate nothing. */
final class Buffers {
    private static final ThreadLocal<Buffers> LOCAL = ThreadLocal.withInitial(Buffers::new);

    private final float[][] floats = new float[5][];
    private float[] scratch = new float[0];
    private float[] sink = new float[0];
    private double[] doubles = new double[0];

    static Buffers get() {
        return LOCAL.get();
    }

    /** Float scratch array number {@code slot} (0..4) with at least {@code size} elements. */
    float[] floats(int slot, int size) {
        float[] f = floats[slot];
        if (f == null || f.length < size) {
            f = new float[Math.max(size, f == null ? 0 : f.length + (f.length >> 1))];
            floats[slot] = f;
        }
        return f;
    }

    /** Scratch for activation backward (separate from the GEMM packing slots). */
    float[] floatsScratch(int size) {
        if (scratch.length < size) scratch = new float[size];
        return scratch;
    }

    /** A second activation scratch (outputs that are discarded). */
    float[] floatsSink(int size) {
        if (sink.length < size) sink = new float[size];
        return sink;
    }

    double[] doubles(int size) {
        if (doubles.length < size) doubles = new double[Math.max(size, doubles.length + (doubles.length >> 1))];
        return doubles;
    }
}
