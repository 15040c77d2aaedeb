package io.flotilla.dsl.iface.model;

/**
 * A resolved type of the interface language: either a builtin or a declared type.
 *
 * <p>Resolution happens in the front end; later stages never look a name up.
 */
public sealed interface Type permits BuiltinType, TypeDef {

    /** The name as written in the interface file ({@code uint32}, {@code extent}, ...). */
    String typeName();
}
