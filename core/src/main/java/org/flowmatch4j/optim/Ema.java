package org.flowmatch4j.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.tensor.Tensor;

/**
 * Exponential moving average of parameters, {@code s ← δ·s + (1 − δ)·p} after each step, used for
 * sampling with smoother weights. The shadow starts equal to the parameters.
 */
public final class Ema {
    private final List<Var> params;
    private final List<Tensor> shadow = new ArrayList<>();
    private final double decay;

    /** An average with decay δ ∈ [0, 1). */
    public Ema(List<Var> params, double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("Ema: decay must be in [0, 1), got " + decay);
        }
        this.params = Collections.unmodifiableList(new ArrayList<>(params));
        this.decay = decay;
        for (Var p : params) {
            shadow.add(p.value().copy());
        }
    }

    /** Folds the current parameter values into the average. */
    public void update() {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i).value();
            Tensor s = shadow.get(i);
            int n = p.numel();
            if (p.dtype() == org.flowmatch4j.tensor.DType.FLOAT32) {
                float[] pf = p.floatData();
                float[] sf = s.floatData();
                float d = (float) decay;
                float w = (float) (1 - decay);
                for (int j = 0; j < n; j++) {
                    sf[j] = d * sf[j] + w * pf[j];
                }
            } else {
                for (int j = 0; j < n; j++) {
                    s.setDouble(j, decay * s.getDouble(j) + (1 - decay) * p.getDouble(j));
                }
            }
        }
    }

    /** The averaged tensors, in parameter order (live). */
    public List<Tensor> shadow() {
        return Collections.unmodifiableList(shadow);
    }

    /** The decay δ. */
    public double decay() {
        return decay;
    }

    /** Copies the averaged values into the parameters (e.g. before saving a model for sampling). */
    public void copyToParameters() {
        for (int i = 0; i < params.size(); i++) {
            params.get(i).value().copyFromInPlace(shadow.get(i));
        }
    }

    /** Swaps parameter values with the average (call twice to restore). */
    public void swap() {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i).value();
            Tensor tmp = p.copy();
            p.copyFromInPlace(shadow.get(i));
            shadow.get(i).copyFromInPlace(tmp);
        }
    }
}
