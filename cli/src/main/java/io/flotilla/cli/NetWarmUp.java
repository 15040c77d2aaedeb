package io.flotilla.cli;

import io.flotilla.transport.net.NetLoopbackTransport;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pays a process's first net channel before the cores start, for a run that will swap a binding to net on real
 * cores. That first open costs 0.3-2 s (Netty's event loop, class loading, the handshake's crypto). The swap opens
 * its channel off the cores, so no core stalls either way; but without this the swap of a short run would complete
 * after its last message, and the run could not show net's latency beside urpc's.
 */
final class NetWarmUp {

    private NetWarmUp() {}

    /** Waits at most 10 s; a failure is left to the swap itself to report (it names the cause where it happens). */
    static void beforeSwapTo(String transport) {
        if (!"net".equals(transport)) {
            return;
        }
        try {
            NetLoopbackTransport.prepare().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the swap's own open says what is wrong
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
