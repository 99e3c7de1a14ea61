package org.flowmatch4j.autodiff;

/** A recorded operation: its inputs and its backward function. */
final class Node {
    final String op;
    final Var[] inputs;
    final BackwardFn backward;

    Node(String op, Var[] inputs, BackwardFn backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }
}
