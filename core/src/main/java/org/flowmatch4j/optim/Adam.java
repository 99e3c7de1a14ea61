package org.flowmatch4j.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import org.flowmatch4j.autodiff.ElementwiseUpdate;
import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.kernels.Kernels;
import org.flowmatch4j.kernels.Parallel;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;

/**
 * Adam (Kingma &amp; Ba) and, with a decoupled weight decay, AdamW (Loshchilov &amp; Hutter):
 * {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²},
 * {@code p ← p − lr·( m/(1−β1ᵗ) / (√(v/(1−β2ᵗ)) + ε) + λ·p )}, as in PyTorch's {@code Adam}/{@code AdamW}.
 * Float32 parameters are updated by the vectorised kernel; no allocation per step. The update of each element depends
 * only on that element, so a step can also be taken slice by slice ({@link ElementwiseUpdate}: {@link #beginStep}, then
 * {@link #updateSlice} over every element), with the same bits as {@link #step()}.
 */
public final class Adam implements Optimizer, ElementwiseUpdate {
    private final List<Var> params;
    private final List<Tensor> m = new ArrayList<>();
    private final List<Tensor> v = new ArrayList<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private double lr;
    private long t;
    private final long floatElements;
    private final IntConsumer floatTask;
    private double bc1;
    private double bc2;
    private float curBc1;
    private float curBc2;
    private int curChunks;
    /** Below this many float32 elements one thread updates everything (a fork costs more). */
    private static final long PARALLEL_MIN = Long.getLong("flowmatch.adam.parallelMin", 1L << 15);

    /** Adam with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8. */
    public Adam(List<Var> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.0);
    }

    /**
     * @param weightDecay decoupled weight decay λ (0 gives Adam, &gt; 0 AdamW)
     */
    public Adam(List<Var> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        if (!(lr >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam: invalid hyper-parameters lr=" + lr + " betas=(" + beta1 + ", " + beta2
                    + ") eps=" + eps + " weightDecay=" + weightDecay);
        }
        this.params = Collections.unmodifiableList(new ArrayList<>(params));
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        long floats = 0;
        for (Var p : params) {
            m.add(Tensor.zeros(p.dtype(), p.shape()));
            v.add(Tensor.zeros(p.dtype(), p.shape()));
            if (p.dtype() == DType.FLOAT32) {
                floats += p.value().numel();
            }
        }
        this.floatElements = floats;
        this.floatTask = c -> updateFloatSlice(c, curChunks);
    }

    /** AdamW with the given decoupled weight decay and PyTorch's default betas and ε. */
    public static Adam adamW(List<Var> params, double lr, double weightDecay) {
        return new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay);
    }

    @Override
    public void step() {
        beginStep();
        // the update is elementwise, so splitting it over threads gives the same bits for any split
        curChunks = floatElements >= PARALLEL_MIN ? Parallel.threads() : 1;
        Parallel.forEachChunk(curChunks, floatTask);
        for (int i = 0; i < params.size(); i++) {
            Var p = params.get(i);
            if (p.grad() != null && p.value().dtype() != DType.FLOAT32) {
                updateDoubles(i, 0, p.value().numel());
            }
        }
    }

    @Override
    public void beginStep() {
        t++;
        bc1 = 1 - Math.pow(beta1, t);
        bc2 = 1 - Math.pow(beta2, t);
        // The float kernel decays the moments with the float-rounded betas (0.999f is 0.99900001287, so its
        // 1 − β2 is 1.3e-5 off): its bias corrections must use the same betas, or v̂ is biased early on.
        curBc1 = (float) (1 - Math.pow((float) beta1, t));
        curBc2 = (float) (1 - Math.pow((float) beta2, t));
    }

    /** Updates elements [from, to) of parameter {@code param}; a parameter without a gradient is left as it is. */
    @Override
    public void updateSlice(int param, int from, int to) {
        if (param < 0 || param >= params.size()) {
            throw new IllegalArgumentException("Adam.updateSlice: parameter " + param + " of " + params.size());
        }
        Var p = params.get(param);
        int n = p.value().numel();
        if (from < 0 || to < from || to > n) {
            throw new IllegalArgumentException("Adam.updateSlice: range [" + from + ", " + to + ") of parameter " + param
                    + " with " + n + " elements");
        }
        if (p.grad() == null) {
            return;
        }
        if (p.value().dtype() == DType.FLOAT32) {
            updateFloats(param, from, to);
        } else {
            updateDoubles(param, from, to);
        }
    }

    /** Chunk {@code c} of {@code chunks} updates the c-th slice of every float32 parameter. */
    private void updateFloatSlice(int c, int chunks) {
        for (int i = 0; i < params.size(); i++) {
            Var p = params.get(i);
            if (p.grad() == null || p.value().dtype() != DType.FLOAT32) {
                continue;
            }
            int n = p.value().numel();
            updateFloats(i, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
        }
    }

    private void updateFloats(int i, int from, int to) {
        Var p = params.get(i);
        Kernels.get().adamUpdate(p.value().floatData(), p.grad().floatData(), m.get(i).floatData(), v.get(i).floatData(),
                from, to - from, (float) lr, (float) beta1, (float) beta2, curBc1, curBc2, (float) eps, (float) weightDecay);
    }

    private void updateDoubles(int i, int from, int to) {
        double[] pd = params.get(i).value().doubleData();
        double[] gd = params.get(i).grad().doubleData();
        double[] md = m.get(i).doubleData();
        double[] vd = v.get(i).doubleData();
        for (int j = from; j < to; j++) {
            md[j] = beta1 * md[j] + (1 - beta1) * gd[j];
            vd[j] = beta2 * vd[j] + (1 - beta2) * gd[j] * gd[j];
            pd[j] -= lr * ((md[j] / bc1) / (Math.sqrt(vd[j] / bc2) + eps) + weightDecay * pd[j]);
        }
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        this.lr = lr;
    }

    @Override
    public List<Var> parameters() {
        return params;
    }

    @Override
    public long steps() {
        return t;
    }

    @Override
    public void setSteps(long steps) {
        this.t = steps;
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            s.put("exp_avg." + i, m.get(i));
            s.put("exp_avg_sq." + i, v.get(i));
        }
        return s;
    }
}
