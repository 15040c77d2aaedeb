package io.flotilla.skb;

import java.util.Map;
import org.projog.core.math.AbstractArithmeticOperator;
import org.projog.core.math.Numeric;
import org.projog.core.predicate.PredicateKey;
import org.projog.core.term.DecimalFraction;
import org.projog.core.term.IntegerNumberCache;
import org.projog.core.term.TermType;

/**
 * Integer arithmetic for the SKB that fails instead of wrapping. Projog computes in Java {@code long}s and lets
 * them overflow silently ({@code X is 2 ^ 200} answers 0; {@code 1 << 64} answers 1), so an SKB rule or query
 * could get a wrong number with no sign of it. These operators replace Projog's for {@code + - * ^ ** / // abs
 * << >>}: the same results where the result fits, an {@link ArithmeticException} naming the expression where it
 * does not. Decimals keep IEEE double semantics.
 */
final class CheckedArithmetic {

    private CheckedArithmetic() {}

    /** The replacements, by the key Projog's operator table registers the originals under. */
    static Map<PredicateKey, AbstractArithmeticOperator> operators() {
        return Map.ofEntries(
                Map.entry(new PredicateKey("+", 2), new Binary("+", Math::addExact, Double::sum)),
                Map.entry(new PredicateKey("-", 2), new Binary("-", Math::subtractExact, (a, b) -> a - b)),
                Map.entry(new PredicateKey("*", 2), new Binary("*", Math::multiplyExact, (a, b) -> a * b)),
                Map.entry(new PredicateKey("^", 2), new Power("^")),
                Map.entry(new PredicateKey("**", 2), new Power("**")),
                Map.entry(new PredicateKey("/", 2), new Divide()),
                Map.entry(new PredicateKey("//", 2), new IntegerOnly("//", CheckedArithmetic::integerDivide)),
                Map.entry(new PredicateKey("<<", 2), new IntegerOnly("<<", CheckedArithmetic::shiftLeft)),
                Map.entry(new PredicateKey(">>", 2), new IntegerOnly(">>", CheckedArithmetic::shiftRight)),
                Map.entry(new PredicateKey("-", 1), new Unary("-", Math::negateExact, a -> -a)),
                Map.entry(new PredicateKey("abs", 1), new Unary("abs", Math::absExact, Math::abs)));
    }

    private interface LongOp {
        long apply(long a, long b);
    }

    private interface DoubleOp {
        double apply(double a, double b);
    }

    private static boolean integers(Numeric a, Numeric b) {
        return a.getType() == TermType.INTEGER && b.getType() == TermType.INTEGER;
    }

    private static ArithmeticException overflow(String expression) {
        return new ArithmeticException("integer overflow: " + expression + " does not fit in 64 bits");
    }

    private static long integerDivide(long a, long b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero: " + a + " // 0");
        }
        if (a == Long.MIN_VALUE && b == -1) {
            throw overflow(a + " // " + b);
        }
        return a / b;
    }

    private static long shiftLeft(long a, long b) {
        if (b < 0) {
            throw new ArithmeticException("negative shift: " + a + " << " + b);
        }
        // Java shifts by b mod 64: 1 << 64 would be 1. Beyond 63, or when bits fall off, it is an overflow.
        if (a != 0 && (b > 62 || (a << b) >> b != a)) {
            throw overflow(a + " << " + b);
        }
        return a << b;
    }

    private static long shiftRight(long a, long b) {
        if (b < 0) {
            throw new ArithmeticException("negative shift: " + a + " >> " + b);
        }
        return b > 63 ? (a < 0 ? -1 : 0) : a >> b;
    }

    /** {@code a op b}: exact on integers, IEEE on decimals. */
    private static final class Binary extends AbstractArithmeticOperator {
        private final String name;
        private final LongOp exact;
        private final DoubleOp decimal;

        Binary(String name, LongOp exact, DoubleOp decimal) {
            this.name = name;
            this.exact = exact;
            this.decimal = decimal;
        }

        @Override
        protected Numeric calculate(Numeric a, Numeric b) {
            if (!integers(a, b)) {
                return new DecimalFraction(decimal.apply(a.getDouble(), b.getDouble()));
            }
            try {
                return IntegerNumberCache.valueOf(exact.apply(a.getLong(), b.getLong()));
            } catch (ArithmeticException e) {
                throw overflow(a.getLong() + " " + name + " " + b.getLong());
            }
        }
    }

    /** An integer-only operator ({@code //}, shifts), as Projog's are. */
    private static final class IntegerOnly extends AbstractArithmeticOperator {
        private final String name;
        private final LongOp exact;

        IntegerOnly(String name, LongOp exact) {
            this.name = name;
            this.exact = exact;
        }

        @Override
        protected Numeric calculate(Numeric a, Numeric b) {
            if (!integers(a, b)) {
                throw new ArithmeticException("'" + name + "' needs integers, not " + a + " and " + b);
            }
            return IntegerNumberCache.valueOf(exact.apply(a.getLong(), b.getLong()));
        }
    }

    /** {@code -X}, {@code abs(X)}: the one overflow is the most negative integer. */
    private static final class Unary extends AbstractArithmeticOperator {
        private final String name;
        private final java.util.function.LongUnaryOperator exact;
        private final java.util.function.DoubleUnaryOperator decimal;

        Unary(String name, java.util.function.LongUnaryOperator exact, java.util.function.DoubleUnaryOperator decimal) {
            this.name = name;
            this.exact = exact;
            this.decimal = decimal;
        }

        @Override
        protected Numeric calculate(Numeric a) {
            if (a.getType() != TermType.INTEGER) {
                return new DecimalFraction(decimal.applyAsDouble(a.getDouble()));
            }
            try {
                return IntegerNumberCache.valueOf(exact.applyAsLong(a.getLong()));
            } catch (ArithmeticException e) {
                throw overflow(name + "(" + a.getLong() + ")");
            }
        }
    }

    /** {@code X ^ Y}, {@code X ** Y}: exact for integers and a non-negative integer exponent. */
    private static final class Power extends AbstractArithmeticOperator {
        private final String name;

        Power(String name) {
            this.name = name;
        }

        @Override
        protected Numeric calculate(Numeric a, Numeric b) {
            if (!integers(a, b) || b.getLong() < 0) {
                return new DecimalFraction(Math.pow(a.getDouble(), b.getDouble()));
            }
            long base = a.getLong();
            long exponent = b.getLong();
            long result = 1;
            try {
                // Square and multiply, every step checked; at most 64 squarings before an overflow or the end.
                while (exponent > 0) {
                    if ((exponent & 1) != 0) {
                        result = Math.multiplyExact(result, base);
                    }
                    exponent >>= 1;
                    if (exponent > 0) {
                        base = Math.multiplyExact(base, base);
                    }
                }
            } catch (ArithmeticException e) {
                throw overflow(a.getLong() + " " + name + " " + b.getLong());
            }
            return IntegerNumberCache.valueOf(result);
        }
    }

    /** {@code X / Y}: an integer when it divides exactly, as Projog's; otherwise a decimal. */
    private static final class Divide extends AbstractArithmeticOperator {
        @Override
        protected Numeric calculate(Numeric a, Numeric b) {
            if (!integers(a, b)) {
                return new DecimalFraction(a.getDouble() / b.getDouble());
            }
            long x = a.getLong();
            long y = b.getLong();
            if (y == 0) {
                throw new ArithmeticException("division by zero: " + x + " / 0");
            }
            if (x == Long.MIN_VALUE && y == -1) {
                throw overflow(x + " / " + y);
            }
            return x % y == 0 ? IntegerNumberCache.valueOf(x / y) : new DecimalFraction((double) x / y);
        }
    }
}
