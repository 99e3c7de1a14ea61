package org.flowmatch4j.tensor;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

import org.flowmatch4j.kernels.Activation;
import org.flowmatch4j.kernels.ActivationKernels;
import org.flowmatch4j.kernels.Kernels;
import org.flowmatch4j.kernels.Parallel;

/**
 * A dense, contiguous, row-major n-dimensional array of float32 or float64 values.
 *
 * <p>Operations return new tensors unless their name ends in {@code InPlace}. Binary arithmetic follows
 * NumPy broadcasting; shape errors raise {@link IllegalArgumentException} naming the op and both shapes.
 * Both operands of a binary op must have the same {@link DType}. The backing array is exposed through
 * {@link #floatData()} / {@link #doubleData()} for kernels that write into caller-provided outputs.
 */
public final class Tensor {
    /**
     * Products with fewer multiply-adds than this run on the calling thread ({@link Parallel#serially}): the
     * autodiff tape's layer products ({@code [256, 64] × [64, 64]}, 10⁶) take tens of microseconds, too little
     * to gain from waking the worker pool.
     */
    static final long SERIAL_MATMUL_WORK = Long.getLong("flowmatch.tensor.serialMatmulWork", 1L << 22);

    private final int[] shape;
    private final DType dtype;
    private final float[] f;
    private final double[] d;

    private Tensor(DType dtype, int[] shape, float[] f, double[] d) {
        this.dtype = dtype;
        this.shape = shape;
        this.f = f;
        this.d = d;
    }

    // ------------------------------------------------------------------ construction

    /** A zero-filled tensor. */
    public static Tensor zeros(DType dtype, int... shape) {
        int[] s = shape.clone();
        int n = Shapes.numel(s);
        return dtype == DType.FLOAT32 ? new Tensor(dtype, s, new float[n], null) : new Tensor(dtype, s, null, new double[n]);
    }

    /** A tensor filled with {@code value}. */
    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = zeros(dtype, shape);
        t.fillInPlace(value);
        return t;
    }

    /** A tensor of ones. */
    public static Tensor ones(DType dtype, int... shape) {
        return full(dtype, 1.0, shape);
    }

    /** A rank-0 tensor holding one value. */
    public static Tensor scalar(DType dtype, double value) {
        return full(dtype, value);
    }

    /** Wraps a float array (no copy) as a tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape.clone();
        if (Shapes.numel(s) != data.length) {
            throw new IllegalArgumentException("of: " + data.length + " values do not fill shape " + Shapes.str(s));
        }
        return new Tensor(DType.FLOAT32, s, data, null);
    }

    /** Wraps a double array (no copy) as a tensor of the given shape. */
    public static Tensor of(double[] data, int... shape) {
        int[] s = shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape.clone();
        if (Shapes.numel(s) != data.length) {
            throw new IllegalArgumentException("of: " + data.length + " values do not fill shape " + Shapes.str(s));
        }
        return new Tensor(DType.FLOAT64, s, null, data);
    }

    /** A [rows, cols] tensor copied from a rectangular array. */
    public static Tensor fromRows(DType dtype, double[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        Tensor t = zeros(dtype, r, c);
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("fromRows: row " + i + " has " + rows[i].length + " values, expected " + c);
            }
            for (int j = 0; j < c; j++) {
                t.setDouble(i * c + j, rows[i][j]);
            }
        }
        return t;
    }

    // ------------------------------------------------------------------ accessors

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of axes. */
    public int rank() {
        return shape.length;
    }

    /** Size of one axis (negative axes count from the end). */
    public int size(int axis) {
        return shape[Shapes.axis("size", axis, shape.length)];
    }

    /** Number of elements. */
    public int numel() {
        return f != null ? f.length : d.length;
    }

    /** Element type. */
    public DType dtype() {
        return dtype;
    }

    /** The backing float array (FLOAT32 only), shared, not copied. */
    public float[] floatData() {
        if (f == null) {
            throw new IllegalStateException("floatData: tensor is " + dtype.label());
        }
        return f;
    }

    /** The backing double array (FLOAT64 only), shared, not copied. */
    public double[] doubleData() {
        if (d == null) {
            throw new IllegalStateException("doubleData: tensor is " + dtype.label());
        }
        return d;
    }

    /** Element at a flat row-major index, as double. */
    public double getDouble(int i) {
        return f != null ? f[i] : d[i];
    }

    /** Sets the element at a flat row-major index. */
    public void setDouble(int i, double v) {
        if (f != null) {
            f[i] = (float) v;
        } else {
            d[i] = v;
        }
    }

    /** Element at a multi-index. */
    public double get(int... index) {
        return getDouble(flatIndex(index));
    }

    /** Sets the element at a multi-index. */
    public void set(double v, int... index) {
        setDouble(flatIndex(index), v);
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " into shape " + Shapes.str(shape));
        }
        int k = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of shape " + Shapes.str(shape));
            }
            k = k * shape[i] + index[i];
        }
        return k;
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: tensor of shape " + Shapes.str(shape) + " has " + numel() + " elements");
        }
        return getDouble(0);
    }

    /** All values as a new double array. */
    public double[] toDoubleArray() {
        double[] out = new double[numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /** True when every element is finite (no NaN, no ±Inf). */
    public boolean allFinite() {
        if (f != null) {
            for (float v : f) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        } else {
            for (double v : d) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A converted copy (or this tensor when it already has {@code target} type). */
    public Tensor to(DType target) {
        if (target == dtype) {
            return this;
        }
        Tensor out = zeros(target, shape);
        for (int i = 0; i < numel(); i++) {
            out.setDouble(i, getDouble(i));
        }
        return out;
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(dtype, shape.clone(), f == null ? null : f.clone(), d == null ? null : d.clone());
    }

    /** A tensor sharing this one's data with a new shape (one axis may be -1). */
    public Tensor reshape(int... newShape) {
        return new Tensor(dtype, Shapes.resolveReshape(shape, newShape), f, d);
    }

    /** Same as {@code reshape(-1)}. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Sets every element to {@code v}. */
    public Tensor fillInPlace(double v) {
        if (f != null) {
            Arrays.fill(f, (float) v);
        } else {
            Arrays.fill(d, v);
        }
        return this;
    }

    /** Copies {@code src}'s values (same element count and type) into this tensor. */
    public Tensor copyFromInPlace(Tensor src) {
        requireSameShape("copyFrom", src);
        if (f != null) {
            System.arraycopy(src.f, 0, f, 0, f.length);
        } else {
            System.arraycopy(src.d, 0, d, 0, d.length);
        }
        return this;
    }

    /** {@code this += other} (same shape and type); used to accumulate gradients. */
    public Tensor addInPlace(Tensor other) {
        requireSameShape("addInPlace", other);
        if (f != null) {
            for (int i = 0; i < f.length; i++) {
                f[i] += other.f[i];
            }
        } else {
            for (int i = 0; i < d.length; i++) {
                d[i] += other.d[i];
            }
        }
        return this;
    }

    /** {@code this *= s}. */
    public Tensor mulInPlace(double s) {
        if (f != null) {
            float fs = (float) s;
            for (int i = 0; i < f.length; i++) {
                f[i] *= fs;
            }
        } else {
            for (int i = 0; i < d.length; i++) {
                d[i] *= s;
            }
        }
        return this;
    }

    private void requireSameShape(String op, Tensor other) {
        if (!Arrays.equals(shape, other.shape) || dtype != other.dtype) {
            throw new IllegalArgumentException(op + ": shape " + Shapes.str(shape) + " " + dtype.label()
                    + " vs " + Shapes.str(other.shape) + " " + other.dtype.label());
        }
    }

    private void requireSameType(String op, Tensor other) {
        if (dtype != other.dtype) {
            throw new IllegalArgumentException(op + ": dtypes differ, " + dtype.label() + Shapes.str(shape)
                    + " vs " + other.dtype.label() + Shapes.str(other.shape));
        }
    }

    // ------------------------------------------------------------------ elementwise

    /** Applies a binary op with broadcasting. */
    public Tensor zip(BinaryOp op, Tensor other) {
        requireSameType(op.label(), other);
        int[] os = Arrays.equals(shape, other.shape) ? shape.clone() : Shapes.broadcast(op.label(), shape, other.shape);
        Tensor out = zeros(dtype, os);
        int n = out.numel();
        if (n == 0) {
            return out;
        }
        boolean thisFull = Arrays.equals(shape, os);
        if (thisFull && Arrays.equals(other.shape, os)) {
            zipRun(op, this, 0, 1, other, 0, 1, out, 0, n);
            return out;
        }
        // one operand holds a single value: one run with that operand's stride 0
        if (thisFull && other.numel() == 1) {
            zipRun(op, this, 0, 1, other, 0, 0, out, 0, n);
            return out;
        }
        if (numel() == 1 && Arrays.equals(other.shape, os)) {
            zipRun(op, this, 0, 0, other, 0, 1, out, 0, n);
            return out;
        }
        int r = os.length;
        int[] sa = Shapes.broadcastStrides(shape, os);
        int[] sb = Shapes.broadcastStrides(other.shape, os);
        int inner = os[r - 1];
        int outer = n / inner;
        int[] idx = new int[r];
        int offA = 0;
        int offB = 0;
        for (int o = 0, p = 0; o < outer; o++, p += inner) {
            zipRun(op, this, offA, sa[r - 1], other, offB, sb[r - 1], out, p, inner);
            for (int ax = r - 2; ax >= 0; ax--) {
                idx[ax]++;
                offA += sa[ax];
                offB += sb[ax];
                if (idx[ax] < os[ax]) {
                    break;
                }
                offA -= sa[ax] * os[ax];
                offB -= sb[ax] * os[ax];
                idx[ax] = 0;
            }
        }
        return out;
    }

    private static void zipRun(BinaryOp op, Tensor a, int oa, int sa, Tensor b, int ob, int sb, Tensor out, int oo, int n) {
        if (out.f != null) {
            float[] x = a.f;
            float[] y = b.f;
            float[] z = out.f;
            // unit and zero strides (equal shapes, a bias row, a scalar) get loops the JIT vectorises
            if (sa == 1 && sb == 1 && zipContiguous(op, x, oa, y, ob, z, oo, n)) {
                return;
            }
            if (sa == 1 && sb == 0 && zipScalarRight(op, x, oa, y[ob], z, oo, n)) {
                return;
            }
            if (sa == 0 && sb == 1 && zipScalarLeft(op, x[oa], y, ob, z, oo, n)) {
                return;
            }
            switch (op) {
                case ADD:
                    for (int i = 0; i < n; i++) {
                        z[oo + i] = x[oa + i * sa] + y[ob + i * sb];
                    }
                    return;
                case SUB:
                    for (int i = 0; i < n; i++) {
                        z[oo + i] = x[oa + i * sa] - y[ob + i * sb];
                    }
                    return;
                case MUL:
                    for (int i = 0; i < n; i++) {
                        z[oo + i] = x[oa + i * sa] * y[ob + i * sb];
                    }
                    return;
                case DIV:
                    for (int i = 0; i < n; i++) {
                        z[oo + i] = x[oa + i * sa] / y[ob + i * sb];
                    }
                    return;
                default:
                    for (int i = 0; i < n; i++) {
                        z[oo + i] = (float) op.apply(x[oa + i * sa], y[ob + i * sb]);
                    }
            }
        } else {
            double[] x = a.d;
            double[] y = b.d;
            double[] z = out.d;
            for (int i = 0; i < n; i++) {
                z[oo + i] = op.apply(x[oa + i * sa], y[ob + i * sb]);
            }
        }
    }

    private static boolean zipContiguous(BinaryOp op, float[] x, int oa, float[] y, int ob, float[] z, int oo, int n) {
        switch (op) {
            case ADD:
                for (int i = 0; i < n; i++) {
                    z[oo + i] = x[oa + i] + y[ob + i];
                }
                return true;
            case SUB:
                for (int i = 0; i < n; i++) {
                    z[oo + i] = x[oa + i] - y[ob + i];
                }
                return true;
            case MUL:
                for (int i = 0; i < n; i++) {
                    z[oo + i] = x[oa + i] * y[ob + i];
                }
                return true;
            case DIV:
                for (int i = 0; i < n; i++) {
                    z[oo + i] = x[oa + i] / y[ob + i];
                }
                return true;
            default:
                return false;
        }
    }

    private static boolean zipScalarRight(BinaryOp op, float[] x, int oa, float c, float[] z, int oo, int n) {
        switch (op) {
            case ADD:
                for (int i = 0; i < n; i++) {
                    z[oo + i] = x[oa + i] + c;
                }
                return true;
            case SUB:
                for (int i = 0; i < n; i++) {
                    z[oo + i] = x[oa + i] - c;
                }
                return true;
            case MUL:
                for (int i = 0; i < n; i++) {
                    z[oo + i] = x[oa + i] * c;
                }
                return true;
            case DIV:
                for (int i = 0; i < n; i++) {
                    z[oo + i] = x[oa + i] / c;
                }
                return true;
            default:
                return false;
        }
    }

    private static boolean zipScalarLeft(BinaryOp op, float c, float[] y, int ob, float[] z, int oo, int n) {
        switch (op) {
            case ADD:
                for (int i = 0; i < n; i++) {
                    z[oo + i] = c + y[ob + i];
                }
                return true;
            case SUB:
                for (int i = 0; i < n; i++) {
                    z[oo + i] = c - y[ob + i];
                }
                return true;
            case MUL:
                for (int i = 0; i < n; i++) {
                    z[oo + i] = c * y[ob + i];
                }
                return true;
            case DIV:
                for (int i = 0; i < n; i++) {
                    z[oo + i] = c / y[ob + i];
                }
                return true;
            default:
                return false;
        }
    }

    /** Elementwise sum with broadcasting. */
    public Tensor add(Tensor o) {
        return zip(BinaryOp.ADD, o);
    }

    /** Elementwise difference with broadcasting. */
    public Tensor sub(Tensor o) {
        return zip(BinaryOp.SUB, o);
    }

    /** Elementwise product with broadcasting. */
    public Tensor mul(Tensor o) {
        return zip(BinaryOp.MUL, o);
    }

    /** Elementwise quotient with broadcasting. */
    public Tensor div(Tensor o) {
        return zip(BinaryOp.DIV, o);
    }

    /** Elementwise power with broadcasting. */
    public Tensor pow(Tensor o) {
        return zip(BinaryOp.POW, o);
    }

    /** Elementwise maximum with broadcasting. */
    public Tensor maximum(Tensor o) {
        return zip(BinaryOp.MAX, o);
    }

    /** Elementwise minimum with broadcasting. */
    public Tensor minimum(Tensor o) {
        return zip(BinaryOp.MIN, o);
    }

    /** 1 where this &gt; o, else 0 (same dtype). */
    public Tensor gt(Tensor o) {
        return zip(BinaryOp.GT, o);
    }

    /** 1 where this &gt;= o, else 0. */
    public Tensor ge(Tensor o) {
        return zip(BinaryOp.GE, o);
    }

    /** 1 where this &lt; o, else 0. */
    public Tensor lt(Tensor o) {
        return zip(BinaryOp.LT, o);
    }

    /** 1 where this &lt;= o, else 0. */
    public Tensor le(Tensor o) {
        return zip(BinaryOp.LE, o);
    }

    /** 1 where this == o, else 0. */
    public Tensor eq(Tensor o) {
        return zip(BinaryOp.EQ, o);
    }

    /** Applies any double function elementwise. */
    public Tensor map(DoubleUnaryOperator fn) {
        Tensor out = zeros(dtype, shape);
        if (f != null) {
            for (int i = 0; i < f.length; i++) {
                out.f[i] = (float) fn.applyAsDouble(f[i]);
            }
        } else {
            for (int i = 0; i < d.length; i++) {
                out.d[i] = fn.applyAsDouble(d[i]);
            }
        }
        return out;
    }

    /** Applies a unary op elementwise. */
    public Tensor map(UnaryOp op) {
        if (f != null) {
            // exact in float (the double result of these rounds back to the same float): plain loops
            float[] z;
            switch (op) {
                case NEG:
                    z = new float[f.length];
                    for (int i = 0; i < z.length; i++) {
                        z[i] = -f[i];
                    }
                    return new Tensor(dtype, shape.clone(), z, null);
                case SQUARE:
                    z = new float[f.length];
                    for (int i = 0; i < z.length; i++) {
                        z[i] = f[i] * f[i];
                    }
                    return new Tensor(dtype, shape.clone(), z, null);
                case ABS:
                    z = new float[f.length];
                    for (int i = 0; i < z.length; i++) {
                        z[i] = Math.abs(f[i]);
                    }
                    return new Tensor(dtype, shape.clone(), z, null);
                default:
                    break;
            }
        }
        return map(op::apply);
    }

    /** x + s (computed in double, rounded to the tensor's type). */
    public Tensor add(double s) {
        if (f != null) {
            float[] z = new float[f.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (f[i] + s);
            }
            return new Tensor(dtype, shape.clone(), z, null);
        }
        return map(x -> x + s);
    }

    /** x · s (computed in double, rounded to the tensor's type). */
    public Tensor mul(double s) {
        if (f != null) {
            float[] z = new float[f.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (f[i] * s);
            }
            return new Tensor(dtype, shape.clone(), z, null);
        }
        return map(x -> x * s);
    }

    /** x ^ p. */
    public Tensor pow(double p) {
        if (p == 2.0) {
            return map(UnaryOp.SQUARE);
        }
        return map(x -> Math.pow(x, p));
    }

    /** 1 where x &gt; s, else 0. */
    public Tensor gt(double s) {
        return map(x -> x > s ? 1 : 0);
    }

    /** 1 where x &lt; s, else 0. */
    public Tensor lt(double s) {
        return map(x -> x < s ? 1 : 0);
    }

    /** −x. */
    public Tensor neg() {
        return map(UnaryOp.NEG);
    }

    /** exp(x). */
    public Tensor exp() {
        return map(UnaryOp.EXP);
    }

    /** ln(x). */
    public Tensor log() {
        return map(UnaryOp.LOG);
    }

    /** ln(1 + x). */
    public Tensor log1p() {
        return map(UnaryOp.LOG1P);
    }

    /** √x. */
    public Tensor sqrt() {
        return map(UnaryOp.SQRT);
    }

    /** |x|. */
    public Tensor abs() {
        return map(UnaryOp.ABS);
    }

    /** x². */
    public Tensor square() {
        return map(UnaryOp.SQUARE);
    }

    /** sign(x) ∈ {−1, 0, 1}. */
    public Tensor sign() {
        return map(UnaryOp.SIGN);
    }

    /** sin(x). */
    public Tensor sin() {
        return map(UnaryOp.SIN);
    }

    /** cos(x). */
    public Tensor cos() {
        return map(UnaryOp.COS);
    }

    /**
     * act(x) for a pointwise activation. Float32 tensors use {@link ActivationKernels} (vectorised when the
     * vector backend is active, within float32 rounding of the double reference); float64 ones the double
     * reference itself.
     */
    public Tensor activation(Activation act) {
        if (f != null) {
            float[] z = new float[f.length];
            ActivationKernels.get().activation(act, f, z, f.length);
            return new Tensor(dtype, shape.clone(), z, null);
        }
        return map(act::apply);
    }

    /** act'(x). */
    public Tensor activationDerivative(Activation act) {
        return activationDerivative(act, null);
    }

    /**
     * act'(x), and act(x) written into {@code valueOut} (same shape and type, or null) from the same
     * intermediates: one pass where the value and the slope of a layer are both needed. The values are the
     * same as those of {@link #activation} and {@link #activationDerivative(Activation)}.
     */
    public Tensor activationDerivative(Activation act, Tensor valueOut) {
        if (valueOut != null) {
            requireSameShape("activationDerivative", valueOut);
        }
        if (f != null) {
            float[] dz = new float[f.length];
            float[] v = valueOut != null ? valueOut.f : new float[f.length];
            ActivationKernels.get().activationWithDerivative(act, f, v, dz, f.length);
            return new Tensor(dtype, shape.clone(), dz, null);
        }
        if (valueOut != null) {
            for (int i = 0; i < d.length; i++) {
                valueOut.d[i] = act.apply(d[i]);
            }
        }
        return map(act::derivative);
    }

    /** act''(x). */
    public Tensor activationSecondDerivative(Activation act) {
        if (f != null) {
            float[] z = new float[f.length];
            ActivationKernels.get().activationSecondDerivative(act, f, z, f.length);
            return new Tensor(dtype, shape.clone(), z, null);
        }
        return map(act::secondDerivative);
    }

    /**
     * {@code scale ⊙ act''(x)} for a {@code scale} of this tensor's shape and type, in one output: the same
     * values as {@code scale.mul(activationSecondDerivative(act))}.
     */
    public Tensor activationSecondDerivative(Activation act, Tensor scale) {
        requireSameShape("activationSecondDerivative", scale);
        Tensor out = activationSecondDerivative(act);
        if (f != null) {
            float[] z = out.f;
            float[] g = scale.f;
            for (int i = 0; i < z.length; i++) {
                z[i] = g[i] * z[i];
            }
        } else {
            double[] z = out.d;
            double[] g = scale.d;
            for (int i = 0; i < z.length; i++) {
                z[i] = g[i] * z[i];
            }
        }
        return out;
    }

    /** tanh(x). */
    public Tensor tanh() {
        return activation(Activation.TANH);
    }

    /** σ(x) = 1 / (1 + e^−x). */
    public Tensor sigmoid() {
        return activation(Activation.SIGMOID);
    }

    /** ln(1 + e^x). */
    public Tensor softplus() {
        return activation(Activation.SOFTPLUS);
    }

    /** max(x, 0). */
    public Tensor relu() {
        return activation(Activation.RELU);
    }

    /** x · σ(x). */
    public Tensor silu() {
        return activation(Activation.SILU);
    }

    /** Scaled exponential linear unit. */
    public Tensor selu() {
        return activation(Activation.SELU);
    }

    /** x · Φ(x) (exact, erf-based). */
    public Tensor gelu() {
        return activation(Activation.GELU);
    }

    /** Elementwise {@code cond != 0 ? a : b} with broadcasting of all three. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        a.requireSameType("where", b);
        int[] s = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
        Tensor c = cond.broadcastTo(s);
        Tensor x = a.broadcastTo(s);
        Tensor y = b.broadcastTo(s);
        Tensor out = zeros(a.dtype, s);
        for (int i = 0; i < out.numel(); i++) {
            out.setDouble(i, c.getDouble(i) != 0 ? x.getDouble(i) : y.getDouble(i));
        }
        return out;
    }

    /** This tensor materialised at a broadcast-compatible larger shape. */
    public Tensor broadcastTo(int... target) {
        if (Arrays.equals(shape, target)) {
            return this;
        }
        int[] check = Shapes.broadcast("broadcastTo", shape, target);
        if (!Arrays.equals(check, target)) {
            throw new IllegalArgumentException("broadcastTo: cannot broadcast " + Shapes.str(shape) + " to " + Shapes.str(target));
        }
        return zeros(dtype, target).zip(BinaryOp.ADD, this);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements (rank-0 tensor); accumulates in double. */
    public Tensor sum() {
        double s = 0;
        for (int i = 0; i < numel(); i++) {
            s += getDouble(i);
        }
        return scalar(dtype, s);
    }

    /** Mean of all elements (rank-0 tensor). */
    public Tensor mean() {
        return scalar(dtype, sum().item() / Math.max(1, numel()));
    }

    /** Largest element (rank-0 tensor). */
    public Tensor max() {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < numel(); i++) {
            m = Math.max(m, getDouble(i));
        }
        return scalar(dtype, m);
    }

    /** Sum along an axis; accumulates in double. */
    public Tensor sum(int axis, boolean keepDim) {
        int a = Shapes.axis("sum", axis, shape.length);
        int n = shape[a];
        int inner = innerSize(a);
        int outer = numel() / Math.max(1, n * inner);
        Tensor out = zeros(dtype, reducedShape(a, keepDim));
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double s = 0;
                int base = o * n * inner + i;
                for (int k = 0; k < n; k++) {
                    s += getDouble(base + k * inner);
                }
                out.setDouble(o * inner + i, s);
            }
        }
        return out;
    }

    /** Mean along an axis. */
    public Tensor mean(int axis, boolean keepDim) {
        int a = Shapes.axis("mean", axis, shape.length);
        return sum(a, keepDim).mul(1.0 / Math.max(1, shape[a]));
    }

    /** Maximum along an axis. */
    public Tensor max(int axis, boolean keepDim) {
        int a = Shapes.axis("max", axis, shape.length);
        int[] arg = argmax(a);
        int n = shape[a];
        int inner = innerSize(a);
        Tensor out = zeros(dtype, reducedShape(a, keepDim));
        for (int j = 0; j < arg.length; j++) {
            int o = j / inner;
            int i = j % inner;
            out.setDouble(j, getDouble(o * n * inner + arg[j] * inner + i));
        }
        return out;
    }

    /** Index of the maximum along an axis (first on ties), flattened over the other axes in row-major order. */
    public int[] argmax(int axis) {
        int a = Shapes.axis("argmax", axis, shape.length);
        int n = shape[a];
        if (n == 0) {
            throw new IllegalArgumentException("argmax: empty axis " + a + " of shape " + Shapes.str(shape));
        }
        int inner = innerSize(a);
        int outer = numel() / (n * inner);
        int[] out = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                int best = 0;
                double bv = getDouble(base);
                for (int k = 1; k < n; k++) {
                    double v = getDouble(base + k * inner);
                    if (v > bv || (Double.isNaN(v) && !Double.isNaN(bv))) {
                        bv = v;
                        best = k;
                    }
                }
                out[o * inner + i] = best;
            }
        }
        return out;
    }

    private int innerSize(int axis) {
        int inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        return inner;
    }

    private int[] reducedShape(int axis, boolean keepDim) {
        if (keepDim) {
            int[] s = shape.clone();
            s[axis] = 1;
            return s;
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                s[j++] = shape[i];
            }
        }
        return s;
    }

    /**
     * Sums this tensor down to {@code target}, a shape that broadcasts to this one (the adjoint of
     * broadcasting; used for gradients of broadcast operands).
     */
    public Tensor sumTo(int... target) {
        if (Arrays.equals(shape, target)) {
            return this;
        }
        int[] check = Shapes.broadcast("sumTo", target, shape);
        if (!Arrays.equals(check, shape)) {
            throw new IllegalArgumentException("sumTo: cannot reduce " + Shapes.str(shape) + " to " + Shapes.str(target));
        }
        int r = shape.length;
        Tensor fast = sumToRowsOrColumns(target);
        if (fast != null) {
            return fast;
        }
        int[] st = Shapes.broadcastStrides(target, shape);
        double[] acc = new double[Shapes.numel(target)];
        int[] idx = new int[r];
        int off = 0;
        int n = numel();
        for (int p = 0; p < n; p++) {
            acc[off] += getDouble(p);
            for (int ax = r - 1; ax >= 0; ax--) {
                idx[ax]++;
                off += st[ax];
                if (idx[ax] < shape[ax]) {
                    break;
                }
                off -= st[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
        Tensor out = zeros(dtype, target);
        for (int i = 0; i < acc.length; i++) {
            out.setDouble(i, acc[i]);
        }
        return out;
    }

    /**
     * sumTo for a target that keeps a trailing block of axes and drops (or sets to 1) all leading ones, such as
     * {@code [n, k] → [k]} (a bias gradient), or keeps a leading block and reduces all trailing ones, such as
     * {@code [n, k] → [n, 1]}; null for other targets. Sums in double in row-major order, as the general path does.
     */
    private Tensor sumToRowsOrColumns(int[] target) {
        int r = shape.length;
        int[] t = new int[r];
        Arrays.fill(t, 1);
        System.arraycopy(target, 0, t, r - target.length, target.length);
        // columns: t = [1, …, 1, shape[q], …, shape[r−1]] with q the first kept axis
        int q = 0;
        while (q < r && t[q] == 1 && shape[q] != 1) {
            q++;
        }
        boolean columns = true;
        for (int i = q; i < r && columns; i++) {
            columns = t[i] == shape[i];
        }
        int n = numel();
        Tensor out = zeros(dtype, target);
        int m = out.numel();
        if (columns) {
            int rows = m == 0 ? 0 : n / m;
            double[] acc = new double[m];
            if (f != null) {
                for (int i = 0, base = 0; i < rows; i++, base += m) {
                    for (int j = 0; j < m; j++) {
                        acc[j] += f[base + j];
                    }
                }
                for (int j = 0; j < m; j++) {
                    out.f[j] = (float) acc[j];
                }
            } else {
                for (int i = 0, base = 0; i < rows; i++, base += m) {
                    for (int j = 0; j < m; j++) {
                        acc[j] += d[base + j];
                    }
                }
                System.arraycopy(acc, 0, out.d, 0, m);
            }
            return out;
        }
        // rows: t = [shape[0], …, shape[p−1], 1, …, 1]
        int p = r;
        while (p > 0 && t[p - 1] == 1) {
            p--;
        }
        for (int i = 0; i < p; i++) {
            if (t[i] != shape[i]) {
                return null;
            }
        }
        int inner = m == 0 ? 0 : n / m;
        for (int i = 0; i < m; i++) {
            double s = 0;
            int base = i * inner;
            if (f != null) {
                for (int j = 0; j < inner; j++) {
                    s += f[base + j];
                }
            } else {
                for (int j = 0; j < inner; j++) {
                    s += d[base + j];
                }
            }
            out.setDouble(i, s);
        }
        return out;
    }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product over the last two axes, {@code [..., m, k] @ [..., k, n] -> [..., m, n]}, with
     * broadcasting over the leading (batch) axes. Both operands must have rank ≥ 2.
     */
    public Tensor matmul(Tensor o) {
        return matmul(o, false, false);
    }

    /**
     * Matrix product with optional transposition of either operand's last two axes (no copy is made:
     * the GEMM reads the transposed layout directly).
     */
    public Tensor matmul(Tensor o, boolean transA, boolean transB) {
        requireSameType("matmul", o);
        if (shape.length < 2 || o.shape.length < 2) {
            throw new IllegalArgumentException("matmul: needs rank >= 2, got " + Shapes.str(shape) + " and " + Shapes.str(o.shape));
        }
        int ra = shape.length;
        int rb = o.shape.length;
        int m = transA ? shape[ra - 1] : shape[ra - 2];
        int ka = transA ? shape[ra - 2] : shape[ra - 1];
        int kb = transB ? o.shape[rb - 1] : o.shape[rb - 2];
        int n = transB ? o.shape[rb - 2] : o.shape[rb - 1];
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ, " + Shapes.str(shape) + (transA ? "^T" : "")
                    + " @ " + Shapes.str(o.shape) + (transB ? "^T" : ""));
        }
        int[] batchA = Arrays.copyOf(shape, ra - 2);
        int[] batchB = Arrays.copyOf(o.shape, rb - 2);
        int[] batch = Shapes.broadcast("matmul", batchA, batchB);
        int nb = Shapes.numel(batch);
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = zeros(dtype, outShape);
        int[] sa = Shapes.broadcastStrides(batchA, batch);
        int[] sb = Shapes.broadcastStrides(batchB, batch);
        int[] bst = Shapes.strides(batch);
        int lda = shape[ra - 1];
        int ldb = o.shape[rb - 1];
        if ((long) nb * m * n * ka < SERIAL_MATMUL_WORK) {
            Parallel.serially(() -> matmulInto(o, transA, transB, out, batch, nb, sa, sb, bst, m, n, ka, lda, ldb));
        } else {
            matmulInto(o, transA, transB, out, batch, nb, sa, sb, bst, m, n, ka, lda, ldb);
        }
        return out;
    }

    private void matmulInto(Tensor o, boolean transA, boolean transB, Tensor out, int[] batch, int nb, int[] sa, int[] sb,
                            int[] bst, int m, int n, int ka, int lda, int ldb) {
        for (int bi = 0; bi < nb; bi++) {
            int ia = 0;
            int ib = 0;
            int rem = bi;
            for (int ax = 0; ax < batch.length; ax++) {
                int c = rem / bst[ax];
                rem -= c * bst[ax];
                ia += c * sa[ax];
                ib += c * sb[ax];
            }
            int aOff = ia * m * ka;
            int bOff = ib * ka * n;
            int cOff = bi * m * n;
            if (dtype == DType.FLOAT32) {
                Kernels.get().sgemm(transA, transB, m, n, ka, f, aOff, lda, o.f, bOff, ldb, false, out.f, cOff, n);
            } else {
                Kernels.get().dgemm(transA, transB, m, n, ka, d, aOff, lda, o.d, bOff, ldb, false, out.d, cOff, n);
            }
        }
    }

    /** Swaps two axes (materialised copy). */
    public Tensor transpose(int axis0, int axis1) {
        int a0 = Shapes.axis("transpose", axis0, shape.length);
        int a1 = Shapes.axis("transpose", axis1, shape.length);
        if (a0 == a1) {
            return copy();
        }
        int[] perm = new int[shape.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        perm[a0] = a1;
        perm[a1] = a0;
        return permute(perm);
    }

    /** Transpose of a rank-2 tensor. */
    public Tensor t() {
        if (shape.length != 2) {
            throw new IllegalArgumentException("t: needs rank 2, got " + Shapes.str(shape));
        }
        return transpose(0, 1);
    }

    /** Reorders axes: output axis i is input axis {@code perm[i]}. */
    public Tensor permute(int... perm) {
        int r = shape.length;
        if (perm.length != r) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " for shape " + Shapes.str(shape));
        }
        int[] os = new int[r];
        int[] inSt = Shapes.strides(shape);
        int[] st = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            int p = Shapes.axis("permute", perm[i], r);
            if (seen[p]) {
                throw new IllegalArgumentException("permute: repeated axis in " + Arrays.toString(perm));
            }
            seen[p] = true;
            os[i] = shape[p];
            st[i] = inSt[p];
        }
        Tensor out = zeros(dtype, os);
        int n = numel();
        if (n == 0) {
            return out;
        }
        int[] idx = new int[r];
        int off = 0;
        for (int p = 0; p < n; p++) {
            out.setDouble(p, getDouble(off));
            for (int ax = r - 1; ax >= 0; ax--) {
                idx[ax]++;
                off += st[ax];
                if (idx[ax] < os[ax]) {
                    break;
                }
                off -= st[ax] * os[ax];
                idx[ax] = 0;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ structure

    /** Concatenates tensors along an axis; all other axes must agree. */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: no tensors");
        }
        Tensor first = parts[0];
        int r = first.shape.length;
        int a = Shapes.axis("concat", axis, r);
        int total = 0;
        for (Tensor p : parts) {
            first.requireSameType("concat", p);
            if (p.shape.length != r) {
                throw new IllegalArgumentException("concat: shapes " + Shapes.str(first.shape) + " and " + Shapes.str(p.shape) + " differ in rank");
            }
            for (int i = 0; i < r; i++) {
                if (i != a && p.shape[i] != first.shape[i]) {
                    throw new IllegalArgumentException("concat along axis " + a + ": shapes " + Shapes.str(first.shape)
                            + " and " + Shapes.str(p.shape) + " differ on axis " + i);
                }
            }
            total += p.shape[a];
        }
        int[] os = first.shape.clone();
        os[a] = total;
        Tensor out = zeros(first.dtype, os);
        int start = 0;
        for (Tensor p : parts) {
            out.setSliceInPlace(a, start, p);
            start += p.shape[a];
        }
        return out;
    }

    /** The sub-tensor {@code [start, end)} along an axis (a copy). */
    public Tensor slice(int axis, int start, int end) {
        int a = Shapes.axis("slice", axis, shape.length);
        if (start < 0 || end > shape[a] || start > end) {
            throw new IllegalArgumentException("slice: [" + start + ", " + end + ") out of range for axis " + a + " of " + Shapes.str(shape));
        }
        int[] os = shape.clone();
        os[a] = end - start;
        Tensor out = zeros(dtype, os);
        int inner = innerSize(a);
        int outer = Shapes.numel(Arrays.copyOf(shape, a));
        int len = (end - start) * inner;
        for (int o = 0; o < outer; o++) {
            int src = (o * shape[a] + start) * inner;
            int dst = o * len;
            copyRange(this, src, out, dst, len);
        }
        return out;
    }

    /** Writes {@code src} into this tensor at offset {@code start} along an axis. */
    public Tensor setSliceInPlace(int axis, int start, Tensor src) {
        int a = Shapes.axis("setSlice", axis, shape.length);
        requireSameType("setSlice", src);
        int w = src.shape.length == shape.length ? src.shape[a] : -1;
        for (int i = 0; i < shape.length && w >= 0; i++) {
            if (i != a && src.shape[i] != shape[i]) {
                w = -1;
            }
        }
        if (w < 0 || start < 0 || start + w > shape[a]) {
            throw new IllegalArgumentException("setSlice: cannot place " + Shapes.str(src.shape) + " at " + start
                    + " along axis " + a + " of " + Shapes.str(shape));
        }
        int inner = innerSize(a);
        int outer = Shapes.numel(Arrays.copyOf(shape, a));
        int len = w * inner;
        for (int o = 0; o < outer; o++) {
            copyRange(src, o * len, this, (o * shape[a] + start) * inner, len);
        }
        return this;
    }

    private static void copyRange(Tensor src, int srcOff, Tensor dst, int dstOff, int len) {
        if (src.f != null) {
            System.arraycopy(src.f, srcOff, dst.f, dstOff, len);
        } else {
            System.arraycopy(src.d, srcOff, dst.d, dstOff, len);
        }
    }

    /** Rows {@code idx[i]} of the first axis, in order (a gather; indices may repeat). */
    public Tensor gatherRows(int[] idx) {
        int rowLen = shape.length == 0 ? 1 : numel() / Math.max(1, shape[0]);
        int[] os = shape.clone();
        os[0] = idx.length;
        Tensor out = zeros(dtype, os);
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[0]) {
                throw new IndexOutOfBoundsException("gatherRows: index " + idx[i] + " out of range for " + Shapes.str(shape));
            }
            copyRange(this, idx[i] * rowLen, out, i * rowLen, rowLen);
        }
        return out;
    }

    /** The adjoint of {@link #gatherRows}: a tensor with {@code rows} rows where row {@code idx[i]} accumulates row i. */
    public Tensor scatterAddRows(int[] idx, int rows) {
        if (shape.length == 0 || shape[0] != idx.length) {
            throw new IllegalArgumentException("scatterAddRows: " + idx.length + " indices for shape " + Shapes.str(shape));
        }
        int rowLen = numel() / Math.max(1, shape[0]);
        int[] os = shape.clone();
        os[0] = rows;
        Tensor out = zeros(dtype, os);
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= rows) {
                throw new IndexOutOfBoundsException("scatterAddRows: index " + idx[i] + " out of range for " + rows + " rows");
            }
            for (int j = 0; j < rowLen; j++) {
                int k = idx[i] * rowLen + j;
                out.setDouble(k, out.getDouble(k) + getDouble(i * rowLen + j));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ comparison and printing

    /** True when shapes match and every pair satisfies {@code |a − b| ≤ atol + rtol·|b|}. */
    public boolean allClose(Tensor o, double rtol, double atol) {
        if (!Arrays.equals(shape, o.shape)) {
            return false;
        }
        for (int i = 0; i < numel(); i++) {
            double a = getDouble(i);
            double b = o.getDouble(i);
            if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(dtype.label()).append(Shapes.str(shape)).append(", [");
        int n = Math.min(numel(), 8);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(getDouble(i));
        }
        return sb.append(numel() > n ? ", ...])" : "])").toString();
    }
}
