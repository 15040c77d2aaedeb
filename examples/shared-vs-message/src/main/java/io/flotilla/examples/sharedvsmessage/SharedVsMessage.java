package io.flotilla.examples.sharedvsmessage;

import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.Platform;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The paper's Figure 3 as a {@link Scenario}: the cost of updating shared state, by shared memory or by messages.
 *
 * <ul>
 *   <li>{@code SHMn} (n = 1, 2, 4, 8): every one of the {@code cores} cores updates the same n cache lines of one
 *   shared array directly; y is the mean over cores of the cycles one update takes.</li>
 *   <li>{@code MSGn} (n = 1, 8): core 0 owns the array; the other {@code cores - 1} cores send each update to it as
 *   an rpc over urpc and wait for the reply; y is the clients' mean cycles per update.</li>
 *   <li>{@code Server}: the same run as MSG8, measuring the server's own cycles per update.</li>
 * </ul>
 *
 * <p>Nothing here is tuned to the figure: the costs come from the machine's line latencies through the sim's
 * {@code CostModel} (coherent memory and urpc channels priced by one interconnect model).
 */
public final class SharedVsMessage implements Scenario {

    static final List<String> SERIES = List.of("SHM1", "SHM2", "SHM4", "SHM8", "MSG1", "MSG8", "Server");

    @Override
    public String name() {
        return "shared-vs-message";
    }

    @Override
    public String description() {
        return "Figure 3: updating n shared cache lines directly (SHMn) against asking an owning server core by URPC"
                + " (MSGn, Server)";
    }

    @Override
    public List<String> series() {
        return SERIES;
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("updates", "100", "warmup", "10");
    }

    @Override
    public Measurement run(ScenarioContext context) {
        int updates = context.intParameter("updates", 100);
        int warmup = context.intParameter("warmup", 10);
        if (updates < 1 || warmup < 0 || warmup >= updates) {
            throw new ScenarioException("need updates >= 1 and 0 <= warmup < updates, not updates=" + updates
                    + " warmup=" + warmup);
        }
        String series = context.series();
        if (!SERIES.contains(series)) {
            throw new ScenarioException("unknown series '" + series + "'; this scenario has " + SERIES);
        }
        if (context.cores() < 2) {
            throw new ScenarioException(series + " needs at least 2 cores, not " + context.cores());
        }
        return series.startsWith("SHM")
                ? shared(context, Integer.parseInt(series.substring(3)), updates, warmup)
                : messages(context, series.equals("MSG1") ? 1 : 8, series.equals("Server"), updates, warmup);
    }

    private static Measurement shared(ScenarioContext context, int lines, int updates, int warmup) {
        int cores = context.cores();
        Finish finish = new Finish(cores);
        ShmUpdater[] updaters = new ShmUpdater[cores];
        Multikernel.Builder b = builder(context);
        for (int c = 0; c < cores; c++) {
            updaters[c] = new ShmUpdater(lines, updates, warmup, finish);
            b.dispatcher(c, updaters[c]);
        }
        try (Multikernel mk = b.boot()) {
            // The array exists once the platform is attached, and before any dispatcher has started.
            long base = mk.platform().sharedMemory().allocate(lines, 0);
            for (ShmUpdater u : updaters) {
                u.base = base;
            }
            run(mk, finish, context);
            double[] perCore = Arrays.stream(updaters).mapToDouble(u -> u.cyclesPerUpdate).toArray();
            return measure(perCore).withTraceHash(mk.traceHash());
        }
    }

    private static Measurement messages(ScenarioContext context, int lines, boolean serverSide, int updates,
            int warmup) {
        int cores = context.cores();
        Finish finish = new Finish(cores - 1);
        ArrayServer server = new ArrayServer(8);
        MsgClient[] clients = new MsgClient[cores - 1];
        Multikernel.Builder b = builder(context).dispatcher(0, server);
        for (int c = 1; c < cores; c++) {
            clients[c - 1] = new MsgClient(lines, updates, warmup, finish);
            b.dispatcher(c, clients[c - 1]);
        }
        try (Multikernel mk = b.boot()) {
            run(mk, finish, context);
            for (MsgClient c : clients) {
                if (c.error != null) {
                    throw new ScenarioException(c.error);
                }
            }
            if (serverSide) {
                return Measurement.of(server.cyclesPerUpdate()).withTraceHash(mk.traceHash());
            }
            double[] perClient = Arrays.stream(clients).mapToDouble(c -> c.cyclesPerUpdate).toArray();
            return measure(perClient).withTraceHash(mk.traceHash());
        }
    }

    private static Multikernel.Builder builder(ScenarioContext context) {
        Platform platform = context.newPlatform();
        return Multikernel.builder(context.machine(), platform).out(null).cores(context.cores());
    }

    private static void run(Multikernel mk, Finish finish, ScenarioContext context) {
        mk.run(Duration.ofSeconds(context.platformName().equals("sim") ? 3600 : 60));
        if (!mk.failures().isEmpty()) {
            throw new ScenarioException("a handler failed: " + mk.failures().get(0));
        }
        if (!finish.allDone()) {
            throw new ScenarioException("the run stopped before every core finished its updates");
        }
    }

    private static Measurement measure(double[] perCore) {
        double mean = Arrays.stream(perCore).average().orElse(0);
        double var = Arrays.stream(perCore).map(v -> (v - mean) * (v - mean)).sum() / perCore.length;
        return Measurement.of(mean).with("stddev", Math.sqrt(var));
    }
}
