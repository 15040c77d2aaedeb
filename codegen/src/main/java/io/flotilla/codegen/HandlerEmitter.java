package io.flotilla.codegen;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import static io.flotilla.codegen.JavaStubGenerator.*;

import io.flotilla.codegen.InterfaceModel.Msg;
import io.flotilla.codegen.InterfaceModel.Wire;
import javax.lang.model.element.Modifier;

/** Emits the handler interface: what arrives. */
final class HandlerEmitter extends Emitter {

    HandlerEmitter(InterfaceModel m) {
        super(m);
    }

    TypeSpec handlerType() {
        var b = TypeSpec.interfaceBuilder(handler).addModifiers(Modifier.PUBLIC)
                .addJavadoc("Receives what the peer sends on a {@code $L} binding: one method per message and per "
                        + "rpc call. The methods run on the binding's event loop, one at a time.\n\n"
                        + "<p>Every method has a default that reports the message as unhandled (a "
                        + "{@link $T} to the binding's error handler), so implement only what the protocol "
                        + "uses. A {@link $T} thrown from a method goes to the binding's error handler; "
                        + "other exceptions propagate out of {@code Binding.poll}. Whatever an rpc method throws "
                        + "before it answers also ends the call: the caller gets the failure. Strings and arrays passed in "
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
            if (m.isRpc()) {
                mb.addJavadoc("@throws $T by default, with status {@code UNIMPLEMENTED}, which the caller "
                        + "receives\n", RPC_EXCEPTION);
                mb.addStatement("throw new $T($T.UNIMPLEMENTED, $S)", RPC_EXCEPTION, RPC_STATUS,
                        iface.name() + ": unhandled rpc call " + w.wireName);
            } else {
                mb.addJavadoc("@throws $T by default: the message is unhandled\n", BINDING_EXCEPTION);
                mb.addStatement("throw new $T($S)", BINDING_EXCEPTION, iface.name() + ": unhandled message "
                        + w.wireName);
            }
            b.addMethod(mb.build());
        }
        return b.build();
    }
}
