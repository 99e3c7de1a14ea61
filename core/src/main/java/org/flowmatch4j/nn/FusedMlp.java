package org.flowmatch4j.nn;

import java.util.List;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.KernelBackend;
import org.flowmatch4j.kernels.Kernels;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;

/**
 * Tape-free forward and backward passes of an {@link Mlp} for a fixed batch size, on preallocated
 * float32 buffers: the training hot path. Each layer runs one fused GEMM + bias + activation forward
 * ({@code z = h·Wᵀ + b}, {@code h' = act(z)}) and, backward, {@code dz = g ⊙ act'(z)},
 * {@code dW = dzᵀ·h}, {@code db = Σ_rows dz}, {@code g_prev = dz·W}. Gradients are written (not added)
 * into each parameter's {@link Var#grad()}; nothing is allocated after construction.
 *
 * <p>It computes exactly what the autodiff graph of {@link Mlp#forward} computes, which the tests check.
 */
public final class FusedMlp {
    private final Mlp mlp;
    private final int batch;
    private final int layers;
    private final int[] widths;
    private final float[][] w;
    private final float[][] b;
    private final float[][] dw;
    private final float[][] db;
    private final float[][] z;  // pre-activations of hidden layers
    private final float[][] h;  // h[0] = input, h[i] = act(z[i-1]), h[layers] = output
    private final float[][] g;  // gradient buffers w.r.t. h[i]
    private final KernelBackend k;

    /** Buffers for {@code batch} rows; the MLP must be float32. */
    public FusedMlp(Mlp mlp, int batch) {
        if (mlp.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("FusedMlp: needs a float32 Mlp, got " + mlp.dtype().label());
        }
        if (batch <= 0) {
            throw new IllegalArgumentException("FusedMlp: batch must be positive, got " + batch);
        }
        this.mlp = mlp;
        this.batch = batch;
        this.k = Kernels.get();
        List<Linear> ls = mlp.layers();
        this.layers = ls.size();
        widths = new int[layers + 1];
        w = new float[layers][];
        b = new float[layers][];
        dw = new float[layers][];
        db = new float[layers][];
        z = new float[layers][];
        h = new float[layers + 1][];
        g = new float[layers + 1][];
        widths[0] = ls.get(0).inFeatures();
        h[0] = new float[batch * widths[0]];
        for (int i = 0; i < layers; i++) {
            Linear l = ls.get(i);
            widths[i + 1] = l.outFeatures();
            w[i] = l.weight().value().floatData();
            b[i] = l.bias().value().floatData();
            dw[i] = gradBuffer(l.weight());
            db[i] = gradBuffer(l.bias());
            z[i] = new float[batch * widths[i + 1]];
            h[i + 1] = new float[batch * widths[i + 1]];
            g[i + 1] = new float[batch * widths[i + 1]];
        }
        g[0] = null; // the gradient with respect to the input is not needed for training
    }

    private static float[] gradBuffer(Var p) {
        if (p.grad() == null || p.grad().dtype() != DType.FLOAT32) {
            p.setGrad(Tensor.zeros(DType.FLOAT32, p.shape()));
        }
        return p.grad().floatData();
    }

    /** The input buffer {@code [batch, in]} to fill before {@link #forward()}. */
    public float[] input() {
        return h[0];
    }

    /** The output buffer {@code [batch, out]} written by {@link #forward()}. */
    public float[] output() {
        return h[layers];
    }

    /** The gradient buffer {@code [batch, out]} read by {@link #backward()}. */
    public float[] outputGrad() {
        return g[layers];
    }

    /** Batch size the buffers were made for. */
    public int batch() {
        return batch;
    }

    /** Runs the network on {@link #input()} into {@link #output()}. */
    public float[] forward() {
        Activation act = mlp.activation();
        for (int i = 0; i < layers; i++) {
            boolean last = i == layers - 1;
            k.sgemmBiasAct(false, true, batch, widths[i + 1], widths[i], h[i], 0, widths[i], w[i], 0, widths[i],
                    b[i], last ? Activation.IDENTITY : act, last ? null : z[i], h[i + 1], widths[i + 1]);
        }
        return h[layers];
    }

    /**
     * Writes {@link #outputGrad()} = ∂L/∂output for {@code L = mean((output − target)²)} over all
     * {@code batch·out} elements and returns L (accumulated in double).
     */
    public double mseLossAndGrad(float[] target) {
        float[] out = h[layers];
        float[] go = g[layers];
        int n = batch * widths[layers];
        double s = 0;
        float scale = 2.0f / n;
        for (int i = 0; i < n; i++) {
            float d = out[i] - target[i];
            s += (double) d * d;
            go[i] = scale * d;
        }
        return s / n;
    }

    /** Backpropagates {@link #outputGrad()} and writes every parameter's gradient. */
    public void backward() {
        Activation act = mlp.activation();
        for (int i = layers - 1; i >= 0; i--) {
            int out = widths[i + 1];
            int in = widths[i];
            float[] dz = g[i + 1];
            if (i < layers - 1) {
                k.activationBackward(act, z[i], dz, dz, batch * out);
            }
            k.sgemm(true, false, out, in, batch, dz, 0, out, h[i], 0, in, false, dw[i], 0, in);
            k.columnSums(dz, batch, out, db[i], false);
            if (i > 0) {
                k.sgemm(false, false, batch, in, out, dz, 0, out, w[i], 0, in, false, g[i], 0, in);
            }
        }
    }
}
