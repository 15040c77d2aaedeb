package io.flotilla.dsl.iface.model;

import io.flotilla.dsl.source.SourcePos;

/** A type declared in an interface file or an include file. */
public sealed interface TypeDef extends Type permits AliasDef, StructDef, EnumDef, ArrayDef {

    /** Where it is declared (possibly in an include file). */
    SourcePos pos();

    /** The comment written just before the declaration, without comment markers; "" if none. */
    String doc();

    /** Whether it came from an include file ({@code -i FILE}) rather than the interface file itself. */
    boolean included();
}
