package io.flotilla.examples.sharedvsmessage;

import io.flotilla.examples.sharedvsmessage.generated.SharedUpdate;
import io.flotilla.examples.sharedvsmessage.generated.SharedUpdateHandler;
import io.flotilla.kernel.Dispatcher;

/**
 * Figure 3's server: the one core that owns the array. Its lines never leave its cache, so an update costs it only
 * hits; what the clients pay is the message round trip and the wait for the server's turn. Records its own time
 * per update (the paper's "Server" series).
 */
final class ArrayServer extends Dispatcher {

    static final String NAME = "fig3.array";

    private long base = -1;
    private final int maxLines;
    private long busyCycles;
    private long handled;

    ArrayServer(int maxLines) {
        this.maxLines = maxLines;
    }

    @Override
    protected void onStart() {
        base = sharedMemory().allocate(maxLines, machine().core(core()).numaNode());
        export(NAME, binding -> {
            SharedUpdate.bind(binding, new SharedUpdateHandler() {
                @Override
                public void update(int lines, long value, SharedUpdate.UpdateResponder responder) {
                    long start = now();
                    long old = load(base);
                    for (int i = 0; i < Math.min(lines, maxLines); i++) {
                        store(base + i, value);
                    }
                    responder.send(old, null);
                    busyCycles += now() - start;
                    handled++;
                }
            });
            return true;
        });
    }

    /** Cycles this core spent per update it handled. */
    double cyclesPerUpdate() {
        return handled == 0 ? 0 : (double) busyCycles / handled;
    }
}
