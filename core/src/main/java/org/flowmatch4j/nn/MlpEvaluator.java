package org.flowmatch4j.nn;

import java.util.List;
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
 * <p>Rows are processed in chunks of {@code chunkRows}; chunk c runs on worker {@code c % threads} with
 * that worker's preallocated buffers, so results do not depend on timing and nothing is allocated per call.
 * A tangent {@code ṫ} on the input is pushed through each layer alongside the primal values:
 * {@code ż = ḣ·Wᵀ}, {@code ḣ' = act'(z) ⊙ ż}, giving {@code J·ṫ} at the output. With the d unit tangents
 * on the first d inputs this yields the exact divergence {@code Σ_i ∂f_i/∂x_i} of a d-dimensional field;
 * with a random probe ε it yields the Hutchinson estimate {@code εᵀJε}.
 */
public final class MlpEvaluator {
    private final Mlp mlp;
    private final int chunkRows;
    private final int maxTangents;
    private final int layers;
    private final int[] widths;
    private final float[][] w;
    private final float[][] b;
    private final Workspace[] spaces;
    private final KernelBackend k;
    private final IntConsumer task;
    // arguments of the call in flight (read by the chunk task)
    private float[] argIn;
    private float[] argOut;
    private float[][] argTanIn;
    private float[][] argTanOut;
    private int argRows;
    private int argTangents;

    /**
     * One worker's buffers: activations, activation derivatives and tangents per layer. The tangents of a layer
     * are stacked ({@code t[i]} holds tangent j's {@code rows × width} block at {@code j·rows·width}), so one GEMM
     * pushes all of them through a layer's weights.
     */
    private final class Workspace {
        final float[][] h = new float[layers + 1][];
        final float[][] d = new float[layers][];
        final float[][] t = new float[layers + 1][];

        Workspace() {
            for (int i = 0; i <= layers; i++) {
                h[i] = new float[chunkRows * widths[i]];
                t[i] = new float[maxTangents * chunkRows * widths[i]];
            }
            for (int i = 0; i < layers; i++) {
                d[i] = new float[chunkRows * widths[i + 1]];
            }
        }
    }

    /**
     * @param chunkRows   rows per chunk (e.g. 1024); bounds the memory of the buffers
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
        this.chunkRows = chunkRows;
        this.maxTangents = maxTangents;
        this.k = Kernels.get();
        List<Linear> ls = mlp.layers();
        this.layers = ls.size();
        widths = new int[layers + 1];
        w = new float[layers][];
        b = new float[layers][];
        widths[0] = ls.get(0).inFeatures();
        for (int i = 0; i < layers; i++) {
            widths[i + 1] = ls.get(i).outFeatures();
            w[i] = ls.get(i).weight().value().floatData();
            b[i] = ls.get(i).bias().value().floatData();
        }
        spaces = new Workspace[Parallel.threads()];
        for (int i = 0; i < spaces.length; i++) {
            spaces[i] = new Workspace();
        }
        task = this::runChunk;
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
        argIn = in;
        argOut = out;
        argTanIn = tanIn;
        argTanOut = tanOut;
        argRows = rows;
        argTangents = tangents;
        try {
            int chunks = (rows + chunkRows - 1) / chunkRows;
            if (spaces.length != Parallel.threads() && chunks > 1) {
                throw new IllegalStateException("MlpEvaluator was built for " + spaces.length + " threads, now " + Parallel.threads());
            }
            Parallel.forEachChunk(chunks, task);
        } finally {
            argIn = null;
            argOut = null;
            argTanIn = null;
            argTanOut = null;
        }
    }

    private void runChunk(int c) {
        Workspace ws = spaces[c % spaces.length];
        int r0 = c * chunkRows;
        int rows = Math.min(chunkRows, argRows - r0);
        int tangents = argTangents;
        int in0 = widths[0];
        System.arraycopy(argIn, r0 * in0, ws.h[0], 0, rows * in0);
        for (int j = 0; j < tangents; j++) {
            System.arraycopy(argTanIn[j], r0 * in0, ws.t[0], j * rows * in0, rows * in0);
        }
        Activation act = mlp.activation();
        for (int i = 0; i < layers; i++) {
            int a = widths[i];
            int o = widths[i + 1];
            boolean last = i == layers - 1;
            if (last) {
                k.sgemmBiasAct(false, true, rows, o, a, ws.h[i], 0, a, w[i], 0, a, b[i], Activation.IDENTITY, null, ws.h[i + 1], o);
            } else if (tangents == 0) {
                k.sgemmBiasAct(false, true, rows, o, a, ws.h[i], 0, a, w[i], 0, a, b[i], act, null, ws.h[i + 1], o);
            } else {
                k.sgemmBiasActDerivative(false, true, rows, o, a, ws.h[i], 0, a, w[i], 0, a, b[i], act, ws.d[i], ws.h[i + 1], o);
            }
            if (tangents > 0) {
                // all tangents in one GEMM: tangent j is rows [j·rows, (j+1)·rows) of the stacked block
                k.sgemm(false, true, tangents * rows, o, a, ws.t[i], 0, a, w[i], 0, a, false, ws.t[i + 1], 0, o);
                if (!last) {
                    for (int j = 0; j < tangents; j++) {
                        k.multiplyInPlace(ws.t[i + 1], j * rows * o, ws.d[i], 0, rows * o);
                    }
                }
            }
        }
        int out0 = widths[layers];
        System.arraycopy(ws.h[layers], 0, argOut, r0 * out0, rows * out0);
        for (int j = 0; j < tangents; j++) {
            System.arraycopy(ws.t[layers], j * rows * out0, argTanOut[j], r0 * out0, rows * out0);
        }
    }
}
