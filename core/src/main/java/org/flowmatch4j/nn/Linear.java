package org.flowmatch4j.nn;

import org.flowmatch4j.autodiff.Var;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Rng;
import org.flowmatch4j.tensor.Shapes;
import org.flowmatch4j.tensor.Tensor;

/**
 * Affine layer {@code y = x·Wᵀ + b} with weight {@code [out, in]} and bias {@code [out]}.
 *
 * <p>Initialised like PyTorch's {@code nn.Linear}: {@code W, b ~ U(−1/√in, 1/√in)} (Kaiming-uniform with
 * a = √5 reduces to this bound for the weight).
 */
public final class Linear extends Module {
    private final int in;
    private final int out;
    private final Var weight;
    private final Var bias;

    /** A float32 layer with bias. */
    public Linear(int in, int out, Rng rng) {
        this(in, out, true, DType.FLOAT32, rng);
    }

    /** A layer of the given type, with or without bias. */
    public Linear(int in, int out, boolean withBias, DType dtype, Rng rng) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + in + " out=" + out);
        }
        this.in = in;
        this.out = out;
        double bound = 1.0 / Math.sqrt(in);
        this.weight = registerParameter("weight", rng.uniform(dtype, -bound, bound, out, in));
        this.bias = withBias ? registerParameter("bias", rng.uniform(dtype, -bound, bound, out)) : null;
    }

    /** Applies the layer to {@code x} of shape {@code [..., in]}. */
    public Var forward(Var x) {
        int[] s = x.shape();
        if (s.length < 1 || s[s.length - 1] != in) {
            throw new IllegalArgumentException("Linear(" + in + "->" + out + "): input shape " + Shapes.str(s)
                    + " does not end in " + in + " (weight shape [" + out + ", " + in + "])");
        }
        Var x2 = s.length == 2 ? x : x.reshape(-1, in);
        Var y = x2.matmul(weight, false, true);
        if (bias != null) {
            y = y.add(bias);
        }
        if (s.length != 2) {
            int[] os = s.clone();
            os[os.length - 1] = out;
            y = y.reshape(os);
        }
        return y;
    }

    /** Input features. */
    public int inFeatures() {
        return in;
    }

    /** Output features. */
    public int outFeatures() {
        return out;
    }

    /** The weight parameter {@code [out, in]}. */
    public Var weight() {
        return weight;
    }

    /** The bias parameter {@code [out]}, or null. */
    public Var bias() {
        return bias;
    }
}
