package org.flowmatch4j.fm;

import org.flowmatch4j.autodiff.GradMode;
import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.likelihood.VelocityField;
import org.flowmatch4j.nn.MlpEvaluator;
import org.flowmatch4j.nn.TimeMlp;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;

/**
 * A {@link TimeMlp} as a {@link VelocityField}: rows {@code [x, emb(t)]} are evaluated by an
 * {@link MlpEvaluator} in chunks across threads; tangents are zero on the time features, so the JVPs are
 * the Jacobian with respect to x only. Input buffers are reused while the row count does not grow.
 */
public final class MlpVelocityField implements VelocityField {
    private final TimeMlp net;
    private final MlpEvaluator evaluator;
    private final int d;
    private final int e;
    private final int maxTangents;
    private float[] rowsBuf = new float[0];
    private float[][] tanBuf = new float[0][];
    private double embeddedT = Double.NaN;
    private final float[] emb;

    /**
     * @param maxTangents the most JVP tangents per call (d for exact divergences, K for Hutchinson)
     */
    public MlpVelocityField(TimeMlp net, int chunkRows, int maxTangents) {
        this.net = net;
        this.d = net.dim();
        this.e = net.embedding().dim();
        this.maxTangents = maxTangents;
        this.evaluator = new MlpEvaluator(net.mlp(), chunkRows, maxTangents);
        this.emb = new float[e];
    }

    @Override
    public int dim() {
        return d;
    }

    @Override
    public int maxTangents() {
        return maxTangents;
    }

    @Override
    public void velocity(double t, float[] x, int rows, float[] out) {
        velocityJvp(t, x, rows, out, null, null, 0);
    }

    @Override
    public void velocityJvp(double t, float[] x, int rows, float[] out, float[][] tanIn, float[][] tanOut, int count) {
        int w = d + e;
        if (rowsBuf.length < rows * w) {
            rowsBuf = new float[rows * w];
            tanBuf = new float[maxTangents][rows * w];
        }
        embed(t);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * d, rowsBuf, r * w, d);
            System.arraycopy(emb, 0, rowsBuf, r * w + d, e);
        }
        for (int j = 0; j < count; j++) {
            float[] tb = tanBuf[j];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(tanIn[j], r * d, tb, r * w, d);
                java.util.Arrays.fill(tb, r * w + d, r * w + w, 0f);
            }
        }
        evaluator.forwardJvp(rowsBuf, rows, out, tanBuf, tanOut, count);
    }

    /** The time features of t, computed once per distinct t (solvers evaluate many rows at one time). */
    private void embed(double t) {
        if (t == embeddedT) {
            return;
        }
        try (GradMode.Scope s = GradMode.disabled()) {
            Tensor tt = Tensor.of(new float[] {(float) t}, 1);
            Tensor f = net.embedding().embed(Var.constant(tt)).value();
            for (int i = 0; i < e; i++) {
                emb[i] = (float) f.to(DType.FLOAT32).getDouble(i);
            }
        }
        embeddedT = t;
    }
}
