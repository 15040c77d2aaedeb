package io.flotilla.dsl.iface.model;

import io.flotilla.dsl.source.SourcePos;
import java.util.List;

/** {@code typedef struct { T a; U b; } name;} — at least one field; fields are simple (no strings or arrays). */
public record StructDef(String typeName, List<Field> fields, SourcePos pos, String doc, boolean included)
        implements TypeDef {

    public StructDef {
        fields = List.copyOf(fields);
    }

    /** One struct field. {@code doc} may come from a trailing {@code ///<} comment as in Barrelfish files. */
    public record Field(String name, Type type, SourcePos pos, String doc) {}
}
