package org.flowmatch4j.tensor;

/** Pointwise unary functions (activations live in {@code kernels.Activation}). */
public enum UnaryOp {
    NEG {
        @Override
        public double apply(double x) {
            return -x;
        }
    },
    EXP {
        @Override
        public double apply(double x) {
            return Math.exp(x);
        }
    },
    LOG {
        @Override
        public double apply(double x) {
            return Math.log(x);
        }
    },
    LOG1P {
        @Override
        public double apply(double x) {
            return Math.log1p(x);
        }
    },
    SQRT {
        @Override
        public double apply(double x) {
            return Math.sqrt(x);
        }
    },
    ABS {
        @Override
        public double apply(double x) {
            return Math.abs(x);
        }
    },
    SQUARE {
        @Override
        public double apply(double x) {
            return x * x;
        }
    },
    SIGN {
        @Override
        public double apply(double x) {
            return Math.signum(x);
        }
    },
    RECIPROCAL {
        @Override
        public double apply(double x) {
            return 1.0 / x;
        }
    },
    SIN {
        @Override
        public double apply(double x) {
            return Math.sin(x);
        }
    },
    COS {
        @Override
        public double apply(double x) {
            return Math.cos(x);
        }
    };

    /** The value of the function at x. */
    public abstract double apply(double x);
}
