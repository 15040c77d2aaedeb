package io.flotilla.plugins.tlb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same agents on real threads: two cores of the 8x4 AMD's model run on the host, oversubscribed if need be. */
class PinnedShootdownTest {

    static final Machine AMD = Machines.load("amd-8x4");

    @ParameterizedTest
    @ValueSource(strings = {"unicast", "broadcast", "numa-multicast", "ipi"})
    void shootsDownTheOtherCoreEndToEnd(String variant) {
        var settings = new ShootdownBench.Settings(2, 20, 1, 1_000, Duration.ofSeconds(30));
        try (var platform = new PinnedPlatform(TransportRegistry.discover(), true, true, 1)) {
            ShootdownBench.Result r = ShootdownBench.shootdown(AMD, platform, 2, ShootdownProtocols.byName(variant),
                    settings);
            assertTrue(r.ok(), () -> r.errors().toString());
            assertEquals(20, r.latencies().count());
            assertArrayEquals(new long[] {0, 22}, r.invalidations());
            assertTrue(r.traceHash().isEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"numa-multicast"})
    void unmapOverLrpcEndToEnd(String variant) {
        var settings = new ShootdownBench.Settings(1, 10, 2, 1_000, Duration.ofSeconds(30));
        try (var platform = new PinnedPlatform(TransportRegistry.discover(), true, true, 1)) {
            ShootdownBench.Result r = ShootdownBench.unmap(AMD, platform, 2, ShootdownProtocols.byName(variant),
                    UnmapUser.Path.MONITOR, settings);
            assertTrue(r.ok(), () -> r.errors().toString());
            assertArrayEquals(new long[] {11, 11}, r.invalidations());
        }
    }
}
