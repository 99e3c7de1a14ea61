package org.flowmatch4j.kernels;

/**
 * {@link ActivationKernels} on the Vector API, through {@link VectorActivations}. Loaded reflectively by
 * {@link ActivationKernels#get()} only when the {@code jdk.incubator.vector} module is present.
 */
final class VectorActivationKernels implements ActivationKernels {
    @Override
    public void activation(Activation act, float[] z, float[] out, int n) {
        VectorActivations.apply(act, z, 0, out, 0, n, false);
    }

    @Override
    public void activationWithDerivative(Activation act, float[] z, float[] value, float[] deriv, int n) {
        if (value == deriv) {
            throw new IllegalArgumentException("activationWithDerivative: value and deriv must be distinct arrays");
        }
        // the fused loops overwrite their input with act'(z): run them on the deriv array
        if (deriv != z) {
            System.arraycopy(z, 0, deriv, 0, n);
        }
        VectorActivations.apply(act, deriv, 0, value, 0, n, true);
    }

    @Override
    public void activationSecondDerivative(Activation act, float[] z, float[] out, int n) {
        VectorActivations.secondDerivative(act, z, 0, out, 0, n);
    }
}
