package io.flotilla.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import io.flotilla.dsl.iface.model.Interface;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 *   <li>{@code IDecoder} — the {@code FrameHandler} that reassembles, validates and dispatches frames;
 *   <li>for an interface with rpcs, {@code IFutureStub} (each rpc returns a {@code CompletableFuture}) and
 *       {@code IBlockingStub} (each rpc waits for its result, for plain threads beside an {@code EventLoop}).
 * </ul>
 *
 * <p>Each artifact has its own emitter over a shared {@link InterfaceModel}; the code every codec and decoder
 * shares is not emitted but lives in the runtime ({@code FrameEncoder}, {@code FrameDecoder}, {@code RpcResponder}).
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
    static final ClassName FRAME_ENCODER = ClassName.get(BINDING_PKG, "FrameEncoder");
    static final ClassName FRAME_DECODER = ClassName.get(BINDING_PKG, "FrameDecoder");
    static final ClassName RPC_CALLS = ClassName.get(BINDING_PKG, "RpcCalls");
    static final ClassName RPC_EXCEPTION = ClassName.get(BINDING_PKG, "RpcException");
    static final ClassName RPC_STATUS = ClassName.get(BINDING_PKG, "RpcStatus");
    static final ClassName RPC_REPLY = ClassName.get(BINDING_PKG, "RpcReply");
    static final ClassName RPC_RESPONDER = ClassName.get(BINDING_PKG, "RpcResponder");
    static final ClassName RPC_FUTURE = ClassName.get(BINDING_PKG, "RpcFuture");
    static final ClassName EVENT_LOOP = ClassName.get(BINDING_PKG, "EventLoop");
    static final ClassName DURATION = ClassName.get("java.time", "Duration");
    static final ClassName COMPLETABLE_FUTURE = ClassName.get("java.util.concurrent", "CompletableFuture");
    static final ClassName EXECUTOR = ClassName.get("java.util.concurrent", "Executor");

    /** Simple names the generated code refers to: a generated type must not shadow them. */
    static final List<String> USED_SIMPLE_NAMES = List.of(
            "FrameEncoder", "FrameDecoder", "RpcCalls", "RpcReply", "RpcException", "RpcStatus", "RpcResponder", "RpcFuture",
            "EventLoop", "Duration", "CompletableFuture", "Executor",
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
        var model = new InterfaceModel(iface, packageName);
        model.check();
        if (model.hasErrors()) {
            return new GeneratedInterface(List.of(), model.diags);
        }
        model.name();
        model.layout();
        if (model.hasErrors()) {
            return new GeneratedInterface(List.of(), model.diags);
        }
        var files = new ArrayList<JavaFile>();
        files.add(file(new TypesEmitter(model).holderType()));
        files.add(file(new StubEmitter(model).stubType()));
        files.add(file(new HandlerEmitter(model).handlerType()));
        files.add(file(new CodecEmitter(model).codecType()));
        files.add(file(new DecoderEmitter(model).decoderType()));
        if (model.msgs.stream().anyMatch(InterfaceModel.Msg::isRpc)) {
            files.add(file(new FutureStubEmitter(model).futureStubType()));
            files.add(file(new BlockingStubEmitter(model).blockingStubType()));
        }
        return new GeneratedInterface(files, model.diags);
    }

    private JavaFile file(TypeSpec type) {
        return JavaFile.builder(packageName, type).indent("    ").skipJavaLangImports(true).build();
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

}
