package io.flotilla.plugins.agreement;

import io.flotilla.agreement.Fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.plugin.LoadedPlugin;
import io.flotilla.plugin.PluginException;
import io.flotilla.plugin.PluginLoader;
import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TwoPhaseCommitScenarioTest {

    static final Machine AMD = Machines.load("amd-8x4");

    static ScenarioContext point(String series, int cores, long seed, Map<String, String> params) {
        return new ScenarioContext(AMD, "sim", series, cores, seed, true, params, () -> new SimPlatform(seed));
    }

    static Scenario scenario() {
        for (Scenario s : ServiceLoader.load(Scenario.class)) {
            if (s.name().equals("two-phase-commit")) {
                return s;
            }
        }
        throw new AssertionError("two-phase-commit is not registered as a scenario service");
    }

    @Test
    void measuresEverySeriesAcrossCoreCountsDeterministically() {
        Scenario s = scenario();
        for (String series : s.series()) {
            double previous = 0;
            for (int cores : new int[] {2, 8, 32}) {
                Measurement a = s.run(point(series, cores, 5, Map.of("operations", "30")));
                Measurement b = s.run(point(series, cores, 5, Map.of("operations", "30")));
                assertEquals(a, b, series + " on " + cores);
                assertTrue(a.traceHash().isPresent());
                assertTrue(a.cycles() > 0, series + " on " + cores);
                if (!series.equals(TwoPhaseCommitScenario.PIPELINED)) {
                    assertTrue(a.cycles() > previous, series + ": " + cores + " cores cost " + a.cycles()
                            + ", no more than fewer cores: " + previous);
                }
                previous = a.cycles();
            }
        }
        double single = s.run(point(TwoPhaseCommitScenario.SINGLE, 16, 5, Map.of())).cycles();
        double pipelined = s.run(point(TwoPhaseCommitScenario.PIPELINED, 16, 5, Map.of())).cycles();
        double onePhase = s.run(point(TwoPhaseCommitScenario.ONE_PHASE, 16, 5, Map.of())).cycles();
        assertTrue(pipelined < single, "pipelining must pay: " + pipelined + " vs " + single);
        assertTrue(onePhase < single, "one phase costs less than two: " + onePhase + " vs " + single);
        assertNotEquals(s.run(point(TwoPhaseCommitScenario.SINGLE, 16, 5, Map.of("fanout", "unicast"))).cycles(),
                single);
    }

    @Test
    void runsOnTwoPinnedHostCores() {
        Scenario s = scenario();
        for (String series : s.series()) {
            Measurement m = s.run(new ScenarioContext(AMD, "pinned", series, 2, 1, true, Map.of("operations", "200"),
                    io.flotilla.platform.pinned.PinnedPlatform::new));
            assertTrue(m.cycles() > 0, series);
            assertTrue(m.traceHash().isEmpty(), "real time has no trace hash");
        }
    }

    @Test
    void badParametersAreNamed() {
        Scenario s = scenario();
        var e = assertThrows(ScenarioException.class,
                () -> s.run(point(TwoPhaseCommitScenario.SINGLE, 4, 1, Map.of("window", "0"))));
        assertTrue(e.getMessage().contains("'window'"), e.getMessage());
        e = assertThrows(ScenarioException.class,
                () -> s.run(point(TwoPhaseCommitScenario.SINGLE, 4, 1, Map.of("fanout", "smoke"))));
        assertTrue(e.getMessage().contains("'fanout'"), e.getMessage());
        e = assertThrows(ScenarioException.class, () -> s.run(point("Triple", 4, 1, Map.of())));
        assertTrue(e.getMessage().contains("Triple"), e.getMessage());
    }

    @Test
    void theExperimentFileNamesTheScenarioItsSeriesAndParameters() throws Exception {
        String yaml;
        try (InputStream in = getClass().getResourceAsStream("/io/flotilla/experiments/fig8-two-phase-commit.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Scenario s = scenario();
        assertTrue(yaml.contains("scenario: " + s.name()));
        for (String series : s.series()) {
            assertTrue(yaml.contains("  - " + series), series);
        }
        for (String p : List.of("operations", "window", "fanout")) {
            assertTrue(s.parameters().containsKey(p) && yaml.contains("  " + p + ":"), p);
        }
    }

    @Test
    void thePluginPassesTheLoadersChecks() throws PluginException {
        List<LoadedPlugin> plugins = PluginLoader.discover(getClass().getClassLoader());
        assertEquals(List.of("agreement"), plugins.stream().map(LoadedPlugin::name).toList());
        var injector = com.google.inject.Guice.createInjector(PluginLoader.modules(plugins));
        var factory = injector.getInstance(AgreementPlugin.Factory.class);
        assertEquals(Fanout.MULTICAST, factory.monitors(4).fanout());
    }
}
