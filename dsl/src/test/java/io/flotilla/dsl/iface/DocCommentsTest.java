package io.flotilla.dsl.iface;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.dsl.iface.model.StructDef;
import org.junit.jupiter.api.Test;

class DocCommentsTest {

    private static Interface model(String text) {
        CompileResult result = Corpus.compile(text);
        assertThat(result.hasErrors()).as(result.render()).isFalse();
        return result.model().orElseThrow();
    }

    @Test
    void stripsCommentMarkers() {
        assertThat(DocComments.strip("// plain")).isEqualTo("plain");
        assertThat(DocComments.strip("/// triple")).isEqualTo("triple");
        assertThat(DocComments.strip("///< trailing")).isEqualTo("trailing");
        assertThat(DocComments.strip("/**\n * one\n * two\n */")).isEqualTo("one\ntwo");
        assertThat(DocComments.strip("/* a /* nested */ b */")).isEqualTo("a /* nested */ b");
    }

    @Test
    void takesTheRunOfCommentsRightBeforeADeclaration() {
        Interface i = model("""
                // licence header, separated by a blank line

                // The interface.
                /* Second line. */
                interface test {
                    typedef struct {
                        uint8 x; ///< the x
                        // the y
                        uint8 y;
                        uint8 z; // a plain trailing comment is not a doc
                    } s;
                    message a(s v); // trails a, documents nothing
                    message b();
                    // about c

                    message c();
                    // about d
                    // continued
                    message d();
                };
                """);

        assertThat(i.doc()).isEqualTo("The interface.\nSecond line.");
        assertThat(i.messages()).extracting(Message::doc).containsExactly("", "", "", "about d\ncontinued");
        assertThat(((StructDef) i.types().get(0)).fields()).extracting(StructDef.Field::doc)
                .containsExactly("the x", "the y", "");
    }
}
