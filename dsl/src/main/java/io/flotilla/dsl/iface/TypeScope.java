package io.flotilla.dsl.iface;

import io.flotilla.dsl.iface.model.AliasDef;
import io.flotilla.dsl.iface.model.ArrayDef;
import io.flotilla.dsl.iface.model.BuiltinType;
import io.flotilla.dsl.iface.model.StructDef;
import io.flotilla.dsl.iface.model.Type;
import io.flotilla.dsl.iface.model.TypeDef;
import io.flotilla.dsl.source.SourcePos;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The types visible at a point of an interface: the builtins, then every type declared so far (include files
 * first). As in Flounder, a builtin name always wins, and a declaration is visible only after it.
 *
 * <p>It also remembers a few facts per declared type, computed once when the type is declared from the facts of
 * the earlier types it uses. Nothing here recurses over type structure, so a file of 100,000 chained typedefs
 * cannot overflow the stack; records are kept in identity maps because their generated {@code hashCode} does
 * recurse.
 */
final class TypeScope {

    /** What the checker needs to know about a type without walking it. */
    record Facts(long flatFields, boolean hasCapability, int depth) {}

    /** The builtins by name: a type lookup happens for every argument, so not a linear search. */
    private static final Map<String, BuiltinType> BUILTINS = new HashMap<>();

    static {
        for (BuiltinType b : BuiltinType.values()) {
            BUILTINS.put(b.typeName(), b);
        }
    }

    private static final Facts SCALAR = new Facts(1, false, 0);
    private static final Facts CAPABILITY = new Facts(1, true, 0);

    private final Map<String, TypeDef> types = new HashMap<>();
    /** Every name declared so far, including declarations that had errors (so their uses stay quiet). */
    private final Map<String, SourcePos> declaredAt = new HashMap<>();
    private final Map<TypeDef, Facts> facts = new IdentityHashMap<>();

    /** The type a name stands for, or null if it is unknown or its declaration had errors. */
    Type lookup(String name) {
        Type builtin = BUILTINS.get(name);
        return builtin != null ? builtin : types.get(name);
    }

    /** Whether a name is a builtin's, which no declaration can take. */
    static boolean isBuiltin(String name) {
        return BUILTINS.containsKey(name);
    }

    /** Where a name was declared, or null. */
    SourcePos declaredAt(String name) {
        return declaredAt.get(name);
    }

    TypeDef declared(String name) {
        return types.get(name);
    }

    /** Records a name whose declaration had errors: it is taken, but stands for nothing. */
    void declareBroken(String name, SourcePos pos) {
        declaredAt.put(name, pos);
    }

    void declare(TypeDef def, Facts defFacts) {
        declaredAt.put(def.typeName(), def.pos());
        types.put(def.typeName(), def);
        facts.put(def, defFacts);
    }

    Facts facts(Type type) {
        if (type instanceof BuiltinType b) {
            return b.isCapability() ? CAPABILITY : SCALAR;
        }
        return facts.get((TypeDef) type);
    }

    /** The facts of a new type, from those of the (earlier, already declared) types it is built from. */
    Facts factsOf(TypeDef def) {
        if (def instanceof AliasDef a) {
            Facts target = facts(a.target());
            return new Facts(target.flatFields(), target.hasCapability(), target.depth() + 1);
        } else if (def instanceof ArrayDef a) {
            Facts element = facts(a.element());
            return new Facts(1, element.hasCapability(), element.depth() + 1);
        } else if (def instanceof StructDef s) {
            long flat = 0;
            boolean cap = false;
            int depth = 0;
            for (StructDef.Field f : s.fields()) {
                Facts field = facts(f.type());
                flat = Math.min(flat + field.flatFields(), Long.MAX_VALUE / 2);
                cap |= field.hasCapability();
                depth = Math.max(depth, field.depth());
            }
            return new Facts(flat, cap, depth + 1);
        }
        return new Facts(1, false, 1); // an EnumDef, the only other kind
    }
}
