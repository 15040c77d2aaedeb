package io.flotilla.transport;

import io.flotilla.channel.ChannelPair;
import io.flotilla.transport.loopback.LoopbackChannel;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.SlotSpacing;
import io.flotilla.transport.urpc.UrpcChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The channel contract for every transport whose two ends may be on different threads, across real threads. */
class CrossThreadChannelTest {

    static final long FRAMES = 1_000_000;
    /** 500,000 round trips = 10^6 frames. */
    static final long ROUND_TRIPS = 500_000;

    static Stream<Arguments> transports() {
        return Stream.of(
                Arguments.of("loopback", (IntFunction<ChannelPair>) LoopbackChannel::open, false),
                Arguments.of("urpc epoch", (IntFunction<ChannelPair>) s -> UrpcChannel.openPair(s, FlowControl.EPOCH), true),
                Arguments.of("urpc used-bit", (IntFunction<ChannelPair>) s -> UrpcChannel.openPair(s, FlowControl.USED_BIT),
                        true),
                Arguments.of("urpc epoch with hand-back", (IntFunction<ChannelPair>) s -> UrpcChannel.openPair(s,
                        FlowControl.EPOCH, Math.max(1, s / 2), true, SlotSpacing.SPREAD), true),
                Arguments.of("urpc epoch with hand-back, packed slots", (IntFunction<ChannelPair>) s ->
                        UrpcChannel.openPair(s, FlowControl.EPOCH, Math.max(1, s / 2), true, SlotSpacing.PACKED), true),
                Arguments.of("urpc epoch, ack every frame",
                        (IntFunction<ChannelPair>) s -> UrpcChannel.openPair(s, FlowControl.EPOCH, 1), true),
                Arguments.of("urpc epoch over a mapped file",
                        (IntFunction<ChannelPair>) s -> mapped(s, FlowControl.EPOCH), true),
                Arguments.of("urpc used-bit over a mapped file",
                        (IntFunction<ChannelPair>) s -> mapped(s, FlowControl.USED_BIT), true),
                Arguments.of("urpc epoch with hand-back over a mapped file",
                        (IntFunction<ChannelPair>) s -> mapped(s, FlowControl.EPOCH, true), true));
    }

    /** Both ends of a file-backed channel in this process: the two-process code path without the second JVM. */
    static ChannelPair mapped(int slots, FlowControl flow) {
        return mapped(slots, flow, false);
    }

    /** As {@link #mapped(int, FlowControl)}, both ends' receivers handing consumed lines back or not. */
    static ChannelPair mapped(int slots, FlowControl flow, boolean handBack) {
        try {
            Path dir = Files.createTempDirectory("flotilla-urpc");
            Path file = dir.resolve("channel");
            UrpcChannel a = UrpcChannel.create(file, slots, flow, handBack);
            UrpcChannel b = UrpcChannel.attach(file, Duration.ofSeconds(1), handBack);
            Files.delete(file); // the mappings outlive the name
            Files.delete(dir);
            return new ChannelPair(a, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    @Timeout(300) // a hang guard; ChannelContract.Watchdog fails a loop after 20 s without progress
    void streamsAMillionFramesInOrder(String name, IntFunction<ChannelPair> open, boolean strictClose)
            throws Exception {
        ChannelContract.stream(open.apply(32), FRAMES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    @Timeout(300) // a hang guard; ChannelContract.Watchdog fails a loop after 20 s without progress
    void streamsThroughATwoSlotRing(String name, IntFunction<ChannelPair> open, boolean strictClose)
            throws Exception {
        ChannelContract.stream(open.apply(2), FRAMES / 10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    @Timeout(300) // a hang guard; ChannelContract.Watchdog fails a loop after 20 s without progress
    void pingPongsAMillionFramesInOrder(String name, IntFunction<ChannelPair> open, boolean strictClose)
            throws Exception {
        ChannelContract.pingPong(open.apply(32), ROUND_TRIPS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void appliesBackPressure(String name, IntFunction<ChannelPair> open, boolean strictClose) {
        ChannelContract.backPressure(open.apply(2));
        ChannelContract.backPressure(open.apply(32));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void wrapsAround(String name, IntFunction<ChannelPair> open, boolean strictClose) {
        ChannelContract.wrapAround(open.apply(2));
        ChannelContract.wrapAround(open.apply(8));
        ChannelContract.wrapAround(open.apply(32));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void leavesUnwrittenWordsZero(String name, IntFunction<ChannelPair> open, boolean strictClose) {
        ChannelContract.unwrittenWordsReadZero(open.apply(4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void closes(String name, IntFunction<ChannelPair> open, boolean strictClose) {
        ChannelContract.close(open.apply(8), strictClose);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void refusesMisuse(String name, IntFunction<ChannelPair> open, boolean strictClose) {
        ChannelContract.misuse(open.apply(8));
    }
}
