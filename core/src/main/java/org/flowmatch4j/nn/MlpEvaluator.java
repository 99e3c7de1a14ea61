package org.flowmatch4j.nn;

import java.util.function.IntConsumer;

import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.KernelBackend;
import org.flowmatch4j.kernels.Kernels;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.tensor.DType;

/**
 * Inference for an {@link Mlp} on any number of rows, with optional forward-mode Jacobian–vector products:
 * the path for sampling (many ODE steps over large batches) and for exact likelihoods.
 *
 * <p>Activations are kept feature-major ({@code hᵀ}, one row per feature, one column per input row), so a layer is
 * {@code zᵀ = W·hᵀ + b} with the weights packed once per call ({@link KernelBackend#packA}) and the activations
 * read in place ({@link KernelBackend#sgemmPackedA}): no per-layer copy of the large operand, and the narrow output
 * layer (2 features for a 2-D field) is vectorised along the rows instead of wasting lanes. A tangent {@code ṫ} on
 * the input is pushed through each layer alongside the primal values: {@code żᵀ = W·ḣᵀ}, {@code ḣ'ᵀ = act'(z) ⊙ żᵀ},
 * giving {@code J·ṫ} at the output; all tangents of a layer are side by side in one product. With the d unit
 * tangents on the first d inputs this yields the exact divergence {@code Σ_i ∂f_i/∂x_i} of a d-dimensional field;
 * with a random probe ε it yields the Hutchinson estimate {@code εᵀJε}.
 *
 * <p>Rows are split into at least one chunk per thread (at most {@code chunkRows}, and at most 256, rows each); chunk c runs on worker
 * {@code c % threads} with that worker's preallocated buffers. Every output element is the same chain of operations
 * whatever the chunking, so results do not depend on the thread count, and nothing is allocated per call.
 */
public final class MlpEvaluator {
    /** Fewest rows worth a chunk of their own on another thread. */
    private static final int MIN_CHUNK_ROWS = 64;
    /**
     * Most rows per chunk whatever {@code chunkRows} allows: the products read their activations in place, so a
     * chunk's feature rows are the stride of every tile's loads, and longer ones spread a tile over too many pages.
     */
    private static final int MAX_CHUNK_ROWS = 256;

    private final Mlp mlp;
    private final int chunkRows;
    private final int maxTangents;
    private final int layers;
    private final int[] widths;
    private final float[][] w;
    private final float[][] b;
    private final float[][] packed;
    private Workspace[] spaces;
    private final KernelBackend k;
    private final IntConsumer task;
    // arguments of the call in flight (read by the chunk task)
    private float[] argIn;
    private float[] argOut;
    private float[][] argTanIn;
    private float[][] argTanOut;
    private int argRows;
    private int argTangents;
    private int argChunks;

    /**
     * One worker's buffers, feature-major: {@code h[i]} holds layer i's activations ({@code widths[i]} rows of
     * {@code cols}, stride {@link #stride}), {@code d[i]} the activation derivatives, {@code t[i]} the tangents,
     * tangent j in columns {@code [j·cols, (j+1)·cols)} of each feature row.
     */
    private final class Workspace {
        final float[][] h = new float[layers + 1][];
        final float[][] d = new float[layers][];
        final float[][] t = new float[layers + 1][];

        Workspace() {
            for (int i = 0; i <= layers; i++) {
                h[i] = new float[stride(chunkRows) * widths[i]];
                t[i] = new float[stride(maxTangents * chunkRows) * widths[i]];
            }
            for (int i = 0; i < layers; i++) {
                d[i] = new float[stride(chunkRows) * widths[i + 1]];
            }
        }
    }

    /**
     * @param chunkRows   the most rows per chunk (e.g. 2048); bounds the memory of the buffers
     * @param maxTangents the most tangents one call may push (0 for plain inference)
     */
    public MlpEvaluator(Mlp mlp, int chunkRows, int maxTangents) {
        if (mlp.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("MlpEvaluator: needs a float32 Mlp, got " + mlp.dtype().label());
        }
        if (chunkRows <= 0 || maxTangents < 0) {
            throw new IllegalArgumentException("MlpEvaluator: chunkRows must be > 0 and maxTangents >= 0, got " + chunkRows + ", " + maxTangents);
        }
        this.mlp = mlp;
        this.chunkRows = Math.min(chunkRows, MAX_CHUNK_ROWS);
        this.maxTangents = maxTangents;
        this.k = Kernels.get();
        LinearArrays arrays = LinearArrays.of(mlp.layers());
        this.layers = arrays.depth();
        widths = arrays.widths();
        w = arrays.weights();
        b = arrays.biases();
        packed = new float[layers][];
        for (int i = 0; i < layers; i++) {
            packed[i] = new float[k.packedASize(widths[i + 1], widths[i])];
        }
        spaces = workspaces(Parallel.threads());
        task = this::runChunk;
    }

    /**
     * Row stride for n columns: a multiple of 16 floats plus 16, so that consecutive feature rows do not fall into the
     * same few cache sets (a stride of 256 floats maps every row of a tile onto 8 of L1's 64 sets).
     */
    static int stride(int n) {
        return (n + 15) / 16 * 16 + 16;
    }

    private Workspace[] workspaces(int threads) {
        Workspace[] ws = new Workspace[threads];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = new Workspace();
        }
        return ws;
    }

    /** Input width of the network. */
    public int inFeatures() {
        return widths[0];
    }

    /** Output width of the network. */
    public int outFeatures() {
        return widths[layers];
    }

    /** {@code out[n, outFeatures] = mlp(in[n, inFeatures])}. */
    public void forward(float[] in, int rows, float[] out) {
        forwardJvp(in, rows, out, null, null, 0);
    }

    /**
     * The outputs and, for each of {@code tangents} input tangents {@code tanIn[j]} (shape [n, inFeatures]),
     * the Jacobian–vector product {@code tanOut[j] = J·tanIn[j]} (shape [n, outFeatures]).
     */
    public void forwardJvp(float[] in, int rows, float[] out, float[][] tanIn, float[][] tanOut, int tangents) {
        if (tangents > maxTangents) {
            throw new IllegalArgumentException("forwardJvp: " + tangents + " tangents, evaluator built for " + maxTangents);
        }
        if (in.length < (long) rows * widths[0] || out.length < (long) rows * widths[layers]) {
            throw new IllegalArgumentException("forwardJvp: buffers too small for " + rows + " rows (in " + in.length
                    + " floats for width " + widths[0] + ", out " + out.length + " for width " + widths[layers] + ")");
        }
        if (rows == 0) {
            return;
        }
        if (spaces.length != Parallel.threads()) {
            spaces = workspaces(Parallel.threads()); // only when the thread count changed since the last call
        }
        // the weights may have changed since the last call (the evaluator reads the live parameters)
        for (int i = 0; i < layers; i++) {
            k.packA(false, widths[i + 1], widths[i], w[i], 0, widths[i], packed[i]);
        }
        argIn = in;
        argOut = out;
        argTanIn = tanIn;
        argTanOut = tanOut;
        argRows = rows;
        argTangents = tangents;
        int byMemory = (rows + chunkRows - 1) / chunkRows;
        int byThreads = Math.min(spaces.length, Math.max(1, rows / MIN_CHUNK_ROWS));
        argChunks = Math.max(byMemory, byThreads);
        try {
            Parallel.forEachChunk(argChunks, task);
        } finally {
            argIn = null;
            argOut = null;
            argTanIn = null;
            argTanOut = null;
        }
    }

    private void runChunk(int c) {
        Workspace ws = spaces[c % spaces.length];
        int r0 = (int) ((long) argRows * c / argChunks);
        int cols = (int) ((long) argRows * (c + 1) / argChunks) - r0;
        int ld = stride(cols);
        int tangents = argTangents;
        int tc = tangents * cols;
        int tld = stride(tc);
        int in0 = widths[0];
        for (int r = 0; r < cols; r++) {
            int src = (r0 + r) * in0;
            for (int f = 0; f < in0; f++) {
                ws.h[0][f * ld + r] = argIn[src + f];
            }
        }
        for (int j = 0; j < tangents; j++) {
            float[] tj = argTanIn[j];
            for (int r = 0; r < cols; r++) {
                int src = (r0 + r) * in0;
                for (int f = 0; f < in0; f++) {
                    ws.t[0][f * tld + j * cols + r] = tj[src + f];
                }
            }
        }
        Activation act = mlp.activation();
        for (int i = 0; i < layers; i++) {
            int a = widths[i];
            int o = widths[i + 1];
            boolean last = i == layers - 1;
            if (last) {
                k.sgemmPackedA(o, cols, a, packed[i], ws.h[i], 0, ld, false, b[i], ws.h[i + 1], 0, ld, null, null, 0, 0, false);
            } else if (tangents == 0) {
                k.sgemmPackedA(o, cols, a, packed[i], ws.h[i], 0, ld, false, b[i], ws.h[i + 1], 0, ld, act, ws.h[i + 1], 0, ld, false);
            } else {
                k.sgemmPackedA(o, cols, a, packed[i], ws.h[i], 0, ld, false, b[i], ws.d[i], 0, ld, act, ws.h[i + 1], 0, ld, true);
            }
            if (tangents > 0) {
                k.sgemmPackedA(o, tc, a, packed[i], ws.t[i], 0, tld, false, null, ws.t[i + 1], 0, tld, null, null, 0, 0, false);
                if (!last) {
                    for (int f = 0; f < o; f++) {
                        for (int j = 0; j < tangents; j++) {
                            k.multiplyInPlace(ws.t[i + 1], f * tld + j * cols, ws.d[i], f * ld, cols);
                        }
                    }
                }
            }
        }
        int out0 = widths[layers];
        float[] hl = ws.h[layers];
        for (int r = 0; r < cols; r++) {
            int dst = (r0 + r) * out0;
            for (int f = 0; f < out0; f++) {
                argOut[dst + f] = hl[f * ld + r];
            }
        }
        float[] tl = ws.t[layers];
        for (int j = 0; j < tangents; j++) {
            float[] tj = argTanOut[j];
            for (int r = 0; r < cols; r++) {
                int dst = (r0 + r) * out0;
                for (int f = 0; f < out0; f++) {
                    tj[dst + f] = tl[f * tld + j * cols + r];
                }
            }
        }
    }
}
