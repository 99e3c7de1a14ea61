package org.flowmatch4j.nf;

import java.util.List;
import java.util.function.IntConsumer;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.KernelBackend;
import org.flowmatch4j.kernels.Kernels;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.nn.Linear;
import org.flowmatch4j.nn.LinearArrays;
import org.flowmatch4j.tensor.DType;

/**
 * Tape-free maximum-likelihood training pass of a float32 {@link RealNvp} for a fixed batch size: the
 * loss {@code L = −(1/B)·Σ_r log p(x_r)} and its gradient with respect to every parameter, written into
 * the parameters' {@link Var#grad()}. It computes what the autodiff graph of {@link RealNvp#nll} computes
 * (the tests check this), with the backward pass written out:
 * <pre>
 *   z = G⁻¹(x),  ∂L/∂z = z / B,  each log-determinant term contributes −1/B;
 *   coupling  y_b = h_b·e^s + t:  ∂h_b = ∂y_b·e^s,  ∂s = ∂y_b·h_b·e^s − 1/B,  ∂ŝ = ∂s·(1 − tanh²(ŝ/c)),
 *             ∂t = ∂y_b,  ∂h_a = ∂y_a + (∂ŝ, ∂t)·∂net/∂h_a;
 *   ActNorm   y = h·e^λ + β:  ∂h = ∂y·e^λ,  ∂λ_j = Σ_r ∂y_rj·h_rj·e^λj − rows/B,  ∂β_j = Σ_r ∂y_rj.
 * </pre>
 * The batch is split into one contiguous row block per thread ({@link Parallel#threads()} at construction);
 * each block runs the whole flow forward and backward with single-threaded kernels on its own buffers (one
 * synchronisation per step), and the blocks' partial gradients are summed in block order, so a fixed thread
 * count gives the same bits every run. Nothing is allocated per step.
 */
final class FusedRealNvp {
    private final RealNvp flow;
    private final int batch;
    private final int dim;
    private final KernelBackend k;
    private final Layer[] layers;
    private final Block[] blocks;
    private final IntConsumer stepTask;
    private float[] x;

    /** One flow step's parameters and their gradient buffers. */
    private abstract static class Layer {
    }

    private static final class NormLayer extends Layer {
        final float[] logScale;
        final float[] bias;
        final float[] gLogScale;
        final float[] gBias;

        NormLayer(ActNorm a) {
            logScale = a.logScale().value().floatData();
            bias = a.bias().value().floatData();
            gLogScale = a.logScale().float32GradBuffer();
            gBias = a.bias().float32GradBuffer();
        }
    }

    private static final class CouplingLayer extends Layer {
        final int[] a;
        final int[] b;
        final float clamp;
        final Activation act;
        final int depth;       // Linear layers in the conditioner
        final int[] widths;    // widths[0] = |a|, widths[depth] = 2|b|
        final float[][] w;
        final float[][] bias;
        final float[][] gw;
        final float[][] gb;

        CouplingLayer(AffineCoupling c) {
            a = c.conditioningIndices();
            b = c.transformedIndices();
            clamp = (float) c.clamp();
            act = c.net().activation();
            List<Linear> ls = c.conditionerLayers();
            LinearArrays arrays = LinearArrays.of(ls);
            depth = arrays.depth();
            widths = arrays.widths();
            w = arrays.weights();
            bias = arrays.biases();
            gw = new float[depth][];
            gb = new float[depth][];
            for (int i = 0; i < depth; i++) {
                gw[i] = ls.get(i).weight().float32GradBuffer();
                gb[i] = ls.get(i).bias().float32GradBuffer();
            }
        }
    }

    /** One thread's rows {@code [r0, r0 + rows)} and every buffer its forward and backward passes need. */
    private final class Block {
        final int r0;
        final int rows;
        final float[] h;            // running state [rows, d]; z after the forward pass, then ∂L/∂state
        final float[][] inputs;     // input of each layer [rows, d]
        final float[][] condIn;     // per coupling: h_a [rows, |a|]
        final float[][][] act;      // per coupling, per conditioner layer i ≥ 1: activations [rows, w_i]
        final float[][][] deriv;    // per coupling, per hidden layer: act'(pre-activation)
        final float[][] out;        // per coupling: (ŝ, t) [rows, 2|b|]
        final float[][] th;         // per coupling: tanh(ŝ/c) [rows, |b|]
        final float[][] es;         // per coupling: e^s [rows, |b|]
        final float[][] gAct;       // scratch per conditioner width: gradient w.r.t. activations
        final float[] gOut;         // scratch: gradient w.r.t. (ŝ, t)
        final float[] gCond;        // scratch: gradient w.r.t. h_a
        final double[] logDet;      // per row
        final float[] expScale;     // scratch: e^λ of an ActNorm
        final float[][][] pgw;      // partial weight gradients (the parameters' own buffers for block 0)
        final float[][][] pgb;
        final float[][] pgLogScale;
        final float[][] pgBias;
        double loss;

        Block(int r0, int r1, boolean ownsGrad) {
            this.r0 = r0;
            this.rows = r1 - r0;
            int n = layers.length;
            h = new float[rows * dim];
            inputs = new float[n][rows * dim];
            condIn = new float[n][];
            act = new float[n][][];
            deriv = new float[n][][];
            out = new float[n][];
            th = new float[n][];
            es = new float[n][];
            pgw = new float[n][][];
            pgb = new float[n][][];
            pgLogScale = new float[n][];
            pgBias = new float[n][];
            logDet = new double[rows];
            expScale = new float[dim];
            int maxWidth = 1;
            int maxOut = 1;
            int maxCond = 1;
            for (int l = 0; l < n; l++) {
                if (layers[l] instanceof CouplingLayer c) {
                    condIn[l] = new float[rows * c.a.length];
                    act[l] = new float[c.depth][];
                    deriv[l] = new float[c.depth][];
                    for (int i = 1; i < c.depth; i++) {
                        act[l][i] = new float[rows * c.widths[i]];
                        deriv[l][i - 1] = new float[rows * c.widths[i]];
                        maxWidth = Math.max(maxWidth, c.widths[i]);
                    }
                    out[l] = new float[rows * 2 * c.b.length];
                    th[l] = new float[rows * c.b.length];
                    es[l] = new float[rows * c.b.length];
                    maxOut = Math.max(maxOut, 2 * c.b.length);
                    maxCond = Math.max(maxCond, c.a.length);
                    pgw[l] = new float[c.depth][];
                    pgb[l] = new float[c.depth][];
                    for (int i = 0; i < c.depth; i++) {
                        pgw[l][i] = ownsGrad ? c.gw[i] : new float[c.gw[i].length];
                        pgb[l][i] = ownsGrad ? c.gb[i] : new float[c.gb[i].length];
                    }
                } else {
                    NormLayer a = (NormLayer) layers[l];
                    pgLogScale[l] = ownsGrad ? a.gLogScale : new float[dim];
                    pgBias[l] = ownsGrad ? a.gBias : new float[dim];
                }
            }
            gAct = new float[][] {new float[rows * maxWidth], new float[rows * maxWidth]};
            gOut = new float[rows * maxOut];
            gCond = new float[rows * maxCond];
        }

        void step() {
            System.arraycopy(x, r0 * dim, h, 0, rows * dim);
            java.util.Arrays.fill(logDet, 0);
            for (int l = 0; l < layers.length; l++) {
                System.arraycopy(h, 0, inputs[l], 0, rows * dim);
                if (layers[l] instanceof CouplingLayer c) {
                    forwardCoupling(l, c);
                } else {
                    forwardNorm((NormLayer) layers[l]);
                }
            }
            // loss and ∂L/∂z = z/B (in place)
            double s = 0;
            float invB = 1.0f / batch;
            for (int r = 0; r < rows; r++) {
                double sq = 0;
                for (int j = 0; j < dim; j++) {
                    float v = h[r * dim + j];
                    sq += (double) v * v;
                    h[r * dim + j] = v * invB;
                }
                s += 0.5 * sq + dim * RealNvp.HALF_LOG_2PI - logDet[r];
            }
            loss = s;
            for (int l = layers.length - 1; l >= 0; l--) {
                if (layers[l] instanceof CouplingLayer c) {
                    backwardCoupling(l, c);
                } else {
                    backwardNorm(l, (NormLayer) layers[l]);
                }
            }
        }

        void forwardNorm(NormLayer a) {
            double ld = 0;
            for (int j = 0; j < dim; j++) {
                ld += a.logScale[j];
                expScale[j] = (float) Math.exp(a.logScale[j]);
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < dim; j++) {
                    h[r * dim + j] = h[r * dim + j] * expScale[j] + a.bias[j];
                }
                logDet[r] += ld;
            }
        }

        void backwardNorm(int l, NormLayer a) {
            float[] in = inputs[l];
            float[] gl = pgLogScale[l];
            float[] gb = pgBias[l];
            for (int j = 0; j < dim; j++) {
                float e = (float) Math.exp(a.logScale[j]);
                double sl = 0;
                double sb = 0;
                for (int r = 0; r < rows; r++) {
                    float g = h[r * dim + j];
                    sl += (double) g * in[r * dim + j] * e;
                    sb += g;
                    h[r * dim + j] = g * e;
                }
                gl[j] = (float) (sl - (double) rows / batch);
                gb[j] = (float) sb;
            }
        }

        void forwardCoupling(int l, CouplingLayer c) {
            int ka = c.a.length;
            int kb = c.b.length;
            float[] ci = condIn[l];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < ka; i++) {
                    ci[r * ka + i] = h[r * dim + c.a[i]];
                }
            }
            float[] o = out[l];
            float[] prev = ci;
            for (int i = 0; i < c.depth - 1; i++) {
                int wi = c.widths[i + 1];
                k.sgemmBiasActDerivative(false, true, rows, wi, c.widths[i], prev, 0, c.widths[i], c.w[i], 0, c.widths[i], c.bias[i],
                        c.act, deriv[l][i], act[l][i + 1], wi);
                prev = act[l][i + 1];
            }
            int last = c.depth - 1;
            int wo = 2 * kb;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(c.bias[last], 0, o, r * wo, wo);
            }
            k.sgemm(false, true, rows, wo, c.widths[last], prev, 0, c.widths[last], c.w[last], 0, c.widths[last], true, o, 0, wo);
            float[] t = th[l];
            float[] e = es[l];
            float cl = c.clamp;
            for (int r = 0; r < rows; r++) {
                double ld = 0;
                for (int i = 0; i < kb; i++) {
                    float tv = (float) Math.tanh(o[r * wo + i] / cl);
                    float sv = cl * tv;
                    float ev = (float) Math.exp(sv);
                    t[r * kb + i] = tv;
                    e[r * kb + i] = ev;
                    int col = r * dim + c.b[i];
                    h[col] = h[col] * ev + o[r * wo + kb + i];
                    ld += sv;
                }
                logDet[r] += ld;
            }
        }

        void backwardCoupling(int l, CouplingLayer c) {
            int ka = c.a.length;
            int kb = c.b.length;
            int wo = 2 * kb;
            float[] in = inputs[l];
            float[] t = th[l];
            float[] e = es[l];
            float invB = 1.0f / batch;
            float[] go = gOut;
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < kb; i++) {
                    int col = r * dim + c.b[i];
                    float gy = h[col];
                    float ev = e[r * kb + i];
                    float tv = t[r * kb + i];
                    float gs = gy * in[col] * ev - invB;
                    go[r * wo + i] = gs * (1 - tv * tv);
                    go[r * wo + kb + i] = gy;
                    h[col] = gy * ev;
                }
            }
            // conditioner backward: dz = g ⊙ act'(z); dW = dzᵀ·in; db = Σ dz; g_in = dz·W
            float[] dz = go;
            for (int i = c.depth - 1; i >= 0; i--) {
                int wOut = c.widths[i + 1];
                int wIn = c.widths[i];
                float[] layerIn = i == 0 ? condIn[l] : act[l][i];
                if (i < c.depth - 1) {
                    k.multiplyInPlace(dz, 0, deriv[l][i], 0, rows * wOut);
                }
                k.sgemm(true, false, wOut, wIn, rows, dz, 0, wOut, layerIn, 0, wIn, false, pgw[l][i], 0, wIn);
                k.columnSums(dz, rows, wOut, pgb[l][i], false);
                float[] gPrev = i == 0 ? gCond : gAct[i % 2];
                k.sgemm(false, false, rows, wIn, wOut, dz, 0, wOut, c.w[i], 0, wIn, false, gPrev, 0, wIn);
                dz = gPrev;
            }
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < ka; i++) {
                    h[r * dim + c.a[i]] += gCond[r * ka + i];
                }
            }
        }
    }

    /** Buffers for {@code batch} rows of a float32 flow, split over the current {@link Parallel#threads()}. */
    FusedRealNvp(RealNvp flow, int batch) {
        if (flow.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("FusedRealNvp: needs a float32 flow, got " + flow.dtype().label());
        }
        if (batch < 1) {
            throw new IllegalArgumentException("FusedRealNvp: batch must be positive, got " + batch);
        }
        this.flow = flow;
        this.batch = batch;
        this.dim = flow.dim();
        this.k = Kernels.get();
        List<FlowStep> steps = flow.steps();
        layers = new Layer[steps.size()];
        for (int l = 0; l < layers.length; l++) {
            FlowStep s = steps.get(l);
            layers[l] = s instanceof AffineCoupling c ? new CouplingLayer(c) : new NormLayer((ActNorm) s);
        }
        // blocks of at least 16 rows: below that a second thread costs more than it saves
        int parts = Math.max(1, Math.min(Parallel.threads(), batch / 16));
        blocks = new Block[parts];
        for (int p = 0; p < parts; p++) {
            blocks[p] = new Block((int) ((long) batch * p / parts), (int) ((long) batch * (p + 1) / parts), p == 0);
        }
        stepTask = p -> blocks[p].step();
    }

    /** The flow this pass trains. */
    RealNvp flow() {
        return flow;
    }

    /**
     * Loss {@code −(1/B)·Σ log p(x_r)} of the batch {@code x} ({@code [batch, d]}, standardised units) and its
     * gradient written into every parameter's gradient buffer.
     */
    double lossAndGradient(float[] xs) {
        if (xs.length < batch * dim) {
            throw new IllegalArgumentException("FusedRealNvp: batch buffer has " + xs.length + " values, needs " + batch * dim);
        }
        this.x = xs;
        Parallel.forEachChunk(blocks.length, stepTask);
        this.x = null;
        double s = 0;
        for (Block b : blocks) {
            s += b.loss;
        }
        reduce();
        return s / batch;
    }

    /** Adds blocks 1.. partial gradients into block 0's (the parameters' own buffers), in block order. */
    private void reduce() {
        Block first = blocks[0];
        for (int p = 1; p < blocks.length; p++) {
            Block bl = blocks[p];
            for (int l = 0; l < layers.length; l++) {
                if (layers[l] instanceof CouplingLayer c) {
                    for (int i = 0; i < c.depth; i++) {
                        k.axpy(c.gw[i].length, 1f, bl.pgw[l][i], 0, first.pgw[l][i], 0);
                        k.axpy(c.gb[i].length, 1f, bl.pgb[l][i], 0, first.pgb[l][i], 0);
                    }
                } else {
                    k.axpy(dim, 1f, bl.pgLogScale[l], 0, first.pgLogScale[l], 0);
                    k.axpy(dim, 1f, bl.pgBias[l], 0, first.pgBias[l], 0);
                }
            }
        }
    }
}
