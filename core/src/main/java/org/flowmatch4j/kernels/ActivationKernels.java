package org.flowmatch4j.kernels;

/**
 * Elementwise float32 activation kernels for the autodiff tape: {@code act(z)}, {@code act'(z)} (computed together
 * with {@code act(z)} from shared intermediates) and {@code act''(z)}, for the functions and formulas of
 * {@link Activation}. Two implementations follow the {@link Kernels} backend choice: the Vector-API one (same
 * polynomial approximations as the fused GEMM epilogues, relative error at float32 rounding level) and a
 * plain-Java one that rounds the double reference.
 */
public interface ActivationKernels {
    /** {@code out[i] = act(z[i])} for {@code i < n} (out may alias z). */
    void activation(Activation act, float[] z, float[] out, int n);

    /**
     * {@code value[i] = act(z[i])} and {@code deriv[i] = act'(z[i])} for {@code i < n}; value and deriv must be
     * distinct arrays, and deriv may alias z.
     */
    void activationWithDerivative(Activation act, float[] z, float[] value, float[] deriv, int n);

    /** {@code out[i] = act''(z[i])} for {@code i < n} (out may alias z). */
    void activationSecondDerivative(Activation act, float[] z, float[] out, int n);

    /** The implementation that matches {@link Kernels#get()}. */
    static ActivationKernels get() {
        return Chosen.CHOSEN;
    }

    /** The plain-Java implementation. */
    static ActivationKernels scalar() {
        return Scalar.INSTANCE;
    }

    /** The Vector-API implementation, or null when the vector backend is unavailable. */
    static ActivationKernels vector() {
        return Chosen.VECTOR;
    }

    /** Lazily resolved choice; the vector class is loaded reflectively, only when the vector backend exists. */
    final class Chosen {
        private Chosen() {
        }

        static final ActivationKernels VECTOR = Kernels.vectorVariant(ActivationKernels.class, "org.flowmatch4j.kernels.VectorActivationKernels");
        static final ActivationKernels CHOSEN = Kernels.chooseVariant(VECTOR, Scalar.INSTANCE);
    }

    /** Rounds the double reference of {@link Activation} to float. */
    final class Scalar implements ActivationKernels {
        static final Scalar INSTANCE = new Scalar();

        private Scalar() {
        }

        @Override
        public void activation(Activation act, float[] z, float[] out, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) act.apply(z[i]);
            }
        }

        @Override
        public void activationWithDerivative(Activation act, float[] z, float[] value, float[] deriv, int n) {
            for (int i = 0; i < n; i++) {
                double x = z[i];
                value[i] = (float) act.apply(x);
                deriv[i] = (float) act.derivative(x);
            }
        }

        @Override
        public void activationSecondDerivative(Activation act, float[] z, float[] out, int n) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) act.secondDerivative(z[i]);
            }
        }
    }
}
