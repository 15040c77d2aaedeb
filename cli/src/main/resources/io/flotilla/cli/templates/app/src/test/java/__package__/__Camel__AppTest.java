package {{package}};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flotilla.machine.Machines;
import org.junit.jupiter.api.Test;

/** The program's run on the simulated 4x4-core AMD. */
class {{Camel}}AppTest {

    @Test
    void everyPingIsEchoed() {
        {{Camel}}App.Result r = {{Camel}}App.run(Machines.load("amd-4x4"), 1, 200);
        assertEquals(200, r.echoes());
        assertTrue(r.cyclesPerRoundTrip() > 0);
    }

    @Test
    void theSimulatorIsDeterministic() {
        var machine = Machines.load("amd-4x4");
        assertEquals({{Camel}}App.run(machine, 5, 50), {{Camel}}App.run(machine, 5, 50));
    }
}
