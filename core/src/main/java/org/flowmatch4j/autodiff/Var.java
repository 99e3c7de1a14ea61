package org.flowmatch4j.autodiff;

import java.util.Arrays;

import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Shapes;
import org.flowmatch4j.tensor.Tensor;

/**
 * A differentiable value on a define-by-run tape: a {@link Tensor} plus, when it was computed from
 * inputs that require gradients while {@link GradMode} was enabled, the operation that produced it.
 *
 * <p>Leaves created with {@link #param} accumulate gradients in {@link #grad()} when {@link Autograd#backward}
 * runs. Every operation's backward pass is itself written with {@code Var} operations, so with
 * {@code createGraph} the gradient can be differentiated again (gradient of a Hutchinson divergence with
 * respect to parameters, Jacobian–vector products by the double-VJP trick).
 */
public final class Var {
    private final Tensor value;
    private final boolean requiresGrad;
    final Node node;
    private Tensor grad;
    private String name;
    /**
     * act(value) and act'(value) for {@link #memoAct}, computed together in one pass by the first activation
     * op on this recorded value that needs the slope, and reused by the others (a layer's output, its
     * forward-mode slope and its backward all need them). Only recorded values are memoised: their tensors
     * are never written after recording, unlike a leaf's, whose value an optimiser updates in place.
     */
    private Activation memoAct;
    private Tensor memoValue;
    private Tensor memoSlope;

    private Var(Tensor value, boolean requiresGrad, Node node) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.node = node;
    }

    /** A leaf that requires a gradient (a trainable parameter or an input to differentiate against). */
    public static Var param(Tensor value) {
        return new Var(value, true, null);
    }

    /** A leaf that needs no gradient. */
    public static Var constant(Tensor value) {
        return new Var(value, false, null);
    }

    /** A rank-0 constant. */
    public static Var scalar(DType dtype, double v) {
        return constant(Tensor.scalar(dtype, v));
    }

    /** Records an operation when grad mode is on and some input requires a gradient. */
    static Var record(String op, Tensor value, BackwardFn fn, Var... inputs) {
        if (GradMode.isEnabled()) {
            for (Var in : inputs) {
                if (in != null && in.requiresGrad) {
                    return new Var(value, true, new Node(op, inputs, fn));
                }
            }
        }
        return new Var(value, false, null);
    }

    /** The value (shared, not copied). */
    public Tensor value() {
        return value;
    }

    /** The accumulated gradient of a leaf after {@link Autograd#backward}, or null. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the accumulated gradient (null clears it). */
    public void setGrad(Tensor g) {
        this.grad = g;
    }

    /**
     * The float32 gradient array, for tape-free passes that write gradients directly: the current gradient when it is
     * float32, otherwise (none yet, or another dtype) a new zero one of the value's shape.
     */
    public float[] float32GradBuffer() {
        if (grad == null || grad.dtype() != DType.FLOAT32) {
            grad = Tensor.zeros(DType.FLOAT32, value.shape());
        }
        return grad.floatData();
    }

    /** Clears the accumulated gradient in place (keeps the buffer). */
    public void zeroGrad() {
        if (grad != null) {
            grad.fillInPlace(0);
        }
    }

    void accumulateGrad(Tensor g) {
        if (grad == null) {
            grad = g.copy();
        } else {
            grad.addInPlace(g);
        }
    }

    /** True when gradients flow to or through this value. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** True for values not produced by a recorded operation. */
    public boolean isLeaf() {
        return node == null;
    }

    /** Optional name (parameters use PyTorch-style names such as {@code layers.0.weight}). */
    public String name() {
        return name;
    }

    /** Sets the name and returns this. */
    public Var named(String n) {
        this.name = n;
        return this;
    }

    /** The same value cut from the graph. */
    public Var detach() {
        return constant(value);
    }

    /** Shape of the value. */
    public int[] shape() {
        return value.shape();
    }

    /** Element type of the value. */
    public DType dtype() {
        return value.dtype();
    }

    /** Single value of a one-element Var. */
    public double item() {
        return value.item();
    }

    @Override
    public String toString() {
        return "Var(" + (name == null ? "" : name + ", ") + value + (requiresGrad ? ", requiresGrad" : "") + ")";
    }

    // ------------------------------------------------------------------ arithmetic with broadcasting

    /** this + b. */
    public Var add(Var b) {
        int[] sa = value.shape();
        int[] sb = b.value.shape();
        return record("add", value.add(b.value), (g, out, n) -> new Var[] {
            n[0] ? g.sumTo(sa) : null, n[1] ? g.sumTo(sb) : null}, this, b);
    }

    /** this − b. */
    public Var sub(Var b) {
        int[] sa = value.shape();
        int[] sb = b.value.shape();
        return record("sub", value.sub(b.value), (g, out, n) -> new Var[] {
            n[0] ? g.sumTo(sa) : null, n[1] ? g.neg().sumTo(sb) : null}, this, b);
    }

    /** this · b (elementwise). */
    public Var mul(Var b) {
        Var a = this;
        int[] sa = value.shape();
        int[] sb = b.value.shape();
        return record("mul", value.mul(b.value), (g, out, n) -> new Var[] {
            n[0] ? g.mul(b).sumTo(sa) : null, n[1] ? g.mul(a).sumTo(sb) : null}, this, b);
    }

    /** this / b (elementwise). */
    public Var div(Var b) {
        Var a = this;
        int[] sa = value.shape();
        int[] sb = b.value.shape();
        return record("div", value.div(b.value), (g, out, n) -> new Var[] {
            n[0] ? g.div(b).sumTo(sa) : null, n[1] ? g.mul(out).div(b).neg().sumTo(sb) : null}, this, b);
    }

    /** this + s. */
    public Var add(double s) {
        return record("addScalar", value.add(s), (g, out, n) -> new Var[] {g}, this);
    }

    /** this · s. */
    public Var mul(double s) {
        return record("mulScalar", value.mul(s), (g, out, n) -> new Var[] {g.mul(s)}, this);
    }

    /** s − this. */
    public Var rsub(double s) {
        return neg().add(s);
    }

    /** −this. */
    public Var neg() {
        return record("neg", value.neg(), (g, out, n) -> new Var[] {g.neg()}, this);
    }

    /** this ^ p for a constant exponent. */
    public Var pow(double p) {
        Var x = this;
        return record("pow", value.pow(p), (g, out, n) -> new Var[] {
            p == 0.0 ? g.mul(0.0) // not 0·x⁻¹, which is NaN at x = 0
                    : p == 2.0 ? g.mul(x).mul(2.0) : g.mul(x.pow(p - 1)).mul(p)}, this);
    }

    /** this². */
    public Var square() {
        return pow(2.0);
    }

    /** e^this. */
    public Var exp() {
        return record("exp", value.exp(), (g, out, n) -> new Var[] {g.mul(out)}, this);
    }

    /** ln(this). */
    public Var log() {
        Var x = this;
        return record("log", value.log(), (g, out, n) -> new Var[] {g.div(x)}, this);
    }

    /** ln(1 + this). */
    public Var log1p() {
        Var x = this;
        return record("log1p", value.log1p(), (g, out, n) -> new Var[] {g.div(x.add(1.0))}, this);
    }

    /** √this. */
    public Var sqrt() {
        return record("sqrt", value.sqrt(), (g, out, n) -> new Var[] {g.div(out).mul(0.5)}, this);
    }

    /** |this| (subgradient 0 at 0). */
    public Var abs() {
        Tensor sign = value.sign();
        return record("abs", value.abs(), (g, out, n) -> new Var[] {g.mul(constant(sign))}, this);
    }

    /** sin(this). */
    public Var sin() {
        Var x = this;
        return record("sin", value.sin(), (g, out, n) -> new Var[] {g.mul(x.cos())}, this);
    }

    /** cos(this). */
    public Var cos() {
        Var x = this;
        return record("cos", value.cos(), (g, out, n) -> new Var[] {g.mul(x.sin()).neg()}, this);
    }

    /** A pointwise activation act(this). */
    public Var activation(Activation act) {
        if (act == Activation.IDENTITY) {
            return this;
        }
        Var x = this;
        // a recorded op's backward needs act'(this): compute it now, in the same pass as the value
        Tensor y = node != null && requiresGrad && GradMode.isEnabled() ? memoise(act).memoValue : value.activation(act);
        return record(act.name().toLowerCase(java.util.Locale.ROOT), y,
                (g, out, n) -> new Var[] {g.mul(x.activationDerivative(act))}, this);
    }

    /** act'(this), itself differentiable once more (through act''). */
    public Var activationDerivative(Activation act) {
        Var x = this;
        Tensor slope = node != null ? memoise(act).memoSlope : value.activationDerivative(act);
        return record("d_" + act.name(), slope, (g, out, n) -> new Var[] {GradMode.isEnabled()
                ? g.mul(x.activationSecondDerivative(act))
                : constant(x.value.activationSecondDerivative(act, g.value))}, this);
    }

    private Var memoise(Activation act) {
        if (memoAct != act) {
            Tensor v = Tensor.zeros(value.dtype(), value.shape());
            memoSlope = value.activationDerivative(act, v);
            memoValue = v;
            memoAct = act;
        }
        return this;
    }

    private Var activationSecondDerivative(Activation act) {
        return record("dd_" + act.name(), value.activationSecondDerivative(act), (g, out, n) -> {
            throw new UnsupportedOperationException("third derivative of activation " + act + " is not available");
        }, this);
    }

    /** tanh. */
    public Var tanh() {
        return activation(Activation.TANH);
    }

    /** Logistic sigmoid. */
    public Var sigmoid() {
        return activation(Activation.SIGMOID);
    }

    /** ln(1 + e^x). */
    public Var softplus() {
        return activation(Activation.SOFTPLUS);
    }

    /** max(x, 0). */
    public Var relu() {
        return activation(Activation.RELU);
    }

    /** x·σ(x). */
    public Var silu() {
        return activation(Activation.SILU);
    }

    /** SELU. */
    public Var selu() {
        return activation(Activation.SELU);
    }

    /** x·Φ(x). */
    public Var gelu() {
        return activation(Activation.GELU);
    }

    /** Elementwise {@code cond != 0 ? a : b} with broadcasting; cond is not differentiated. */
    public static Var where(Tensor cond, Var a, Var b) {
        int[] sa = a.value.shape();
        int[] sb = b.value.shape();
        return record("where", Tensor.where(cond, a.value, b.value), (g, out, n) -> {
            Var zero = scalar(g.dtype(), 0);
            return new Var[] {n[0] ? where(cond, g, zero).sumTo(sa) : null, n[1] ? where(cond, zero, g).sumTo(sb) : null};
        }, a, b);
    }

    // ------------------------------------------------------------------ broadcasting adjoints

    /** Sums down to a shape that broadcasts to this one (adjoint of {@link #broadcastTo}). */
    public Var sumTo(int... target) {
        if (Arrays.equals(value.shape(), target)) {
            return this;
        }
        int[] in = value.shape();
        return record("sumTo", value.sumTo(target), (g, out, n) -> new Var[] {g.broadcastTo(in)}, this);
    }

    /** Materialises this value at a larger broadcast-compatible shape (adjoint of {@link #sumTo}). */
    public Var broadcastTo(int... target) {
        if (Arrays.equals(value.shape(), target)) {
            return this;
        }
        int[] in = value.shape();
        return record("broadcastTo", value.broadcastTo(target), (g, out, n) -> new Var[] {g.sumTo(in)}, this);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements (rank 0). */
    public Var sum() {
        int[] in = value.shape();
        return record("sum", value.sum(), (g, out, n) -> new Var[] {g.broadcastTo(in)}, this);
    }

    /** Mean of all elements (rank 0). */
    public Var mean() {
        return sum().mul(1.0 / Math.max(1, value.numel()));
    }

    /** Sum along an axis. */
    public Var sum(int axis, boolean keepDim) {
        int[] in = value.shape();
        int a = Shapes.axis("sum", axis, in.length);
        int[] kept = in.clone();
        kept[a] = 1;
        return record("sumAxis", value.sum(a, keepDim), (g, out, n) -> new Var[] {g.reshape(kept).broadcastTo(in)}, this);
    }

    /** Mean along an axis. */
    public Var mean(int axis, boolean keepDim) {
        int a = Shapes.axis("mean", axis, value.rank());
        return sum(a, keepDim).mul(1.0 / Math.max(1, value.size(a)));
    }

    /** Maximum along an axis; the gradient goes to the first maximal element. */
    public Var max(int axis, boolean keepDim) {
        int[] in = value.shape();
        int a = Shapes.axis("max", axis, in.length);
        int[] arg = value.argmax(a);
        Tensor mask = Tensor.zeros(value.dtype(), in);
        int inner = 1;
        for (int i = a + 1; i < in.length; i++) {
            inner *= in[i];
        }
        for (int j = 0; j < arg.length; j++) {
            int o = j / inner;
            int i = j % inner;
            mask.setDouble(o * in[a] * inner + arg[j] * inner + i, 1.0);
        }
        int[] kept = in.clone();
        kept[a] = 1;
        return record("max", value.max(a, keepDim), (g, out, n) -> new Var[] {
            g.reshape(kept).broadcastTo(in).mul(constant(mask))}, this);
    }

    /** log Σ exp along an axis, computed stably as {@code m + log Σ exp(x − m)} with m the (detached) maximum. */
    public Var logSumExp(int axis, boolean keepDim) {
        int a = Shapes.axis("logSumExp", axis, value.rank());
        // an all-(−∞) row would give −∞ − (−∞) = NaN: shift infinite maxima by 0 instead (as PyTorch does)
        Var m = constant(value.max(a, true).map(v -> Double.isInfinite(v) ? 0.0 : v));
        Var s = sub(m).exp().sum(a, true).log().add(m);
        if (!keepDim) {
            int[] in = value.shape();
            int[] outShape = new int[in.length - 1];
            for (int i = 0, j = 0; i < in.length; i++) {
                if (i != a) {
                    outShape[j++] = in[i];
                }
            }
            s = s.reshape(outShape);
        }
        return s;
    }

    // ------------------------------------------------------------------ linear algebra and structure

    /** Matrix product over the last two axes (batched with broadcasting). */
    public Var matmul(Var b) {
        return matmul(b, false, false);
    }

    /** Matrix product {@code op(this) @ op(b)} with optional transposition of either operand. */
    public Var matmul(Var b, boolean transA, boolean transB) {
        Var a = this;
        int[] sa = value.shape();
        int[] sb = b.value.shape();
        return record("matmul", value.matmul(b.value, transA, transB), (g, out, n) -> {
            Var ga = null;
            Var gb = null;
            if (n[0]) {
                ga = transA ? (transB ? b.matmul(g, true, true) : b.matmul(g, false, true))
                        : (transB ? g.matmul(b, false, false) : g.matmul(b, false, true));
                ga = ga.sumTo(sa);
            }
            if (n[1]) {
                gb = transB ? (transA ? g.matmul(a, true, true) : g.matmul(a, true, false))
                        : (transA ? a.matmul(g, false, false) : a.matmul(g, true, false));
                gb = gb.sumTo(sb);
            }
            return new Var[] {ga, gb};
        }, this, b);
    }

    /** Same data, new shape (one axis may be −1). */
    public Var reshape(int... shape) {
        int[] in = value.shape();
        return record("reshape", value.reshape(shape), (g, out, n) -> new Var[] {g.reshape(in)}, this);
    }

    /** Swaps two axes. */
    public Var transpose(int axis0, int axis1) {
        return record("transpose", value.transpose(axis0, axis1), (g, out, n) -> new Var[] {g.transpose(axis0, axis1)}, this);
    }

    /** Transpose of a rank-2 value. */
    public Var t() {
        return transpose(0, 1);
    }

    /** The sub-range {@code [start, end)} along an axis. */
    public Var slice(int axis, int start, int end) {
        int[] in = value.shape();
        int a = Shapes.axis("slice", axis, in.length);
        return record("slice", value.slice(a, start, end), (g, out, n) -> new Var[] {g.padInto(a, start, in[a])}, this);
    }

    /** Column {@code j} of a rank-2 value as a [rows, 1] Var. */
    public Var column(int j) {
        return slice(1, j, j + 1);
    }

    /** Embeds this value at offset {@code start} along an axis inside zeros of size {@code full} (adjoint of slice). */
    Var padInto(int axis, int start, int full) {
        int[] os = value.shape();
        int len = os[axis];
        os[axis] = full;
        Tensor out = Tensor.zeros(value.dtype(), os).setSliceInPlace(axis, start, value);
        return record("pad", out, (g, o, n) -> new Var[] {g.slice(axis, start, start + len)}, this);
    }

    /** Concatenation along an axis. */
    public static Var concat(int axis, Var... parts) {
        Tensor[] vals = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            vals[i] = parts[i].value;
        }
        Tensor v = Tensor.concat(axis, vals);
        int a = Shapes.axis("concat", axis, v.rank());
        return record("concat", v, (g, out, n) -> {
            Var[] gs = new Var[parts.length];
            int s = 0;
            for (int i = 0; i < parts.length; i++) {
                int w = vals[i].size(a);
                gs[i] = n[i] ? g.slice(a, s, s + w) : null;
                s += w;
            }
            return gs;
        }, parts);
    }

    /** Rows {@code idx[i]} of the first axis (a gather). */
    public Var gatherRows(int[] idx) {
        int rows = value.size(0);
        return record("gatherRows", value.gatherRows(idx), (g, out, n) -> new Var[] {g.scatterAddRows(idx, rows)}, this);
    }

    /** Adjoint of {@link #gatherRows}. */
    public Var scatterAddRows(int[] idx, int rows) {
        return record("scatterAddRows", value.scatterAddRows(idx, rows), (g, out, n) -> new Var[] {g.gatherRows(idx)}, this);
    }

    // ------------------------------------------------------------------ losses

    /** Mean squared error {@code mean((this − target)²)} over all elements. */
    public Var mse(Var target) {
        if (!Arrays.equals(value.shape(), target.value.shape())) {
            throw new IllegalArgumentException("mse: shapes " + Shapes.str(value.shape()) + " and " + Shapes.str(target.value.shape()) + " differ");
        }
        return sub(target).square().mean();
    }

    /** Backpropagates from this scalar, accumulating gradients into leaves (see {@link Autograd#backward}). */
    public void backward() {
        Autograd.backward(this);
    }
}
