package io.flotilla.examples.sharedvsmessage;

import io.flotilla.examples.sharedvsmessage.generated.SharedUpdate;
import io.flotilla.examples.sharedvsmessage.generated.SharedUpdateHandler;
import io.flotilla.examples.sharedvsmessage.generated.SharedUpdateStub;
import io.flotilla.kernel.Dispatcher;

/** Figure 3's MSG series on one client core: sends each update to the server as an rpc and waits for the answer. */
final class MsgClient extends Dispatcher {

    private final int lines;
    private final int updates;
    private final int warmup;
    private final Finish finish;
    private SharedUpdateStub server;
    private int done;
    private long measuredFrom;
    long cyclesPerUpdate = -1;
    String error;

    MsgClient(int lines, int updates, int warmup, Finish finish) {
        this.lines = lines;
        this.updates = updates;
        this.warmup = warmup;
        this.finish = finish;
    }

    @Override
    protected void onStart() {
        bind(ArrayServer.NAME, (binding, failure) -> {
            if (failure != null) {
                error = "core " + core() + ": " + failure.getMessage();
                stopKernel();
                return;
            }
            server = SharedUpdate.bind(binding, new SharedUpdateHandler() {});
            next();
        });
    }

    private void next() {
        if (done == warmup) {
            measuredFrom = now();
        }
        server.update(lines, ((long) core() << 32) | done, old -> {
            if (++done < updates) {
                next();
            } else {
                cyclesPerUpdate = (now() - measuredFrom) / (updates - warmup);
                finish.done(this);
            }
        });
    }
}
