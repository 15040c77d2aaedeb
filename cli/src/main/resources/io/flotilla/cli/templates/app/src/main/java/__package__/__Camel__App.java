package {{package}};

import {{package}}.generated.{{Camel}};
import {{package}}.generated.{{Camel}}Handler;
import {{package}}.generated.{{Camel}}Stub;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.machine.MachineLoadException;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;

/**
 * A program on Flotilla: boots a simulated machine, puts a server dispatcher on its last core and a client on core
 * 0, and has them exchange pings through the stubs generated from {{snake}}.if. Run it with
 * {@code flotilla run -cp target/{{artifactId}}-0.1.0.jar {{package}}.{{Camel}}App -- [MACHINE [PINGS]]}.
 */
public final class {{Camel}}App {

    /** What one run measured. */
    public record Result(int pings, int echoes, long cyclesPerRoundTrip, String traceHash) {}

    private {{Camel}}App() {}

    public static void main(String[] args) {
        String machineName = args.length > 0 ? args[0] : "amd-4x4";
        int pings;
        try {
            pings = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        } catch (NumberFormatException e) {
            pings = -1;
        }
        if (pings < 1 || args.length > 2) {
            System.err.println("usage: {{Camel}}App [MACHINE [PINGS]]; PINGS is a whole number, at least 1");
            System.exit(2);
        }
        Machine machine;
        try {
            machine = Machines.load(machineName);
        } catch (MachineLoadException e) {
            System.err.println(e.getMessage()); // names the machine or the file:line:col that is wrong
            System.exit(1);
            return;
        }
        Result r = run(machine, 1, pings);
        System.out.printf("%s on sim: %d of %d pings echoed between cores 0 and %d, %d cycles per round trip%n",
                machine.name(), r.echoes(), r.pings(), machine.coreCount() - 1, r.cyclesPerRoundTrip());
        System.out.println("trace-hash: " + r.traceHash());
    }

    /** Boots {@code machine} on a simulator seeded with {@code seed} and exchanges {@code pings} pings. */
    public static Result run(Machine machine, long seed, int pings) {
        var client = new Client(pings);
        try (Multikernel mk = Multikernel.builder(machine, new SimPlatform(seed))
                .dispatcher(machine.coreCount() - 1, new Server())
                .dispatcher(0, client)
                .out(null)
                .boot()) {
            mk.run(Duration.ofSeconds(30));
            long perTrip = client.echoes == 0 ? 0 : client.elapsed / client.echoes;
            String hash = mk.traceHash().isPresent() ? String.format("%016x", mk.traceHash().getAsLong()) : "-";
            return new Result(pings, client.echoes, perTrip, hash);
        }
    }

    /** Exports "{{snake}}" and echoes every ping. */
    static final class Server extends Dispatcher implements {{Camel}}Handler {
        private {{Camel}}Stub stub;

        @Override
        protected void onStart() {
            export("{{snake}}", binding -> {
                stub = {{Camel}}.bind(binding, this);
                return true;
            });
        }

        @Override
        public void ping(long seq) {
            stub.echo(seq);
        }
    }

    /** Binds to "{{snake}}", pings, and pings again on every echo until all came back. */
    static final class Client extends Dispatcher implements {{Camel}}Handler {
        private final int pings;
        private {{Camel}}Stub stub;
        private long start;
        long elapsed;
        int echoes;

        Client(int pings) {
            this.pings = pings;
        }

        @Override
        protected void onStart() {
            bind("{{snake}}", (binding, error) -> {
                if (error != null) {
                    stopKernel();
                    return;
                }
                stub = {{Camel}}.bind(binding, this);
                start = now();
                stub.ping(1);
            });
        }

        @Override
        public void echo(long seq) {
            echoes++;
            if (echoes == pings) {
                elapsed = now() - start;
                stopKernel();
            } else {
                stub.ping(seq + 1);
            }
        }
    }
}
