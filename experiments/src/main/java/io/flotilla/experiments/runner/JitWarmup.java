package io.flotilla.experiments.runner;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * Warms the JVM's compilers up before a pinned sweep measures anything: runs a pass (one unmeasured repetition of
 * each series) again and again until a pass leaves the JIT quiet, i.e. the compilers spent less than {@link
 * #QUIET_SHARE} of the pass's wall time compiling, or {@link #MAX_PASSES} passes have run.
 *
 * <p>Why: a pinned core busy-spins on its CPU, and on a host with few CPUs the JIT's compiler threads take theirs
 * from the cores being measured. A point's own warm-up rounds (tens to hundreds) are far below the tens of
 * thousands of calls after which HotSpot compiles a method with C2, so without this the first series an experiment
 * measures ran 2 to 7 times slower, with 3 to 17 times the spread, than the same series measured last (the twin's
 * shootdown on the 2-core VM, both orders, two runs). The criterion is the JIT's own activity as the JVM reports it
 * ({@link CompilationMXBean#getTotalCompilationTime()}), not agreement of the measured numbers. A JVM that does not
 * report compilation time gets one pass. The sweep runs the passes with cores that back off when idle rather than
 * spin (a spinning core leaves the compilers no CPU on a 2-CPU host), and before each pass this waits, no core
 * running, until the compilers have been idle for {@value #SETTLE_STEP_MILLIS} ms, at most {@value #SETTLE_MILLIS}
 * ms.
 */
final class JitWarmup {

    /** Most passes, so that a JIT that never settles (recompilation after deoptimisation) cannot hold a sweep. */
    static final int MAX_PASSES = 10;
    /** A pass during which the compilers were busy for less than this share of its wall time ends the warm-up. */
    static final double QUIET_SHARE = 0.02;
    /** The longest wait for the compilers between passes, and the step of that wait. */
    static final long SETTLE_MILLIS = 2_000;
    static final long SETTLE_STEP_MILLIS = 20;

    /** How the warm-up went: passes run, milliseconds the compilers spent during them, whether it ended quiet. */
    record Outcome(int passes, long compileMillis, boolean quiet) {

        /** For the run's record: {@code 3 passes, 1250 ms compiling, quiet}. */
        String describe() {
            return passes + " pass" + (passes == 1 ? "" : "es") + ", " + (compileMillis < 0 ? "compilation time"
                    + " unknown" : compileMillis + " ms compiling") + ", " + (quiet ? "quiet" : "not quiet");
        }
    }

    /** How many times a measured repetition's rounds a warm-up pass runs ({@link #longerRounds}). */
    static final int ROUNDS_SCALE = 10;

    private JitWarmup() {}

    /**
     * The parameters a warm-up pass runs with: a scenario that counts its work in {@code rounds} runs {@value
     * #ROUNDS_SCALE} times as many. A point's own rounds (hundreds) call the protocol's handlers far fewer times
     * than HotSpot's C2 thresholds (thousands), so passes of measured length left them in C1's profiling code, and
     * a sweep measured the profiler: the twin's unmap at 2 cores measured 2,400-3,300 cycles on {@code pinned}
     * after ten such passes and 1,500-2,300 with 3,000 rounds. The criterion of quiet compilers cannot see this:
     * every pass boots a multikernel, whose SKB parses its facts with Projog, and that code keeps the compilers
     * busy pass after pass whatever the protocol's state.
     */
    static Map<String, String> longerRounds(Map<String, String> parameters) {
        String rounds = parameters.get("rounds");
        if (rounds == null) {
            return parameters;
        }
        try {
            Map<String, String> longer = new java.util.LinkedHashMap<>(parameters);
            longer.put("rounds", String.valueOf(Math.multiplyExact(Long.parseLong(rounds.strip()), ROUNDS_SCALE)));
            return longer;
        } catch (NumberFormatException | ArithmeticException e) {
            return parameters; // the scenario will say what is wrong with it
        }
    }

    /**
     * Waits, with no core running, while the compilers are still at work on what the last pass queued, at most
     * {@link #SETTLE_MILLIS}: a pass's spinning cores leave them no CPU on a small host, so most of a pass's
     * compilations would otherwise land in the next pass, and the warm-up would end on its pass limit, not quiet.
     */
    private static void settle(CompilationMXBean jit) {
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000L;
        long before = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(SETTLE_STEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            if (now == before) {
                return; // a whole step without compiling
            }
            before = now;
        }
    }

    static Outcome run(Runnable pass) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            pass.run();
            return new Outcome(1, -1, false);
        }
        long start = jit.getTotalCompilationTime();
        for (int k = 1; k <= MAX_PASSES; k++) {
            settle(jit);
            long compiled = jit.getTotalCompilationTime();
            long t0 = System.nanoTime();
            pass.run();
            long wallMillis = (System.nanoTime() - t0) / 1_000_000;
            long compiling = jit.getTotalCompilationTime() - compiled;
            if (compiling <= QUIET_SHARE * wallMillis) {
                return new Outcome(k, jit.getTotalCompilationTime() - start, true);
            }
        }
        return new Outcome(MAX_PASSES, jit.getTotalCompilationTime() - start, false);
    }
}
