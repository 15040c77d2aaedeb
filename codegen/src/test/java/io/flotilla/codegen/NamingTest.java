package io.flotilla.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.diag.Severity;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.source.SourcePos;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamingTest {

    static Interface hygiene() {
        return IfaceBuilder.iface("hygiene")
                .enumeration("state", "new", "old", "x'")
                .struct("rec", "uint32 hashCode", "uint32 class", "uint32 foo_bar", "uint32 fooBar")
                .struct("hygiene_stub", "uint8 a")
                .struct("string", "uint8 a")
                .message("new", "uint32 class", "uint32 whenSent", "uint32 reply")
                .message("bind")
                .message("toString")
                .message("hashCode")
                .message("equals")
                .message("getClass")
                .message("wait")
                .message("notify")
                .message("close")
                .message("foo_bar", "uint32 a'", "uint32 binding")
                .message("fooBar")
                .message("ping")
                .message("try_ping")
                .message("x'")
                .rpc("get", "in uint32 responder", "out uint32 reply")
                .message("get_call")
                .message("descriptor")
                .message("m", "state s", "rec r", "hygiene_stub h", "string st")
                .build();
    }

    @Test
    void camelCase() {
        assertThat(JavaNames.upperCamel("ping_pong")).isEqualTo("PingPong");
        assertThat(JavaNames.lowerCamel("ping_pong")).isEqualTo("pingPong");
        assertThat(JavaNames.lowerCamel("CORE_ID")).isEqualTo("coreId");
        assertThat(JavaNames.lowerCamel("getIRQ")).isEqualTo("getIRQ");
        assertThat(JavaNames.lowerCamel("x'")).isEqualTo("x_");
        assertThat(JavaNames.lowerCamel("_")).isEqualTo("_");
        assertThat(JavaNames.upperSnake("addCall")).isEqualTo("ADD_CALL");
    }

    @Test
    void collidingAndReservedNamesAreRenamedWithWarningsAtTheDeclaration() {
        Interface i = hygiene();
        GeneratedInterface g = new JavaStubGenerator("gen.hygiene").generate(i);
        List<String> warnings = g.diagnostics().stream()
                .peek(d -> assertThat(d.severity()).isEqualTo(Severity.WARNING))
                .map(Diagnostic::message).toList();
        assertThat(warnings).contains(
                "renamed 'new' to 'new_' in generated Java: 'new' is a Java keyword",
                "renamed 'bind' to 'bind_' in generated Java: 'bind' is the generated bind method",
                "renamed 'toString' to 'toString_' in generated Java: 'toString' is a method every Java object has",
                "renamed 'close' to 'close_' in generated Java: 'close' is reserved for closing a binding",
                "renamed 'fooBar' to 'fooBar2' in generated Java: 'fooBar' is already used by message 'foo_bar'",
                "renamed 'try_ping' to 'tryPing2' in generated Java: 'tryPing' is already used by message 'ping'",
                "renamed 'get_call' to 'getCall2' in generated Java: 'getCall' is already used by message 'get'",
                "renamed 'descriptor' to 'descriptor_' in generated Java: 'descriptor' is the generated "
                        + "DESCRIPTOR constant",
                "renamed 'class' to 'class_' in generated Java: 'class' is a Java keyword",
                "renamed 'whenSent' to 'whenSent_' in generated Java: 'whenSent' is a parameter or field of the "
                        + "generated code",
                "renamed 'reply' to 'reply_' in generated Java: 'reply' is a parameter or field of the generated code",
                "renamed 'responder' to 'responder_' in generated Java: 'responder' is a parameter or field of the "
                        + "generated code",
                "renamed 'binding' to 'binding_' in generated Java: 'binding' is a parameter or field of the "
                        + "generated code",
                "renamed 'a'' to 'a_' in generated Java: apostrophes are not allowed in Java identifiers",
                "renamed 'x'' to 'x_' in generated Java: apostrophes are not allowed in Java identifiers",
                "renamed 'hashCode' to 'hashCode_' in generated Java: 'hashCode' is a method every Java object has",
                "renamed 'hygiene_stub' to 'HygieneStub_' in generated Java: 'HygieneStub' is a generated class",
                "renamed 'string' to 'String_' in generated Java: 'String' is a class the generated code uses");
        // each warning points at the declaration it is about
        Diagnostic newWarning = g.diagnostics().stream().filter(d -> d.message().startsWith("renamed 'new' to"))
                .filter(d -> d.pos().line() > 10).findFirst().orElseThrow();
        assertThat(newWarning.pos()).isEqualTo(i.messages().get(0).pos());
        Diagnostic stubType = g.diagnostics().stream().filter(d -> d.message().contains("'hygiene_stub'"))
                .findFirst().orElseThrow();
        assertThat(stubType.pos()).isEqualTo(i.types().get(2).pos());
        assertThat(stubType.pos()).isNotEqualTo(SourcePos.NONE);
    }

    @Test
    void renamedCodeCompilesAndIsDeterministic() {
        GeneratedSources s = GeneratedSources.shared();
        String stub = s.source("HygieneStub");
        assertThat(stub).contains("public void new_(int class_, int whenSent_, int reply_)",
                "public void bind_()", "public void fooBar2()", "public void tryPing2()", "public boolean tryTryPing2()",
                "public int get(int responder_, Hygiene.GetReply reply)");
        assertThat(s.source("Hygiene")).contains("public static final int NEW_ = 3;", "record HygieneStub_(",
                "enum State", "new_,", "x_");
        String again = new JavaStubGenerator(GeneratedSources.PACKAGE).generate(hygiene()).files().get(1).toString();
        assertThat(again).isEqualTo(stub);
    }

    @Test
    void unsupportedShapesAreErrors() {
        var i = IfaceBuilder.iface("bad")
                .struct("p", "uint8 a")
                .message("m", "p ps[n, 4]", "String s[0]")
                .build();
        GeneratedInterface g = new JavaStubGenerator("x").generate(i);
        assertThat(g.files()).isEmpty();
        assertThat(g.diagnostics()).extracting(Diagnostic::message).containsExactly(
                "dynamic array 'ps' of 'p': only arrays of integer, char and bool elements can be carried",
                "string 's' must have a maximum size of at least 1");
        assertThat(g.diagnostics()).allMatch(Diagnostic::isError);
    }
}
