package org.flowmatch4j.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.flowmatch4j.tensor.DType;
import org.flowmatch4j.tensor.Shapes;
import org.flowmatch4j.tensor.Tensor;

/**
 * Reverse-mode differentiation over the graph recorded by {@link Var} operations.
 *
 * <p>{@link #grad} computes vector–Jacobian products {@code vᵀ·∂y/∂x} with respect to any recorded
 * values (inputs as well as parameters); with {@code createGraph} the result is itself recorded, which
 * gives higher-order gradients. {@link #jvp} computes Jacobian–vector products {@code ∂y/∂x·v} by the
 * double-VJP trick: {@code g(u) = (∂y/∂x)ᵀu} is linear in {@code u}, so {@code ∂(g·v)/∂u = (∂y/∂x)v}.
 */
public final class Autograd {
    private Autograd() {
    }

    /**
     * Backpropagates from a one-element value and adds the gradient into {@link Var#grad()} of every leaf
     * that requires one (PyTorch's {@code loss.backward()}). The graph is not retained as a gradient graph.
     */
    public static void backward(Var loss) {
        if (loss.value().numel() != 1) {
            throw new IllegalArgumentException("backward: loss must have one element, got shape " + Shapes.str(loss.shape()));
        }
        if (!loss.requiresGrad()) {
            throw new IllegalStateException("backward: the loss does not depend on anything that requires a gradient");
        }
        Map<Var, Var> grads = run(new Var[] {loss}, new Var[] {ones(loss)}, null, false);
        for (Map.Entry<Var, Var> e : grads.entrySet()) {
            Var v = e.getKey();
            if (v.isLeaf() && v.requiresGrad()) {
                v.accumulateGrad(e.getValue().value());
            }
        }
    }

    /** Gradient of a one-element output with respect to each input (zeros where an input is unused). */
    public static Var[] grad(Var output, Var... inputs) {
        return grad(new Var[] {output}, null, inputs, false);
    }

    /**
     * Vector–Jacobian products: for each input x, {@code Σ_k gradOutputs[k]ᵀ · ∂outputs[k]/∂x}.
     *
     * @param gradOutputs one cotangent per output shaped like it, or null when every output has one element
     * @param createGraph record the computation so that the result can be differentiated again
     * @return one gradient per input, shaped like it (zeros when the input does not influence the outputs)
     */
    public static Var[] grad(Var[] outputs, Var[] gradOutputs, Var[] inputs, boolean createGraph) {
        Var[] seeds = new Var[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            if (gradOutputs == null || gradOutputs[i] == null) {
                if (outputs[i].value().numel() != 1) {
                    throw new IllegalArgumentException("grad: output " + i + " has shape " + Shapes.str(outputs[i].shape())
                            + "; a non-scalar output needs a gradOutput");
                }
                seeds[i] = ones(outputs[i]);
            } else {
                if (!Arrays.equals(gradOutputs[i].shape(), outputs[i].shape())) {
                    throw new IllegalArgumentException("grad: gradOutput shape " + Shapes.str(gradOutputs[i].shape())
                            + " does not match output shape " + Shapes.str(outputs[i].shape()));
                }
                seeds[i] = gradOutputs[i];
            }
        }
        Set<Var> targets = Collections.newSetFromMap(new IdentityHashMap<>());
        targets.addAll(Arrays.asList(inputs));
        Map<Var, Var> grads = run(outputs, seeds, targets, createGraph);
        Var[] out = new Var[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Var g = grads.get(inputs[i]);
            out[i] = g != null ? g : Var.constant(Tensor.zeros(inputs[i].dtype(), inputs[i].shape()));
        }
        return out;
    }

    /** Vector–Jacobian product {@code vᵀ·∂output/∂input}. */
    public static Var vjp(Var output, Var v, Var input, boolean createGraph) {
        return grad(new Var[] {output}, new Var[] {v}, new Var[] {input}, createGraph)[0];
    }

    /**
     * Jacobian–vector product {@code ∂output/∂input · v} by the double-VJP trick.
     *
     * @param createGraph record the result for further differentiation
     */
    public static Var jvp(Var output, Var input, Var v, boolean createGraph) {
        if (!Arrays.equals(v.shape(), input.shape())) {
            throw new IllegalArgumentException("jvp: tangent shape " + Shapes.str(v.shape()) + " does not match input shape " + Shapes.str(input.shape()));
        }
        Var u = Var.param(Tensor.zeros(output.dtype(), output.shape()));
        Var g = grad(new Var[] {output}, new Var[] {u}, new Var[] {input}, true)[0];
        if (!g.requiresGrad()) {
            // the output does not depend on the input: the product is zero
            return Var.constant(Tensor.zeros(output.dtype(), output.shape()));
        }
        return grad(new Var[] {g}, new Var[] {v}, new Var[] {u}, createGraph)[0];
    }

    /**
     * The explicit Jacobian {@code J[i][j] = ∂f(x)_i / ∂x_j} of a function at x, as a
     * [numel(f(x)), numel(x)] tensor, built from one VJP per output element (for tests and small d).
     */
    public static Tensor jacobian(UnaryOperator<Var> f, Tensor x) {
        Var in = Var.param(x);
        Var y = f.apply(in);
        int m = y.value().numel();
        int n = x.numel();
        DType dt = x.dtype();
        Tensor jac = Tensor.zeros(dt, m, n);
        for (int i = 0; i < m; i++) {
            Tensor e = Tensor.zeros(y.dtype(), y.shape());
            e.setDouble(i, 1.0);
            Var row = grad(new Var[] {y}, new Var[] {Var.constant(e)}, new Var[] {in}, false)[0];
            for (int j = 0; j < n; j++) {
                jac.setDouble(i * n + j, row.value().getDouble(j));
            }
        }
        return jac;
    }

    private static Var ones(Var like) {
        return Var.constant(Tensor.ones(like.dtype(), like.shape()));
    }

    /**
     * Runs the backward sweep. With {@code targets == null} every leaf requiring a gradient is a target.
     * Returns the gradients of the targets (and, for a full backward, of the leaves).
     */
    private static Map<Var, Var> run(Var[] outputs, Var[] seeds, Set<Var> targets, boolean createGraph) {
        List<Var> order = topologicalOrder(outputs);
        // relevant: the var is a target or some target lies below it
        Set<Var> relevant = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Var v : order) {
            boolean r = targets == null ? v.requiresGrad() : targets.contains(v);
            if (!r && v.node != null) {
                for (Var in : v.node.inputs) {
                    if (in != null && relevant.contains(in)) {
                        r = true;
                        break;
                    }
                }
            }
            if (r) {
                relevant.add(v);
            }
        }
        Map<Var, Var> grads = new IdentityHashMap<>();
        // sums this sweep allocated itself and nobody else has seen: later contributions are added in place
        // (same float results, no new tensor). Not with createGraph, where every sum is a recorded op.
        Set<Var> owned = createGraph ? null : Collections.newSetFromMap(new IdentityHashMap<>());
        try (GradMode.Scope scope = GradMode.set(createGraph)) {
            for (int i = 0; i < outputs.length; i++) {
                accumulate(grads, owned, outputs[i], seeds[i]);
            }
            for (int k = order.size() - 1; k >= 0; k--) {
                Var v = order.get(k);
                Var g = grads.get(v);
                if (g == null || v.node == null || !relevant.contains(v)) {
                    continue;
                }
                Var[] ins = v.node.inputs;
                boolean[] needs = new boolean[ins.length];
                boolean any = false;
                for (int i = 0; i < ins.length; i++) {
                    needs[i] = ins[i] != null && ins[i].requiresGrad() && relevant.contains(ins[i]);
                    any |= needs[i];
                }
                if (!any) {
                    continue;
                }
                if (owned != null) {
                    // the backward may pass g itself on to an input, and v's gradient may be returned: no more writes
                    owned.remove(g);
                }
                Var[] gs = v.node.backward.apply(g, v, needs);
                for (int i = 0; i < ins.length; i++) {
                    if (needs[i]) {
                        if (!Arrays.equals(gs[i].shape(), ins[i].shape())) {
                            throw new IllegalStateException("backward of " + v.node.op + " produced gradient shape "
                                    + Shapes.str(gs[i].shape()) + " for input shape " + Shapes.str(ins[i].shape()));
                        }
                        accumulate(grads, owned, ins[i], gs[i]);
                    }
                }
                if (!createGraph && (targets == null ? !v.isLeaf() : !targets.contains(v))) {
                    grads.remove(v); // intermediate gradient no longer needed: free it early
                }
            }
        }
        return grads;
    }

    private static void accumulate(Map<Var, Var> grads, Set<Var> owned, Var v, Var g) {
        Var prev = grads.get(v);
        if (prev == null) {
            grads.put(v, g);
        } else if (owned != null && owned.contains(prev)) {
            prev.value().addInPlace(g.value());
        } else {
            Var sum = prev.add(g);
            grads.put(v, sum);
            if (owned != null) {
                owned.add(sum);
            }
        }
    }

    /** Post-order (inputs before users) of every value requiring a gradient reachable from the outputs; iterative. */
    private static List<Var> topologicalOrder(Var[] outputs) {
        List<Var> order = new ArrayList<>();
        Set<Var> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        for (Var o : outputs) {
            if (o.requiresGrad() && visited.add(o)) {
                stack.push(new Object[] {o, 0});
            }
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                Var v = (Var) top[0];
                int next = (Integer) top[1];
                Var[] ins = v.node == null ? new Var[0] : v.node.inputs;
                boolean pushed = false;
                while (next < ins.length) {
                    Var in = ins[next++];
                    if (in != null && in.requiresGrad() && visited.add(in)) {
                        top[1] = next;
                        stack.push(new Object[] {in, 0});
                        pushed = true;
                        break;
                    }
                }
                if (!pushed) {
                    stack.pop();
                    order.add(v);
                }
            }
        }
        return order;
    }
}
