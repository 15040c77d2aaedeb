package io.flotilla.dsl.iface.model;

import io.flotilla.dsl.source.SourcePos;
import java.util.List;

/** A {@code message} or an {@code rpc}, in file order. An rpc travels as a call and a response message. */
public record Message(Kind kind, String name, List<Argument> arguments, List<Annotation> annotations,
        SourcePos pos, String doc) {

    public enum Kind { MESSAGE, RPC }

    public Message {
        arguments = List.copyOf(arguments);
        annotations = List.copyOf(annotations);
    }

    /** The arguments of the call half of an rpc ({@code in}), or all arguments of a message. */
    public List<Argument> inArguments() {
        return arguments.stream().filter(a -> a.direction() != Argument.Direction.OUT).toList();
    }

    /** The arguments of the response half of an rpc ({@code out}); empty for a message. */
    public List<Argument> outArguments() {
        return arguments.stream().filter(a -> a.direction() == Argument.Direction.OUT).toList();
    }
}
