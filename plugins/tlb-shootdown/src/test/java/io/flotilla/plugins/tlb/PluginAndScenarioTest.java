package io.flotilla.plugins.tlb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.flotilla.boot.KernelModule;
import io.flotilla.boot.MachineModule;
import io.flotilla.boot.PlatformModule;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.plugin.LoadedPlugin;
import io.flotilla.plugin.PluginException;
import io.flotilla.plugin.PluginLoader;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PluginAndScenarioTest {

    static final Machine AMD = Machines.load("amd-8x4");

    @Test
    void passesTheLoadersChecks() throws PluginException {
        List<LoadedPlugin> plugins = PluginLoader.discover(getClass().getClassLoader());
        assertTrue(plugins.stream().anyMatch(p -> p.name().equals("tlb-shootdown")), plugins.toString());
    }

    @Test
    void theGuiceModuleOffersGroupsAndTheSameCallerCodeRunsTheSkbsChoice() {
        Injector injector = Guice.createInjector(new MachineModule(AMD), PlatformModule.sim(42), new KernelModule(),
                new TlbShootdownPlugin().module());
        TlbShootdownService service = injector.getInstance(TlbShootdownService.class);
        ShootdownGroup group = service.groupChosenBySkb(12, 0);
        assertEquals("numa-multicast", group.protocol().name());
        ShootdownRounds rounds = new ShootdownRounds(group, 1, 3, 1, 10_000);
        try (Multikernel mk = group.install(injector.getInstance(Multikernel.Builder.class).cores(12))
                .dispatcher(0, rounds).out(null).boot()) {
            mk.run(Duration.ofSeconds(10));
            assertTrue(mk.failures().isEmpty(), mk.failures().toString());
        }
        assertEquals(3, rounds.latencies().count());
        for (int c = 1; c < 12; c++) {
            assertEquals(4, group.agent(c).invalidations());
        }
    }

    static Scenario scenario(String name) {
        for (Scenario s : ServiceLoader.load(Scenario.class)) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no scenario " + name);
    }

    static ScenarioContext context(String series, int cores, Map<String, String> parameters) {
        return new ScenarioContext(AMD, "sim", series, cores, 42, true, parameters, () -> new SimPlatform(42));
    }

    @Test
    void bothScenariosAreServicesAndMeasureEverySeries() {
        Scenario shootdown = scenario("tlb-shootdown");
        assertEquals(List.of("Broadcast", "Unicast", "Multicast", "NUMA-aware multicast"), shootdown.series());
        for (String series : shootdown.series()) {
            Measurement m = shootdown.run(context(series, 8, Map.of()));
            assertTrue(m.cycles() > 0);
            assertTrue(m.traceHash().isPresent());
            assertTrue(m.extra().containsKey("p90") && m.extra().containsKey("stddev"), m.extra().toString());
            assertEquals(10.0, m.extra().get("rounds"));
        }
        Scenario unmap = scenario("unmap");
        assertEquals(List.of("Flotilla", "IPI"), unmap.series());
        for (String series : unmap.series()) {
            assertTrue(unmap.run(context(series, 8, Map.of())).cycles() > 0);
        }
        Measurement bySkb = unmap.run(context("Flotilla", 4, Map.of("protocol", "skb")));
        Measurement unicast = unmap.run(context("Flotilla", 4, Map.of("protocol", "unicast")));
        assertEquals(unicast.cycles(), bySkb.cycles(), "the SKB names unicast inside one package");
    }

    @Test
    void sameContextSameMeasurement() {
        Scenario shootdown = scenario("tlb-shootdown");
        Measurement a = shootdown.run(context("NUMA-aware multicast", 20, Map.of()));
        Measurement b = shootdown.run(context("NUMA-aware multicast", 20, Map.of()));
        assertEquals(a, b);
    }

    @Test
    void badParametersAndSeriesAreScenarioErrorsThatNameThem() {
        Scenario shootdown = scenario("tlb-shootdown");
        var e = assertThrows(ScenarioException.class, () -> shootdown.run(context("Smoke", 4, Map.of())));
        assertTrue(e.getMessage().contains("Smoke"), e.getMessage());
        e = assertThrows(ScenarioException.class, () -> shootdown.run(context("Unicast", 4, Map.of("rounds", "x"))));
        assertTrue(e.getMessage().contains("rounds"), e.getMessage());
        e = assertThrows(ScenarioException.class, () -> shootdown.run(context("Unicast", 4, Map.of("rounds", "0"))));
        assertTrue(e.getMessage().contains("rounds"), e.getMessage());
        e = assertThrows(ScenarioException.class,
                () -> scenario("unmap").run(context("Flotilla", 4, Map.of("protocol", "carrier-pigeon"))));
        assertTrue(e.getMessage().contains("protocol") && e.getMessage().contains("numa-multicast"), e.getMessage());
    }

    @Test
    void theRoundLatencyStatistics() {
        RoundLatencies l = new RoundLatencies(5);
        for (long v : new long[] {50, 10, 40, 20, 30}) {
            l.add(v);
        }
        assertEquals(30, l.median());
        assertEquals(50, l.quantile(0.9));
        assertEquals(10, l.quantile(0));
        assertEquals(30.0, l.mean());
        assertEquals(Math.sqrt(250), l.stddev(), 1e-9);
        assertArrayEquals(new long[] {50, 10, 40, 20, 30}, l.values());
    }
}
