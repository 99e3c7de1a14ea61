package org.flowmatch4j.tensor;

/** Pointwise binary operations used by {@link Tensor}'s broadcasting arithmetic. */
public enum BinaryOp {
    ADD {
        @Override
        public double apply(double x, double y) {
            return x + y;
        }
    },
    SUB {
        @Override
        public double apply(double x, double y) {
            return x - y;
        }
    },
    MUL {
        @Override
        public double apply(double x, double y) {
            return x * y;
        }
    },
    DIV {
        @Override
        public double apply(double x, double y) {
            return x / y;
        }
    },
    POW {
        @Override
        public double apply(double x, double y) {
            return Math.pow(x, y);
        }
    },
    MAX {
        @Override
        public double apply(double x, double y) {
            return Math.max(x, y);
        }
    },
    MIN {
        @Override
        public double apply(double x, double y) {
            return Math.min(x, y);
        }
    },
    /** 1 where x &gt; y else 0. */
    GT {
        @Override
        public double apply(double x, double y) {
            return x > y ? 1 : 0;
        }
    },
    /** 1 where x &gt;= y else 0. */
    GE {
        @Override
        public double apply(double x, double y) {
            return x >= y ? 1 : 0;
        }
    },
    /** 1 where x &lt; y else 0. */
    LT {
        @Override
        public double apply(double x, double y) {
            return x < y ? 1 : 0;
        }
    },
    /** 1 where x &lt;= y else 0. */
    LE {
        @Override
        public double apply(double x, double y) {
            return x <= y ? 1 : 0;
        }
    },
    /** 1 where x == y else 0. */
    EQ {
        @Override
        public double apply(double x, double y) {
            return x == y ? 1 : 0;
        }
    };

    /** The value of the operation on one pair. */
    public abstract double apply(double x, double y);

    /** Lower-case name used in error messages. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
