package io.flotilla.codegen;

import com.palantir.javapoet.ClassName;
import static io.flotilla.codegen.JavaStubGenerator.*;

import io.flotilla.codegen.InterfaceModel.Msg;
import io.flotilla.codegen.InterfaceModel.Wire;
import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.iface.model.AliasDef;
import io.flotilla.dsl.iface.model.Argument;
import io.flotilla.dsl.iface.model.BuiltinType;
import io.flotilla.dsl.iface.model.EnumDef;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.dsl.iface.model.StructDef;
import io.flotilla.dsl.iface.model.Type;
import io.flotilla.dsl.iface.model.TypeDef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checked, named and laid-out model of one interface that every emitter reads: its messages and their wire
 * halves, the Java names of everything generated, the frame layout and the wire fingerprint.
 */
final class InterfaceModel {

    /** A message or rpc of the interface, with its Java names. */
    static final class Msg {
        Message source;
        String javaName;
        List<String> argNames; // parallel to source.arguments()
        Wire call; // the message itself, or the rpc's call half
        Wire response; // null for a message
        ClassName reply;
        ClassName responder;
        /** The record the future and blocking stubs return for an rpc with more than one out argument; else null. */
        ClassName result;

        boolean isRpc() {
            return source.kind() == Message.Kind.RPC;
        }
    }

    /** One wire message: a message, or one half of an rpc. */
    static final class Wire {
        int number;
        String wireName;
        String kind; // MessageDescriptor.Kind constant
        String constName;
        Msg msg;
        List<Argument> args;
        List<String> argNames;
        WireLayout layout;
        String encodeName;
        String framesName;
        String dispatchName;
        /**
         * The codec's class carrying this message as one object on a transport that passes objects; null when the
         * message always goes by frames (no string or dynamic array, or a capability).
         */
        ClassName carrier;
    }

    final String packageName;
    final Interface iface;
    final List<Diagnostic> diags = new ArrayList<>();
    ClassName holder;
    ClassName stub;
    ClassName handler;
    ClassName codec;
    ClassName decoder;
    ClassName futureStub;
    ClassName blockingStub;
    final Map<TypeDef, ClassName> typeClasses = new IdentityHashMap<>();
    final Map<StructDef, List<String>> fieldNames = new IdentityHashMap<>();
    final Map<EnumDef, List<String>> memberNames = new IdentityHashMap<>();
    final List<Msg> msgs = new ArrayList<>();
    final List<Wire> wires = new ArrayList<>();
    long fingerprint;
    String canonicalText;

    InterfaceModel(Interface iface, String packageName) {
        this.iface = iface;
        this.packageName = packageName;
    }

    boolean hasErrors() {
        return diags.stream().anyMatch(Diagnostic::isError);
    }

    // ---- checks -----------------------------------------------------------------------------------------

    void check() {
        for (Message m : iface.messages()) {
            for (Argument a : m.arguments()) {
                Type t = WireLayout.resolve(a.type());
                if (a.shape() instanceof Argument.Shape.DynamicArray d) {
                    if (!(t instanceof BuiltinType b) || !b.isFixedSize()) {
                        diags.add(Diagnostic.error(a.pos(), "dynamic array '" + a.name() + "' of '"
                                + a.type().typeName() + "': only arrays of integer, char and bool elements can "
                                + "be carried"));
                    } else if (d.maxCount() < 0) {
                        diags.add(Diagnostic.error(a.pos(), "dynamic array '" + a.name()
                                + "' has a negative maximum length"));
                    } else if (d.maxCount() > WireLayout.JAVA_ARRAY_MAX) {
                        diags.add(Diagnostic.warning(a.pos(), "dynamic array '" + a.name() + "': maximum length "
                                + d.maxCount() + " exceeds what a Java array holds; the generated code accepts at"
                                + " most " + WireLayout.JAVA_ARRAY_MAX + " elements"));
                    }
                } else if (a.shape() instanceof Argument.Shape.BoundedString s) {
                    if (s.maxBytes() < 1) {
                        diags.add(Diagnostic.error(a.pos(), "string '" + a.name()
                                + "' must have a maximum size of at least 1"));
                    } else if (s.maxBytes() - 1 > WireLayout.JAVA_ARRAY_MAX) {
                        diags.add(Diagnostic.warning(a.pos(), "string '" + a.name() + "': maximum size "
                                + s.maxBytes() + " exceeds what a Java array holds; the generated code accepts at"
                                + " most " + WireLayout.JAVA_ARRAY_MAX + " bytes"));
                    }
                } else if (t == BuiltinType.STRING) {
                    diags.add(Diagnostic.error(a.pos(), "String argument '" + a.name()
                            + "' needs a maximum size: String " + a.name() + "[N]"));
                }
            }
        }
        int numbers = 0;
        for (Message m : iface.messages()) {
            numbers += m.kind() == Message.Kind.RPC ? 2 : 1;
        }
        if (CONTROL_WORD_FIRST_USER + numbers > CONTROL_WORD_FIRST_FRAMEWORK) {
            diags.add(Diagnostic.error(iface.pos(), "interface '" + iface.name() + "' needs " + numbers
                    + " message numbers; at most " + (CONTROL_WORD_FIRST_FRAMEWORK - CONTROL_WORD_FIRST_USER)
                    + " are available"));
        }
    }

    // ---- names ------------------------------------------------------------------------------------------

    void name() {
        var top = new JavaNames.Scope("interface", true, diags);
        for (String s : USED_SIMPLE_NAMES) {
            top.reserve(s, "a class the generated code uses");
        }
        String h = top.allocate(iface.name(), JavaNames.upperCamel(iface.name()), iface.pos());
        holder = ClassName.get(packageName, h);
        stub = ClassName.get(packageName, h + "Stub");
        handler = ClassName.get(packageName, h + "Handler");
        codec = ClassName.get(packageName, h + "Codec");
        decoder = ClassName.get(packageName, h + "Decoder");
        futureStub = ClassName.get(packageName, h + "FutureStub");
        blockingStub = ClassName.get(packageName, h + "BlockingStub");

        var messages = new JavaNames.Scope("message", false, diags);
        for (String s : JavaNames.OBJECT_METHODS) {
            messages.reserve(s, "a method every Java object has");
        }
        messages.reserve("bind", "the generated bind method");
        messages.reserve("descriptor", "the generated DESCRIPTOR constant");
        messages.reserve("binding", "a method of the generated stub");
        messages.reserve("close", "reserved for closing a binding");
        messages.reserve("codec", "a field of the generated stub");
        messages.reserve("failCall", "a method of the generated stub");
        messages.reserve("failAllCalls", "a method of the generated stub");
        messages.reserve("stub", "a field of the generated future stub");
        messages.reserve("loop", "a field of the generated blocking stub");
        int number = CONTROL_WORD_FIRST_USER;
        for (Message m : iface.messages()) {
            var msg = new Msg();
            msg.source = m;
            String base = JavaNames.lowerCamel(m.name());
            msg.javaName = m.kind() == Message.Kind.RPC
                    ? messages.allocate(m.name(), base, m.pos(), "Call", "Response", "Replies", "Reply",
                            "Responder")
                    : messages.allocate(m.name(), base, m.pos(), "try|");
            var args = new JavaNames.Scope("argument", true, diags);
            for (String s : List.of("whenSent", "reply", "responder", "binding")) {
                args.reserve(s, "a parameter or field of the generated code");
            }
            var argNames = new ArrayList<String>();
            for (Argument a : m.arguments()) {
                argNames.add(args.allocate(a.name(), JavaNames.lowerCamel(a.name()), a.pos()));
            }
            msg.argNames = List.copyOf(argNames);
            if (msg.isRpc()) {
                String up = upperFirst(msg.javaName);
                msg.reply = holder.nestedClass(up + "Reply");
                msg.responder = holder.nestedClass(up + "Responder");
                long outs = m.arguments().stream().filter(a -> a.direction() == Argument.Direction.OUT).count();
                msg.result = outs > 1 ? holder.nestedClass(up + "Result") : null;
                msg.call = wire(msg, number++, m.name() + "_call", "RPC_CALL", "_CALL", "Call",
                        Argument.Direction.IN);
                msg.response = wire(msg, number++, m.name() + "_response", "RPC_RESPONSE", "_RESPONSE",
                        "Response", Argument.Direction.OUT);
            } else {
                msg.call = wire(msg, number++, m.name(), "MESSAGE", "", "", Argument.Direction.NONE);
            }
            msgs.add(msg);
        }

        var types = new JavaNames.Scope("type", false, diags);
        for (String s : USED_SIMPLE_NAMES) {
            types.reserve(s, "a class the generated code uses");
        }
        for (ClassName c : List.of(holder, stub, handler, codec, decoder, futureStub, blockingStub)) {
            types.reserve(c.simpleName(), "a generated class");
        }
        for (Msg msg : msgs) {
            if (msg.isRpc()) {
                types.reserve(msg.reply.simpleName(), "the generated reply interface of rpc '"
                        + msg.source.name() + "'");
                types.reserve(msg.responder.simpleName(), "the generated responder of rpc '"
                        + msg.source.name() + "'");
                if (msg.result != null) {
                    types.reserve(msg.result.simpleName(), "the generated result record of rpc '"
                            + msg.source.name() + "'");
                }
            }
        }
        for (TypeDef t : iface.types()) {
            if (t instanceof AliasDef) {
                continue;
            }
            String n = types.allocate(t.typeName(), JavaNames.upperCamel(t.typeName()), t.pos());
            typeClasses.put(t, holder.nestedClass(n));
            if (t instanceof StructDef s) {
                var fields = new JavaNames.Scope("field", true, diags);
                for (String o : JavaNames.OBJECT_METHODS) {
                    fields.reserve(o, "a method every Java object has");
                }
                var names = new ArrayList<String>();
                for (StructDef.Field f : s.fields()) {
                    names.add(fields.allocate(f.name(), JavaNames.lowerCamel(f.name()), f.pos()));
                }
                fieldNames.put(s, names);
            } else if (t instanceof EnumDef e) {
                var members = new JavaNames.Scope("enum member", true, diags);
                var names = new ArrayList<String>();
                for (EnumDef.Member mem : e.members()) {
                    names.add(members.allocate(mem.name(), mem.name().replace('\'', '_'), mem.pos()));
                }
                memberNames.put(e, names);
            }
        }
    }

    Wire wire(Msg msg, int number, String wireName, String kind, String constSuffix, String methodSuffix,
            Argument.Direction dir) {
        var w = new Wire();
        w.number = number;
        w.wireName = wireName;
        w.kind = kind;
        w.msg = msg;
        var args = new ArrayList<Argument>();
        var names = new ArrayList<String>();
        for (int i = 0; i < msg.source.arguments().size(); i++) {
            Argument a = msg.source.arguments().get(i);
            boolean in = a.direction() != Argument.Direction.OUT;
            if (dir == Argument.Direction.OUT ? !in : in) {
                args.add(a);
                names.add(msg.argNames.get(i));
            }
        }
        w.args = List.copyOf(args);
        w.argNames = List.copyOf(names);
        w.constName = JavaNames.upperSnake(msg.javaName) + constSuffix;
        String up = upperFirst(msg.javaName) + methodSuffix;
        w.encodeName = "encode" + up;
        w.framesName = "frames" + up;
        w.dispatchName = "dispatch" + up;
        w.carrier = codec.nestedClass(up + "Message");
        wires.add(w);
        return w;
    }

    void layout() {
        var canon = new StringBuilder("flotilla-wire 1\ninterface ").append(iface.name()).append('\n');
        for (Wire w : wires) {
            w.layout = new WireLayout(w.args);
            // Pass-through pays only where marshalling costs: strings and arrays. A capability needs its
            // out-of-band transfer (and the binding's hold), which only the frame path does.
            if (w.layout.parts.isEmpty() || w.layout.hasCaps()) {
                w.carrier = null;
            }
            if (w.layout.pieces.size() > MAX_PIECES) {
                diags.add(Diagnostic.error(w.msg.source.pos(), "message '" + w.wireName + "' has "
                        + w.layout.pieces.size() + " fixed-size fields after flattening; at most " + MAX_PIECES
                        + " are supported"));
            }
            canon.append(w.number).append(' ').append(w.kind).append(' ').append(w.wireName)
                    .append(WireLayout.canonical(w.args)).append('\n');
        }
        canonicalText = canon.toString();
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonicalText.getBytes(StandardCharsets.UTF_8));
            long f = 0;
            for (int i = 0; i < 8; i++) {
                f = (f << 8) | (d[i] & 0xFF);
            }
            fingerprint = f;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
