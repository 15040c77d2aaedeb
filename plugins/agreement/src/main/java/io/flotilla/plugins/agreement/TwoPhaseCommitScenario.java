package io.flotilla.plugins.agreement;

import io.flotilla.agreement.AgreementMonitors;
import io.flotilla.agreement.Fanout;

import io.flotilla.agreement.Agreement;
import io.flotilla.agreement.AgreementService;
import io.flotilla.agreement.CoreSet;
import io.flotilla.agreement.Outcome;
import io.flotilla.agreement.Proposal;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figure 8 of the paper: the cost of agreement among the monitors of N cores. Core 0 coordinates operations among
 * cores 0..N-1 (itself included, voting locally, as a retype's owner does); every participant's voter agrees and
 * applies at once, so what is measured is the protocol's messaging.
 *
 * <ul>
 *   <li>{@code Single-operation latency}: two-phase commit, one operation at a time; the median, in cycles, from
 *       proposing to the last acknowledgement of phase two.
 *   <li>{@code Pipelined cost per operation}: two-phase commit with {@code window} operations in flight; total
 *       cycles over operations.
 *   <li>{@code One-phase}: one-phase commit, one operation at a time, as {@code Single-operation latency}.
 * </ul>
 *
 * One operation first binds the monitors to each other and is not counted.
 */
public final class TwoPhaseCommitScenario implements Scenario {

    public static final String SINGLE = "Single-operation latency";
    public static final String PIPELINED = "Pipelined cost per operation";
    public static final String ONE_PHASE = "One-phase";

    static final int OPCODE = 1;

    public TwoPhaseCommitScenario() {}

    @Override
    public String name() {
        return "two-phase-commit";
    }

    @Override
    public String description() {
        return "Two-phase commit among N cores' agreement monitors: single-operation latency and pipelined cost";
    }

    @Override
    public List<String> series() {
        return List.of(SINGLE, PIPELINED, ONE_PHASE);
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("operations", "200");
        p.put("window", "16");
        p.put("fanout", "multicast");
        return p;
    }

    @Override
    public Measurement run(ScenarioContext context) {
        int operations = context.intParameter("operations", 200);
        if (context.quick()) {
            operations = Math.min(operations, 40);
        }
        int window = context.intParameter("window", 16);
        if (operations < 1) {
            throw new ScenarioException("parameter 'operations' must be at least 1: " + operations);
        }
        if (window < 1) {
            throw new ScenarioException("parameter 'window' must be at least 1: " + window);
        }
        Fanout fanout = switch (context.parameter("fanout", "multicast").trim().toLowerCase(Locale.ROOT)) {
            case "multicast" -> Fanout.MULTICAST;
            case "unicast" -> Fanout.UNICAST;
            default -> throw new ScenarioException("parameter 'fanout' must be multicast or unicast, not '"
                    + context.parameter("fanout", "") + "'");
        };
        String series = context.series();
        String protocol;
        if (series.equals(SINGLE)) {
            protocol = Agreement.TWO_PHASE;
            window = 1;
        } else if (series.equals(PIPELINED)) {
            protocol = Agreement.TWO_PHASE;
        } else if (series.equals(ONE_PHASE)) {
            protocol = Agreement.ONE_PHASE;
            window = 1;
        } else {
            throw new ScenarioException("unknown series '" + series + "'; there are " + series());
        }
        int cores = context.cores();
        if (cores < minCores()) {
            throw new ScenarioException("two-phase-commit needs at least " + minCores() + " cores: " + cores);
        }
        AgreementMonitors agreement = new AgreementMonitors(cores, fanout);
        for (int c = 0; c < cores; c++) {
            agreement.service(c).register(OPCODE, p -> { });
        }
        Coordinator coordinator = new Coordinator(agreement, protocol, CoreSet.range(0, cores), operations, window);
        List<String> failures = new ArrayList<>();
        try (Multikernel mk = Multikernel.builder(context.machine(), context.newPlatform())
                .cores(cores)
                .dispatchers(agreement::monitor)
                .dispatcher(0, coordinator)
                .onFailure(f -> failures.add("core " + f.core() + " " + f.dispatcher() + ": " + f.cause()))
                .out(null)
                .boot()) {
            mk.run(Duration.ofSeconds(120));
            failures.addAll(agreement.errors());
            if (!failures.isEmpty()) {
                throw new ScenarioException("two-phase-commit on " + cores + " cores failed: " + failures);
            }
            if (coordinator.completed != operations) {
                throw new ScenarioException("two-phase-commit on " + cores + " cores completed "
                        + coordinator.completed + " of " + operations + " operations");
            }
            double cycles;
            Measurement m;
            long[] sorted = Arrays.copyOf(coordinator.latencies, operations);
            Arrays.sort(sorted);
            if (window == 1) {
                cycles = sorted[operations / 2];
                m = Measurement.of(cycles).with("p90", sorted[Math.min(operations - 1, operations * 9 / 10)])
                        .with("min", sorted[0]);
            } else {
                cycles = (double) (coordinator.end - coordinator.start) / operations;
                m = Measurement.of(cycles).with("latency_median", sorted[operations / 2]);
            }
            long messages = 0;
            for (int c = 0; c < cores; c++) {
                messages += mk.metrics().messagesSent(c);
            }
            // Binding the monitors (warm-up) is included, so this is a little above the protocol's own count.
            return m.with("messages_per_op", (double) messages / (operations + 1)).withTraceHash(mk.traceHash());
        }
    }

    /** Proposes {@code operations} operations, at most {@code window} at once, and times each. */
    static final class Coordinator extends Dispatcher implements Outcome {
        private final AgreementMonitors agreement;
        private final String protocol;
        private final CoreSet participants;
        private final int operations;
        private final int window;
        final long[] latencies;
        private final long[] startedAt;
        private Agreement protocolHere;
        int issued;
        int completed;
        long start;
        long end;

        Coordinator(AgreementMonitors agreement, String protocol, CoreSet participants, int operations, int window) {
            this.agreement = agreement;
            this.protocol = protocol;
            this.participants = participants;
            this.operations = operations;
            this.window = window;
            this.latencies = new long[operations];
            this.startedAt = new long[operations + 2];
        }

        @Override
        protected void onStart() {
            AgreementService service = agreement.service(core());
            protocolHere = service.agreement(protocol);
            // The warm-up operation binds the monitors along the tree; it is not counted.
            protocolHere.propose(OPCODE, -1, 0, 0, 0, participants, new Outcome() {
                @Override
                public void decided(Proposal p, boolean committed, int refusal, int refuser) {}

                @Override
                public void completed(Proposal p, boolean committed) {
                    start = now();
                    fill();
                }
            });
        }

        private void fill() {
            while (issued < operations && issued - completed < window) {
                int n = issued++;
                startedAt[n] = now();
                protocolHere.propose(OPCODE, n, 0, 0, 0, participants, this);
            }
        }

        @Override
        public void decided(Proposal p, boolean committed, int refusal, int refuser) {}

        @Override
        public void completed(Proposal p, boolean committed) {
            int n = (int) p.a0();
            latencies[n] = now() - startedAt[n];
            completed++;
            if (completed == operations) {
                end = now();
                stopKernel();
            } else {
                fill();
            }
        }
    }
}
