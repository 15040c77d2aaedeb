package io.flotilla.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import static io.flotilla.codegen.JavaStubGenerator.*;

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
import java.util.IdentityHashMap;
import java.util.Map;
import javax.lang.model.element.Modifier;

/** Emits the frame codec: one encoder and frame count per wire message, over the runtime's {@code FrameEncoder}. */
final class CodecEmitter extends Emitter {

    CodecEmitter(InterfaceModel m) {
        super(m);
    }

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
        b.superclass(FRAME_ENCODER);
        b.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addParameter(FRAME_SINK, "sink").addParameter(CAPABILITY_TRANSFER, "caps")
                .addJavadoc("@param sink where frames go (normally a {@link $T})\n"
                        + "@param caps moves capability arguments out of band\n", BINDING)
                .addStatement("super(sink, caps)")
                .build());
        for (Wire w : wires) {
            b.addMethod(framesMethod(w));
            b.addMethod(encodeMethod(w));
            if (w.carrier != null) {
                b.addType(carrierType(w));
            }
        }
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
                    .addStatement("lastFrame()")
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
                mb.addStatement("this.words[$L] = $>$>$L$<$<", word - f * 7, expr.build());
            }
            // One transport call for the frame's words and control word (FrameEncoder says why).
            mb.addStatement("publishFrame($L)", Math.max(0, Math.min(l.fixedWords, f * 7 + 7) - f * 7));
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
}
