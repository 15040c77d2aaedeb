package io.flotilla.experiments.runner;

import io.flotilla.experiments.calibration.generated.Calibration;
import io.flotilla.experiments.calibration.generated.CalibrationHandler;
import io.flotilla.experiments.calibration.generated.CalibrationStub;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A small real scenario for the runner's tests, registered only in test resources: on a booted multikernel core 0
 * pings every other core in turn and waits for each echo ({@code star}, growing with the core count), or computes a
 * fixed amount of modelled work ({@code fixed}, flat). The two cross where the pings cost more than the work.
 */
public final class StarScenario implements Scenario {

    @Override
    public String name() {
        return "test-star";
    }

    @Override
    public String description() {
        return "test only: core 0 pings each other core in turn, or computes a fixed amount";
    }

    @Override
    public List<String> series() {
        return List.of("star", "fixed");
    }

    @Override
    public Map<String, String> parameters() {
        return Map.of("work", "3000");
    }

    @Override
    public Measurement run(ScenarioContext context) {
        long work = context.longParameter("work", 3000);
        var root = new Root(context.cores(), context.series().equals("fixed") ? work : -1);
        try (Multikernel mk = Multikernel.builder(context.machine(), context.newPlatform())
                .cores(context.cores())
                .dispatcher(0, root)
                .dispatchers(c -> c == 0 ? null : new Leaf())
                .out(null)
                .boot()) {
            mk.run(Duration.ofSeconds(10));
            if (root.elapsed < 0) {
                throw new ScenarioException("the star did not finish");
            }
            return Measurement.of(root.elapsed).with("messages", root.echoes).withTraceHash(mk.traceHash());
        }
    }

    static final class Leaf extends Dispatcher implements CalibrationHandler {
        private CalibrationStub stub;

        @Override
        protected void onStart() {
            export("leaf-" + core(), b -> {
                stub = Calibration.bind(b, this);
                return true;
            });
        }

        @Override
        public void ping(long seq) {
            stub.echo(seq);
        }
    }

    static final class Root extends Dispatcher implements CalibrationHandler {
        private final int cores;
        private final long work;
        private long start;
        long elapsed = -1;
        int echoes;
        private int next = 1;

        Root(int cores, long work) {
            this.cores = cores;
            this.work = work;
        }

        @Override
        protected void onStart() {
            // Binds take time of their own: measure from when everything is bound.
            after(1_000_000, () -> {
                start = now();
                if (work >= 0) {
                    compute(work);
                    elapsed = now() - start;
                    stopKernel();
                } else {
                    pingNext();
                }
            });
        }

        private void pingNext() {
            if (next == cores) {
                elapsed = now() - start;
                stopKernel();
                return;
            }
            int leaf = next++;
            bind("leaf-" + leaf, (binding, error) -> {
                if (error != null) {
                    stopKernel();
                    return;
                }
                Calibration.bind(binding, this).ping(leaf);
            });
        }

        @Override
        public void echo(long seq) {
            echoes++;
            pingNext();
        }
    }
}
