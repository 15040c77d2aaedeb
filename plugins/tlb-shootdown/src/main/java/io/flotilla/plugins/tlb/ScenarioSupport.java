package io.flotilla.plugins.tlb;

import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.time.Duration;
import java.util.Map;

/** What the two scenarios share: reading the run settings from a context, and turning a result into a measurement. */
final class ScenarioSupport {

    static final Map<String, String> PARAMETERS = Map.of("rounds", "50", "warmup", "5", "pages", "1",
            "gap", "20000", "limit-seconds", "120");

    private ScenarioSupport() {}

    static ShootdownBench.Settings settings(ScenarioContext context) {
        int rounds = context.intParameter("rounds", context.quick() ? 10 : 50);
        int warmup = context.intParameter("warmup", context.quick() ? 2 : 5);
        int pages = context.intParameter("pages", 1);
        long gap = context.longParameter("gap", 20_000);
        long limit = context.longParameter("limit-seconds", 120);
        if (rounds < 1 || warmup < 0 || pages < 1 || gap < 0 || limit < 1) {
            throw new ScenarioException("parameters must be rounds >= 1, warmup >= 0, pages >= 1, gap >= 0,"
                    + " limit-seconds >= 1; got rounds=" + rounds + " warmup=" + warmup + " pages=" + pages
                    + " gap=" + gap + " limit-seconds=" + limit);
        }
        return new ShootdownBench.Settings(warmup, rounds, pages, gap, Duration.ofSeconds(limit));
    }

    static Measurement measurement(ShootdownBench.Result r, String what) {
        if (!r.ok()) {
            throw new ScenarioException(what + " with " + r.cores() + " cores did not finish cleanly: "
                    + String.join("; ", r.errors()));
        }
        RoundLatencies l = r.latencies();
        return Measurement.of(l.median())
                .with("p90", l.quantile(0.9))
                .with("mean", l.mean())
                .with("stddev", l.stddev())
                .with("min", l.quantile(0))
                .with("rounds", l.count())
                .withTraceHash(r.traceHash());
    }
}
