package io.flotilla.codegen;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import static io.flotilla.codegen.JavaStubGenerator.*;

import io.flotilla.codegen.InterfaceModel.Msg;
import io.flotilla.codegen.InterfaceModel.Wire;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Emits the callback stub: split-phase sends, {@code tryX}, rpc calls with a reply continuation. */
final class StubEmitter extends Emitter {

    StubEmitter(InterfaceModel m) {
        super(m);
    }

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
        boolean rpcs = msgs.stream().anyMatch(Msg::isRpc);
        var ctor = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addParameter(BINDING, "binding")
                .addJavadoc("A stub sending on {@code binding}. Usually made by {@link $T#bind}, which also "
                        + "installs the decoder that delivers rpc responses to this stub.$L\n\n"
                        + "@param binding the binding end to send on\n", holder,
                        rpcs ? " Registers its pending calls with the binding, so that failures reach them." : "")
                .addStatement("this.binding = $T.requireNonNull(binding, $S)", OBJECTS, "binding")
                .addStatement("this.codec = new $T(binding, binding.caps())", codec);
        if (rpcs) {
            b.addSuperinterface(RPC_CALLS);
            ctor.addStatement("binding.attachCalls(this)");
        }
        b.addMethod(ctor.build());
        if (rpcs) {
            b.addMethod(failCallMethod());
            b.addMethod(failAllCallsMethod());
        }
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
                String timeout = new Locals(w.argNames, "reply").get("timeout");
                String tk = new Locals(w.argNames, "reply", timeout).get("token");
                b.addMethod(MethodSpec.methodBuilder(m.javaName).addModifiers(Modifier.PUBLIC)
                        .returns(TypeName.INT)
                        .addParameters(ps).addParameter(DURATION, timeout).addParameter(m.reply, "reply")
                        .addJavadoc("Calls rpc {@code $L} with a deadline: as the other overload, and if no response "
                                + "has arrived {@code $N} from now (on the binding's clock: virtual time on the "
                                + "simulator) the call ends with {@code DEADLINE_EXCEEDED}.\n\n",
                                m.source.name(), timeout)
                        .addJavadoc(paramDocs(w.args, w.argNames))
                        .addJavadoc("@param $N how long the call may take; null for no deadline\n"
                                + "@param reply receives the response or the failure, exactly once\n"
                                + "@return the call's token, for {@code Binding.cancel}\n"
                                + "@throws io.flotilla.binding.RpcException with status {@code CLOSED} if the "
                                + "binding is closed (nothing is sent; {@code reply} never runs)\n"
                                + throwsDoc, timeout)
                        .addStatement("int $N = $L($L$Lreply)", tk,
                                m.javaName, argList(w.argNames), w.argNames.isEmpty() ? "" : ", ")
                        .beginControlFlow("if ($N != null)", timeout)
                        .addStatement("this.binding.deadline($N, $N)", tk, timeout)
                        .endControlFlow()
                        .addStatement("return $N", tk)
                        .build());
                b.addMethod(MethodSpec.methodBuilder(m.javaName).addModifiers(Modifier.PUBLIC)
                        .returns(TypeName.INT)
                        .addParameters(ps).addParameter(m.reply, "reply")
                        .addJavadoc("Calls rpc {@code $L}: sends {@code $L} with a fresh token and returns at once; "
                                + "{@code reply} runs when the response with that token arrives, or with the "
                                + "failure the call ended with.\n\n$L\n\n",
                                m.source.name(), w.wireName, messageDoc(m))
                        .addJavadoc(paramDocs(w.args, w.argNames))
                        .addJavadoc("@param reply receives the response or the failure, exactly once\n"
                                + "@return the call's token, for {@code Binding.cancel}\n"
                                + "@throws io.flotilla.binding.RpcException with status {@code CLOSED} if the "
                                + "binding is closed (nothing is sent; {@code reply} never runs)\n" + throwsDoc)
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
                        .addStatement("this.binding.called($T.DESCRIPTOR, $T.$L, $N)", holder, holder, w.constName,
                                token)
                        .addStatement("return $N", token)
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


    /** Routes a failure the binding learns of to the waiting call's reply, whichever rpc it belongs to. */
    MethodSpec failCallMethod() {
        var mb = MethodSpec.methodBuilder("failCall").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN)
                .addParameter(TypeName.INT, "token").addParameter(RPC_EXCEPTION, "failure")
                .addJavadoc("Ends the pending call with this token with {@code failure}; used by the binding.\n\n"
                        + "@param token the call's token\n@param failure how it ended\n"
                        + "@return false if no call with that token was pending\n");
        int i = 0;
        for (Msg m : msgs) {
            if (!m.isRpc()) {
                continue;
            }
            String r = "r" + i++;
            mb.addStatement("$T $L = this.$L.remove(token)", m.reply, r, m.javaName + "Replies")
                    .beginControlFlow("if ($L != null)", r)
                    .addStatement("this.binding.ended($T.DESCRIPTOR, $T.$L, token, failure)", holder, holder,
                            m.call.constName)
                    .addStatement("$T.deliver($L, failure, this.binding)", RPC_REPLY, r)
                    .addStatement("return true")
                    .endControlFlow();
        }
        return mb.addStatement("return false").build();
    }

    MethodSpec failAllCallsMethod() {
        var mb = MethodSpec.methodBuilder("failAllCalls").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).addParameter(RPC_EXCEPTION, "failure")
                .addJavadoc("Ends every pending call with {@code failure}; used by the binding when it closes.\n\n"
                        + "@param failure how they ended\n");
        for (Msg m : msgs) {
            if (m.isRpc()) {
                mb.beginControlFlow("for (int t = this.$L.anyToken(); t != 0; t = this.$L.anyToken())",
                                m.javaName + "Replies", m.javaName + "Replies")
                        .addStatement("$T r = this.$L.remove(t)", m.reply, m.javaName + "Replies")
                        .addStatement("this.binding.ended($T.DESCRIPTOR, $T.$L, t, failure)", holder, holder,
                                m.call.constName)
                        .addStatement("$T.deliver(r, failure, this.binding)", RPC_REPLY)
                        .endControlFlow();
            }
        }
        return mb.build();
    }
}
