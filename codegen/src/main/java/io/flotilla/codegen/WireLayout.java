package io.flotilla.codegen;

import io.flotilla.dsl.iface.model.AliasDef;
import io.flotilla.dsl.iface.model.Argument;
import io.flotilla.dsl.iface.model.ArrayDef;
import io.flotilla.dsl.iface.model.BuiltinType;
import io.flotilla.dsl.iface.model.EnumDef;
import io.flotilla.dsl.iface.model.StructDef;
import io.flotilla.dsl.iface.model.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frame layout of one wire message (a {@code message}, or one half of an {@code rpc}), computed at generation
 * time: which fixed-size piece goes into which bits of which word, how many frames the fixed part takes, and which
 * variable-length parts follow. See {@code docs/wire-format.md}.
 */
final class WireLayout {

    /** Payload words per frame. */
    static final int WORDS_PER_FRAME = 7;

    /** What a fixed-size piece is, which decides how it is written and checked. */
    enum PieceKind { BOOL, INT, ENUM, CAP }

    /**
     * One primitive field after flattening.
     *
     * @param index position in declaration order (the order flattening produced)
     * @param path how to reach it from the argument list: argument index, then struct field / array element indexes
     */
    record Piece(int index, int bits, PieceKind kind, Type type, List<Integer> path) {}

    /** Where a piece ended up. */
    record Placement(Piece piece, int word, int shift) {}

    /** A variable-length part: a bounded string or a dynamic array, in argument order. */
    record Part(int argIndex, boolean string, int elementBits, long max) {

        /** Elements per 64-bit word: strings and booleans travel as bytes. */
        int perWord() {
            return 64 / elementBits;
        }
    }

    final List<Argument> args;
    final List<Piece> pieces = new ArrayList<>();
    final List<Placement> placements = new ArrayList<>();
    final List<Part> parts = new ArrayList<>();
    int fixedWords;
    int fixedFrames;

    /** Java arrays cannot be longer than this; larger declared maxima are clamped (with a warning). */
    static final long JAVA_ARRAY_MAX = Integer.MAX_VALUE - 8;

    /** More pieces than this in one wire message would make generated methods too large for the JVM. */
    static final int MAX_PIECES = 2048;

    /**
     * How many pieces the fixed-size arguments flatten to, counted arithmetically (saturating at
     * {@code Long.MAX_VALUE}): nested fixed arrays multiply (two arrays of 4096 structs of two arrays of 4096 ...
     * is astronomically many), so they are never expanded before the count says the message fits.
     */
    final long flatCount;

    WireLayout(List<Argument> args) {
        this.args = List.copyOf(args);
        this.flatCount = countPieces(args);
        if (flatCount > MAX_PIECES) {
            // Refused by the generator; the layout stays empty so that nothing is expanded.
            return;
        }
        for (int i = 0; i < args.size(); i++) {
            Argument a = args.get(i);
            if (a.shape() instanceof Argument.Shape.BoundedString s) {
                parts.add(new Part(i, true, 8, Math.min(s.maxBytes() - 1, JAVA_ARRAY_MAX)));
            } else if (a.shape() instanceof Argument.Shape.DynamicArray d) {
                BuiltinType e = (BuiltinType) resolve(a.type());
                int bits = e == BuiltinType.BOOL ? 8 : e.bits();
                parts.add(new Part(i, false, bits, Math.min(d.maxCount(), JAVA_ARRAY_MAX)));
            } else {
                flatten(a.type(), List.of(i));
            }
        }
        List<Piece> sorted = new ArrayList<>(pieces);
        sorted.sort(Comparator.comparingInt(Piece::bits)); // List.sort is stable
        int used = 64;
        int word = -1;
        for (Piece p : sorted) {
            if (used + p.bits() > 64) {
                word++;
                used = 0;
            }
            placements.add(new Placement(p, word, used));
            used += p.bits();
        }
        fixedWords = word + 1;
        fixedFrames = (fixedWords + WORDS_PER_FRAME - 1) / WORDS_PER_FRAME;
        if (fixedFrames == 0 && parts.isEmpty()) {
            fixedFrames = 1; // an empty message still takes one frame
        }
    }

    /** Pieces of the fixed-size arguments, {@code Long.MAX_VALUE} standing for that many or more. */
    static long countPieces(List<Argument> args) {
        var memo = new IdentityHashMap<Type, Long>();
        long n = 0;
        for (Argument a : args) {
            if (a.shape() instanceof Argument.Shape.BoundedString || a.shape() instanceof Argument.Shape.DynamicArray) {
                continue;
            }
            n = saturatedAdd(n, countPieces(a.type(), memo));
        }
        return n;
    }

    /** Memoised per type, so a deep chain of structs of two fields each costs one visit per type, not 2^depth. */
    private static long countPieces(Type type, Map<Type, Long> memo) {
        Type t = resolve(type);
        Long known = memo.get(t);
        if (known != null) {
            return known;
        }
        long n;
        if (t instanceof StructDef s) {
            n = 0;
            for (StructDef.Field f : s.fields()) {
                n = saturatedAdd(n, countPieces(f.type(), memo));
            }
        } else if (t instanceof ArrayDef a) {
            long each = countPieces(a.element(), memo);
            n = each > Long.MAX_VALUE / Math.max(1, a.length()) ? Long.MAX_VALUE : each * a.length();
        } else {
            n = 1; // a builtin or an enum: one piece
        }
        memo.put(t, n);
        return n;
    }

    private static long saturatedAdd(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    static Type resolve(Type t) {
        return t instanceof AliasDef a ? a.resolved() : t;
    }

    private void flatten(Type type, List<Integer> path) {
        Type t = resolve(type);
        if (t instanceof BuiltinType b) {
            if (b.isCapability()) {
                pieces.add(new Piece(pieces.size(), 32, PieceKind.CAP, b, path));
            } else if (b == BuiltinType.BOOL) {
                pieces.add(new Piece(pieces.size(), 1, PieceKind.BOOL, b, path));
            } else {
                pieces.add(new Piece(pieces.size(), b.bits(), PieceKind.INT, b, path));
            }
        } else if (t instanceof EnumDef) {
            pieces.add(new Piece(pieces.size(), 32, PieceKind.ENUM, t, path));
        } else if (t instanceof StructDef s) {
            for (int i = 0; i < s.fields().size(); i++) {
                flatten(s.fields().get(i).type(), append(path, i));
            }
        } else if (t instanceof ArrayDef a) {
            for (int i = 0; i < a.length(); i++) {
                flatten(a.element(), append(path, i));
            }
        }
    }

    private static List<Integer> append(List<Integer> path, int i) {
        var p = new ArrayList<>(path);
        p.add(i);
        return List.copyOf(p);
    }

    /** Mask of the bits of fixed word {@code word} that carry pieces. */
    long usedMask(int word) {
        long m = 0;
        for (Placement p : placements) {
            if (p.word() == word) {
                m |= mask(p.piece().bits()) << p.shift();
            }
        }
        return m;
    }

    static long mask(int bits) {
        return bits == 64 ? -1L : (1L << bits) - 1;
    }

    boolean hasCaps() {
        return pieces.stream().anyMatch(p -> p.kind() == PieceKind.CAP);
    }

    /** Canonical text of a type's wire form, for the interface fingerprint. */
    static String canonical(Type type) {
        Type t = resolve(type);
        if (t instanceof BuiltinType b) {
            return switch (b) {
                case INT -> "int32";
                default -> b.typeName();
            };
        } else if (t instanceof EnumDef e) {
            return "enum" + e.members().size();
        } else if (t instanceof StructDef s) {
            var sb = new StringBuilder("struct{");
            for (int i = 0; i < s.fields().size(); i++) {
                sb.append(i == 0 ? "" : ",").append(canonical(s.fields().get(i).type()));
            }
            return sb.append('}').toString();
        } else if (t instanceof ArrayDef a) {
            return canonical(a.element()) + "[" + a.length() + "]";
        }
        throw new IllegalStateException("unresolved type " + t);
    }

    /** Canonical text of an argument list's wire form. */
    static String canonical(List<Argument> args) {
        var sb = new StringBuilder("(");
        for (int i = 0; i < args.size(); i++) {
            Argument a = args.get(i);
            sb.append(i == 0 ? "" : ",");
            if (a.shape() instanceof Argument.Shape.BoundedString s) {
                sb.append("String<").append(s.maxBytes()).append('>');
            } else if (a.shape() instanceof Argument.Shape.DynamicArray d) {
                sb.append(canonical(a.type())).append("[<=").append(d.maxCount()).append(']');
            } else {
                sb.append(canonical(a.type()));
            }
        }
        return sb.append(')').toString();
    }
}
