package io.flotilla.transport.urpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.ChannelContract;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UrpcChannelTest {

    @Test
    void aChannelFileIsTheOwnersAloneFromTheMomentItExists(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ring");
        UrpcChannel end = UrpcChannel.create(file, 4, FlowControl.EPOCH);
        try {
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    file.getFileSystem().supportedFileAttributeViews().contains("posix"));
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        } finally {
            end.close();
        }
    }

    @Test
    void hidesTheTransportBitsFromReceivers() {
        for (FlowControl flow : FlowControl.values()) {
            ChannelPair pair = UrpcChannel.openPair(4, flow);
            long[] seen = new long[1];
            for (int n = 0; n < 20; n++) {
                FrameWriter w = pair.left().claim();
                long control = ControlWord.of(5, 0, true, n);
                w.publish(ControlWord.withTransportBits(control, 0xFF)); // a codec must not set them; ignored anyway
                assertThat(pair.right().poll(f -> seen[0] = f.control(), 1)).isEqualTo(1);
                assertThat(seen[0]).isEqualTo(control);
                pair.right().poll(f -> {}, 1); // an idle poll: hands credit back
            }
        }
    }

    /**
     * A handler that throws has still consumed its frame: the exception reaches the poller, the frame is not
     * delivered again, the frames after it arrive in order, and credit keeps coming back, including when the frame
     * that threw was the one its batch's ack was due at (every fourth frame here, with batches of four).
     */
    @Test
    void aHandlerThatThrowsConsumesItsFrameAndTheStreamGoesOn() {
        for (FlowControl flow : FlowControl.values()) {
            for (boolean handBack : new boolean[] {false, true}) {
                ChannelPair pair = UrpcChannel.openPair(8, flow, 4, handBack && flow == FlowControl.EPOCH,
                        SlotSpacing.SPREAD);
                java.util.List<Long> seen = new java.util.ArrayList<>();
                long sent = 0;
                int thrown = 0;
                while (seen.size() < 400) {
                    long progress = sent + seen.size();
                    while (sent < 400 && pair.left().writableFrames() > 0) {
                        FrameWriter w = pair.left().claim();
                        w.putWord(0, sent++);
                        w.publish(ControlWord.of(5, 0, true, 0));
                    }
                    try {
                        // a limit of what is in flight, so most polls end full, without the empty-ring ack
                        pair.right().poll(f -> {
                            long n = f.word(0);
                            seen.add(n);
                            if (n % 4 == 3) {
                                throw new IllegalStateException("frame " + n);
                            }
                        }, (int) (sent - seen.size()));
                    } catch (IllegalStateException e) {
                        thrown++;
                    }
                    assertThat(sent + seen.size()).as("%s, hand-back %s: credit came back", flow, handBack)
                            .isGreaterThan(progress);
                }
                assertThat(seen).as("%s, hand-back %s", flow, handBack)
                        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 400).boxed().toList());
                assertThat(thrown).isEqualTo(100);
            }
        }
    }

    @Test
    void refusesWritesThroughASpentWriter() {
        ChannelPair pair = UrpcChannel.openPair(4, FlowControl.EPOCH);
        FrameWriter w = pair.left().claim();
        w.publish(ControlWord.of(5, 0, true, 0));
        assertThatThrownBy(() -> w.putWord(1, 42)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.publish(ControlWord.of(5, 0, true, 0))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void validatesSlotsAndOptions() {
        assertThatThrownBy(() -> UrpcChannel.openPair(3, FlowControl.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UrpcChannel.openPair(1, FlowControl.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UrpcChannel.openPair(8, FlowControl.EPOCH, 9))
                .hasMessageContaining("urpc.ackBatch");
        assertThat(FlowControl.parse("USED_BIT")).isEqualTo(FlowControl.USED_BIT);
        assertThatThrownBy(() -> FlowControl.parse("credit")).hasMessageContaining("urpc.flowControl");
    }

    @Test
    void fileChannelsCheckTheirHeader(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.urpc");
        UrpcChannel a = UrpcChannel.create(file, 8, FlowControl.USED_BIT);
        assertThatThrownBy(() -> UrpcChannel.create(file, 8, FlowControl.USED_BIT)).isInstanceOf(IOException.class);
        UrpcChannel b = UrpcChannel.attach(file, Duration.ofSeconds(1));
        assertThat(b.flowControl()).isEqualTo(FlowControl.USED_BIT);
        assertThat(b.capacity()).isEqualTo(8);
        assertThatThrownBy(() -> UrpcChannel.attach(file, Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("already attached");
        ChannelContract.misuse(new ChannelPair(a, b));

        Path closed = dir.resolve("closed.urpc");
        UrpcChannel.create(closed, 8, FlowControl.EPOCH).close();
        assertThatThrownBy(() -> UrpcChannel.attach(closed, Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("closed");

        assertThatThrownBy(() -> UrpcChannel.attach(dir.resolve("missing"), Duration.ofMillis(20)))
                .isInstanceOf(IOException.class).hasMessageContaining("no initialised urpc channel");

        Path garbage = dir.resolve("garbage");
        Files.write(garbage, new byte[4096]);
        try (FileChannel fc = FileChannel.open(garbage, StandardOpenOption.WRITE)) {
            fc.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, 42L), 0);
        }
        assertThatThrownBy(() -> UrpcChannel.attach(garbage, Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("bad magic");

        Path future = dir.resolve("future.urpc");
        UrpcChannel.create(future, 8, FlowControl.EPOCH);
        try (FileChannel fc = FileChannel.open(future, StandardOpenOption.WRITE)) {
            fc.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 99), 8);
        }
        assertThatThrownBy(() -> UrpcChannel.attach(future, Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("version 99");

        Path odd = dir.resolve("odd.urpc");
        UrpcChannel.create(odd, 8, FlowControl.EPOCH);
        try (FileChannel fc = FileChannel.open(odd, StandardOpenOption.WRITE)) {
            fc.write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 96), 20); // the slot spacing
        }
        assertThatThrownBy(() -> UrpcChannel.attach(odd, Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining(odd.toString())
                .hasMessageContaining("slot spacing must be 64 or 128 bytes, not 96");
    }

    @Test
    void eachEndOfAFileChannelChoosesItsOwnHandBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.urpc");
        UrpcChannel a = UrpcChannel.create(file, 8, FlowControl.EPOCH, true);
        UrpcChannel b = UrpcChannel.attach(file, Duration.ofSeconds(1));
        assertThat(a.handsBack()).isTrue();
        assertThat(b.handsBack()).isFalse();
        assertThat(b.spacing()).isEqualTo(SlotSpacing.SPREAD);
        assertThat(a.toString()).contains("epoch with hand-back");
        ChannelContract.pingPong(new ChannelPair(a, b), 1_000);
        ChannelContract.stream(new ChannelPair(a, b), 10_000);
    }
}
