package org.flowmatch4j.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The tape's float32 activation kernels (scalar and Vector-API) against the double reference of {@link Activation}. */
class ActivationKernelsTest {
    static List<ActivationKernels> implementations() {
        List<ActivationKernels> l = new ArrayList<>();
        l.add(ActivationKernels.scalar());
        if (ActivationKernels.vector() != null) {
            l.add(ActivationKernels.vector());
        }
        return l;
    }

    /** Values in [-8, 8] plus the points where the formulas switch branch (0, the softplus threshold, far tails). */
    static float[] inputs(int n) {
        Random r = new Random(5);
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) (r.nextGaussian() * 4);
        }
        float[] special = {0f, -0f, 20f, 20.5f, 19.5f, 25f, -30f, -90f, 90f, 1e-6f, -1e-6f};
        System.arraycopy(special, 0, z, 0, special.length);
        return z;
    }

    static void assertNear(String what, float actual, double expected) {
        assertThat((double) actual).as(what).isCloseTo(expected, within(3e-6 * Math.abs(expected) + 2e-6));
    }

    @Test
    void valueFirstAndSecondDerivativeMatchTheDoubleReference() {
        int n = 1037; // not a multiple of any vector length: the tails run too
        float[] z = inputs(n);
        for (ActivationKernels k : implementations()) {
            for (Activation act : Activation.values()) {
                float[] value = new float[n];
                float[] value2 = new float[n];
                float[] deriv = new float[n];
                float[] second = new float[n];
                k.activation(act, z, value, n);
                k.activationWithDerivative(act, z, value2, deriv, n);
                k.activationSecondDerivative(act, z, second, n);
                // the value is the same whether or not the derivative is computed alongside it
                assertThat(value2).as("%s %s value with and without derivative", k.getClass().getSimpleName(), act).containsExactly(value);
                for (int i = 0; i < n; i++) {
                    String at = k.getClass().getSimpleName() + " " + act + " at " + z[i];
                    assertNear(at, value[i], act.apply(z[i]));
                    assertNear("d " + at, deriv[i], act.derivative(z[i]));
                    assertNear("dd " + at, second[i], act.secondDerivative(z[i]));
                }
            }
        }
    }

    @Test
    void derivativeMayOverwriteItsInput() {
        int n = 99;
        float[] z = inputs(n);
        for (ActivationKernels k : implementations()) {
            for (Activation act : Activation.values()) {
                float[] value = new float[n];
                float[] deriv = new float[n];
                k.activationWithDerivative(act, z, value, deriv, n);
                float[] inPlace = z.clone();
                float[] value2 = new float[n];
                k.activationWithDerivative(act, inPlace, value2, inPlace, n);
                assertThat(inPlace).as("%s in place", act).containsExactly(deriv);
                assertThat(value2).containsExactly(value);
                float[] second = new float[n];
                k.activationSecondDerivative(act, z, second, n);
                float[] second2 = z.clone();
                k.activationSecondDerivative(act, second2, second2, n);
                assertThat(second2).as("%s'' in place", act).containsExactly(second);
            }
        }
    }

    @Test
    void vectorAndBackendActivationAgreeBitForBit() {
        // the tape's activation and the fused GEMM epilogue of the same backend give the same floats
        int n = 515;
        float[] z = inputs(n);
        KernelBackend backend = Kernels.get();
        for (Activation act : Activation.values()) {
            float[] a = new float[n];
            float[] b = new float[n];
            ActivationKernels.get().activation(act, z, a, n);
            backend.activationForward(act, z, b, n);
            assertThat(a).as("%s on %s", act, backend.name()).containsExactly(b);
        }
    }
}
