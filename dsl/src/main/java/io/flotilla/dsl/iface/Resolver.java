package io.flotilla.dsl.iface;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.iface.model.BuiltinType;
import io.flotilla.dsl.iface.model.Type;
import io.flotilla.dsl.source.SourcePos;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.antlr.v4.runtime.Token;

/**
 * Type names and bounds of one file, checked: resolves names against the {@link TypeScope} and reports unknown
 * names and out-of-range numbers at their tokens.
 */
final class Resolver {

    /** What to say wherever {@code String} appears other than as {@code String name[max]} argument. */
    static final String STRING_ONLY_AS_ARGUMENT =
            "String can only be a message argument with a maximum length: String name[max]";

    private final TypeScope scope;
    private final Positions positions;
    private final Diagnostics diagnostics;
    /** Where each unknown name was first used, in case the file declares it later. */
    private final Map<String, SourcePos> unknownUses = new HashMap<>();

    Resolver(TypeScope scope, Positions positions, Diagnostics diagnostics) {
        this.scope = scope;
        this.positions = positions;
        this.diagnostics = diagnostics;
    }

    Positions positions() {
        return positions;
    }

    Diagnostics diagnostics() {
        return diagnostics;
    }

    /**
     * The type a name stands for, or null after reporting why not (silently for a name whose declaration failed).
     * Only types declared before this point are visible, as in Flounder.
     */
    Type resolve(IfParser.IdentContext name) {
        String text = name.getText();
        Type t = scope.lookup(text);
        if (t != null) {
            return t;
        }
        if (scope.declaredAt(text) == null) {
            SourcePos pos = positions.of(name.start);
            diagnostics.error(pos, "unknown type '" + text + "'" + suggestion(text));
            unknownUses.putIfAbsent(text, pos);
        }
        return null;
    }

    /** A type is declared at {@code pos}: if it was used before, say where it is, as a compiler's note would. */
    void declared(String name, SourcePos pos) {
        SourcePos use = unknownUses.remove(name);
        if (use != null) {
            diagnostics.add(Diagnostic.note(pos, "'" + name + "' is declared here, after its use at " + use
                    + "; a type must be declared before it is used"));
        }
    }

    private static String suggestion(String name) {
        for (BuiltinType b : BuiltinType.values()) {
            if (b.typeName().equalsIgnoreCase(name)) {
                return "; did you mean '" + b.typeName() + "'?";
            }
        }
        return "";
    }

    /**
     * The number of a bound, if it lies in {@code 1..max}; otherwise reports it and returns -1.
     *
     * @param what the thing bounded, for the message: "maximum string length", "fixed array length", ...
     */
    long bound(IfParser.BoundContext bound, long max, String what) {
        Token number = bound.NUMBER().getSymbol();
        BigInteger value = Literals.natural(number.getText());
        if (bound.sign != null && bound.sign.getType() == IfLexer.MINUS) {
            value = value.negate();
        }
        if (value.signum() <= 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            Token at = bound.sign != null ? bound.sign : number;
            diagnostics.error(positions.of(at), what + " must be between 1 and " + max + ", not "
                    + (value.abs().equals(Literals.HUGE) ? "a number that large" : value));
            return -1;
        }
        return value.longValueExact();
    }
}
