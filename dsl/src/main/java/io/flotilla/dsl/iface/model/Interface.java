package io.flotilla.dsl.iface.model;

import io.flotilla.dsl.source.SourcePos;
import java.util.List;

/**
 * A checked interface: the output of the interface-language front end and the input of the code generator.
 *
 * @param description the description string, or the interface name when the file gives none (as Flounder does)
 * @param doc the comment written before the {@code interface} keyword, "" if none
 * @param types every declared type in declaration order, those from include files first
 * @param messages messages and rpcs in file order; never empty
 */
public record Interface(String name, String description, String doc, List<TypeDef> types, List<Message> messages,
        SourcePos pos) {

    public Interface {
        types = List.copyOf(types);
        messages = List.copyOf(messages);
    }
}
