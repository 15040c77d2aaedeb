package io.flotilla.examples.pingpong;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PingPongExampleTest {

    @Test
    @Timeout(value = 60)
    void twoDispatchersOnTwoThreadsConverseThroughGeneratedStubs() throws Exception {
        var bytes = new ByteArrayOutputStream();
        PingPongExample.Result r = PingPongExample.run(20_000, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(r.errors()).isEmpty();
        assertThat(r.pongs()).isEqualTo(20_000);
        assertThat(r.serverLog()).containsExactly("hello from the client, after 20000 pongs");
        assertThat(r.checksums()).isEqualTo(7);
        assertThat(r.checksumsCorrect()).isEqualTo(7);
        assertThat(Duration.ofNanos(r.medianRttNs())).isPositive();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("20000 pongs", "7 of 7 replies correct");
    }
}
