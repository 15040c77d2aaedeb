package io.flotilla.codegen;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.iface.model.Argument;
import io.flotilla.dsl.iface.model.BuiltinType;
import io.flotilla.dsl.iface.model.EnumDef;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.dsl.iface.model.StructDef;
import io.flotilla.dsl.iface.model.TypeDef;
import io.flotilla.dsl.source.SourcePos;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses, before anything is generated, interfaces whose generated Java the JVM could not hold: a valid
 * interface must never turn into sources that {@code javac} rejects. Each limit is one the class-file format
 * imposes on what the generator writes for an interface; the numbers leave room for the generator's own
 * parameters and are checked by compiling interfaces right at them (JavaLimitsTest). See
 * {@code docs/interface-language.md}, "Limits of the Java generator".
 */
final class JavaLimits {

    /**
     * Bytes of a string constant (its modified UTF-8 form). The class file holds 65,535, but javac refuses a
     * constant of 65,535 characters or more, so one byte less is the most that is sure to compile.
     */
    static final int MAX_CONSTANT_BYTES = 65_534;
    /**
     * Parameter slots of a generated method: the JVM allows 255 including {@code this}; the generator adds up to
     * two of its own (an rpc response's token, a reply continuation). A {@code long} takes two slots.
     */
    static final int MAX_PARAMETER_SLOTS = 252;
    /**
     * Wire messages per interface (an rpc is two): the decoder and descriptor are one method each over all of
     * them, and a method's code is at most 64 KiB.
     */
    static final int MAX_WIRE_MESSAGES = 512;
    /** Characters of a name: generated class files are named after nested names and must fit a file name. */
    static final int MAX_NAME = 64;

    private final List<Diagnostic> found = new ArrayList<>();

    private JavaLimits() {}

    /** Every limit the interface exceeds, as positioned errors; empty if its Java can be generated. */
    static List<Diagnostic> check(Interface iface) {
        var limits = new JavaLimits();
        limits.run(iface);
        return limits.found;
    }

    private void run(Interface iface) {
        name(iface.name(), "interface", iface.pos());
        int bytes = constantBytes(iface.description());
        if (bytes > MAX_CONSTANT_BYTES) {
            error(iface.pos(), "the description of interface '" + iface.name() + "' is " + bytes
                    + " bytes long; a Java string constant holds at most " + MAX_CONSTANT_BYTES);
        }
        int wires = 0;
        for (Message m : iface.messages()) {
            wires += m.kind() == Message.Kind.RPC ? 2 : 1;
            name(m.name(), "message", m.pos());
            for (Argument a : m.arguments()) {
                name(a.name(), "argument", a.pos());
            }
            if (m.kind() == Message.Kind.RPC) {
                slots(m, Argument.Direction.IN, "the call of rpc");
                slots(m, Argument.Direction.OUT, "the response of rpc");
            } else {
                slots(m, Argument.Direction.NONE, "message");
            }
        }
        if (wires > MAX_WIRE_MESSAGES) {
            error(iface.pos(), "interface '" + iface.name() + "' has " + wires + " wire messages (an rpc counts two);"
                    + " the Java generator supports at most " + MAX_WIRE_MESSAGES);
        }
        for (TypeDef t : iface.types()) {
            name(t.typeName(), "type", t.pos());
            if (t instanceof StructDef s) {
                int n = 0;
                for (StructDef.Field f : s.fields()) {
                    name(f.name(), "field", f.pos());
                    n += slots(f.type(), true);
                }
                if (n > MAX_PARAMETER_SLOTS) {
                    error(s.pos(), "struct '" + s.typeName() + "' needs " + n + " constructor parameter slots (a 64-bit"
                            + " field takes two); a Java method takes at most " + MAX_PARAMETER_SLOTS + " here");
                }
            } else if (t instanceof EnumDef e) {
                for (EnumDef.Member member : e.members()) {
                    name(member.name(), "enum member", member.pos());
                }
            }
        }
    }

    private void slots(Message m, Argument.Direction direction, String what) {
        int n = 0;
        for (Argument a : m.arguments()) {
            if (a.direction() == direction) {
                n += slots(a.type(), a.shape() instanceof Argument.Shape.Simple);
            }
        }
        if (n > MAX_PARAMETER_SLOTS) {
            error(m.pos(), what + " '" + m.name() + "' needs " + n + " parameter slots (a 64-bit argument takes two);"
                    + " a generated Java method takes at most " + MAX_PARAMETER_SLOTS);
        }
    }

    /** A Java {@code long} takes two slots; anything else (an int, a reference) one. */
    private static int slots(io.flotilla.dsl.iface.model.Type type, boolean simple) {
        return simple && WireLayout.resolve(type) instanceof BuiltinType b && !b.isCapability() && b.bits() == 64
                ? 2 : 1;
    }

    private void name(String name, String what, SourcePos pos) {
        if (name.length() > MAX_NAME) {
            error(pos, what + " name '" + name.substring(0, 20) + "...' is " + name.length()
                    + " characters long; the Java generator supports at most " + MAX_NAME);
        }
    }

    private void error(SourcePos pos, String message) {
        found.add(Diagnostic.error(pos, message));
    }

    /** Length of a string in the class file's modified UTF-8: NUL takes two bytes, a surrogate three. */
    static int constantBytes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c >= 1 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
        }
        return n;
    }
}
