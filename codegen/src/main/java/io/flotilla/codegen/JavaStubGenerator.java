package io.flotilla.codegen;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.flotilla.codegen.WireLayout.Part;
import io.flotilla.codegen.WireLayout.Piece;
import io.flotilla.codegen.WireLayout.PieceKind;
import io.flotilla.codegen.WireLayout.Placement;
import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.iface.model.AliasDef;
import io.flotilla.dsl.iface.model.Argument;
import io.flotilla.dsl.iface.model.ArrayDef;
import io.flotilla.dsl.iface.model.BuiltinType;
import io.flotilla.dsl.iface.model.EnumDef;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.dsl.iface.model.StructDef;
import io.flotilla.dsl.iface.model.Type;
import io.flotilla.dsl.iface.model.TypeDef;
import io.flotilla.dsl.source.SourcePos;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Generates Java from a checked interface: for interface {@code I} (Java name derived from the Flounder name,
 * {@code ping_pong} -> {@code PingPong}) five top-level classes in the given package:
 *
 * <ul>
 *   <li>{@code I} — message numbers, {@code DESCRIPTOR}, the interface's types as nested records / enums / array
 *       classes, rpc reply interfaces and responders, and {@code bind(Binding, IHandler)};
 *   <li>{@code IStub} — the send side of one binding end (split-phase sends, {@code tryX} hot path, rpc calls);
 *   <li>{@code IHandler} — what the user implements to receive messages and serve rpc calls;
 *   <li>{@code ICodec} — frame encoders, one per wire message;
 *   <li>{@code IDecoder} — the {@code FrameHandler} that reassembles, validates and dispatches frames.
 * </ul>
 *
 * <p>The frame layout is described in {@code docs/wire-format.md} and in the generated codec's javadoc. Names that
 * cannot be used as they are (Java keywords, names the generated code uses itself, names that collide after
 * camel-casing) are renamed deterministically; each rename is reported as a warning at the declaration.
 */
public final class JavaStubGenerator {

    private static final String BINDING_PKG = "io.flotilla.binding";
    private static final String FRAME_PKG = "io.flotilla.frame";
    private static final String CAP_PKG = "io.flotilla.cap";
    static final ClassName BINDING = ClassName.get(BINDING_PKG, "Binding");
    static final ClassName BINDING_EXCEPTION = ClassName.get(BINDING_PKG, "BindingException");
    static final ClassName CONTINUATION = ClassName.get(BINDING_PKG, "Continuation");
    static final ClassName PENDING_REPLIES = ClassName.get(BINDING_PKG, "PendingReplies");
    static final ClassName INTERFACE_DESCRIPTOR = ClassName.get(BINDING_PKG, "InterfaceDescriptor");
    static final ClassName MESSAGE_DESCRIPTOR = ClassName.get(BINDING_PKG, "MessageDescriptor");
    static final ClassName CONTROL_WORD = ClassName.get(FRAME_PKG, "ControlWord");
    static final ClassName FRAME_READER = ClassName.get(FRAME_PKG, "FrameReader");
    static final ClassName FRAME_WRITER = ClassName.get(FRAME_PKG, "FrameWriter");
    static final ClassName FRAME_HANDLER = ClassName.get(FRAME_PKG, "FrameHandler");
    static final ClassName FRAME_SINK = ClassName.get(FRAME_PKG, "FrameSink");
    static final ClassName CAPABILITY = ClassName.get(CAP_PKG, "Capability");
    static final ClassName CAPABILITY_TRANSFER = ClassName.get(BINDING_PKG, "CapabilityTransfer");
    static final ClassName STRING = ClassName.get(String.class);
    static final ClassName OBJECTS = ClassName.get("java.util", "Objects");
    static final ClassName ARRAYS = ClassName.get("java.util", "Arrays");
    static final ClassName LIST = ClassName.get("java.util", "List");

    /** Simple names the generated code refers to: a generated type must not shadow them. */
    private static final List<String> USED_SIMPLE_NAMES = List.of(
            "Binding", "BindingException", "Continuation", "PendingReplies", "InterfaceDescriptor",
            "MessageDescriptor", "ControlWord", "FrameReader", "FrameWriter", "FrameHandler", "FrameSink", "Frame",
            "Capability", "CapabilityTransfer", "Objects", "Arrays", "List", "String", "Object", "Override",
            "FunctionalInterface", "SuppressWarnings", "Deprecated", "Integer", "Long", "Short", "Byte", "Boolean",
            "Character", "Math", "System", "Enum", "Record", "Class", "Exception", "RuntimeException", "Error",
            "Throwable", "Void", "Number", "StringBuilder", "CharSequence", "IllegalArgumentException",
            "IllegalStateException", "NullPointerException", "IndexOutOfBoundsException", "StandardCharsets",
            "CharacterCodingException", "CharsetDecoder", "ByteBuffer");

    /** More pieces than this in one wire message would make generated methods too large for the JVM. */
    static final int MAX_PIECES = 2048;

    private final String packageName;

    public JavaStubGenerator(String packageName) {
        this.packageName = packageName;
    }

    /**
     * Generates the Java sources for {@code iface}. Errors (constructs the wire format cannot carry) are returned as
     * diagnostics, with no files; renames are returned as warnings beside the files.
     */
    public GeneratedInterface generate(Interface iface) {
        return new Run(iface).run();
    }

    // ---- model of what is generated -----------------------------------------------------------------------------

    /** A message or rpc of the interface, with its Java names. */
    private static final class Msg {
        Message source;
        String javaName;
        List<String> argNames; // parallel to source.arguments()
        Wire call; // the message itself, or the rpc's call half
        Wire response; // null for a message
        ClassName reply;
        ClassName responder;

        boolean isRpc() {
            return source.kind() == Message.Kind.RPC;
        }
    }

    /** One wire message: a message, or one half of an rpc. */
    private static final class Wire {
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

    private final class Run {
        final Interface iface;
        final List<Diagnostic> diags = new ArrayList<>();
        ClassName holder;
        ClassName stub;
        ClassName handler;
        ClassName codec;
        ClassName decoder;
        final Map<TypeDef, ClassName> typeClasses = new IdentityHashMap<>();
        final Map<StructDef, List<String>> fieldNames = new IdentityHashMap<>();
        final Map<EnumDef, List<String>> memberNames = new IdentityHashMap<>();
        final List<Msg> msgs = new ArrayList<>();
        final List<Wire> wires = new ArrayList<>();
        long fingerprint;
        String canonicalText;

        Run(Interface iface) {
            this.iface = iface;
        }

        GeneratedInterface run() {
            check();
            if (diags.stream().anyMatch(Diagnostic::isError)) {
                return new GeneratedInterface(List.of(), diags);
            }
            name();
            layout();
            if (diags.stream().anyMatch(Diagnostic::isError)) {
                return new GeneratedInterface(List.of(), diags);
            }
            List<JavaFile> files = List.of(
                    file(holderType()), file(stubType()), file(handlerType()), file(codecType()), file(decoderType()));
            return new GeneratedInterface(files, diags);
        }

        JavaFile file(TypeSpec type) {
            return JavaFile.builder(packageName, type).indent("    ").skipJavaLangImports(true).build();
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

            var messages = new JavaNames.Scope("message", false, diags);
            for (String s : JavaNames.OBJECT_METHODS) {
                messages.reserve(s, "a method every Java object has");
            }
            messages.reserve("bind", "the generated bind method");
            messages.reserve("descriptor", "the generated DESCRIPTOR constant");
            messages.reserve("binding", "a method of the generated stub");
            messages.reserve("close", "reserved for closing a binding");
            messages.reserve("codec", "a field of the generated stub");
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
            for (ClassName c : List.of(holder, stub, handler, codec, decoder)) {
                types.reserve(c.simpleName(), "a generated class");
            }
            for (Msg msg : msgs) {
                if (msg.isRpc()) {
                    types.reserve(msg.reply.simpleName(), "the generated reply interface of rpc '"
                            + msg.source.name() + "'");
                    types.reserve(msg.responder.simpleName(), "the generated responder of rpc '"
                            + msg.source.name() + "'");
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

        // ---- Java types ---------------------------------------------------------------------------------------

        TypeName javaType(Type type) {
            Type t = WireLayout.resolve(type);
            if (t instanceof BuiltinType b) {
                return switch (b) {
                    case UINT8, INT8, CHAR -> TypeName.BYTE;
                    case UINT16, INT16 -> TypeName.SHORT;
                    case UINT32, INT32, INT, IREF -> TypeName.INT;
                    case UINT64, INT64, SIZE, UINTPTR, INTPTR, ERRVAL -> TypeName.LONG;
                    case BOOL -> TypeName.BOOLEAN;
                    case STRING -> STRING;
                    case CAP, GIVE_AWAY_CAP -> CAPABILITY;
                };
            }
            return typeClasses.get((TypeDef) t);
        }

        TypeName argType(Argument a) {
            if (a.shape() instanceof Argument.Shape.BoundedString) {
                return STRING;
            }
            if (a.shape() instanceof Argument.Shape.DynamicArray) {
                return ArrayTypeName.of(javaType(a.type()));
            }
            return javaType(a.type());
        }

        boolean isReference(Argument a) {
            TypeName t = argType(a);
            return !t.isPrimitive() && !t.equals(CAPABILITY);
        }

        List<ParameterSpec> params(List<Argument> args, List<String> names) {
            var ps = new ArrayList<ParameterSpec>();
            for (int i = 0; i < args.size(); i++) {
                ps.add(ParameterSpec.builder(argType(args.get(i)), names.get(i)).build());
            }
            return ps;
        }

        String argList(List<String> names) {
            return String.join(", ", names);
        }

        /** A javadoc line per argument. */
        CodeBlock paramDocs(List<Argument> args, List<String> names) {
            var b = CodeBlock.builder();
            for (int i = 0; i < args.size(); i++) {
                b.add("@param $L $L\n", names.get(i), argDoc(args.get(i)));
            }
            return b.build();
        }

        String argDoc(Argument a) {
            String type = a.type().typeName();
            if (a.shape() instanceof Argument.Shape.BoundedString s) {
                return "{@code String " + a.name() + "[" + s.maxBytes() + "]}: at most " + (s.maxBytes() - 1)
                        + " UTF-8 bytes; not null";
            }
            if (a.shape() instanceof Argument.Shape.DynamicArray d) {
                return "{@code " + type + " " + a.name() + "[" + d.lengthName() + ", " + d.maxCount() + "]}: at most "
                        + d.maxCount() + " elements; not null";
            }
            Type t = WireLayout.resolve(a.type());
            String extra = "";
            if (t instanceof BuiltinType b && b.isCapability()) {
                extra = b == BuiltinType.GIVE_AWAY_CAP ? "; moved to the peer; may be null" : "; copied to the peer; "
                        + "may be null";
            } else if (t instanceof BuiltinType b && !b.isSigned() && b != BuiltinType.BOOL && b.bits() < 64
                    && b != BuiltinType.CHAR) {
                extra = "; unsigned on the wire, carried in a Java " + javaType(b) + " of the same width";
            } else if (!(t instanceof BuiltinType)) {
                extra = "; not null";
            }
            return "{@code " + type + " " + a.name() + "}" + extra;
        }

        // ---- holder -------------------------------------------------------------------------------------------

        TypeSpec holderType() {
            var b = TypeSpec.classBuilder(holder).addModifiers(Modifier.PUBLIC, Modifier.FINAL);
            b.addJavadoc("$L", doc(iface.description()));
            if (!iface.doc().isBlank() && !iface.doc().strip().equals(iface.description().strip())) {
                b.addJavadoc("\n\n<p>$L", doc(iface.doc()));
            }
            b.addJavadoc("\n\n<p>Generated by Flotilla from interface {@code $L} ($L); do not edit. Messages:\n<ul>\n",
                    iface.name(), iface.pos());
            for (Wire w : wires) {
                b.addJavadoc("  <li>{@link #$L} = $L: {@code $L}, $L frame(s) of fixed part$L\n", w.constName,
                        w.number, w.wireName, w.layout.fixedFrames,
                        w.layout.parts.isEmpty() ? "" : ", then " + w.layout.parts.size() + " variable part(s)");
            }
            b.addJavadoc("</ul>\n\n<p>Use {@link #bind} to attach a {@link $T} and a {@link $T} to a {@link $T}; the "
                    + "frame layout is documented in {@link $T}.\n", handler, stub, BINDING, codec);
            b.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
            for (Wire w : wires) {
                b.addField(FieldSpec.builder(TypeName.INT, w.constName, Modifier.PUBLIC, Modifier.STATIC,
                                Modifier.FINAL)
                        .initializer("$L", w.number)
                        .addJavadoc("Message number of {@code $L}$L.\n", w.wireName, w.kind.equals("MESSAGE")
                                ? "" : w.kind.equals("RPC_CALL") ? " (the call of an rpc)" : " (the response of an rpc)")
                        .build());
            }
            var list = CodeBlock.builder();
            for (int i = 0; i < wires.size(); i++) {
                Wire w = wires.get(i);
                list.add(i == 0 ? "\n" : ",\n").add("new $T($L, $S, $T.Kind.$L)", MESSAGE_DESCRIPTOR, w.constName,
                        w.wireName, MESSAGE_DESCRIPTOR, w.kind);
            }
            b.addField(FieldSpec.builder(INTERFACE_DESCRIPTOR, "DESCRIPTOR", Modifier.PUBLIC, Modifier.STATIC,
                            Modifier.FINAL)
                    .addJavadoc("Name, description, wire fingerprint and messages of this interface. The fingerprint "
                            + "is the first 8 bytes of the SHA-256 of this canonical wire description, computed when "
                            + "the code was generated:\n<pre>\n$L</pre>\n", doc(canonicalText).strip() + "\n")
                    .initializer("new $T($S, $S, 0x$LL, $T.of($>$>$L$<$<))", INTERFACE_DESCRIPTOR, iface.name(),
                            iface.description(), Long.toHexString(fingerprint), LIST, list.build())
                    .build());
            b.addMethod(MethodSpec.methodBuilder("bind")
                    .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                    .returns(stub)
                    .addParameter(BINDING, "binding")
                    .addParameter(handler, "handler")
                    .addJavadoc("Attaches this interface to one end of a binding: installs a {@link $T} that hands "
                            + "incoming messages to {@code handler} (and rpc responses to their reply continuations) "
                            + "as the binding's receiver, and returns the stub that sends on this end.\n\n"
                            + "@param binding the binding end\n@param handler receives the messages the peer sends\n"
                            + "@return the stub for sending to the peer\n", decoder)
                    .addStatement("$T.requireNonNull(handler, $S)", OBJECTS, "handler")
                    .addStatement("$T stub = new $T(binding)", stub, stub)
                    .addStatement("binding.setReceiver(new $T(binding, handler, stub))", decoder)
                    .addStatement("return stub")
                    .build());
            for (TypeDef t : iface.types()) {
                if (t instanceof StructDef s) {
                    b.addType(structType(s));
                } else if (t instanceof EnumDef e) {
                    b.addType(enumType(e));
                } else if (t instanceof ArrayDef a) {
                    b.addType(arrayType(a));
                }
            }
            for (Msg m : msgs) {
                if (m.isRpc()) {
                    b.addType(replyType(m));
                    b.addType(responderType(m));
                }
            }
            return b.build();
        }

        String typeDoc(TypeDef t, String fallback) {
            String d = t.doc().isBlank() ? fallback : doc(t.doc());
            return d + "\n\n<p>Declared as {@code " + t.typeName() + "} at " + where(t.pos()) + ".";
        }

        TypeSpec structType(StructDef s) {
            ClassName cn = typeClasses.get(s);
            List<String> names = fieldNames.get(s);
            var ctor = MethodSpec.compactConstructorBuilder().addModifiers(Modifier.PUBLIC);
            var b = TypeSpec.recordBuilder(cn).addModifiers(Modifier.PUBLIC)
                    .addJavadoc("$L\n\n", typeDoc(s, "The struct {@code " + s.typeName() + "}."));
            boolean checks = false;
            for (int i = 0; i < s.fields().size(); i++) {
                StructDef.Field f = s.fields().get(i);
                TypeName jt = javaType(f.type());
                ctor.addParameter(jt, names.get(i));
                b.addJavadoc("@param $L {@code $L $L}$L\n", names.get(i), f.type().typeName(), f.name(),
                        f.doc().isBlank() ? "" : ": " + doc(f.doc()));
                if (!jt.isPrimitive() && !jt.equals(CAPABILITY)) {
                    ctor.addStatement("$T.requireNonNull($N, $S)", OBJECTS, names.get(i), names.get(i));
                    checks = true;
                }
            }
            ctor.addJavadoc("Creates a {@code $L}$L.\n\n", s.typeName(),
                    checks ? ", checking that no component except capabilities is null" : "");
            for (int i = 0; i < s.fields().size(); i++) {
                ctor.addJavadoc("@param $L {@code $L}\n", names.get(i), s.fields().get(i).name());
            }
            if (checks) {
                ctor.addJavadoc("@throws NullPointerException if one is\n");
            }
            b.recordConstructor(ctor.build());
            return b.build();
        }

        TypeSpec enumType(EnumDef e) {
            ClassName cn = typeClasses.get(e);
            List<String> names = memberNames.get(e);
            var b = TypeSpec.enumBuilder(cn).addModifiers(Modifier.PUBLIC)
                    .addJavadoc("$L\n\n<p>Travels as an int32: the member's ordinal, 0, 1, 2, ... in declaration order.\n",
                            typeDoc(e, "The enumeration {@code " + e.typeName() + "}."));
            var sw = CodeBlock.builder().beginControlFlow("switch (ordinal)");
            for (int i = 0; i < names.size(); i++) {
                b.addEnumConstant(names.get(i), TypeSpec.anonymousClassBuilder("")
                        .addJavadoc("{@code $L}, wire value $L.\n", e.members().get(i).name(), i).build());
                sw.addStatement("case $L: return $N", i, names.get(i));
            }
            sw.addStatement("default: return null").endControlFlow();
            b.addMethod(MethodSpec.methodBuilder("fromOrdinal")
                    .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                    .returns(cn)
                    .addParameter(TypeName.INT, "ordinal")
                    .addJavadoc("The member with this wire value, or null if there is none (decoders report that as a "
                            + "protocol error). Does not allocate.\n\n@param ordinal the wire value\n"
                            + "@return the member, or null\n")
                    .addCode(sw.build())
                    .build());
            return b.build();
        }

        TypeSpec arrayType(ArrayDef a) {
            ClassName cn = typeClasses.get(a);
            TypeName el = javaType(a.element());
            TypeName arr = ArrayTypeName.of(el);
            boolean ref = !el.isPrimitive() && !el.equals(CAPABILITY);
            var b = TypeSpec.classBuilder(cn).addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("$L\n\n<p>An immutable array of exactly {@link #LENGTH} elements of {@code $L}, compared by "
                            + "value. Its elements travel in the fixed part of a message, one piece each.\n",
                            typeDoc(a, "The fixed-size array {@code " + a.typeName() + "}."), a.element().typeName());
            b.addField(FieldSpec.builder(TypeName.INT, "LENGTH", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .initializer("$L", a.length()).addJavadoc("The number of elements.\n").build());
            b.addField(arr, "elements", Modifier.PRIVATE, Modifier.FINAL);
            var ctor = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                    .addParameter(arr, "elements")
                    .addJavadoc("Copies {@code elements}.\n\n@param elements exactly {@link #LENGTH} elements$L\n"
                            + "@throws IllegalArgumentException if the length is not {@link #LENGTH}\n"
                            + "@throws NullPointerException if {@code elements}$L is null\n",
                            ref ? ", none null" : "", ref ? " or an element" : "")
                    .beginControlFlow("if (elements.length != LENGTH)")
                    .addStatement("throw new IllegalArgumentException($S + LENGTH + $S + elements.length)",
                            cn.simpleName() + " needs ", " elements, got ")
                    .endControlFlow()
                    .addStatement("this.elements = elements.clone()");
            if (ref) {
                ctor.beginControlFlow("for (int i = 0; i < LENGTH; i++)")
                        .addStatement("$T.requireNonNull(this.elements[i], $S)", OBJECTS, "element")
                        .endControlFlow();
            }
            b.addMethod(ctor.build());
            // The decoder builds a fresh array of exactly LENGTH elements: copying it again would double what
            // receiving the value allocates.
            b.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                    .addParameter(arr, "elements").addParameter(TypeName.BOOLEAN, "adopted")
                    .addJavadoc("Takes {@code elements} without copying; see {@link #adopt}.\n")
                    .addStatement("this.elements = elements").build());
            b.addMethod(MethodSpec.methodBuilder("adopt").addModifiers(Modifier.STATIC)
                    .returns(cn).addParameter(arr, "elements")
                    .addJavadoc("For the decoder of this package: wraps a freshly built array of exactly {@link #LENGTH}"
                            + " elements, which nothing else refers to, without copying it.\n\n"
                            + "@param elements the array to own\n@return the value\n")
                    .addStatement("return new $T(elements, true)", cn).build());
            b.addMethod(MethodSpec.methodBuilder("get").addModifiers(Modifier.PUBLIC).returns(el)
                    .addParameter(TypeName.INT, "index")
                    .addJavadoc("@param index 0 to {@link #LENGTH} - 1\n@return the element at {@code index}\n")
                    .addStatement("return elements[index]").build());
            b.addMethod(MethodSpec.methodBuilder("length").addModifiers(Modifier.PUBLIC).returns(TypeName.INT)
                    .addJavadoc("@return {@link #LENGTH}\n").addStatement("return LENGTH").build());
            b.addMethod(MethodSpec.methodBuilder("toArray").addModifiers(Modifier.PUBLIC).returns(arr)
                    .addJavadoc("@return a copy of the elements\n").addStatement("return elements.clone()").build());
            b.addMethod(MethodSpec.methodBuilder("equals").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(TypeName.BOOLEAN).addParameter(Object.class, "other")
                    .addJavadoc("Equal when {@code other} is a {@code $L} with equal elements.\n", cn.simpleName())
                    .addStatement("return other instanceof $T o && $T.equals(elements, o.elements)", cn, ARRAYS)
                    .build());
            b.addMethod(MethodSpec.methodBuilder("hashCode").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(TypeName.INT)
                    .addJavadoc("A hash of the elements.\n")
                    .addStatement("return $T.hashCode(elements)", ARRAYS).build());
            b.addMethod(MethodSpec.methodBuilder("toString").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(STRING)
                    .addJavadoc("The type name and the elements.\n")
                    .addStatement("return $S + $T.toString(elements)", cn.simpleName(), ARRAYS).build());
            return b.build();
        }

        TypeSpec replyType(Msg m) {
            Wire r = m.response;
            return TypeSpec.interfaceBuilder(m.reply).addModifiers(Modifier.PUBLIC)
                    .addAnnotation(FunctionalInterface.class)
                    .addJavadoc("Receives the response of rpc {@code $L}: passed to {@link $T#$L} and run, on the "
                            + "binding's event loop, when the response with the call's token arrives.\n",
                            m.source.name(), stub, m.javaName)
                    .addMethod(MethodSpec.methodBuilder("reply").addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
                            .addParameters(params(r.args, r.argNames))
                            .addJavadoc("Called with the out arguments of the response.$L\n\n",
                                    r.layout.parts.isEmpty() ? ""
                                            : " The strings and arrays passed in belong to the callee.")
                            .addJavadoc(paramDocs(r.args, r.argNames))
                            .build())
                    .build();
        }

        TypeSpec responderType(Msg m) {
            Wire r = m.response;
            var send = MethodSpec.methodBuilder("send").addModifiers(Modifier.PUBLIC)
                    .addParameters(params(r.args, r.argNames))
                    .addParameter(CONTINUATION, "whenSent")
                    .addJavadoc("Sends the response, carrying the call's token. Split-phase: returns at once; queues "
                            + "in the binding if its channel is full.\n\n")
                    .addJavadoc(paramDocs(r.args, r.argNames))
                    .addJavadoc("@param whenSent runs once the response has left for the transport (may be null)\n"
                            + "@throws IllegalStateException if a response was already sent\n")
                    .addJavadoc(throwsDoc(r, " (nothing is sent)"))
                    .beginControlFlow("if (this.sent)")
                    .addStatement("throw new IllegalStateException($S)", "rpc " + m.source.name()
                            + ": response already sent")
                    .endControlFlow()
                    .addStatement("this.sent = true") // before sending: whenSent may run inside the call
                    .beginControlFlow("try")
                    .addStatement("this.stub.$L(this.token$L, whenSent)", m.javaName + "Response",
                            prefixed(r.argNames))
                    .nextControlFlow("catch (RuntimeException $N)", new Locals(r.argNames, "whenSent").get("e"))
                    .addStatement("this.sent = false")
                    .addStatement("throw $N", new Locals(r.argNames, "whenSent").get("e"))
                    .endControlFlow();
            var sendNoCont = MethodSpec.methodBuilder("send").addModifiers(Modifier.PUBLIC)
                    .addParameters(params(r.args, r.argNames))
                    .addJavadoc("Sends the response without a continuation; see the other overload.\n\n")
                    .addJavadoc(paramDocs(r.args, r.argNames))
                    .addStatement("send($L$L$T.NONE)", argList(r.argNames), r.argNames.isEmpty() ? "" : ", ",
                            CONTINUATION);
            return TypeSpec.classBuilder(m.responder).addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("The server's handle on one call of rpc {@code $L}: keep it and call {@code send} "
                            + "exactly once, now or later (split-phase server).\n", m.source.name())
                    .addField(stub, "stub", Modifier.PRIVATE, Modifier.FINAL)
                    .addField(TypeName.INT, "token", Modifier.PRIVATE, Modifier.FINAL)
                    .addField(TypeName.BOOLEAN, "sent", Modifier.PRIVATE)
                    .addMethod(MethodSpec.constructorBuilder()
                            .addParameter(stub, "stub").addParameter(TypeName.INT, "token")
                            .addStatement("this.stub = stub").addStatement("this.token = token").build())
                    .addMethod(MethodSpec.methodBuilder("token").addModifiers(Modifier.PUBLIC).returns(TypeName.INT)
                            .addJavadoc("@return the token of the call this responds to\n")
                            .addStatement("return this.token").build())
                    .addMethod(MethodSpec.methodBuilder("isSent").addModifiers(Modifier.PUBLIC)
                            .returns(TypeName.BOOLEAN)
                            .addJavadoc("@return whether the response was sent\n")
                            .addStatement("return this.sent").build())
                    .addMethod(send.build())
                    .addMethod(sendNoCont.build())
                    .build();
        }

        String prefixed(List<String> names) {
            var sb = new StringBuilder();
            for (String n : names) {
                sb.append(", ").append(n);
            }
            return sb.toString();
        }

        String messageDoc(Msg m) {
            String d = m.source.doc().isBlank() ? "" : "<p>" + doc(m.source.doc()) + "\n\n";
            return d + "<p>" + (m.isRpc() ? "rpc" : "message") + " {@code " + m.source.name() + "}, declared at "
                    + where(m.source.pos()) + ".";
        }

        /**
         * A declaration's place for javadoc: the file's name without its directory, so that generated sources do
         * not depend on where the project was built (reproducible builds, stable diffs).
         */
        static String where(SourcePos pos) {
            String file = pos.file();
            int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
            return file.substring(slash + 1) + ":" + pos.line() + ":" + pos.column();
        }

        // ---- stub ---------------------------------------------------------------------------------------------

        TypeSpec stubType() {
            var b = TypeSpec.classBuilder(stub).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                    .addJavadoc("The send side of one end of a {@code $L} binding. Flounder messages flow both ways, "
                            + "so each end has a stub (and a {@link $T} for what arrives).\n\n"
                            + "<p>Sends are split-phase: a send method returns at once; if the channel is full the "
                            + "binding queues the frames and runs the continuation when the message has left. "
                            + "{@code tryX} methods send only if the whole message fits into the channel now, and "
                            + "otherwise return false without any effect. Sending a message whose arguments are all "
                            + "fixed-size allocates nothing.\n\n"
                            + "<p>Like its binding, a stub belongs to one event loop: call it from that thread only.\n",
                            iface.name(), handler)
                    .addField(BINDING, "binding", Modifier.PRIVATE, Modifier.FINAL)
                    .addField(codec, "codec", Modifier.PRIVATE, Modifier.FINAL);
            for (Msg m : msgs) {
                if (m.isRpc()) {
                    b.addField(FieldSpec.builder(ParameterizedTypeName.get(PENDING_REPLIES, m.reply),
                                    m.javaName + "Replies", Modifier.FINAL)
                            .addJavadoc("Reply continuations of {@code $L} calls in flight, by token.\n",
                                    m.source.name())
                            .initializer("new $T<>()", PENDING_REPLIES).build());
                }
            }
            b.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                    .addParameter(BINDING, "binding")
                    .addJavadoc("A stub sending on {@code binding}. Usually made by {@link $T#bind}, which also "
                            + "installs the decoder that delivers rpc responses to this stub.\n\n"
                            + "@param binding the binding end to send on\n", holder)
                    .addStatement("this.binding = $T.requireNonNull(binding, $S)", OBJECTS, "binding")
                    .addStatement("this.codec = new $T(binding, binding.caps())", codec)
                    .build());
            b.addMethod(MethodSpec.methodBuilder("binding").addModifiers(Modifier.PUBLIC).returns(BINDING)
                    .addJavadoc("@return the binding end this stub sends on\n")
                    .addStatement("return this.binding").build());
            for (Msg m : msgs) {
                Wire w = m.call;
                List<ParameterSpec> ps = params(w.args, w.argNames);
                String throwsDoc = throwsDoc(w, " (nothing is sent)");
                if (!m.isRpc()) {
                    b.addMethod(MethodSpec.methodBuilder(m.javaName).addModifiers(Modifier.PUBLIC)
                            .addParameters(ps).addParameter(CONTINUATION, "whenSent")
                            .addJavadoc("Sends {@code $L}. Split-phase: returns at once; queues in the binding if the "
                                    + "channel is full.\n\n$L\n\n", m.source.name(), messageDoc(m))
                            .addJavadoc(paramDocs(w.args, w.argNames))
                            .addJavadoc("@param whenSent runs once the message has left for the transport (may be "
                                    + "null)\n" + throwsDoc)
                            .addStatement("this.codec.$L(0$L)", w.encodeName, prefixed(w.argNames))
                            .addStatement("this.binding.endMessage(whenSent)")
                            .build());
                    b.addMethod(MethodSpec.methodBuilder(m.javaName).addModifiers(Modifier.PUBLIC)
                            .addParameters(ps)
                            .addJavadoc("Sends {@code $L} without a continuation; see the other overload.\n\n",
                                    m.source.name())
                            .addJavadoc(paramDocs(w.args, w.argNames))
                            .addJavadoc(throwsDoc)
                            .addStatement("$L($L$L$T.NONE)", m.javaName, argList(w.argNames),
                                    w.argNames.isEmpty() ? "" : ", ", CONTINUATION)
                            .build());
                    b.addMethod(MethodSpec.methodBuilder(JavaNames.Scope.derive(m.javaName, "try|"))
                            .addModifiers(Modifier.PUBLIC).returns(TypeName.BOOLEAN)
                            .addParameters(ps)
                            .addJavadoc("Sends {@code $L} if all its frames fit into the channel now; otherwise "
                                    + "returns false and has no effect (no frame written, no capability sent). "
                                    + "Allocates nothing when all arguments are fixed-size.\n\n", m.source.name())
                            .addJavadoc(paramDocs(w.args, w.argNames))
                            .addJavadoc("@return whether the message was sent\n" + throwsDoc)
                            .beginControlFlow("if (!this.binding.hasRoomFor($T.$L($L)))", codec, w.framesName,
                                    argList(w.argNames))
                            .addStatement("return false")
                            .endControlFlow()
                            .addStatement("this.codec.$L(0$L)", w.encodeName, prefixed(w.argNames))
                            .addStatement("this.binding.endMessage($T.NONE)", CONTINUATION)
                            .addStatement("return true")
                            .build());
                } else {
                    var names = new Locals(w.argNames, "reply");
                    String token = names.get("token");
                    String e = names.get("e");
                    b.addMethod(MethodSpec.methodBuilder(m.javaName).addModifiers(Modifier.PUBLIC)
                            .addParameters(ps).addParameter(m.reply, "reply")
                            .addJavadoc("Calls rpc {@code $L}: sends {@code $L} with a fresh token and returns at once; "
                                    + "{@code reply} runs when the response with that token arrives.\n\n$L\n\n",
                                    m.source.name(), w.wireName, messageDoc(m))
                            .addJavadoc(paramDocs(w.args, w.argNames))
                            .addJavadoc("@param reply receives the out arguments\n" + throwsDoc)
                            .addStatement("$T.requireNonNull(reply, $S)", OBJECTS, "reply")
                            .addStatement("$T.$L($L)", codec, w.framesName, argList(w.argNames))
                            .addStatement("int $N = this.binding.nextToken()", token)
                            .addStatement("this.$L.put($N, reply)", m.javaName + "Replies", token)
                            .beginControlFlow("try")
                            .addStatement("this.codec.$L($N$L)", w.encodeName, token, prefixed(w.argNames))
                            .nextControlFlow("catch (RuntimeException $N)", e)
                            .addStatement("this.$L.remove($N)", m.javaName + "Replies", token)
                            .addStatement("throw $N", e)
                            .endControlFlow()
                            .addStatement("this.binding.endMessage($T.NONE)", CONTINUATION)
                            .build());
                    Wire r = m.response;
                    var rn = new Locals(r.argNames, "whenSent");
                    String tok = rn.get("token");
                    b.addMethod(MethodSpec.methodBuilder(m.javaName + "Response")
                            .addParameter(TypeName.INT, tok)
                            .addParameters(params(r.args, r.argNames)).addParameter(CONTINUATION, "whenSent")
                            .addJavadoc("Sends {@code $L} for the call with this token; used by {@link $T}.\n",
                                    r.wireName, m.responder)
                            .addStatement("this.codec.$L($N$L)", r.encodeName, tok, prefixed(r.argNames))
                            .addStatement("this.binding.endMessage(whenSent)")
                            .build());
                }
            }
            return b.build();
        }

        /** The {@code @throws} lines for a method taking {@code w}'s arguments: only what can happen. */
        String throwsDoc(Wire w, String suffix) {
            var sb = new StringBuilder();
            if (!w.layout.parts.isEmpty()) {
                sb.append("@throws IllegalArgumentException if a string or array is too long, or a string is not "
                        + "valid Unicode").append(suffix).append('\n');
            }
            if (w.args.stream().anyMatch(this::isReference)) {
                sb.append("@throws NullPointerException if a string, array or value argument is null")
                        .append(suffix).append('\n');
            }
            if (w.layout.hasCaps()) {
                sb.append("@throws io.flotilla.binding.BindingException if the binding cannot transfer a capability")
                        .append(suffix).append('\n');
            }
            return sb.toString();
        }

        // ---- handler ------------------------------------------------------------------------------------------

        TypeSpec handlerType() {
            var b = TypeSpec.interfaceBuilder(handler).addModifiers(Modifier.PUBLIC)
                    .addJavadoc("Receives what the peer sends on a {@code $L} binding: one method per message and per "
                            + "rpc call. The methods run on the binding's event loop, one at a time.\n\n"
                            + "<p>Every method has a default that reports the message as unhandled (a "
                            + "{@link $T} to the binding's error handler), so implement only what the protocol "
                            + "uses. A {@link $T} thrown from a method goes to the binding's error handler; "
                            + "other exceptions propagate out of {@code Binding.poll}. Strings and arrays passed in "
                            + "are freshly allocated and belong to the callee.\n", iface.name(), BINDING_EXCEPTION,
                            BINDING_EXCEPTION);
            for (Msg m : msgs) {
                Wire w = m.call;
                var mb = MethodSpec.methodBuilder(m.javaName).addModifiers(Modifier.PUBLIC, Modifier.DEFAULT)
                        .addParameters(params(w.args, w.argNames));
                if (m.isRpc()) {
                    mb.addParameter(m.responder, "responder")
                            .addJavadoc("Serves a call of rpc {@code $L}. Answer through {@code responder}, now or "
                                    + "later.\n\n$L\n\n", m.source.name(), messageDoc(m))
                            .addJavadoc(paramDocs(w.args, w.argNames))
                            .addJavadoc("@param responder sends the response, exactly once\n");
                } else {
                    mb.addJavadoc("Receives message {@code $L}.\n\n$L\n\n", m.source.name(), messageDoc(m))
                            .addJavadoc(paramDocs(w.args, w.argNames));
                }
                mb.addJavadoc("@throws $T by default: the message is unhandled\n", BINDING_EXCEPTION);
                mb.addStatement("throw new $T($S)", BINDING_EXCEPTION, iface.name() + ": unhandled "
                        + (m.isRpc() ? "rpc call " + w.wireName : "message " + w.wireName));
                b.addMethod(mb.build());
            }
            return b.build();
        }

        // ---- codec --------------------------------------------------------------------------------------------

        TypeSpec codecType() {
            var b = TypeSpec.classBuilder(codec).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                    .addJavadoc("Frame encoders of interface {@code $L}, one per wire message, writing through a "
                            + "{@link $T}. One codec per binding end; not thread-safe.\n\n", iface.name(), FRAME_SINK)
                    .addJavadoc(WIRE_FORMAT_DOC)
                    .addJavadoc("\n<p>Layouts of this interface (word.bit offsets in the fixed part):\n<ul>\n");
            for (Wire w : wires) {
                b.addJavadoc("  <li>{@code $L} ($L): $L\n", w.wireName, w.number, layoutDoc(w));
            }
            b.addJavadoc("</ul>\n");
            b.addField(FRAME_SINK, "sink", Modifier.PRIVATE, Modifier.FINAL);
            b.addField(CAPABILITY_TRANSFER, "caps", Modifier.PRIVATE, Modifier.FINAL);
            b.addField(FRAME_WRITER, "writer", Modifier.PRIVATE);
            for (String f : List.of("message", "token", "fragment", "framesLeft", "wordIndex", "accBits")) {
                b.addField(TypeName.INT, f, Modifier.PRIVATE);
            }
            b.addField(TypeName.LONG, "acc", Modifier.PRIVATE);
            b.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                    .addParameter(FRAME_SINK, "sink").addParameter(CAPABILITY_TRANSFER, "caps")
                    .addJavadoc("@param sink where frames go (normally a {@link $T})\n"
                            + "@param caps moves capability arguments out of band\n", BINDING)
                    .addStatement("this.sink = $T.requireNonNull(sink, $S)", OBJECTS, "sink")
                    .addStatement("this.caps = $T.requireNonNull(caps, $S)", OBJECTS, "caps")
                    .build());
            for (Wire w : wires) {
                b.addMethod(framesMethod(w));
                b.addMethod(encodeMethod(w));
                if (w.carrier != null) {
                    b.addType(carrierType(w));
                }
            }
            addCodecHelpers(b);
            return b.build();
        }

        /**
         * The object a passed-through message travels as: its arguments, with every dynamic array copied, so that
         * the receiver owns what it gets exactly as if it had been decoded (strings, records, enums and fixed-array
         * values are immutable already).
         */
        TypeSpec carrierType(Wire w) {
            var ctor = MethodSpec.constructorBuilder();
            var b = TypeSpec.classBuilder(w.carrier).addModifiers(Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("{@code $L} as one object, for a transport that passes message objects (see {@link "
                            + "$T#attach}): the arguments, arrays copied at send, so the receiver owns them.\n",
                            w.wireName, FRAME_WRITER);
            for (int i = 0; i < w.args.size(); i++) {
                Argument a = w.args.get(i);
                String n = w.argNames.get(i);
                b.addField(argType(a), n, Modifier.FINAL);
                ctor.addParameter(argType(a), n);
                if (a.shape() instanceof Argument.Shape.DynamicArray) {
                    ctor.addStatement("this.$N = $N.clone()", n, n);
                } else {
                    ctor.addStatement("this.$N = $N", n, n);
                }
            }
            return b.addMethod(ctor.build()).build();
        }

        String layoutDoc(Wire w) {
            WireLayout l = w.layout;
            var sb = new StringBuilder();
            if (l.placements.isEmpty()) {
                sb.append(l.fixedFrames == 0 ? "no fixed part" : "one empty frame");
            } else {
                sb.append(l.fixedWords).append(" word(s) in ").append(l.fixedFrames).append(" frame(s): ");
                for (int i = 0; i < l.placements.size(); i++) {
                    Placement p = l.placements.get(i);
                    sb.append(i == 0 ? "" : ", ").append(pieceName(w, p.piece())).append('@').append(p.word())
                            .append('.').append(p.shift()).append('/').append(p.piece().bits());
                }
            }
            for (Part p : l.parts) {
                sb.append("; then ").append(w.args.get(p.argIndex()).name())
                        .append(p.string() ? " (UTF-8 bytes" : " (" + p.elementBits() + "-bit elements")
                        .append(", at most ").append(p.max()).append(')');
            }
            return sb.toString();
        }

        String pieceName(Wire w, Piece p) {
            var sb = new StringBuilder(w.args.get(p.path().get(0)).name());
            Type t = w.args.get(p.path().get(0)).type();
            for (int i = 1; i < p.path().size(); i++) {
                Type r = WireLayout.resolve(t);
                int k = p.path().get(i);
                if (r instanceof StructDef s) {
                    sb.append('.').append(s.fields().get(k).name());
                    t = s.fields().get(k).type();
                } else if (r instanceof ArrayDef a) {
                    sb.append('[').append(k).append(']');
                    t = a.element();
                }
            }
            return sb.toString();
        }

        MethodSpec framesMethod(Wire w) {
            var mb = MethodSpec.methodBuilder(w.framesName).addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                    .returns(TypeName.INT)
                    .addParameters(params(w.args, w.argNames))
                    .addJavadoc("Checks the arguments of {@code $L} and returns how many frames it takes.$L\n\n",
                            w.wireName, w.layout.parts.isEmpty() ? " Allocates nothing." : "")
                    .addJavadoc(paramDocs(w.args, w.argNames))
                    .addJavadoc("@return the number of frames\n")
                    .addJavadoc(throwsDoc(w, "").replaceAll("(?m)^@throws io.*\n", ""));
            var locals = new Locals(w.argNames);
            for (int i = 0; i < w.args.size(); i++) {
                Argument a = w.args.get(i);
                if (isReference(a)) {
                    mb.addStatement("$T.requireNonNull($N, $S)", OBJECTS, w.argNames.get(i), w.argNames.get(i));
                }
            }
            String frames = locals.get("frames");
            mb.addStatement("int $N = $L", frames, w.layout.fixedFrames);
            for (Part p : w.layout.parts) {
                String n = w.argNames.get(p.argIndex());
                Argument a = w.args.get(p.argIndex());
                if (p.string()) {
                    String len = locals.get(n + "Bytes");
                    mb.addStatement("int $N = utf8Length($N)", len, n);
                    mb.beginControlFlow("if ($N > $LL)", len, p.max())
                            .addStatement("throw new IllegalArgumentException($S + $N + $S)",
                                    w.wireName + ": string " + a.name() + " is ",
                                    len, " UTF-8 bytes; at most " + p.max() + " fit")
                            .endControlFlow();
                    mb.addStatement("$N += partFrames($N, 8)", frames, len);
                } else {
                    mb.beginControlFlow("if ($N.length > $LL)", n, p.max())
                            .addStatement("throw new IllegalArgumentException($S + $N.length + $S)",
                                    w.wireName + ": array " + a.name() + " has ", n,
                                    " elements; at most " + p.max() + " fit")
                            .endControlFlow();
                    mb.addStatement("$N += partFrames($N.length, $L)", frames, n, p.perWord());
                }
            }
            mb.addStatement("return $N", frames);
            return mb.build();
        }

        /** Java expression for a piece's value, from the argument names. */
        CodeBlock access(Wire w, Piece p) {
            var cb = CodeBlock.builder().add("$N", w.argNames.get(p.path().get(0)));
            Type t = w.args.get(p.path().get(0)).type();
            for (int i = 1; i < p.path().size(); i++) {
                Type r = WireLayout.resolve(t);
                int k = p.path().get(i);
                if (r instanceof StructDef s) {
                    cb.add(".$N()", fieldNames.get(s).get(k));
                    t = s.fields().get(k).type();
                } else if (r instanceof ArrayDef a) {
                    cb.add(".get($L)", k);
                    t = a.element();
                }
            }
            return cb.build();
        }

        MethodSpec encodeMethod(Wire w) {
            WireLayout l = w.layout;
            var mb = MethodSpec.methodBuilder(w.encodeName).addModifiers(Modifier.PUBLIC)
                    .addParameter(TypeName.INT, new Locals(w.argNames).get("token"))
                    .addParameters(params(w.args, w.argNames))
                    .addJavadoc("Writes {@code $L} (message number {@link $T#$L}): checks the arguments first, so "
                            + "that nothing is written if one is bad, then sends capabilities, then writes the "
                            + "frames.$L\n\n", w.wireName, holder, w.constName,
                            l.parts.isEmpty() ? " Allocates nothing." : "")
                    .addJavadoc(w.carrier == null ? "" : "<p>If the frame claimed first can carry an object (the "
                            + "binding's channel is lrpc and nothing is queued) and the message takes more than one "
                            + "frame, it goes as that one frame with a {@code " + w.carrier.simpleName() + "} "
                            + "attached instead (arrays copied), and the decoder hands its fields on without "
                            + "decoding.\n\n")
                    .addJavadoc("@param $L the token for the control word: 0 for a one-way message\n",
                            new Locals(w.argNames).get("token"))
                    .addJavadoc(paramDocs(w.args, w.argNames))
                    .addJavadoc(throwsDoc(w, " (nothing is written)"));
            var locals = new Locals(w.argNames);
            String token = locals.get("token");
            String frames = locals.get("frames");
            mb.addStatement("int $N = $L($L)", frames, w.framesName, argList(w.argNames));
            Map<Piece, String> capRefs = new IdentityHashMap<>();
            for (Piece p : l.pieces) {
                if (p.kind() == PieceKind.CAP) {
                    String c = locals.get("cap" + capRefs.size());
                    capRefs.put(p, c);
                    mb.addStatement("int $N = this.caps.send($L, $L)", c, access(w, p),
                            p.type() == BuiltinType.GIVE_AWAY_CAP);
                }
            }
            mb.addStatement("begin($T.$L, $N, $N)", holder, w.constName, token, frames);
            // Pass-through: the first frame is claimed before choosing, so that a queued or non-lrpc claim goes on
            // as the marshalled message's first frame and nothing is allocated on that path.
            boolean claimed = w.carrier != null;
            if (claimed) {
                mb.addStatement("claimFrame()");
                mb.beginControlFlow("if ($N > 1 && this.writer.canAttach())", frames)
                        .addStatement("this.writer.attach(new $T($L))", w.carrier, argList(w.argNames))
                        .addStatement("this.framesLeft = 1")
                        .addStatement("publishFrame()")
                        .addStatement("return")
                        .endControlFlow();
            }
            for (int f = 0; f < l.fixedFrames; f++) {
                if (claimed) {
                    claimed = false;
                } else {
                    mb.addStatement("claimFrame()");
                }
                for (int word = f * 7; word < Math.min(l.fixedWords, f * 7 + 7); word++) {
                    var expr = CodeBlock.builder();
                    boolean first = true;
                    for (Placement p : l.placements) {
                        if (p.word() != word) {
                            continue;
                        }
                        CodeBlock v = pieceBits(w, p.piece(), capRefs);
                        if (!first) {
                            expr.add("\n| ");
                        }
                        if (p.shift() == 0) {
                            expr.add("$L", v);
                        } else {
                            expr.add("$L << $L", v, p.shift());
                        }
                        first = false;
                    }
                    mb.addStatement("this.writer.putWord($L, $>$>$L$<$<)", word - f * 7, expr.build());
                }
                mb.addStatement("publishFrame()");
            }
            for (Part p : l.parts) {
                String n = w.argNames.get(p.argIndex());
                String start = claimed ? "startClaimedPart" : "startPart";
                claimed = false;
                if (p.string()) {
                    mb.addStatement("$L(utf8Length($N))", start, n);
                    mb.addStatement("putString($N)", n);
                } else {
                    mb.addStatement("$L($N.length)", start, n);
                    String elem = switch (p.elementBits()) {
                        case 8 -> WireLayout.resolve(w.args.get(p.argIndex()).type()) == BuiltinType.BOOL
                                ? "putBooleans" : "putBytes";
                        case 16 -> "putShorts";
                        case 32 -> "putInts";
                        default -> "putLongs";
                    };
                    mb.addStatement("$L($N)", elem, n);
                }
                mb.addStatement("endPart()");
            }
            return mb.build();
        }

        /** A long expression holding the piece's bits in its low bits, nothing above. */
        CodeBlock pieceBits(Wire w, Piece p, Map<Piece, String> capRefs) {
            CodeBlock a = access(w, p);
            return switch (p.kind()) {
                case BOOL -> CodeBlock.of("($L ? 1L : 0L)", a);
                case CAP -> CodeBlock.of("($N & 0xFFFFFFFFL)", capRefs.get(p));
                case ENUM -> CodeBlock.of("(long) $L.ordinal()", a);
                case INT -> switch (p.bits()) {
                    case 8 -> CodeBlock.of("($L & 0xFFL)", a);
                    case 16 -> CodeBlock.of("($L & 0xFFFFL)", a);
                    case 32 -> CodeBlock.of("($L & 0xFFFFFFFFL)", a);
                    default -> a;
                };
            };
        }

        // ---- decoder ------------------------------------------------------------------------------------------

        TypeSpec decoderType() {
            int maxFixedFrames = 1;
            int maxParts = 1;
            for (Wire w : wires) {
                maxFixedFrames = Math.max(maxFixedFrames, w.layout.fixedFrames);
                maxParts = Math.max(maxParts, w.layout.parts.size());
            }
            var b = TypeSpec.classBuilder(decoder).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                    .addSuperinterface(FRAME_HANDLER)
                    .addJavadoc("Receives the frames of one {@code $L} binding end, reassembles messages, checks "
                            + "them and hands them to a {@link $T} (rpc responses go to the reply continuation "
                            + "registered in the {@link $T} under the response's token).\n\n"
                            + "<p>Everything is checked: message numbers, message numbers changing in the middle of "
                            + "a message (truncation), fragment indexes (order), the last-fragment bit, the token "
                            + "staying the same within a message, string and array lengths against their declared "
                            + "maxima, enum values, padding bits and unused words (must be zero), bool bytes (0 or "
                            + "1), UTF-8 (strictly), capability references, and rpc tokens. A violation is reported "
                            + "as a {@link $T} through {@link $T#fail} and the decoder starts over with the next "
                            + "message; nothing is thrown out of {@link #onFrame}. Memory for strings and arrays "
                            + "grows only as their frames actually arrive, and never beyond the declared maxima.\n\n"
                            + "<p>Decoding a message whose arguments are all primitive or enum values allocates "
                            + "nothing.\n", iface.name(), handler, stub, BINDING_EXCEPTION, BINDING)
                    .addField(BINDING, "binding", Modifier.PRIVATE, Modifier.FINAL)
                    .addField(handler, "handler", Modifier.PRIVATE, Modifier.FINAL)
                    .addField(stub, "stub", Modifier.PRIVATE, Modifier.FINAL)
                    .addField(FieldSpec.builder(ArrayTypeName.of(TypeName.LONG), "fixed", Modifier.PRIVATE,
                            Modifier.FINAL).initializer("new long[$L]", maxFixedFrames * 7).build())
                    .addField(FieldSpec.builder(ArrayTypeName.of(TypeName.LONG), "varWords", Modifier.PRIVATE)
                            .initializer("new long[16]").build())
                    .addField(FieldSpec.builder(ArrayTypeName.of(TypeName.INT), "partOffset", Modifier.PRIVATE,
                            Modifier.FINAL).initializer("new int[$L]", maxParts).build())
                    .addField(FieldSpec.builder(ArrayTypeName.of(TypeName.INT), "partLength", Modifier.PRIVATE,
                            Modifier.FINAL).initializer("new int[$L]", maxParts).build())
                    .addField(FieldSpec.builder(ArrayTypeName.of(TypeName.INT), "partPerWord", Modifier.PRIVATE,
                            Modifier.FINAL).initializer("new int[$L]", maxParts).build())
                    .addField(FieldSpec.builder(ArrayTypeName.of(TypeName.LONG), "partMax", Modifier.PRIVATE,
                            Modifier.FINAL).initializer("new long[$L]", maxParts).build());
            for (String f : List.of("message", "token", "framesSeen", "fixedFrames", "fixedWords",
                    "fixedFramesSeen", "partCount", "part", "partWords", "partWordsRead", "varUsed")) {
                b.addField(TypeName.INT, f, Modifier.PRIVATE);
            }
            b.addField(TypeName.BOOLEAN, "partStarted", Modifier.PRIVATE);
            b.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                    .addParameter(BINDING, "binding").addParameter(handler, "handler").addParameter(stub, "stub")
                    .addJavadoc("Usually made by {@link $T#bind}.\n\n@param binding where errors are reported and "
                            + "capabilities received\n@param handler receives messages and rpc calls\n"
                            + "@param stub the stub of this end, whose pending rpc calls responses complete, and "
                            + "which responders send with\n", holder)
                    .addStatement("this.binding = $T.requireNonNull(binding, $S)", OBJECTS, "binding")
                    .addStatement("this.handler = $T.requireNonNull(handler, $S)", OBJECTS, "handler")
                    .addStatement("this.stub = $T.requireNonNull(stub, $S)", OBJECTS, "stub")
                    .build());
            b.addMethod(startMethod());
            b.addMethod(nameMethod());
            addDecoderEngine(b, iface.name() + ": ", wires.stream().anyMatch(w -> w.layout.hasCaps()));
            var dispatch = MethodSpec.methodBuilder("dispatch").addModifiers(Modifier.PRIVATE)
                    .beginControlFlow("switch (this.message)");
            for (Wire w : wires) {
                dispatch.addStatement("case $T.$L: $L(); break", holder, w.constName, w.dispatchName);
                b.addMethod(dispatchMethod(w));
            }
            dispatch.addStatement("default: fail($S + this.message)", "internal error: no dispatch for message ")
                    .endControlFlow();
            b.addMethod(dispatch.build());
            var passed = MethodSpec.methodBuilder("passed").addModifiers(Modifier.PRIVATE)
                    .addParameter(Object.class, "attached")
                    .addJavadoc("Delivers a message that came as an object in one frame (a transport that passes "
                            + "objects), without decoding; the object must be the message's own carrier.\n")
                    .beginControlFlow("switch (this.message)");
            for (Wire w : wires) {
                if (w.carrier == null) {
                    continue;
                }
                passed.addCode("case $T.$L:\n$>", holder, w.constName)
                        .beginControlFlow("if (attached instanceof $T)", w.carrier)
                        .addStatement("$L(($T) attached)", w.dispatchName + "Passed", w.carrier)
                        .addStatement("return")
                        .endControlFlow()
                        .addStatement("break")
                        .addCode("$<");
                b.addMethod(passedDispatchMethod(w));
            }
            passed.addStatement("default: break").endControlFlow()
                    .addStatement("fail(name(this.message) + $S + attached.getClass().getName())",
                            ": a frame carried an object this message cannot be passed as: ");
            b.addMethod(passed.build());
            return b.build();
        }

        MethodSpec startMethod() {
            var mb = MethodSpec.methodBuilder("start").addModifiers(Modifier.PRIVATE).returns(TypeName.BOOLEAN)
                    .addParameter(TypeName.INT, "number")
                    .addJavadoc("Sets up the layout of message {@code number}; false if there is no such message.\n")
                    .beginControlFlow("switch (number)");
            for (Wire w : wires) {
                var cb = CodeBlock.builder().add("case $T.$L:\n$>", holder, w.constName)
                        .addStatement("this.fixedFrames = $L", w.layout.fixedFrames)
                        .addStatement("this.fixedWords = $L", w.layout.fixedWords)
                        .addStatement("this.partCount = $L", w.layout.parts.size());
                for (int i = 0; i < w.layout.parts.size(); i++) {
                    Part p = w.layout.parts.get(i);
                    cb.addStatement("this.partPerWord[$L] = $L", i, p.perWord())
                            .addStatement("this.partMax[$L] = $LL", i, p.max());
                }
                cb.addStatement("return true").add("$<");
                mb.addCode(cb.build());
            }
            mb.addStatement("default: return false").endControlFlow();
            return mb.build();
        }

        MethodSpec nameMethod() {
            var mb = MethodSpec.methodBuilder("name").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                    .returns(STRING).addParameter(TypeName.INT, "number")
                    .beginControlFlow("switch (number)");
            for (Wire w : wires) {
                mb.addStatement("case $T.$L: return $S", holder, w.constName, w.wireName);
            }
            mb.addStatement("default: return $S + number", "message ").endControlFlow();
            return mb.build();
        }

        MethodSpec dispatchMethod(Wire w) {
            WireLayout l = w.layout;
            Msg m = w.msg;
            var mb = MethodSpec.methodBuilder(w.dispatchName).addModifiers(Modifier.PRIVATE)
                    .addJavadoc("Checks and delivers a complete {@code $L}.\n", w.wireName);
            // padding
            var pad = new ArrayList<CodeBlock>();
            for (int word = 0; word < l.fixedWords; word++) {
                long used = l.usedMask(word);
                if (used != -1L) {
                    pad.add(CodeBlock.of("(this.fixed[$L] & 0x$LL) != 0", word, Long.toHexString(~used)));
                }
            }
            if (!pad.isEmpty()) {
                mb.beginControlFlow("if ($L)", CodeBlock.join(pad, "$W|| "))
                        .addStatement("fail($S)", w.wireName + ": non-zero padding bits in the fixed part")
                        .addStatement("return")
                        .endControlFlow();
            }
            Map<Piece, CodeBlock> values = new IdentityHashMap<>();
            for (Placement p : l.placements) {
                Piece pc = p.piece();
                CodeBlock raw = p.shift() == 0 ? CodeBlock.of("this.fixed[$L]", p.word())
                        : CodeBlock.of("(this.fixed[$L] >>> $L)", p.word(), p.shift());
                String v = "p" + pc.index();
                switch (pc.kind()) {
                    case BOOL -> mb.addStatement("boolean $L = ($L & 1L) != 0", v, raw);
                    case CAP -> mb.addStatement("int $L = (int) $L", v + "Ref", raw);
                    case ENUM -> {
                        ClassName ec = typeClasses.get((TypeDef) pc.type());
                        mb.addStatement("$T $L = $T.fromOrdinal((int) $L)", ec, v, ec, raw);
                        mb.beginControlFlow("if ($L == null)", v)
                                .addStatement("fail($S + (int) $L)", w.wireName + ": " + pieceName(w, pc)
                                        + " is not a valid " + pc.type().typeName() + " value: ", raw)
                                .addStatement("return")
                                .endControlFlow();
                    }
                    case INT -> {
                        TypeName jt = javaType(pc.type());
                        if (jt.equals(TypeName.LONG)) {
                            mb.addStatement("long $L = $L", v, raw);
                        } else {
                            mb.addStatement("$T $L = ($T) $L", jt, v, jt, raw);
                        }
                    }
                }
                values.put(pc, CodeBlock.of("$L", v));
            }
            var partVals = new ArrayList<String>();
            for (int i = 0; i < l.parts.size(); i++) {
                Part p = l.parts.get(i);
                String v = "v" + i;
                TypeName jt = argType(w.args.get(p.argIndex()));
                String fn;
                if (p.string()) {
                    fn = "string";
                } else {
                    fn = switch (p.elementBits()) {
                        case 8 -> WireLayout.resolve(w.args.get(p.argIndex()).type()) == BuiltinType.BOOL
                                ? "booleans" : "bytes";
                        case 16 -> "shorts";
                        case 32 -> "ints";
                        default -> "longs";
                    };
                }
                mb.addStatement("$T $L = $L($L)", jt, v, fn, i);
                if (p.string() || fn.equals("booleans")) {
                    mb.beginControlFlow("if ($L == null)", v)
                            .addStatement("fail($S)", w.wireName + ": " + w.args.get(p.argIndex()).name()
                                    + (p.string() ? " is not valid UTF-8" : " holds a bool byte other than 0 or 1"))
                            .addStatement("return")
                            .endControlFlow();
                }
                partVals.add(v);
            }
            addTokenAndReply(mb, w);
            boolean anyCap = l.hasCaps();
            if (anyCap) {
                for (Piece pc : l.pieces) {
                    if (pc.kind() == PieceKind.CAP) {
                        mb.addStatement("$T p$L", CAPABILITY, pc.index());
                    }
                }
                mb.beginControlFlow("try");
                for (Piece pc : l.pieces) {
                    if (pc.kind() == PieceKind.CAP) {
                        mb.addStatement("p$L = this.binding.caps().receive(p$LRef)", pc.index(), pc.index());
                    }
                }
                mb.nextControlFlow("catch ($T e)", BINDING_EXCEPTION)
                        .addStatement("fail($S + e.getMessage(), e)", w.wireName + ": ")
                        .addStatement("return")
                        .endControlFlow();
            }
            // build argument values
            var argVals = new ArrayList<CodeBlock>();
            int[] next = {0};
            int partIdx = 0;
            for (int i = 0; i < w.args.size(); i++) {
                Argument a = w.args.get(i);
                if (a.shape() instanceof Argument.Shape.Simple) {
                    argVals.add(build(a.type(), l.pieces, next, values));
                } else {
                    argVals.add(CodeBlock.of("$L", partVals.get(partIdx++)));
                }
            }
            addDelivery(mb, w, argVals);
            return mb.build();
        }

        /** Delivers a message passed as its carrier object: the same checks and calls as decoding, no decoding. */
        MethodSpec passedDispatchMethod(Wire w) {
            var mb = MethodSpec.methodBuilder(w.dispatchName + "Passed").addModifiers(Modifier.PRIVATE)
                    .addParameter(w.carrier, "o")
                    .addJavadoc("Delivers a {@code $L} that came as an object (arrays already copied at send).\n",
                            w.wireName);
            addTokenAndReply(mb, w);
            var argVals = new ArrayList<CodeBlock>();
            for (String n : w.argNames) {
                argVals.add(CodeBlock.of("o.$N", n));
            }
            addDelivery(mb, w, argVals);
            return mb.build();
        }

        /** The call's token (rpc halves) and, for a response, the reply continuation waiting for it. */
        void addTokenAndReply(MethodSpec.Builder mb, Wire w) {
            if (!w.kind.equals("MESSAGE")) {
                mb.addStatement("int token = this.token");
            }
            if (w.kind.equals("RPC_RESPONSE")) {
                mb.addStatement("$T reply = this.stub.$L.remove(token)", w.msg.reply, w.msg.javaName + "Replies");
                mb.beginControlFlow("if (reply == null)")
                        .addStatement("fail($S + $T.toUnsignedString(token))", w.wireName
                                + ": no call is waiting for a response with token ", Integer.class)
                        .addStatement("return")
                        .endControlFlow();
            }
        }

        /** Forgets the message and hands the argument values to the handler or the reply continuation. */
        void addDelivery(MethodSpec.Builder mb, Wire w, List<CodeBlock> argVals) {
            Msg m = w.msg;
            mb.addStatement("reset()");
            var args = CodeBlock.join(argVals, ",$W");
            mb.beginControlFlow("try");
            switch (w.kind) {
                case "MESSAGE" -> mb.addStatement("this.handler.$L($L)", m.javaName, args);
                case "RPC_CALL" -> mb.addStatement("this.handler.$L($L$Lnew $T(this.stub, token))", m.javaName, args,
                        argVals.isEmpty() ? "" : ", ", m.responder);
                default -> mb.addStatement("reply.reply($L)", args);
            }
            mb.nextControlFlow("catch ($T e)", BINDING_EXCEPTION)
                    .addStatement("this.binding.fail(e)")
                    .endControlFlow();
        }

        /** The value of a fixed-size argument rebuilt from its piece values, in flattening order. */
        CodeBlock build(Type type, List<Piece> pieces, int[] next, Map<Piece, CodeBlock> values) {
            Type t = WireLayout.resolve(type);
            if (t instanceof StructDef s) {
                var fs = new ArrayList<CodeBlock>();
                for (StructDef.Field f : s.fields()) {
                    fs.add(build(f.type(), pieces, next, values));
                }
                return CodeBlock.of("new $T($L)", typeClasses.get(s), CodeBlock.join(fs, ",$W"));
            }
            if (t instanceof ArrayDef a) {
                var es = new ArrayList<CodeBlock>();
                for (int i = 0; i < a.length(); i++) {
                    es.add(build(a.element(), pieces, next, values));
                }
                return CodeBlock.of("$T.adopt(new $T[] {$L})", typeClasses.get(a), javaType(a.element()),
                        CodeBlock.join(es, ",$W"));
            }
            Piece p = pieces.get(next[0]++);
            return p.kind() == PieceKind.CAP ? CodeBlock.of("p$L", p.index()) : values.get(p);
        }
    }

    static final int CONTROL_WORD_FIRST_USER = 3; // ControlWord.FIRST_USER_MESSAGE
    static final int CONTROL_WORD_FIRST_FRAMEWORK = 0xFF00; // ControlWord.FIRST_FRAMEWORK_MESSAGE

    static String upperFirst(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /**
     * Text from an interface file made safe for a javadoc comment: interface files hold plain text, so HTML
     * characters are escaped, as are comment ends and tags at the start of a line.
     */
    static String doc(String text) {
        String t = text.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("*/", "*&#47;");
        var sb = new StringBuilder();
        for (String line : t.split("\n", -1)) {
            String l = line.stripLeading();
            if (l.startsWith("@")) {
                line = "&#64;" + l.substring(1);
            }
            sb.append(sb.length() == 0 ? "" : "\n").append(line);
        }
        return sb.toString();
    }

    /** Local variable names of one generated method, kept apart from its parameter names. */
    static final class Locals {
        private final Set<String> taken = new HashSet<>();

        Locals(List<String> params, String... more) {
            taken.addAll(params);
            taken.addAll(List.of(more));
        }

        String get(String wanted) {
            String n = wanted;
            while (!taken.add(n)) {
                n = n + "_";
            }
            return n;
        }
    }

    static final String WIRE_FORMAT_DOC = """
            <p><b>Wire format</b> (also in {@code docs/wire-format.md}). Every frame is 7 payload words and a \
            control word (message number, fragment index mod 128, last bit, token). A message is:
            <ol>
              <li>the <i>fixed part</i>: all fixed-size arguments flattened in argument order (struct fields \
            recursively, fixed arrays element-wise; enums as int32 ordinals, bool as 1 bit, errval as 64 bits, \
            capabilities as 32-bit references from the binding's {@code CapabilityTransfer}), sorted by bit size \
            smallest first (stable), packed greedily from bit 0 upward into 64-bit words, 7 words per frame. A \
            message with no arguments at all still takes one (empty) frame; a message with only strings and arrays \
            has no fixed frames.
              <li>then, for each string and dynamic array in argument order, its own frames: word 0 of the first is \
            the length (UTF-8 bytes for strings, elements for arrays), then the elements packed little-endian into \
            words (8 bytes, 4 shorts, 2 ints or 1 long per word; bools as bytes 0/1), spilling into further frames \
            of 7 words.
            </ol>
            Unused bits and words are zero and the decoder checks that they are. The last frame of a message has the \
            last bit; rpc calls and responses carry the call's token, one-way messages token 0. Strings must be \
            shorter than their declared size in UTF-8 bytes (Flounder keeps a byte for the NUL); arrays may have up to \
            their declared maximum. Null strings and arrays are rejected with a {@code NullPointerException} before \
            anything is written.
            """;

    // ---- shared code of every codec and decoder ----------------------------------------------------------------

    private static void addCodecHelpers(TypeSpec.Builder b) {
        b.addMethod(MethodSpec.methodBuilder("begin").addModifiers(Modifier.PRIVATE)
                .addParameter(TypeName.INT, "message").addParameter(TypeName.INT, "token")
                .addParameter(TypeName.INT, "frames")
                .addStatement("this.message = message")
                .addStatement("this.token = token")
                .addStatement("this.fragment = 0")
                .addStatement("this.framesLeft = frames")
                .build());
        b.addMethod(MethodSpec.methodBuilder("claimFrame").addModifiers(Modifier.PRIVATE)
                .addStatement("this.writer = this.sink.claim()")
                .addStatement("this.wordIndex = 0")
                .build());
        b.addMethod(MethodSpec.methodBuilder("publishFrame").addModifiers(Modifier.PRIVATE)
                .addStatement("this.framesLeft--")
                .addStatement("this.writer.publish($T.of(this.message, this.fragment, this.framesLeft == 0, "
                        + "this.token))", CONTROL_WORD)
                .addStatement("this.fragment++")
                .addStatement("this.writer = null")
                .build());
        b.addMethod(MethodSpec.methodBuilder("startPart").addModifiers(Modifier.PRIVATE)
                .addParameter(TypeName.INT, "length")
                .addStatement("claimFrame()")
                .addStatement("startClaimedPart(length)")
                .build());
        b.addMethod(MethodSpec.methodBuilder("startClaimedPart").addModifiers(Modifier.PRIVATE)
                .addParameter(TypeName.INT, "length")
                .addJavadoc("Starts a string or array part in the frame just claimed.\n")
                .addStatement("this.writer.putWord(0, length)")
                .addStatement("this.wordIndex = 1")
                .addStatement("this.acc = 0")
                .addStatement("this.accBits = 0")
                .build());
        b.addMethod(MethodSpec.methodBuilder("putVarWord").addModifiers(Modifier.PRIVATE)
                .addParameter(TypeName.LONG, "word")
                .beginControlFlow("if (this.wordIndex == 7)")
                .addStatement("publishFrame()")
                .addStatement("claimFrame()")
                .endControlFlow()
                .addStatement("this.writer.putWord(this.wordIndex++, word)")
                .build());
        b.addMethod(MethodSpec.methodBuilder("putBits").addModifiers(Modifier.PRIVATE)
                .addParameter(TypeName.LONG, "value").addParameter(TypeName.INT, "bits")
                .addJavadoc("Appends an element; {@code value} has no bits above {@code bits}.\n")
                .addStatement("this.acc |= value << this.accBits")
                .addStatement("this.accBits += bits")
                .beginControlFlow("if (this.accBits == 64)")
                .addStatement("putVarWord(this.acc)")
                .addStatement("this.acc = 0")
                .addStatement("this.accBits = 0")
                .endControlFlow()
                .build());
        b.addMethod(MethodSpec.methodBuilder("endPart").addModifiers(Modifier.PRIVATE)
                .beginControlFlow("if (this.accBits > 0)")
                .addStatement("putVarWord(this.acc)")
                .endControlFlow()
                .addStatement("publishFrame()")
                .build());
        b.addMethod(MethodSpec.methodBuilder("putBytes").addModifiers(Modifier.PRIVATE)
                .addParameter(ArrayTypeName.of(TypeName.BYTE), "values")
                .beginControlFlow("for (int i = 0; i < values.length; i++)")
                .addStatement("putBits(values[i] & 0xFFL, 8)")
                .endControlFlow().build());
        b.addMethod(MethodSpec.methodBuilder("putBooleans").addModifiers(Modifier.PRIVATE)
                .addParameter(ArrayTypeName.of(TypeName.BOOLEAN), "values")
                .beginControlFlow("for (int i = 0; i < values.length; i++)")
                .addStatement("putBits(values[i] ? 1L : 0L, 8)")
                .endControlFlow().build());
        b.addMethod(MethodSpec.methodBuilder("putShorts").addModifiers(Modifier.PRIVATE)
                .addParameter(ArrayTypeName.of(TypeName.SHORT), "values")
                .beginControlFlow("for (int i = 0; i < values.length; i++)")
                .addStatement("putBits(values[i] & 0xFFFFL, 16)")
                .endControlFlow().build());
        b.addMethod(MethodSpec.methodBuilder("putInts").addModifiers(Modifier.PRIVATE)
                .addParameter(ArrayTypeName.of(TypeName.INT), "values")
                .beginControlFlow("for (int i = 0; i < values.length; i++)")
                .addStatement("putBits(values[i] & 0xFFFFFFFFL, 32)")
                .endControlFlow().build());
        b.addMethod(MethodSpec.methodBuilder("putLongs").addModifiers(Modifier.PRIVATE)
                .addParameter(ArrayTypeName.of(TypeName.LONG), "values")
                .beginControlFlow("for (int i = 0; i < values.length; i++)")
                .addStatement("putVarWord(values[i])")
                .endControlFlow().build());
        b.addMethod(MethodSpec.methodBuilder("putString").addModifiers(Modifier.PRIVATE)
                .addParameter(STRING, "s")
                .addJavadoc("Appends the UTF-8 encoding of {@code s}, which {@link #utf8Length} has checked.\n")
                .beginControlFlow("for (int i = 0; i < s.length(); i++)")
                .addStatement("int c = s.charAt(i)")
                .beginControlFlow("if (c < 0x80)")
                .addStatement("putBits(c, 8)")
                .nextControlFlow("else if (c < 0x800)")
                .addStatement("putBits(0xC0 | (c >>> 6), 8)")
                .addStatement("putBits(0x80 | (c & 0x3F), 8)")
                .nextControlFlow("else if ($T.isHighSurrogate((char) c))", Character.class)
                .addStatement("int cp = $T.toCodePoint((char) c, s.charAt(++i))", Character.class)
                .addStatement("putBits(0xF0 | (cp >>> 18), 8)")
                .addStatement("putBits(0x80 | ((cp >>> 12) & 0x3F), 8)")
                .addStatement("putBits(0x80 | ((cp >>> 6) & 0x3F), 8)")
                .addStatement("putBits(0x80 | (cp & 0x3F), 8)")
                .nextControlFlow("else")
                .addStatement("putBits(0xE0 | (c >>> 12), 8)")
                .addStatement("putBits(0x80 | ((c >>> 6) & 0x3F), 8)")
                .addStatement("putBits(0x80 | (c & 0x3F), 8)")
                .endControlFlow()
                .endControlFlow().build());
        b.addMethod(MethodSpec.methodBuilder("utf8Length").addModifiers(Modifier.STATIC)
                .returns(TypeName.INT).addParameter(STRING, "s")
                .addJavadoc("The UTF-8 length of {@code s}, without allocating.\n\n"
                        + "@throws IllegalArgumentException if {@code s} has an unpaired surrogate\n")
                .addStatement("long n = 0")
                .beginControlFlow("for (int i = 0; i < s.length(); i++)")
                .addStatement("char c = s.charAt(i)")
                .beginControlFlow("if (c < 0x80)")
                .addStatement("n += 1")
                .nextControlFlow("else if (c < 0x800)")
                .addStatement("n += 2")
                .nextControlFlow("else if ($T.isSurrogate(c))", Character.class)
                .beginControlFlow("if (!$T.isHighSurrogate(c) || i + 1 >= s.length() "
                        + "|| !$T.isLowSurrogate(s.charAt(i + 1)))", Character.class, Character.class)
                .addStatement("throw new IllegalArgumentException($S + i)",
                        "string is not valid Unicode: unpaired surrogate at index ")
                .endControlFlow()
                .addStatement("i++")
                .addStatement("n += 4")
                .nextControlFlow("else")
                .addStatement("n += 3")
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("if (n > Integer.MAX_VALUE)")
                .addStatement("throw new IllegalArgumentException($S)", "string too long")
                .endControlFlow()
                .addStatement("return (int) n")
                .build());
        b.addMethod(MethodSpec.methodBuilder("partFrames").addModifiers(Modifier.STATIC)
                .returns(TypeName.INT).addParameter(TypeName.INT, "elements").addParameter(TypeName.INT, "perWord")
                .addJavadoc("Frames of a string or array part: a length word, then the packed elements.\n")
                .addStatement("long words = 1 + ((long) elements + perWord - 1) / perWord")
                .addStatement("return (int) ((words + 6) / 7)")
                .build());
    }

    private static void addDecoderEngine(TypeSpec.Builder b, String errorPrefix, boolean anyCaps) {
        b.addMethod(MethodSpec.methodBuilder("onFrame").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addParameter(FRAME_READER, "frame")
                .addJavadoc("Takes one frame; delivers the message it completes. Never throws for bad input.\n")
                .addStatement("long control = frame.control()")
                .addStatement("int number = $T.message(control)", CONTROL_WORD)
                .addStatement("int fragment = $T.fragment(control)", CONTROL_WORD)
                .addStatement("boolean last = $T.isLast(control)", CONTROL_WORD)
                .addStatement("int frameToken = $T.token(control)", CONTROL_WORD)
                .beginControlFlow("if (this.message != 0)")
                .beginControlFlow("if (number != this.message)")
                .addStatement("String lost = name(this.message)")
                .addStatement("int seen = this.framesSeen")
                .addStatement("fail($S + lost + $S + seen + $S + name(number))", "truncated message: ",
                        " ended after ", " frame(s) without its last frame; next came a frame of ")
                .beginControlFlow("if (fragment != 0)")
                .addStatement("return")
                .endControlFlow()
                .addComment("that frame may start a new message: go on with it")
                .nextControlFlow("else if (fragment != (this.framesSeen & ($T.FRAGMENT_MODULUS - 1)))",
                        CONTROL_WORD)
                .addStatement("int expected = this.framesSeen & ($T.FRAGMENT_MODULUS - 1)", CONTROL_WORD)
                .addStatement("fail(name(number) + $S + fragment + $S + expected)",
                        ": frame out of order: fragment ", " where ")
                .addStatement("return")
                .nextControlFlow("else if (frameToken != this.token)")
                .addStatement("fail(name(number) + $S)", ": token changed in the middle of the message")
                .addStatement("return")
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("if (this.message == 0)")
                .beginControlFlow("if (!start(number))")
                .addStatement("fail($S + number)", "unknown message number ")
                .addStatement("return")
                .endControlFlow()
                .beginControlFlow("if (fragment != 0)")
                .addStatement("reset()")
                .addStatement("fail(name(number) + $S + fragment + $S)", ": fragment ",
                        " arrived without the message's first frame (out of order or truncated)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("this.message = number")
                .addStatement("this.token = frameToken")
                .endControlFlow()
                .addComment("A message passed as an object (lrpc) is one frame; only such a frame can carry one.")
                .beginControlFlow("if (last && this.framesSeen == 0)")
                .addStatement("Object attached = frame.attachment()")
                .beginControlFlow("if (attached != null)")
                .addStatement("passed(attached)")
                .addStatement("return")
                .endControlFlow()
                .endControlFlow()
                .addStatement("this.framesSeen++")
                .beginControlFlow("if (this.fixedFramesSeen < this.fixedFrames)")
                .addStatement("int base = this.fixedFramesSeen * 7")
                .beginControlFlow("for (int i = 0; i < 7; i++)")
                .addStatement("this.fixed[base + i] = frame.word(i)")
                .endControlFlow()
                .addStatement("this.fixedFramesSeen++")
                .beginControlFlow("if (this.fixedFramesSeen == this.fixedFrames)")
                .beginControlFlow("for (int i = this.fixedWords; i < this.fixedFrames * 7; i++)")
                .beginControlFlow("if (this.fixed[i] != 0)")
                .addStatement("fail(name(number) + $S + i)", ": non-zero unused word in the fixed part: ")
                .addStatement("return")
                .endControlFlow()
                .endControlFlow()
                .endControlFlow()
                .nextControlFlow("else if (this.part < this.partCount)")
                .beginControlFlow("if (!partFrame(frame))")
                .addStatement("return")
                .endControlFlow()
                .endControlFlow()
                .addStatement("boolean complete = this.fixedFramesSeen == this.fixedFrames "
                        + "&& this.part == this.partCount")
                .beginControlFlow("if (complete != last)")
                .addStatement("fail(name(number) + (last ? $S : $S))",
                        ": last-fragment bit on frame before the message is complete (truncated)",
                        ": complete message without the last-fragment bit")
                .addStatement("return")
                .endControlFlow()
                .beginControlFlow("if (complete)")
                .addStatement("dispatch()")
                .endControlFlow()
                .build());
        b.addMethod(MethodSpec.methodBuilder("partFrame").addModifiers(Modifier.PRIVATE).returns(TypeName.BOOLEAN)
                .addParameter(FRAME_READER, "frame")
                .addJavadoc("One frame of a string or array part; false (after reporting) if it is bad.\n")
                .addStatement("int w = 0")
                .addStatement("int perWord = this.partPerWord[this.part]")
                .beginControlFlow("if (!this.partStarted)")
                .addStatement("long length = frame.word(0)")
                .beginControlFlow("if (length < 0 || length > this.partMax[this.part])")
                .addStatement("fail(name(this.message) + $S + (this.part + 1) + $S + $T.toUnsignedString(length) + $S "
                        + "+ this.partMax[this.part])", ": variable part ", " is oversized: length ", Long.class,
                        ", at most ")
                .addStatement("return false")
                .endControlFlow()
                .addStatement("this.partLength[this.part] = (int) length")
                .addStatement("this.partOffset[this.part] = this.varUsed")
                .addStatement("this.partWords = (int) ((length + perWord - 1) / perWord)")
                .addStatement("this.partWordsRead = 0")
                .addStatement("this.partStarted = true")
                .addStatement("w = 1")
                .endControlFlow()
                .beginControlFlow("for (; w < 7 && this.partWordsRead < this.partWords; w++)")
                .beginControlFlow("if (this.varUsed == this.varWords.length)")
                .addStatement("this.varWords = $T.copyOf(this.varWords, this.varWords.length * 2)", ARRAYS)
                .endControlFlow()
                .addStatement("this.varWords[this.varUsed++] = frame.word(w)")
                .addStatement("this.partWordsRead++")
                .endControlFlow()
                .beginControlFlow("for (; w < 7; w++)")
                .beginControlFlow("if (frame.word(w) != 0)")
                .addStatement("fail(name(this.message) + $S + w)", ": non-zero unused word after a variable part: ")
                .addStatement("return false")
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("if (this.partWordsRead == this.partWords)")
                .addStatement("int rest = this.partLength[this.part] % perWord")
                .beginControlFlow("if (rest != 0 && (this.varWords[this.varUsed - 1] >>> (rest * (64 / perWord))) "
                        + "!= 0)")
                .addStatement("fail(name(this.message) + $S)", ": non-zero padding after the last element")
                .addStatement("return false")
                .endControlFlow()
                .addStatement("this.part++")
                .addStatement("this.partStarted = false")
                .endControlFlow()
                .addStatement("return true")
                .build());
        b.addMethod(MethodSpec.methodBuilder("reset").addModifiers(Modifier.PRIVATE)
                .addJavadoc("Forgets the message in progress: the next frame must start a message.\n")
                .addStatement("this.message = 0")
                .addStatement("this.token = 0")
                .addStatement("this.framesSeen = 0")
                .addStatement("this.fixedFramesSeen = 0")
                .addStatement("this.fixedFrames = 0")
                .addStatement("this.partCount = 0")
                .addStatement("this.part = 0")
                .addStatement("this.partStarted = false")
                .addStatement("this.varUsed = 0")
                .build());
        b.addMethod(MethodSpec.methodBuilder("fail").addModifiers(Modifier.PRIVATE)
                .addParameter(STRING, "problem")
                .addStatement("reset()")
                .addStatement("this.binding.fail(new $T($S + problem))", BINDING_EXCEPTION, errorPrefix)
                .build());
        if (anyCaps) {
            b.addMethod(MethodSpec.methodBuilder("fail").addModifiers(Modifier.PRIVATE)
                    .addJavadoc("As {@link #fail(String)}, keeping the transfer's own exception as the cause, so a "
                            + "handler can read its kind.\n")
                    .addParameter(STRING, "problem")
                    .addParameter(BINDING_EXCEPTION, "cause")
                    .addStatement("reset()")
                    .addStatement("this.binding.fail(new $T($S + problem, cause))", BINDING_EXCEPTION, errorPrefix)
                    .build());
        }
        String[][] kinds = {{"bytes", "byte", "8"}, {"shorts", "short", "16"}, {"ints", "int", "32"},
            {"longs", "long", "64"}};
        for (String[] k : kinds) {
            TypeName el = switch (k[1]) {
                case "byte" -> TypeName.BYTE;
                case "short" -> TypeName.SHORT;
                case "int" -> TypeName.INT;
                default -> TypeName.LONG;
            };
            int bits = Integer.parseInt(k[2]);
            var mb = MethodSpec.methodBuilder(k[0]).addModifiers(Modifier.PRIVATE).returns(ArrayTypeName.of(el))
                    .addParameter(TypeName.INT, "part")
                    .addStatement("int off = this.partOffset[part]")
                    .addStatement("$T[] a = new $T[this.partLength[part]]", el, el)
                    .beginControlFlow("for (int i = 0; i < a.length; i++)");
            if (bits == 64) {
                mb.addStatement("a[i] = this.varWords[off + i]");
            } else {
                int per = 64 / bits;
                mb.addStatement("a[i] = ($T) (this.varWords[off + i / $L] >>> ((i % $L) * $L))", el, per, per, bits);
            }
            b.addMethod(mb.endControlFlow().addStatement("return a").build());
        }
        b.addMethod(MethodSpec.methodBuilder("booleans").addModifiers(Modifier.PRIVATE)
                .returns(ArrayTypeName.of(TypeName.BOOLEAN))
                .addParameter(TypeName.INT, "part")
                .addJavadoc("The part's bytes as booleans, or null if a byte is neither 0 nor 1.\n")
                .addStatement("int off = this.partOffset[part]")
                .addStatement("boolean[] a = new boolean[this.partLength[part]]")
                .beginControlFlow("for (int i = 0; i < a.length; i++)")
                .addStatement("long v = (this.varWords[off + i / 8] >>> ((i % 8) * 8)) & 0xFFL")
                .beginControlFlow("if (v > 1)")
                .addStatement("return null")
                .endControlFlow()
                .addStatement("a[i] = v == 1")
                .endControlFlow()
                .addStatement("return a")
                .build());
        b.addMethod(MethodSpec.methodBuilder("string").addModifiers(Modifier.PRIVATE)
                .returns(STRING)
                .addParameter(TypeName.INT, "part")
                .addJavadoc("The part's bytes decoded as UTF-8, strictly (no overlong forms, no surrogates, nothing "
                        + "above U+10FFFF), or null if they are not valid UTF-8.\n")
                .addStatement("int off = this.partOffset[part]")
                .addStatement("int n = this.partLength[part]")
                .addStatement("char[] out = new char[n]")
                .addStatement("int o = 0")
                .addStatement("int i = 0")
                .beginControlFlow("while (i < n)")
                .addStatement("int b0 = byteAt(off, i)")
                .addStatement("int cp")
                .addStatement("int more")
                .addStatement("int min")
                .beginControlFlow("if (b0 < 0x80)")
                .addStatement("out[o++] = (char) b0")
                .addStatement("i++")
                .addStatement("continue")
                .nextControlFlow("else if (b0 >= 0xC2 && b0 < 0xE0)")
                .addStatement("cp = b0 & 0x1F")
                .addStatement("more = 1")
                .addStatement("min = 0x80")
                .nextControlFlow("else if (b0 >= 0xE0 && b0 < 0xF0)")
                .addStatement("cp = b0 & 0x0F")
                .addStatement("more = 2")
                .addStatement("min = 0x800")
                .nextControlFlow("else if (b0 >= 0xF0 && b0 < 0xF5)")
                .addStatement("cp = b0 & 0x07")
                .addStatement("more = 3")
                .addStatement("min = 0x10000")
                .nextControlFlow("else")
                .addStatement("return null")
                .endControlFlow()
                .beginControlFlow("if (i + more >= n)")
                .addStatement("return null")
                .endControlFlow()
                .beginControlFlow("for (int k = 1; k <= more; k++)")
                .addStatement("int bk = byteAt(off, i + k)")
                .beginControlFlow("if ((bk & 0xC0) != 0x80)")
                .addStatement("return null")
                .endControlFlow()
                .addStatement("cp = (cp << 6) | (bk & 0x3F)")
                .endControlFlow()
                .beginControlFlow("if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))")
                .addStatement("return null")
                .endControlFlow()
                .addStatement("o += $T.toChars(cp, out, o)", Character.class)
                .addStatement("i += more + 1")
                .endControlFlow()
                .addStatement("return new String(out, 0, o)")
                .build());
        b.addMethod(MethodSpec.methodBuilder("byteAt").addModifiers(Modifier.PRIVATE).returns(TypeName.INT)
                .addParameter(TypeName.INT, "off").addParameter(TypeName.INT, "i")
                .addStatement("return (int) (this.varWords[off + i / 8] >>> ((i % 8) * 8)) & 0xFF")
                .build());
    }
}
