package io.flotilla.dsl.iface.model;

import io.flotilla.dsl.source.SourcePos;
import java.util.List;

/**
 * {@code typedef enum { A, B } name;} — members are numbered 0, 1, 2, ... in declaration order and travel as an
 * int32, as in Flounder.
 */
public record EnumDef(String typeName, List<Member> members, SourcePos pos, String doc, boolean included)
        implements TypeDef {

    public EnumDef {
        members = List.copyOf(members);
    }

    public record Member(String name, SourcePos pos) {}
}
