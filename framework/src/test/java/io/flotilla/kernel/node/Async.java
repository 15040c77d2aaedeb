package io.flotilla.kernel.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@link CompletableFuture#supplyAsync} and {@code runAsync} on a thread of their own. The node tests start a node or
 * run one for tens of seconds in the background; on the common pool (one thread on a 2-CPU machine) such a task
 * queues behind whatever an earlier test left running there, and a node that should have started at once does not
 * (seen in CI: "the membership was not agreed within 10 s" because the other node never started).
 */
final class Async {

    private static final Executor OWN_THREAD = task -> {
        Thread t = new Thread(task, "node-test-async");
        t.setDaemon(true);
        t.start();
    };

    private Async() {}

    static <T> CompletableFuture<T> supply(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, OWN_THREAD);
    }

    static CompletableFuture<Void> run(Runnable task) {
        return CompletableFuture.runAsync(task, OWN_THREAD);
    }
}
