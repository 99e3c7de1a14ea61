package org.flowmatch4j.nn;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.KernelBackend;
import org.flowmatch4j.kernels.Parallel;

/**
 * The {@link FusedMlp} pass with row-major activations ({@code [batch × width]}): every product packs its operands
 * into panels (the general {@link KernelBackend#sgemm} path). Chosen for wide layers (see {@link FusedMlp}).
 *
 * <p>Tape-free forward and backward passes of an {@link Mlp} for a fixed batch size, on preallocated
 * float32 buffers. Each layer runs one fused GEMM + bias + activation forward
 * ({@code z = h·Wᵀ + b}, {@code h' = act(z)}, keeping {@code act'(z)}) and, backward, {@code dz = g ⊙ act'(z)},
 * {@code dW = dzᵀ·h}, {@code db = Σ_rows dz}, {@code g_prev = dz·W}.
 *
 * <p>The batch is split into one contiguous row block per thread ({@link Parallel#threads()} at
 * construction); each block runs the whole network on its own buffers with single-threaded kernels, so a
 * step synchronises once instead of once per GEMM. The per-block weight gradients are then summed in
 * block order, so results are identical run to run for a fixed thread count. Gradients are written (not
 * added) into each parameter's {@link Var#grad()}; nothing is allocated after construction.
 *
 * <p>It computes what the autodiff graph of {@link Mlp#forward} computes, which the tests check.
 */
final class RowMajorPass extends BlockedPass {

    /** One thread's rows {@code [r0, r1)} and its activation, gradient and partial weight-gradient buffers. */
    private final class Block extends PassBlock {
        final float[][] d;   // act'(z) of hidden layers, written by the forward pass
        final float[][] h;   // hidden activations, h[i] for i in 1..layers-1
        final float[][] g;   // gradients with respect to h[i]

        Block(int r0, int r1) {
            super(r0, r1);
            d = new float[layers][];
            h = new float[layers][];
            g = new float[layers][];
            for (int i = 0; i < layers; i++) {
                int out = widths[i + 1];
                if (i < layers - 1) {
                    d[i] = new float[rows * out];
                    h[i + 1] = new float[rows * out];
                    g[i + 1] = new float[rows * out];
                }
            }
        }

        float[] in(int layer) {
            return layer == 0 ? input : h[layer];
        }

        int inOff(int layer) {
            return layer == 0 ? r0 * widths[0] : 0;
        }

        @Override
        void forward() {
            Activation act = mlp.activation();
            for (int i = 0; i < layers - 1; i++) {
                k.sgemmBiasActDerivative(false, true, rows, widths[i + 1], widths[i], in(i), inOff(i), widths[i], w[i], 0,
                        widths[i], b[i], act, d[i], h[i + 1], widths[i + 1]);
            }
            int last = layers - 1;
            int out = widths[layers];
            // the output layer writes straight into the shared output at this block's rows
            float[] bias = b[last];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(bias, 0, output, (r0 + r) * out, out);
            }
            k.sgemm(false, true, rows, out, widths[last], in(last), inOff(last), widths[last], w[last], 0, widths[last],
                    true, output, r0 * out, out);
        }

        @Override
        double mse() {
            int out = widths[layers];
            int off = r0 * out;
            int n = rows * out;
            float scale = 2.0f / (batch * out);
            double s = 0;
            for (int i = off; i < off + n; i++) {
                float d = output[i] - target[i];
                s += (double) d * d;
                outputGrad[i] = scale * d;
            }
            return s;
        }

        @Override
        void backward(boolean fromOutputGrad) {
            // reads outputGrad, whether the mse or the caller wrote it
            for (int i = layers - 1; i >= 0; i--) {
                int out = widths[i + 1];
                int in = widths[i];
                float[] dz;
                int dzOff;
                if (i == layers - 1) {
                    dz = outputGrad;
                    dzOff = r0 * out;
                } else {
                    dz = g[i + 1];
                    dzOff = 0;
                    k.multiplyInPlace(dz, 0, d[i], 0, rows * out);
                }
                k.sgemm(true, false, out, in, rows, dz, dzOff, out, in(i), inOff(i), in, false, pdw[i], 0, in);
                columnSums(dz, dzOff, rows, out, pdb[i]);
                if (i > 0) {
                    k.sgemm(false, false, rows, in, out, dz, dzOff, out, w[i], 0, in, false, g[i], 0, in);
                }
                layerDone(i);
            }
        }
    }

    /** Buffers for {@code batch} rows, split over the current {@link Parallel#threads()}; the MLP must be float32. */
    RowMajorPass(Mlp mlp, int batch) {
        super(mlp, batch);
        initBlocks(Block::new);
    }

    /** out[j] = Σ_r x[off + r·cols + j]. */
    private void columnSums(float[] x, int off, int rows, int cols, float[] out) {
        if (off == 0) {
            k.columnSums(x, rows, cols, out, false);
            return;
        }
        // only the (narrow) output layer's gradient lives at an offset
        for (int j = 0; j < cols; j++) {
            float s = 0;
            for (int r = 0; r < rows; r++) {
                s += x[off + r * cols + j];
            }
            out[j] = s;
        }
    }
}
