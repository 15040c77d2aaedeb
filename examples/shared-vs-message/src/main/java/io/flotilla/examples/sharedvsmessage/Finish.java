package io.flotilla.examples.sharedvsmessage;

import io.flotilla.kernel.Dispatcher;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the workers still running and stops the kernel when the last one is done (any platform's threads). */
final class Finish {

    private final AtomicInteger running;

    Finish(int workers) {
        this.running = new AtomicInteger(workers);
    }

    void done(Dispatcher worker) {
        if (running.decrementAndGet() == 0) {
            worker.stopKernel();
        }
    }

    boolean allDone() {
        return running.get() == 0;
    }
}
