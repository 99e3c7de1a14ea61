package org.flowmatch4j.nn;

/** An indexed container of sub-modules named {@code 0, 1, 2, …} (PyTorch's {@code nn.ModuleList}). */
public final class ModuleList extends Module {
    private final java.util.List<Module> items = new java.util.ArrayList<>();

    /** Appends a module under the next index and returns it. */
    public <M extends Module> M add(M m) {
        items.add(registerModule(Integer.toString(items.size()), m));
        return m;
    }

    /** The module at an index. */
    public Module get(int i) {
        return items.get(i);
    }

    /** Number of modules added. */
    public int size() {
        return items.size();
    }
}
