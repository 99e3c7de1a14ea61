package org.flowmatch4j.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.tensor.Tensor;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as in
 * PyTorch: {@code g ← g + λp}, {@code b ← μb + g} (b = g on the first step), {@code p ← p − lr·b}
 * (or {@code p ← p − lr·(g + μb)} with Nesterov).
 */
public final class Sgd implements Optimizer {
    private final List<Var> params;
    private final List<Tensor> buf = new ArrayList<>();
    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;
    private double lr;
    private long t;

    /** Plain SGD. */
    public Sgd(List<Var> params, double lr) {
        this(params, lr, 0, 0, false);
    }

    /** SGD with momentum μ, L2 weight decay λ and optional Nesterov momentum. */
    public Sgd(List<Var> params, double lr, double momentum, double weightDecay, boolean nesterov) {
        if (!(lr >= 0) || !(momentum >= 0) || !(weightDecay >= 0) || (nesterov && momentum == 0)) {
            throw new IllegalArgumentException("Sgd: invalid hyper-parameters lr=" + lr + " momentum=" + momentum
                    + " weightDecay=" + weightDecay + " nesterov=" + nesterov);
        }
        this.params = Collections.unmodifiableList(new ArrayList<>(params));
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        for (Var p : params) {
            buf.add(Tensor.zeros(p.dtype(), p.shape()));
        }
    }

    @Override
    public void step() {
        t++;
        for (int i = 0; i < params.size(); i++) {
            Var p = params.get(i);
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            Tensor pv = p.value();
            Tensor b = buf.get(i);
            int n = pv.numel();
            for (int j = 0; j < n; j++) {
                double gj = g.getDouble(j) + weightDecay * pv.getDouble(j);
                double step = gj;
                if (momentum != 0) {
                    double bj = t == 1 ? gj : momentum * b.getDouble(j) + gj;
                    b.setDouble(j, bj);
                    step = nesterov ? gj + momentum * bj : bj;
                }
                pv.setDouble(j, pv.getDouble(j) - lr * step);
            }
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
            s.put("momentum_buffer." + i, buf.get(i));
        }
        return s;
    }
}
