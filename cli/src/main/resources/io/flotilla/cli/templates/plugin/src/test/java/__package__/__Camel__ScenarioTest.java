package {{package}};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.plugin.LoadedPlugin;
import io.flotilla.plugin.PluginException;
import io.flotilla.plugin.PluginLoader;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.ScenarioContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scenario on the simulated 4x4-core AMD, and the plugin as the loader checks it. */
class {{Camel}}ScenarioTest {

    private final Machine machine = Machines.load("amd-4x4");

    private Measurement point(String series, int cores, long seed) {
        var context = new ScenarioContext(machine, "sim", series, cores, seed, false, Map.of("rounds", "5"),
                () -> new SimPlatform(seed));
        return new {{Camel}}Scenario().run(context);
    }

    @Test
    void everyPingIsEchoed() {
        Measurement m = point("sequential", 4, 1);
        assertEquals(2.0 * 3 * 5, m.extra().get("messages"), "3 cores x 5 rounds, a ping and an echo each");
        assertTrue(m.cycles() > 0);
    }

    @Test
    void pingingAllAtOnceBeatsOneAtATimeOnSixteenCores() {
        assertTrue(point("parallel", 16, 1).cycles() < point("sequential", 16, 1).cycles());
    }

    @Test
    void theSimulatorIsDeterministic() {
        assertEquals(point("parallel", 8, 7), point("parallel", 8, 7));
    }

    @Test
    void passesThePluginLoadersChecks() throws PluginException {
        // The checks `flotilla plugins` and a boot make: services file, versions, .if resources.
        List<LoadedPlugin> plugins = PluginLoader.discover(getClass().getClassLoader());
        assertTrue(plugins.stream().anyMatch(p -> p.name().equals("{{name}}")), plugins.toString());
    }
}
