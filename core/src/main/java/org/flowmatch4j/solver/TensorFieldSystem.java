package org.flowmatch4j.solver;

import java.util.Arrays;
import java.util.Objects;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Tensor;

/**
 * Adapts a batched tensor field {@code v(t, x)} — time of shape {@code [batch]}, state and output of shape
 * {@code [batch, dim]} — to an {@link OdeSystem} on the flattened float64 state {@code [batch·dim]}, row-major.
 *
 * <p>This is the bridge between a network, which runs in float32, and the solvers, which keep the state in
 * float64: each evaluation fills the time tensor with {@code t}, rounds the state into a reused input tensor of
 * the given dtype, evaluates the field and widens its output into {@code dydt}. The input tensors are allocated
 * once and reused on every call, so a field must not keep references to them; the field's own output is the only
 * allocation per evaluation. Not thread-safe (one instance per concurrent solve).
 */
public final class TensorFieldSystem implements OdeSystem {
    /** A batched field {@code v(t, x)}; run it without recording an autodiff graph when sampling. */
    @FunctionalInterface
    public interface TensorField {
        /**
         * @param t time, shape {@code [batch]}, every entry equal
         * @param x state, shape {@code [batch, dim]}
         * @return the velocity, shape {@code [batch, dim]}
         */
        Tensor evaluate(Tensor t, Tensor x);
    }

    private final TensorField field;
    private final int batch;
    private final int dim;
    private final DType dtype;
    private final Tensor time;
    private final Tensor state;
    private int evaluations;

    /**
     * @param field the field
     * @param batch number of samples (rows)
     * @param dim   data dimension (columns)
     * @param dtype the dtype the field expects its inputs in
     */
    public TensorFieldSystem(TensorField field, int batch, int dim, DType dtype) {
        this.field = Objects.requireNonNull(field, "field");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        if (batch < 1 || dim < 1 || (long) batch * dim > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("TensorFieldSystem: need batch >= 1 and dim >= 1 with batch·dim within"
                    + " int range, got batch=" + batch + " dim=" + dim);
        }
        this.batch = batch;
        this.dim = dim;
        this.time = Tensor.zeros(dtype, batch);
        this.state = Tensor.zeros(dtype, batch, dim);
    }

    @Override
    public int dimension() {
        return batch * dim;
    }

    /** Number of samples. */
    public int batch() {
        return batch;
    }

    /** Data dimension. */
    public int dim() {
        return dim;
    }

    /** Field evaluations so far through this adapter. */
    public int evaluations() {
        return evaluations;
    }

    @Override
    public void derivative(double t, double[] y, double[] dydt) {
        int n = batch * dim;
        if (dtype == DType.FLOAT32) {
            Arrays.fill(time.floatData(), (float) t);
            float[] x = state.floatData();
            for (int i = 0; i < n; i++) {
                x[i] = (float) y[i];
            }
        } else {
            Arrays.fill(time.doubleData(), t);
            System.arraycopy(y, 0, state.doubleData(), 0, n);
        }
        Tensor v = field.evaluate(time, state);
        evaluations++;
        int[] shape = v.shape();
        if (shape.length != 2 || shape[0] != batch || shape[1] != dim) {
            throw new IllegalArgumentException("TensorFieldSystem: the field returned shape " + Arrays.toString(shape)
                    + ", expected [" + batch + ", " + dim + "]");
        }
        if (v.dtype() == DType.FLOAT32) {
            float[] out = v.floatData();
            for (int i = 0; i < n; i++) {
                dydt[i] = out[i];
            }
        } else {
            System.arraycopy(v.doubleData(), 0, dydt, 0, n);
        }
    }

    /** The flattened float64 state of a {@code [batch, dim]} tensor (a copy, widened from float32 if needed). */
    public static double[] flatten(Tensor x) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException("flatten: expected a [batch, dim] tensor, got shape "
                    + Arrays.toString(x.shape()));
        }
        if (x.dtype() == DType.FLOAT64) {
            return x.doubleData().clone();
        }
        float[] f = x.floatData();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** A {@code [batch, dim]} tensor of the given dtype holding a flattened state (rounded to float32 if asked). */
    public static Tensor unflatten(double[] y, int batch, int dim, DType dtype) {
        if (y.length != batch * dim) {
            throw new IllegalArgumentException("unflatten: " + y.length + " values do not fill [" + batch + ", " + dim
                    + "]");
        }
        if (dtype == DType.FLOAT64) {
            return Tensor.of(y.clone(), batch, dim);
        }
        float[] f = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            f[i] = (float) y[i];
        }
        return Tensor.of(f, batch, dim);
    }
}
