package io.flotilla.dsl.iface.model;

import io.flotilla.dsl.source.SourcePos;
import java.util.List;

/**
 * A backend meta-parameter, {@code @name(key=value, ...)}, kept on a message for code generators that read it.
 * Values are numbers (decimal, hex or octal in the file) or identifiers.
 */
public record Annotation(String name, List<MetaArg> args, SourcePos pos) {

    public Annotation {
        args = List.copyOf(args);
    }

    /** One {@code key=value}; exactly one of {@code number} and {@code identifier} is non-null. */
    public record MetaArg(String key, Long number, String identifier, SourcePos pos) {}
}
