package io.flotilla.examples.sharedvsmessage;

import io.flotilla.kernel.Dispatcher;

/**
 * Figure 3's SHM series on one core: updates the same {@code lines} cache lines of a shared array as every other
 * updater, one update per event so that the cores interleave, with no lock: the coherence protocol moves the lines
 * from core to core, and that migration is the cost being measured.
 */
final class ShmUpdater extends Dispatcher {

    /** The array's first line; set once the platform is attached, before this dispatcher starts. */
    long base = -1;
    private final int lines;
    private final int updates;
    private final int warmup;
    private final Finish finish;
    private int done;
    private long measuredFrom;
    long cyclesPerUpdate = -1;

    ShmUpdater(int lines, int updates, int warmup, Finish finish) {
        this.lines = lines;
        this.updates = updates;
        this.warmup = warmup;
        this.finish = finish;
    }

    @Override
    protected void onStart() {
        step();
    }

    private void step() {
        if (done == warmup) {
            measuredFrom = now();
        }
        for (int i = 0; i < lines; i++) {
            store(base + i, ((long) core() << 32) | done);
        }
        if (++done < updates) {
            after(0, this::step);
        } else {
            cyclesPerUpdate = (now() - measuredFrom) / (updates - warmup);
            finish.done(this);
        }
    }
}
