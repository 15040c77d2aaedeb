package io.flotilla.examples.pingpong;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PingPongFuturesTest {

    @Test
    @Timeout(30)
    void futureAndBlockingStubsEndEveryCallWithItsResultOrStatus() throws Exception {
        var out = new ByteArrayOutputStream();
        var lines = PingPongFutures.run(new PrintStream(out, true, StandardCharsets.UTF_8));
        var crc = new CRC32();
        crc.update(new byte[] {1, 2, 3});
        assertThat(lines).containsExactly(
                "checksum of 3 bytes: crc " + Long.toHexString(crc.getValue()) + ", err 0",
                "checksum of 0 bytes: HANDLER_FAILED: IllegalArgumentException: nothing to checksum",
                "checksum of 13 bytes: DEADLINE_EXCEEDED",
                "blocking call on the client's loop thread: refused",
                "server's error handler: a handler threw: java.lang.IllegalArgumentException: nothing to checksum");
    }
}
