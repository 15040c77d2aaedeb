package io.flotilla.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import static io.flotilla.codegen.JavaStubGenerator.*;

import io.flotilla.codegen.InterfaceModel.Msg;
import io.flotilla.codegen.InterfaceModel.Wire;
import io.flotilla.codegen.WireLayout.Part;
import io.flotilla.codegen.WireLayout.Piece;
import io.flotilla.codegen.WireLayout.PieceKind;
import io.flotilla.codegen.WireLayout.Placement;
import io.flotilla.dsl.iface.model.Argument;
import io.flotilla.dsl.iface.model.ArrayDef;
import io.flotilla.dsl.iface.model.BuiltinType;
import io.flotilla.dsl.iface.model.StructDef;
import io.flotilla.dsl.iface.model.Type;
import io.flotilla.dsl.iface.model.TypeDef;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/** Emits the decoder: layouts, checks and dispatch per wire message, over the runtime's {@code FrameDecoder}. */
final class DecoderEmitter extends Emitter {

    DecoderEmitter(InterfaceModel m) {
        super(m);
    }

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
                .superclass(FRAME_DECODER)
                .addField(handler, "handler", Modifier.PRIVATE, Modifier.FINAL)
                .addField(stub, "stub", Modifier.PRIVATE, Modifier.FINAL);
        b.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addParameter(BINDING, "binding").addParameter(handler, "handler").addParameter(stub, "stub")
                .addJavadoc("Usually made by {@link $T#bind}.\n\n@param binding where errors are reported and "
                        + "capabilities received\n@param handler receives messages and rpc calls\n"
                        + "@param stub the stub of this end, whose pending rpc calls responses complete, and "
                        + "which responders send with\n", holder)
                .addStatement("super(binding, $S, $L, $L)", iface.name(), maxFixedFrames, maxParts)
                .addStatement("this.handler = $T.requireNonNull(handler, $S)", OBJECTS, "handler")
                .addStatement("this.stub = $T.requireNonNull(stub, $S)", OBJECTS, "stub")
                .build());
        b.addMethod(startMethod());
        b.addMethod(nameMethod());
        var dispatch = MethodSpec.methodBuilder("dispatch").addAnnotation(Override.class)
                .addModifiers(Modifier.PROTECTED)
                .addJavadoc("Checks and delivers the message just completed.\n")
                .beginControlFlow("switch (currentMessage())");
        for (Wire w : wires) {
            dispatch.addStatement("case $T.$L: $L(); break", holder, w.constName, w.dispatchName);
            b.addMethod(dispatchMethod(w));
        }
        dispatch.addStatement("default: fail($S + currentMessage())", "internal error: no dispatch for message ")
                .endControlFlow();
        b.addMethod(dispatch.build());
        var passed = MethodSpec.methodBuilder("passed").addAnnotation(Override.class).addModifiers(Modifier.PROTECTED)
                .addParameter(Object.class, "attached")
                .addJavadoc("Delivers a message that came as an object in one frame (a transport that passes "
                        + "objects), without decoding; the object must be the message's own carrier.\n")
                .beginControlFlow("switch (currentMessage())");
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
                .addStatement("fail(messageName(currentMessage()) + $S + attached.getClass().getName())",
                        ": a frame carried an object this message cannot be passed as: ");
        b.addMethod(passed.build());
        return b.build();
    }

    MethodSpec startMethod() {
        var mb = MethodSpec.methodBuilder("start").addAnnotation(Override.class).addModifiers(Modifier.PROTECTED)
                .returns(TypeName.BOOLEAN)
                .addParameter(TypeName.INT, "number")
                .addJavadoc("Sets up the layout of message {@code number}.\n\n@param number a message number\n"
                        + "@return false if there is no such message\n")
                .beginControlFlow("switch (number)");
        for (Wire w : wires) {
            var cb = CodeBlock.builder().add("case $T.$L:\n$>", holder, w.constName)
                    .addStatement("expect($L, $L, $L, $L)", w.kind.equals("MESSAGE") ? "MESSAGE"
                            : w.kind.equals("RPC_CALL") ? "CALL" : "RESPONSE", w.layout.fixedFrames,
                            w.layout.fixedWords, w.layout.parts.size());
            for (int i = 0; i < w.layout.parts.size(); i++) {
                Part p = w.layout.parts.get(i);
                cb.addStatement("expectPart($L, $L, $LL)", i, p.perWord(), p.max());
            }
            cb.addStatement("return true").add("$<");
            mb.addCode(cb.build());
        }
        mb.addStatement("default: return false").endControlFlow();
        return mb.build();
    }

    MethodSpec nameMethod() {
        var mb = MethodSpec.methodBuilder("messageName").addAnnotation(Override.class)
                .addModifiers(Modifier.PROTECTED)
                .returns(STRING).addParameter(TypeName.INT, "number")
                .addJavadoc("@param number a message number\n@return its name in the interface file\n")
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
            mb.addStatement("int token = currentToken()");
        }
        if (w.kind.equals("RPC_RESPONSE")) {
            mb.addStatement("$T reply = this.stub.$L.remove(token)", w.msg.reply, w.msg.javaName + "Replies");
            mb.beginControlFlow("if (reply == null)")
                    .beginControlFlow("if (this.binding.forgetAbandoned(token))")
                    .addComment("the call was cancelled or ran out of time: its late response is dropped")
                    .addStatement("reset()")
                    .nextControlFlow("else")
                    .addStatement("fail($S + $T.toUnsignedString(token))", w.wireName
                            + ": no call is waiting for a response with token ", Integer.class)
                    .endControlFlow()
                    .addStatement("return")
                    .endControlFlow();
        }
    }

    /** Forgets the message and hands the argument values to the handler or the reply continuation. */
    void addDelivery(MethodSpec.Builder mb, Wire w, List<CodeBlock> argVals) {
        Msg m = w.msg;
        mb.addStatement("reset()");
        var args = CodeBlock.join(argVals, ",$W");
        if (w.kind.equals("RPC_CALL")) {
            // Whatever the handler throws before it answers ends the call for the caller too; the server still
            // sees it as before (error handler, or out of poll).
            mb.addStatement("this.binding.served($T.DESCRIPTOR, $T.$L, token)", holder, holder, w.constName)
                    .addStatement("$T responder = new $T(this.stub, token)", m.responder, m.responder)
                    .beginControlFlow("try")
                    .addStatement("this.handler.$L($L$Lresponder)", m.javaName, args, argVals.isEmpty() ? "" : ", ")
                    .nextControlFlow("catch ($T e)", BINDING_EXCEPTION)
                    .addStatement("responder.handlerFailed(e)")
                    .addStatement("this.binding.fail(e)")
                    .nextControlFlow("catch (RuntimeException e)")
                    .addStatement("responder.handlerFailed(e)")
                    .addStatement("throw e")
                    .endControlFlow();
            return;
        }
        mb.beginControlFlow("try");
        if (w.kind.equals("MESSAGE")) {
            mb.addStatement("this.handler.$L($L)", m.javaName, args);
        } else {
            mb.addStatement("this.binding.ended($T.DESCRIPTOR, $T.$L, token, null)", holder, holder,
                    m.call.constName);
            mb.addStatement("reply.reply($L)", args);
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
