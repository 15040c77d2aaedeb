package io.flotilla.codegen;

import static io.flotilla.codegen.JavaStubGenerator.*;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.flotilla.codegen.InterfaceModel.Msg;
import io.flotilla.codegen.InterfaceModel.Wire;
import java.util.ArrayList;
import javax.lang.model.element.Modifier;

/**
 * Emits the future stub: each rpc returns a {@code CompletableFuture} of its result (the one out argument, the
 * generated {@code XResult} record, or {@code Void}), completed on the binding's event loop. It wraps the callback
 * stub, so both can be used on one binding.
 */
final class FutureStubEmitter extends Emitter {

    FutureStubEmitter(InterfaceModel m) {
        super(m);
    }

    TypeSpec futureStubType() {
        var b = TypeSpec.classBuilder(futureStub).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("The rpcs of a {@code $L} binding end as futures: each call returns a {@link $T} that "
                        + "completes with the response, or exceptionally with the {@link $T} the call ended with "
                        + "(switch on its status). {@code cancel} cancels the call. Made from the end's callback "
                        + "stub; like it, used on the binding's event loop (for plain threads see {@link $T}).\n",
                        iface.name(), RPC_FUTURE, RPC_EXCEPTION, blockingStub)
                .addField(stub, "stub", Modifier.PRIVATE, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                        .addParameter(stub, "stub")
                        .addJavadoc("@param stub the callback stub of the binding end to call on\n")
                        .addStatement("this.stub = $T.requireNonNull(stub, $S)", OBJECTS, "stub")
                        .build());
        for (Msg m : msgs) {
            if (m.isRpc()) {
                addCall(b, m);
            }
        }
        return b.build();
    }

    /** The type a future of rpc {@code m} completes with. */
    TypeName resultType(Msg m) {
        Wire r = m.response;
        if (m.result != null) {
            return m.result;
        }
        if (r.args.isEmpty()) {
            return ClassName.get(Void.class);
        }
        return argType(r.args.get(0)).box();
    }

    /** The expression that builds the result from the out arguments' names. */
    CodeBlock resultValue(Msg m) {
        Wire r = m.response;
        if (m.result != null) {
            return CodeBlock.of("new $T($L)", m.result, argList(r.argNames));
        }
        return r.args.isEmpty() ? CodeBlock.of("null") : CodeBlock.of("$N", r.argNames.get(0));
    }

    private void addCall(TypeSpec.Builder b, Msg m) {
        Wire w = m.call;
        Wire r = m.response;
        var taken = new ArrayList<String>(w.argNames);
        taken.addAll(r.argNames);
        var names = new Locals(taken, "stub");
        String timeout = names.get("timeout");
        String future = names.get("future");
        String failure = names.get("failure");
        TypeName result = resultType(m);
        TypeName futureType = ParameterizedTypeName.get(RPC_FUTURE, result);
        var reply = TypeSpec.anonymousClassBuilder("")
                .addSuperinterface(m.reply)
                .addMethod(MethodSpec.methodBuilder("reply").addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC).addParameters(params(r.args, r.argNames))
                        .addStatement("$N.complete($L)", future, resultValue(m)).build())
                .addMethod(MethodSpec.methodBuilder("failed").addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC).addParameter(RPC_EXCEPTION, failure)
                        .addStatement("$N.completeExceptionally($N)", future, failure).build())
                .build();
        String sep = w.argNames.isEmpty() ? "" : ", ";
        b.addMethod(MethodSpec.methodBuilder(m.javaName).addModifiers(Modifier.PUBLIC)
                .returns(futureType)
                .addParameters(params(w.args, w.argNames)).addParameter(DURATION, timeout)
                .addJavadoc("Calls rpc {@code $L}; the future completes with its $L, or exceptionally with an {@link "
                        + "$T}: {@code CLOSED} at once if the binding is closed, {@code DEADLINE_EXCEEDED} if no "
                        + "response came within {@code $N}, or how the server or transport failed.\n\n$L\n\n",
                        m.source.name(), m.result != null ? "out arguments" : r.args.isEmpty() ? "completion"
                                : "out argument", RPC_EXCEPTION, timeout, messageDoc(m))
                .addJavadoc(paramDocs(w.args, w.argNames))
                .addJavadoc("@param $N how long the call may take; null for no deadline\n"
                        + "@return the call's future\n", timeout)
                .addJavadoc(throwsDoc(w, " (nothing is sent)"))
                .addStatement("$T $N = new $T<>(this.stub.binding())", futureType, future, RPC_FUTURE)
                .beginControlFlow("try")
                .addStatement("$N.started(this.stub.$L($L$L$N, $L))", future, m.javaName, argList(w.argNames), sep,
                        timeout, reply)
                .nextControlFlow("catch ($T $N)", RPC_EXCEPTION, failure)
                .addStatement("$N.completeExceptionally($N)", future, failure)
                .endControlFlow()
                .addStatement("return $N", future)
                .build());
        b.addMethod(MethodSpec.methodBuilder(m.javaName).addModifiers(Modifier.PUBLIC)
                .returns(futureType)
                .addParameters(params(w.args, w.argNames))
                .addJavadoc("Calls rpc {@code $L} without a deadline; see the other overload.\n\n", m.source.name())
                .addJavadoc(paramDocs(w.args, w.argNames))
                .addJavadoc("@return the call's future\n")
                .addJavadoc(throwsDoc(w, " (nothing is sent)"))
                .addStatement("return $L($L$Lnull)", m.javaName, argList(w.argNames), sep)
                .build());
    }
}
