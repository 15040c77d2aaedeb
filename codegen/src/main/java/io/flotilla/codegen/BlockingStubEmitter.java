package io.flotilla.codegen;

import static io.flotilla.codegen.JavaStubGenerator.*;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.flotilla.codegen.InterfaceModel.Msg;
import io.flotilla.codegen.InterfaceModel.Wire;
import java.util.ArrayList;
import javax.lang.model.element.Modifier;

/**
 * Emits the blocking stub, for plain threads beside an event loop (Flounder's rpcclient, gRPC's blocking stub):
 * each rpc hands the call to the binding's loop, waits, and returns the result or throws the
 * {@code RpcException} the call ended with. On an event-loop thread it fails at once instead of deadlocking.
 */
final class BlockingStubEmitter extends Emitter {

    BlockingStubEmitter(InterfaceModel m) {
        super(m);
    }

    TypeSpec blockingStubType() {
        var b = TypeSpec.classBuilder(blockingStub).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("The rpcs of a {@code $L} binding end for plain threads: each call runs on the "
                        + "binding's event loop and this thread waits for its result. A failed call throws the "
                        + "{@link $T} it ended with (switch on its status). Calling from an event-loop thread "
                        + "throws {@link IllegalStateException} at once: that thread would have to deliver the "
                        + "response it waits for.\n", iface.name(), RPC_EXCEPTION)
                .addField(futureStub, "stub", Modifier.PRIVATE, Modifier.FINAL)
                .addField(EXECUTOR, "loop", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                        .addParameter(futureStub, "stub").addParameter(EXECUTOR, "loop")
                        .addJavadoc("@param stub the future stub of the binding end to call on\n"
                                + "@param loop runs tasks on the binding's event loop (an {@link $T})\n", EVENT_LOOP)
                        .addStatement("this.stub = $T.requireNonNull(stub, $S)", OBJECTS, "stub")
                        .addStatement("this.loop = $T.requireNonNull(loop, $S)", OBJECTS, "loop")
                        .build());
        var futures = new FutureStubEmitter(model);
        for (Msg m : msgs) {
            if (m.isRpc()) {
                addCall(b, m, futures.resultType(m));
            }
        }
        return b.build();
    }

    private void addCall(TypeSpec.Builder b, Msg m, TypeName result) {
        Wire w = m.call;
        Wire r = m.response;
        var names = new Locals(new ArrayList<>(w.argNames), "stub", "loop");
        String timeout = names.get("timeout");
        String done = names.get("done");
        String value = names.get("value");
        String failure = names.get("failure");
        boolean isVoid = r.args.isEmpty();
        String sep = w.argNames.isEmpty() ? "" : ", ";
        var mb = MethodSpec.methodBuilder(m.javaName).addModifiers(Modifier.PUBLIC)
                .returns(isVoid ? TypeName.VOID : m.result != null ? m.result : argType(r.args.get(0)))
                .addParameters(params(w.args, w.argNames)).addParameter(DURATION, timeout)
                .addJavadoc("Calls rpc {@code $L} and waits for its response.\n\n$L\n\n", m.source.name(),
                        messageDoc(m))
                .addJavadoc(paramDocs(w.args, w.argNames))
                .addJavadoc("@param $N how long the call may take; null for no deadline\n", timeout)
                .addJavadoc(isVoid ? "" : m.result != null ? "@return the out arguments\n"
                        : "@return the out argument\n")
                .addJavadoc("@throws $T how the call failed\n@throws IllegalStateException on an event-loop "
                        + "thread\n", RPC_EXCEPTION)
                .addStatement("$T.checkMayBlock($S)", EVENT_LOOP, "rpc " + m.source.name())
                .addStatement("$T $N = new $T<>()", ParameterizedTypeName.get(COMPLETABLE_FUTURE, result), done,
                        COMPLETABLE_FUTURE)
                .addStatement("this.loop.execute(() -> this.stub.$L($L$L$N).whenComplete(($N, $N) -> {\n$>"
                        + "if ($N != null) {\n$>$N.completeExceptionally($N);\n$<} else {\n$>$N.complete($N);\n$<}\n$<}))",
                        m.javaName, argList(w.argNames), sep, timeout, value, failure, failure, done, failure, done,
                        value);
        if (isVoid) {
            mb.addStatement("$T.await($N)", RPC_FUTURE, done);
        } else {
            mb.addStatement("return $T.await($N)", RPC_FUTURE, done);
        }
        b.addMethod(mb.build());
        b.addMethod(MethodSpec.methodBuilder(m.javaName).addModifiers(Modifier.PUBLIC)
                .returns(isVoid ? TypeName.VOID : m.result != null ? m.result : argType(r.args.get(0)))
                .addParameters(params(w.args, w.argNames))
                .addJavadoc("Calls rpc {@code $L} without a deadline and waits; see the other overload.\n\n",
                        m.source.name())
                .addJavadoc(paramDocs(w.args, w.argNames))
                .addJavadoc(isVoid ? "" : "@return the result\n")
                .addJavadoc("@throws $T how the call failed\n@throws IllegalStateException on an event-loop "
                        + "thread\n", RPC_EXCEPTION)
                .addStatement("$L$L($L$Lnull)", isVoid ? "" : "return ", m.javaName, argList(w.argNames), sep)
                .build());
    }
}
