package io.flotilla.kernel.node;

import io.flotilla.binding.Binding;
import io.flotilla.channel.Channel;
import io.flotilla.kernel.InternodeRoute;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.intermon.IntermonStub;
import java.lang.System.Logger.Level;
import java.util.Arrays;

/**
 * This node's own cores as the node runtime sees them: the inbox on which each hears the other nodes, the runtime's
 * own intermon messages to them ({@code cores_lost}), and their run, which stops when a peer asks (STOP) or, once
 * the last peer has gone or one was lost, as soon as every core has handled the loss. Inboxes exist from the start
 * (a monitor never waits for one) and are written by the pump thread only.
 */
final class LocalCores implements MembershipRun {

    private final int node;
    private final int firstCore;
    /** Local core firstCore + i hears other nodes on inboxes[i]. */
    private final CoreInbox[] inboxes;
    /** The node runtime's own intermon messages to local core firstCore + i (pump thread only). */
    private final IntermonStub[] toCore;

    private volatile Multikernel kernel;
    private volatile boolean stopRequested;
    /** After every peer has gone (or one was lost): the run stops once each core has handled it (pump thread). */
    private boolean stopWhenHandled;
    private boolean afterLoss;
    private long[] pollsAtDrain;

    LocalCores(int node, int firstCore, int lastCore) {
        this.node = node;
        this.firstCore = firstCore;
        int local = lastCore - firstCore + 1;
        this.inboxes = new CoreInbox[local];
        this.toCore = new IntermonStub[local];
        for (int i = 0; i < local; i++) {
            int core = firstCore + i;
            CoreInbox inbox = new CoreInbox(core);
            inboxes[i] = inbox;
            toCore[i] = new IntermonStub(new Binding(new RoutedSender(InternodeRoute.NODE, core, inbox::post)));
        }
    }

    boolean runs(int core) {
        return core >= firstCore && core < firstCore + inboxes.length;
    }

    /** The receiving end of {@code core}'s inbox, which its monitor polls. */
    Channel inbox(int core) {
        return inboxes[core - firstCore].channel();
    }

    /** The writing side of {@code core}'s inbox (pump thread). */
    CoreInbox inboxOf(int core) {
        return inboxes[core - firstCore];
    }

    /** The booted multikernel, or null before the boot. */
    Multikernel kernel() {
        return kernel;
    }

    /** The multikernel has booted: a stop asked for meanwhile takes effect now. */
    void booted(Multikernel mk) {
        kernel = mk;
        // Volatile write, then volatile read; stopAsked and stopOnceHandled write stopRequested, then read kernel:
        // whichever comes second in the synchronisation order sees the other's write, so no stop is missed.
        if (stopRequested) {
            mk.platform().stop();
        }
    }

    /**
     * Pump thread, every turn: moves the runtime's own messages into inboxes that have room again, and stops the run
     * once the cores have handled a loss that ends it. @return messages moved
     */
    int pumpTurn() {
        int work = 0;
        for (CoreInbox inbox : inboxes) {
            work += inbox.flush();
        }
        if (stopWhenHandled) {
            stopIfHandled();
        }
        return work;
    }

    @Override
    public void stopAsked() {
        stopRequested = true;
        Multikernel k = kernel;
        if (k != null) {
            k.platform().stop(); // not k.stop(): that would tell every node again
        }
    }

    /**
     * Each local core's monitor fails what it waits for from the lost cores when it reads cores_lost, which goes into
     * its inbox behind everything that node sent before. Pump thread.
     */
    @Override
    public void coresLost(int first, int last, String reason) {
        for (IntermonStub core : toCore) {
            core.coresLost(first, last, reason);
        }
    }

    @Override
    public void stopOnceHandled(boolean lost) {
        stopRequested = true; // a boot still to come stops at once
        if (kernel != null) { // read again: a boot may have looked at stopRequested before it was set
            stopWhenHandled = true;
            afterLoss = lost;
            pollsAtDrain = new long[inboxes.length];
            Arrays.fill(pollsAtDrain, -1);
        }
    }

    /**
     * Stops the platform once every local core has handled the cores_lost messages: its inbox is drained (the
     * handler has returned), and the core has polled the inbox again since, which on the pinned platform's core
     * loop comes after the tasks the handler scheduled at once (the continuations of the failed requests) have run.
     */
    private void stopIfHandled() {
        boolean all = true;
        for (int i = 0; i < inboxes.length; i++) {
            CoreInbox inbox = inboxes[i];
            if (pollsAtDrain[i] < 0) {
                if (inbox.drained()) {
                    pollsAtDrain[i] = inbox.polls();
                }
                all = false;
            } else if (inbox.polls() <= pollsAtDrain[i]) {
                all = false;
            }
        }
        if (all) {
            stopWhenHandled = false;
            Node.LOG.log(Level.INFO, "node " + node + (afterLoss ? ": a peer was lost; stopping"
                    : ": every other node has left; stopping"));
            kernel.platform().stop();
        }
    }
}
