package io.flotilla.dsl.iface;

import io.flotilla.dsl.iface.model.AliasDef;
import io.flotilla.dsl.iface.model.Annotation;
import io.flotilla.dsl.iface.model.Argument;
import io.flotilla.dsl.iface.model.Argument.Direction;
import io.flotilla.dsl.iface.model.Argument.Shape;
import io.flotilla.dsl.iface.model.BuiltinType;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.dsl.iface.model.Type;
import io.flotilla.dsl.source.SourcePos;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.Token;

/**
 * Checks the messages and rpcs of an interface one by one, in file order, after its types: a message sees every
 * type declared before it.
 */
final class MessageChecker {

    private final Resolver resolver;
    private final Positions positions;
    private final Diagnostics diagnostics;
    private final DocComments docs;
    private final Map<String, SourcePos> names = new HashMap<>();
    /** The names messages have on the wire: an rpc r travels as r_call and r_response, as in Flounder. */
    private final Map<String, String> wireNames = new HashMap<>();
    private int wireCount;

    MessageChecker(Resolver resolver, DocComments docs) {
        this.resolver = resolver;
        this.positions = resolver.positions();
        this.diagnostics = resolver.diagnostics();
        this.docs = docs;
    }

    /** The checked message, or null if it has errors (which are reported). */
    Message check(IfParser.MessageDeclContext decl) {
        String name = decl.name.getText();
        SourcePos pos = positions.of(decl.name.start);
        boolean rpc = decl.kind.getType() == IfLexer.RPC;
        String what = (rpc ? "rpc '" : "message '") + name + "'";
        SourcePos first = names.putIfAbsent(name, pos);
        if (first != null) {
            diagnostics.error(pos, "duplicate message name '" + name + "' (first declared at " + first + ")");
        } else if (rpc) {
            claimWireName(name + "_call", "the call of " + what, pos);
            claimWireName(name + "_response", "the response of " + what, pos);
        } else {
            claimWireName(name, what, pos);
        }
        int before = wireCount;
        wireCount += rpc ? 2 : 1;
        if (before <= Limits.MAX_WIRE_MESSAGES && wireCount > Limits.MAX_WIRE_MESSAGES) {
            diagnostics.error(pos, "too many messages: at most " + Limits.MAX_WIRE_MESSAGES
                    + " per interface, an rpc counting as two");
        }
        return message(decl, name, pos, rpc, what);
    }

    private void claimWireName(String wire, String what, SourcePos pos) {
        String owner = wireNames.putIfAbsent(wire, what);
        if (owner != null) {
            diagnostics.error(pos, what + " and " + owner + " both travel as '" + wire + "'");
        }
    }

    private Message message(IfParser.MessageDeclContext decl, String name, SourcePos pos, boolean rpc,
            String what) {
        int errorsBefore = diagnostics.errorCount();
        List<Annotation> annotations = new ArrayList<>();
        for (IfParser.AnnotationContext a : decl.annotation()) {
            annotations.add(annotation(a));
        }
        List<Argument> arguments = new ArrayList<>();
        Map<String, SourcePos> argNames = new HashMap<>();
        for (IfParser.ArgumentContext a : decl.argument()) {
            String argName = a.name.getText();
            SourcePos argPos = positions.of(a.name.start);
            SourcePos first = argNames.putIfAbsent(argName, argPos);
            if (first != null) {
                diagnostics.error(argPos, "duplicate argument '" + argName + "' in " + what
                        + " (first declared at " + first + ")");
            }
            Argument arg = argument(a, argName, argPos, rpc);
            if (arg != null) {
                arguments.add(arg);
            }
        }
        checkLengthNames(arguments, argNames);
        if (diagnostics.errorCount() > errorsBefore) {
            return null;
        }
        return new Message(rpc ? Message.Kind.RPC : Message.Kind.MESSAGE, name, arguments, annotations, pos,
                docs.before(decl.start));
    }

    /** A dynamic array's length travels as an argument of its own; its name must not clash with another. */
    private void checkLengthNames(List<Argument> arguments, Map<String, SourcePos> argNames) {
        Map<String, String> lengthOwners = new HashMap<>();
        for (Argument a : arguments) {
            if (a.shape() instanceof Shape.DynamicArray d) {
                if (argNames.containsKey(d.lengthName())) {
                    diagnostics.error(d.lengthPos(), "length name '" + d.lengthName() + "' of array '" + a.name()
                            + "' clashes with the argument of that name");
                } else {
                    String owner = lengthOwners.putIfAbsent(d.lengthName(), a.name());
                    if (owner != null) {
                        diagnostics.error(d.lengthPos(), "length name '" + d.lengthName()
                                + "' is already the length of array '" + owner + "'");
                    }
                }
            }
        }
    }

    private Argument argument(IfParser.ArgumentContext a, String name, SourcePos pos, boolean rpc) {
        Direction direction = Direction.NONE;
        if (a.direction != null) {
            if (!rpc) {
                diagnostics.error(positions.of(a.direction), "'" + a.direction.getText()
                        + "' can only be used in rpc arguments");
            }
            direction = a.direction.getType() == IfLexer.IN ? Direction.IN : Direction.OUT;
        } else if (rpc) {
            diagnostics.error(positions.of(a.start), "rpc argument '" + name + "' needs a direction: in or out");
        }
        IfParser.BoundContext bound = a.bound();
        if (bound == null) {
            Type type = resolver.resolve(a.type);
            if (type == BuiltinType.STRING) {
                diagnostics.error(positions.of(a.type.start),
                        "String argument '" + name + "' needs a maximum length: String " + name + "[max]");
                return null;
            }
            return type == null ? null : new Argument(direction, name, type, new Shape.Simple(), pos);
        }
        if (bound.lengthName == null) {
            return boundedString(a, direction, name, pos);
        }
        return dynamicArray(a, direction, name, pos);
    }

    /** {@code String name[max]} */
    private Argument boundedString(IfParser.ArgumentContext a, Direction direction, String name, SourcePos pos) {
        String type = a.type.getText();
        if (!type.equals("String")) {
            diagnostics.error(positions.of(a.bound().start), type.equalsIgnoreCase("string")
                    ? "the string type is written 'String'"
                    : "only String takes a single bound; a dynamic array is written " + type + " " + name
                            + "[length, max]");
            return null;
        }
        long max = resolver.bound(a.bound(), Limits.MAX_BOUND, "maximum string length");
        return max < 0 ? null : new Argument(direction, name, BuiltinType.STRING, new Shape.BoundedString(max), pos);
    }

    /** {@code T name[length, max]}: elements must be fixed-size builtins or aliases of them. */
    private Argument dynamicArray(IfParser.ArgumentContext a, Direction direction, String name, SourcePos pos) {
        IfParser.BoundContext bound = a.bound();
        Type element = resolver.resolve(a.type);
        if (element == null) {
            return null;
        }
        Type base = element instanceof AliasDef alias ? alias.resolved() : element;
        if (!(base instanceof BuiltinType b && b.isFixedSize())) {
            diagnostics.error(positions.of(a.type.start), element == BuiltinType.STRING
                    ? "String cannot be an array element; a string is written String " + name + "[max]"
                    : "'" + element.typeName() + "' cannot be a dynamic-array element; elements must be numbers,"
                            + " char or bool (or aliases of them)");
            return null;
        }
        long max = resolver.bound(bound, Limits.MAX_BOUND, "maximum array length");
        if (max < 0) {
            return null;
        }
        var shape = new Shape.DynamicArray(bound.lengthName.getText(), max, positions.of(bound.lengthName.start));
        return new Argument(direction, name, element, shape, pos);
    }

    /** {@code @name(key=value, ...)}: values are numbers (decimal, hex, octal) or identifiers. */
    private Annotation annotation(IfParser.AnnotationContext a) {
        Token at = a.AT().getSymbol();
        if (a.name.start.getStartIndex() != at.getStopIndex() + 1) {
            diagnostics.error(positions.of(a.name.start), "no space is allowed between '@' and the annotation name");
        }
        List<Annotation.MetaArg> args = new ArrayList<>();
        Map<String, SourcePos> keys = new HashMap<>();
        for (IfParser.MetaArgContext m : a.metaArg()) {
            String key = m.key.getText();
            SourcePos keyPos = positions.of(m.key.start);
            if (keys.putIfAbsent(key, keyPos) != null) {
                diagnostics.error(keyPos, "duplicate key '" + key + "' in annotation '@" + a.name.getText() + "'");
            }
            if (m.number == null) {
                args.add(new Annotation.MetaArg(key, null, m.value.getText(), keyPos));
                continue;
            }
            BigInteger value = Literals.natural(m.number.getText());
            if (value.bitLength() > 63) {
                diagnostics.error(positions.of(m.number), "annotation value out of range (at most 2^63-1)");
            } else {
                args.add(new Annotation.MetaArg(key, value.longValueExact(), null, keyPos));
            }
        }
        return new Annotation(a.name.getText(), args, positions.of(at));
    }
}
