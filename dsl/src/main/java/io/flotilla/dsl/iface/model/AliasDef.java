package io.flotilla.dsl.iface.model;

import io.flotilla.dsl.source.SourcePos;

/**
 * Another name for a type: {@code alias coreid uint8;} (target always a builtin) or {@code typedef uint32 foo;}
 * (target any previously declared type).
 *
 * @param target the resolved type it stands for (never itself unresolved)
 * @param typedef true for the {@code typedef T name;} form, false for {@code alias}
 */
public record AliasDef(String typeName, Type target, boolean typedef, SourcePos pos, String doc, boolean included)
        implements TypeDef {

    /** Follows alias chains down to the first non-alias type. */
    public Type resolved() {
        Type t = target;
        while (t instanceof AliasDef a) {
            t = a.target();
        }
        return t;
    }
}
