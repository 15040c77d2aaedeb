package io.flotilla.dsl.iface.model;

import io.flotilla.dsl.source.SourcePos;

/** {@code typedef uint64 coremask[4];} — a fixed-length array; every element travels in the fixed part. */
public record ArrayDef(String typeName, Type element, int length, SourcePos pos, String doc, boolean included)
        implements TypeDef {}
