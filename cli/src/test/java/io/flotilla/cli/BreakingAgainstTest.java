package io.flotilla.cli;

import static io.flotilla.cli.Run.flotilla;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla compile --breaking-against OLD.if NEW.if}: each kind of change, its line, and the exit status. */
class BreakingAgainstTest {

    static final String OLD = """
            interface kv "a store" {
                typedef struct { uint32 a; uint32 b; } pair;
                typedef enum { red, green } colour;
                rpc get(in String key[64], out uint8 value[len, 1024], out bool found);
                message note(pair p, colour c);
            };
            """;

    @TempDir
    Path dir;

    Run compare(String newer) throws IOException {
        Path a = Files.writeString(dir.resolve("old.if"), OLD);
        Path b = Files.writeString(dir.resolve("new.if"), newer);
        return flotilla("compile", "--breaking-against", a.toString(), b.toString());
    }

    @Test
    void theSameInterfaceHasNoChanges() throws IOException {
        Run r = compare(OLD);
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("no changes").doesNotContain("breaking");
    }

    @Test
    void aMessageAddedAtTheEndIsCompatible() throws IOException {
        Run r = compare(OLD.replace("message note(pair p, colour c);",
                "message note(pair p, colour c);\n    message later(uint64 x);"));
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("new.if:6:13: compatible: 'later' added as message number 6");
    }

    @Test
    void aRenamedStructFieldBreaksSourceButNotTheWire() throws IOException {
        Run r = compare(OLD.replace("uint32 b;", "uint32 second;"));
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.out()).contains("new.if:2:49: source-breaking: fields of struct 'pair' renamed: [a, b] -> [a, second]")
                .doesNotContain("wire-breaking");
    }

    @Test
    void aLongerStringOrAMessageInsertedBeforeOthersBreaksTheWire() throws IOException {
        Run longer = compare(OLD.replace("key[64]", "key[128]"));
        assertThat(longer.status()).isEqualTo(4);
        assertThat(longer.out()).contains("new.if:4:9: wire-breaking: arguments of 'get_call' changed on the wire: "
                + "(String<64>) -> (String<128>)");
        Run inserted = compare(OLD.replace("    rpc get(", "    message first(uint8 x);\n    rpc get("));
        assertThat(inserted.status()).isEqualTo(4);
        assertThat(inserted.out()).contains("wire-breaking: 'get_call' moved from message number 3 to 4",
                "wire-breaking: 'first' added as message number 3, which old peers use for another message");
        Run removed = compare(OLD.replace("    message note(pair p, colour c);\n", ""));
        assertThat(removed.status()).isEqualTo(4);
        assertThat(removed.out()).contains("new.if:1:11: wire-breaking: 'note' (message number 5) was removed");
    }

    @Test
    void badInputIsReportedWithItsPlaceAndExitStatusOne() throws IOException {
        Run r = compare("interface kv { message x(nosuchtype y); };");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("new.if:1:");
        Run two = flotilla("compile", "--breaking-against", "a.if", "b.if", "c.if");
        assertThat(two.status()).isEqualTo(2);
        assertThat(two.err()).contains("compares one interface file");
    }
}
