package io.flotilla.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GenerationSmokeTest {

    @Test
    void generatedCodeCompilesWithAllLintsAsErrors() throws Exception {
        GeneratedSources s = GeneratedSources.compile(TestInterfaces.all(), Map.of());
        assertThat(s.load("PingPong")).isNotNull();
        System.out.println(s.source("PingPongStub"));
    }
}
