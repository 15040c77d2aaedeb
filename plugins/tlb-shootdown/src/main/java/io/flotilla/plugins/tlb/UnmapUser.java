package io.flotilla.plugins.tlb;

import io.flotilla.kernel.Dispatcher;
import io.flotilla.plugins.tlb.generated.Unmap;
import io.flotilla.plugins.tlb.generated.UnmapHandler;
import io.flotilla.plugins.tlb.generated.UnmapStub;
import java.util.ArrayList;
import java.util.List;

/**
 * The user domain of the paper's Figure 7, on the initiator's core, unmapping one range after another and timing
 * each from the request to the answer. Two ways to reach the shootdown:
 *
 * <ul>
 *   <li>{@link Path#MONITOR} (Barrelfish): an {@code unmap} message over an LRPC binding to the core's shootdown
 *   agent (the monitor), which runs the one-phase commit and answers {@code unmapped};</li>
 *   <li>{@link Path#IN_PLACE} (Linux, Windows): the work runs on the caller's core with no message to a monitor, as a
 *   kernel does it inside the system call; used with the {@code ipi} variant. The system-call entry itself is not
 *   charged.</li>
 * </ul>
 */
public final class UnmapUser extends Dispatcher implements UnmapHandler {

    /** How the user's request reaches the shootdown. */
    public enum Path { MONITOR, IN_PLACE }

    private final ShootdownGroup group;
    private final Path path;
    private final int warmup;
    private final int pages;
    private final long gapCycles;
    private final RoundLatencies latencies;
    private final int total;
    private final List<String> errors = new ArrayList<>();
    private UnmapStub stub;
    private int round;
    private long started;
    private final Runnable next = this::next;
    private final Runnable committed = this::committed;

    public UnmapUser(ShootdownGroup group, Path path, int warmup, int rounds, int pages, long gapCycles) {
        if (warmup < 0 || rounds < 1 || pages < 1 || gapCycles < 0) {
            throw new IllegalArgumentException("warmup >= 0, rounds >= 1, pages >= 1, gap >= 0 required");
        }
        this.group = group;
        this.path = path;
        this.warmup = warmup;
        this.pages = pages;
        this.gapCycles = gapCycles;
        this.latencies = new RoundLatencies(rounds);
        this.total = warmup + rounds;
    }

    @Override
    protected void onStart() {
        if (path == Path.IN_PLACE) {
            group.initiator().whenReady(next);
            return;
        }
        bind(ShootdownGroup.unmapService(group.initiatorCore()), (binding, error) -> {
            if (error != null) {
                errors.add("bind to the agent: " + error.getMessage());
                stopKernel();
                return;
            }
            binding.setErrorHandler(e -> errors.add("unmap binding: " + e.getMessage()));
            stub = Unmap.bind(binding, this);
            group.initiator().whenReady(next);
        });
    }

    private void next() {
        if (round == total) {
            stopKernel();
            return;
        }
        started = now();
        if (path == Path.IN_PLACE) {
            systemCall(); // a conventional kernel's munmap: the user traps into the kernel, which does the rest
            group.initiator().unmap(ShootdownRounds.VADDR, pages, committed);
        } else {
            stub.unmap(ShootdownRounds.VADDR, pages);
        }
    }

    @Override
    public void unmapped(long epoch, int cores) {
        if (cores != group.cores()) {
            errors.add("unmap of epoch " + epoch + " reached " + cores + " of " + group.cores() + " cores");
        }
        committed();
    }

    private void committed() {
        if (round >= warmup) {
            latencies.add(now() - started);
        }
        round++;
        after(gapCycles, next);
    }

    public RoundLatencies latencies() {
        return latencies;
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }
}
