package io.flotilla.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.iface.CompileResult;
import io.flotilla.dsl.iface.InterfaceLanguage;
import io.flotilla.dsl.iface.model.Interface;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The whole path from text: every valid interface of the front end's corpus (which covers every construct of the
 * language) is parsed, checked, generated and compiled with {@code -Xlint:all -Werror}; then a driver exchanges
 * one of them over a channel.
 *
 * <p>The corpus lives with the front end's tests, in the sibling module; Maven runs tests with the module
 * directory as the working directory, so it is read from there rather than copied.
 */
class CorpusEndToEndTest {

    private static final Path CORPUS = Path.of("../dsl/src/test/resources/iface");

    private static List<Path> includes() {
        return Stream.of("platform.if", "arch.if", "types.if").map(n -> CORPUS.resolve("include").resolve(n))
                .toList();
    }

    private static List<Interface> corpus() throws IOException {
        var models = new ArrayList<Interface>();
        try (Stream<Path> files = Files.list(CORPUS.resolve("valid"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".if")).sorted().toList()) {
                CompileResult r = InterfaceLanguage.compile(f, includes());
                assertThat(r.hasErrors()).as(r.render()).isFalse();
                models.add(r.model().orElseThrow());
            }
        }
        return models;
    }

    @Test
    void everyValidCorpusInterfaceGeneratesJavaThatCompilesWithoutWarnings() throws Exception {
        List<Interface> models = corpus();
        assertThat(models).hasSizeGreaterThanOrEqualTo(5);
        for (Interface m : models) {
            GeneratedInterface g = new JavaStubGenerator(GeneratedSources.PACKAGE).generate(m);
            assertThat(g.diagnostics()).noneMatch(Diagnostic::isError);
        }

        GeneratedSources compiled = GeneratedSources.compile(models, Map.of("gen.test.BlockstoreDriver", DRIVER));

        Class<?> driver = compiled.load("BlockstoreDriver");
        assertThat(driver.getMethod("run").invoke(null)).isEqualTo("ok");
    }

    /** Talks to the corpus's blockstore interface through the stubs generated from its text. */
    static final String DRIVER = """
            package gen.test;

            import io.flotilla.binding.Binding;
            import io.flotilla.channel.ChannelPair;
            import io.flotilla.transport.loopback.LoopbackChannel;
            import java.util.ArrayList;
            import java.util.List;

            /** Reads a run of blocks through the generated blockstore stubs. */
            public final class BlockstoreDriver {
                private BlockstoreDriver() {}

                /** @return "ok", or what went wrong */
                public static String run() {
                    ChannelPair pair = LoopbackChannel.open(8);
                    Binding client = new Binding(pair.left());
                    Binding server = new Binding(pair.right());
                    List<String> log = new ArrayList<>();
                    client.setErrorHandler(e -> log.add("client error " + e.getMessage()));
                    server.setErrorHandler(e -> log.add("server error " + e.getMessage()));
                    Blockstore.bind(server, new BlockstoreHandler() {
                        @Override
                        public void read(Blockstore.Extent e, Blockstore.ReadResponder responder) {
                            byte[] data = new byte[e.count()];
                            for (int i = 0; i < data.length; i++) {
                                data[i] = (byte) (e.first() + i);
                            }
                            responder.send(data, 0L);
                        }
                    });
                    BlockstoreStub stub = Blockstore.bind(client, new BlockstoreHandler() {});
                    stub.read(new Blockstore.Extent(10L, 300), (buf, err) -> {
                        log.add("read " + buf.length + " bytes, first " + buf[0] + ", last " + buf[buf.length - 1]
                                + ", err " + err);
                    });
                    for (int i = 0; i < 100 && log.isEmpty(); i++) {
                        client.poll(16);
                        server.poll(16);
                    }
                    String expected = "read 300 bytes, first 10, last " + (byte) (10 + 299) + ", err 0";
                    return log.equals(List.of(expected)) ? "ok" : log.toString();
                }
            }
            """;
}
