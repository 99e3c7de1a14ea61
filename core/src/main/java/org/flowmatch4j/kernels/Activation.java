package org.flowmatch4j.kernels;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Pointwise activation functions σ(x), with first and second derivatives, evaluated in double.
 *
 * <ul>
 *   <li>{@code IDENTITY}: x</li>
 *   <li>{@code RELU}: max(0, x) (derivative 0 at x = 0, like PyTorch)</li>
 *   <li>{@code SILU}: x·s(x), s = logistic sigmoid</li>
 *   <li>{@code TANH}: tanh x</li>
 *   <li>{@code SIGMOID}: s(x) = 1/(1+e⁻ˣ)</li>
 *   <li>{@code SOFTPLUS}: log(1+eˣ), β = 1, and x itself for x &gt; 20 (PyTorch's threshold)</li>
 *   <li>{@code SELU}: scale·x for x &gt; 0, scale·α·(eˣ−1) otherwise, with PyTorch's
 *       α = 1.6732632423543772, scale = 1.0507009873554805</li>
 *   <li>{@code GELU}: exact form x·Φ(x), Φ the standard normal CDF (PyTorch's default)</li>
 * </ul>
 *
 * <p>These double versions are the reference; {@link KernelBackend} evaluates the same functions on
 * float arrays.
 */
public enum Activation {
    IDENTITY {
        @Override public double apply(double x) { return x; }
        @Override public double derivative(double x) { return 1.0; }
        @Override public double secondDerivative(double x) { return 0.0; }
    },
    RELU {
        @Override public double apply(double x) { return x > 0 ? x : 0.0; }
        @Override public double derivative(double x) { return x > 0 ? 1.0 : 0.0; }
        @Override public double secondDerivative(double x) { return 0.0; }
    },
    SILU {
        @Override public double apply(double x) { return x * sigmoid(x); }
        @Override public double derivative(double x) {
            double s = sigmoid(x);
            return s * (1.0 + x * (1.0 - s));
        }
        @Override public double secondDerivative(double x) {
            double s = sigmoid(x);
            return s * (1.0 - s) * (2.0 + x * (1.0 - 2.0 * s));
        }
    },
    TANH {
        @Override public double apply(double x) { return Math.tanh(x); }
        @Override public double derivative(double x) {
            double t = Math.tanh(x);
            return 1.0 - t * t;
        }
        @Override public double secondDerivative(double x) {
            double t = Math.tanh(x);
            return -2.0 * t * (1.0 - t * t);
        }
    },
    SIGMOID {
        @Override public double apply(double x) { return sigmoid(x); }
        @Override public double derivative(double x) {
            double s = sigmoid(x);
            return s * (1.0 - s);
        }
        @Override public double secondDerivative(double x) {
            double s = sigmoid(x);
            return s * (1.0 - s) * (1.0 - 2.0 * s);
        }
    },
    SOFTPLUS {
        @Override public double apply(double x) { return x > SOFTPLUS_THRESHOLD ? x : Math.log1p(Math.exp(x)); }
        @Override public double derivative(double x) { return x > SOFTPLUS_THRESHOLD ? 1.0 : sigmoid(x); }
        @Override public double secondDerivative(double x) {
            if (x > SOFTPLUS_THRESHOLD) return 0.0;
            double s = sigmoid(x);
            return s * (1.0 - s);
        }
    },
    SELU {
        @Override public double apply(double x) { return x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x); }
        @Override public double derivative(double x) { return x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x); }
        @Override public double secondDerivative(double x) { return x > 0 ? 0.0 : SELU_SCALE * SELU_ALPHA * Math.exp(x); }
    },
    GELU {
        @Override public double apply(double x) { return x * SpecialFunctions.normalCdf(x); }
        @Override public double derivative(double x) {
            return SpecialFunctions.normalCdf(x) + x * SpecialFunctions.normalPdf(x);
        }
        @Override public double secondDerivative(double x) {
            return SpecialFunctions.normalPdf(x) * (2.0 - x * x);
        }
    };

    /** SELU α (PyTorch). */
    public static final double SELU_ALPHA = 1.6732632423543772;
    /** SELU scale λ (PyTorch). */
    public static final double SELU_SCALE = 1.0507009873554805;
    /** Softplus returns x above this (PyTorch's default threshold for β = 1). */
    public static final double SOFTPLUS_THRESHOLD = 20.0;

    /** σ(x). */
    public abstract double apply(double x);

    /** dσ/dx at the pre-activation x. */
    public abstract double derivative(double x);

    /** d²σ/dx² at the pre-activation x (for higher-order gradients). */
    public abstract double secondDerivative(double x);

    /** Numerically stable logistic sigmoid 1/(1+e⁻ˣ). */
    public static double sigmoid(double x) {
        if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /**
     * Parses a name case-insensitively ("silu", "ReLU", ...).
     *
     * @throws IllegalArgumentException naming the valid names when {@code name} is not one of them
     */
    public static Activation parse(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            for (Activation a : values()) if (a.name().equals(n)) return a;
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; valid names: "
                + Arrays.stream(values()).map(a -> a.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
