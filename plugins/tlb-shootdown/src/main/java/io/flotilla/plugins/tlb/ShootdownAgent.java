package io.flotilla.plugins.tlb;

import io.flotilla.binding.Binding;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.plugins.tlb.generated.TlbShootdown;
import io.flotilla.plugins.tlb.generated.TlbShootdownHandler;
import io.flotilla.plugins.tlb.generated.TlbShootdownStub;
import io.flotilla.plugins.tlb.generated.Unmap;
import io.flotilla.plugins.tlb.generated.UnmapHandler;
import io.flotilla.plugins.tlb.generated.UnmapStub;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-core part of the TLB shootdown: what Barrelfish runs in each core's monitor. It is a plugin dispatcher
 * rather than part of {@link io.flotilla.kernel.Monitor} because a plugin may only use the framework's public API,
 * and a dispatcher on the core has what the monitor's part needs: its own channels to the other cores' agents, the
 * core's modelled TLB ({@link #invalidateTlb}), and the same single-threaded event loop.
 *
 * <p><b>Set-up</b> (not measured): every agent exports {@code tlb_shootdown.agent.<core>}; a parent binds to each of
 * its children in the plan; a child reports {@code ready(subtree)} up once its parent has bound and its own
 * children are ready, so the initiator knows when the whole tree stands ({@link #whenReady}).
 *
 * <p><b>A round</b>: the initiator's {@link #shootdown} starts a new epoch and hands it to the variant; a receiver
 * forwards to its children (first, so their work overlaps its own), invalidates its TLB, and acknowledges
 * {@code ack(epoch, subtree)} to its parent once every child has. The initiator's continuation runs when
 * acknowledgements for all other cores are in. Everything counts and nothing allocates on the round's path.
 *
 * <p>On the initiating core the agent also exports {@code tlb_shootdown.unmap.<core>}: a user dispatcher there binds
 * to it (same core: LRPC) and sends {@code unmap}; the agent runs a one-phase commit (a shootdown round, plus
 * invalidating its own TLB) and answers {@code unmapped}.
 */
public final class ShootdownAgent extends Dispatcher implements TlbShootdownHandler, UnmapHandler {

    private final ShootdownGroup group;
    private final int me;
    private final int[] children;
    private final TlbShootdownStub[] childStubs;
    private final List<String> errors = new ArrayList<>();
    private final List<Runnable> whenReady = new ArrayList<>();

    // Set-up state.
    private TlbShootdownStub parentStub;
    private int childrenBound;
    private int readyCores;
    private boolean ready;

    // The round in progress on this core.
    private long epoch;
    private int acked;
    private int expected;
    private boolean inRound;
    private Runnable done;

    // Counts, for tests and reports.
    private long invalidations;
    private long roundsCompleted;

    // Unmap requests from the user dispatcher (one at a time).
    private UnmapStub user;
    private long unmapPages;
    private long unmapVaddr;
    private boolean localInvalidated;
    private Runnable unmapCommitted;
    private final Runnable unmapDone = this::unmapRoundDone;
    private final Runnable replyToUser = this::replyToUser;

    ShootdownAgent(ShootdownGroup group, int core) {
        this.group = group;
        this.me = core;
        this.children = group.plan().childrenOf(core);
        this.childStubs = new TlbShootdownStub[children.length];
    }

    @Override
    public String name() {
        return "ShootdownAgent(" + group.protocol().name() + ")@" + me;
    }

    @Override
    protected void onStart() {
        if (core() != me) {
            throw new IllegalStateException("the agent for core " + me + " was placed on core " + core());
        }
        boolean initiator = me == group.initiatorCore();
        if (initiator) {
            group.protocol().setUp(this);
            export(ShootdownGroup.unmapService(me), binding -> {
                binding.setErrorHandler(e -> errors.add("unmap binding: " + e.getMessage()));
                user = Unmap.bind(binding, this);
                return true;
            });
        }
        if (group.plan().hasEdges()) {
            export(ShootdownGroup.agentService(me), binding -> {
                if (parentStub != null) {
                    return false; // one parent per core
                }
                binding.setErrorHandler(e -> errors.add("parent binding: " + e.getMessage()));
                parentStub = TlbShootdown.bind(binding, this);
                // Report once accept has returned and the kernel polls this end.
                after(0, this::accepted);
                return true;
            });
            for (int i = 0; i < children.length; i++) {
                int slot = i;
                int child = children[i];
                bind(ShootdownGroup.agentService(child), (binding, error) -> {
                    if (error != null) {
                        errors.add("bind to core " + child + ": " + error.getMessage());
                        return;
                    }
                    binding.setErrorHandler(e -> errors.add("child " + child + " binding: " + e.getMessage()));
                    childStubs[slot] = TlbShootdown.bind(binding, this);
                    childrenBound++;
                });
            }
        } else if (!initiator) {
            group.protocol().join(this);
        }
        if (initiator || !group.plan().hasEdges()) {
            checkReady();
        }
    }

    private void accepted() {
        group.protocol().join(this);
        checkReady();
    }

    // ---- set-up ------------------------------------------------------------------------------------------------

    @Override
    public void ready(int cores) {
        readyCores += cores;
        checkReady();
    }

    private void checkReady() {
        if (ready || readyCores != group.plan().subtree(me) - 1 && group.plan().hasEdges()) {
            return;
        }
        if (me == group.initiatorCore()) {
            ready = true;
            for (Runnable r : whenReady) {
                r.run();
            }
            whenReady.clear();
        } else if (parentStub != null || !group.plan().hasEdges()) {
            ready = true;
            if (parentStub != null) {
                parentStub.ready(group.plan().subtree(me));
            }
        }
    }

    /**
     * Runs {@code then} on this (the initiator's) core once every agent of the group is bound and ready; at once if
     * that is already so.
     */
    public void whenReady(Runnable then) {
        if (ready) {
            then.run();
        } else {
            whenReady.add(then);
        }
    }

    public boolean isReady() {
        return ready;
    }

    // ---- rounds ------------------------------------------------------------------------------------------------

    /**
     * Invalidates {@code pages} pages from {@code vaddr} on every other core of the group; {@code done} runs on this
     * core once all of them have acknowledged. Only on the initiator, once {@linkplain #whenReady ready}, one round at
     * a time.
     *
     * @return the round's epoch
     */
    public long shootdown(long vaddr, long pages, Runnable done) {
        if (me != group.initiatorCore()) {
            throw new IllegalStateException("core " + me + " is not the group's initiator ("
                    + group.initiatorCore() + ")");
        }
        if (!ready) {
            throw new IllegalStateException("the shootdown group is not set up yet: wait for whenReady");
        }
        if (inRound) {
            throw new IllegalStateException("a shootdown round (epoch " + epoch + ") is still in progress");
        }
        epoch++;
        acked = 0;
        expected = group.cores() - 1;
        this.done = done;
        inRound = true;
        if (expected == 0) {
            finishRound();
        } else {
            group.protocol().send(this, vaddr, pages, epoch);
        }
        return epoch;
    }

    /** On the initiator: {@code cores} more cores have invalidated for round {@code epoch}. */
    public void acknowledged(long epoch, int cores) {
        if (!inRound || epoch != this.epoch) {
            errors.add("core " + me + ": acknowledgement of epoch " + epoch + " while in round " + this.epoch
                    + (inRound ? "" : " (none in progress)"));
            return;
        }
        acked += cores;
        if (acked > expected) {
            errors.add("core " + me + ": " + acked + " acknowledgements for " + expected + " cores in epoch " + epoch);
        } else if (acked == expected) {
            finishRound();
        }
    }

    private void finishRound() {
        inRound = false;
        roundsCompleted++;
        Runnable d = done;
        done = null;
        if (d != null) {
            d.run();
        }
    }

    /** Sends {@code invalidate} to this core's children in the plan, in order. */
    void forward(long vaddr, long pages, long epoch) {
        for (TlbShootdownStub child : childStubs) {
            child.invalidate(vaddr, pages, epoch);
        }
    }

    @Override
    public void invalidate(long vaddr, long pages, long epoch) {
        this.epoch = epoch;
        acked = 0;
        expected = group.plan().subtree(me) - 1;
        inRound = true;
        forward(vaddr, pages, epoch);
        invalidateAsMonitor(vaddr, pages);
        if (expected == 0) {
            inRound = false;
            parentStub.ack(epoch, 1);
        }
    }

    @Override
    public void ack(long epoch, int cores) {
        if (me == group.initiatorCore()) {
            acknowledged(epoch, cores);
            return;
        }
        if (!inRound || epoch != this.epoch) {
            errors.add("core " + me + ": ack of epoch " + epoch + " while forwarding epoch " + this.epoch);
            return;
        }
        acked += cores;
        if (acked == expected) {
            inRound = false;
            parentStub.ack(epoch, expected + 1);
        }
    }

    /**
     * What a receiver of a shared-memory variant does with a request it has read: invalidate, then acknowledge to
     * its parent (broadcast: its own channel back to the initiator).
     */
    void invalidateAndAcknowledge(long vaddr, long pages, long epoch) {
        invalidateAsMonitor(vaddr, pages);
        parentStub.ack(epoch, 1);
    }

    /**
     * This core's TLB invalidation: drops the translations from the core's modelled TLB ({@code vaddr} carries the
     * address-space id in its top 16 bits, see {@link TaggedAddress}) and charges the modelled cost.
     */
    void invalidateLocally(long vaddr, long pages) {
        tlb().invalidate(TaggedAddress.asid(vaddr), TaggedAddress.vaddr(vaddr), pages);
        if (group.chargesInvalidation()) {
            invalidateTlb(pages);
        }
        invalidations++;
    }

    /**
     * A receiver's invalidation on behalf of a request message: the monitor runs at user level, so it enters its
     * CPU driver to invalidate (Barrelfish's monitor invokes its kernel; on sim a modelled system call).
     */
    private void invalidateAsMonitor(long vaddr, long pages) {
        if (group.chargesInvalidation()) {
            systemCall();
        }
        invalidateLocally(vaddr, pages);
    }

    // ---- unmap (initiator only) --------------------------------------------------------------------------------

    @Override
    public void unmap(long vaddr, long pages) {
        if (!ready || inRound) {
            errors.add("core " + me + ": unmap while " + (ready ? "a round is in progress" : "not set up"));
            user.unmapped(0, 0);
            return;
        }
        // The monitor's part of an unmap starts with a capability invocation on the page-table capability.
        invokeCapability();
        unmap(vaddr, pages, replyToUser);
    }

    /**
     * The unmap itself, as a one-phase commit: the shootdown request goes out to every other core first, then this
     * core invalidates its own TLB while they do theirs; {@code committed} runs on this core once every core has.
     * The LRPC {@code unmap} message lands here; so does a caller on this core that models a kernel doing the work
     * in place (the IPI baseline's system call). Only on the initiator, one at a time.
     */
    public void unmap(long vaddr, long pages, Runnable committed) {
        unmapPages = pages;
        unmapVaddr = vaddr;
        localInvalidated = false;
        unmapCommitted = committed;
        shootdown(vaddr, pages, unmapDone);
        invalidateOwnOnce();
    }

    private void invalidateOwnOnce() {
        if (!localInvalidated) {
            localInvalidated = true;
            invalidateLocally(unmapVaddr, unmapPages);
        }
    }

    private void unmapRoundDone() {
        invalidateOwnOnce(); // a group of one core finishes its round before unmap() gets here
        Runnable c = unmapCommitted;
        unmapCommitted = null;
        c.run();
    }

    private void replyToUser() {
        user.unmapped(epoch, group.cores());
    }

    // ---- state for tests and reports ------------------------------------------------------------------------------

    /** TLB invalidations this core has made. */
    public long invalidations() {
        return invalidations;
    }

    /** Rounds this core (the initiator) has completed. */
    public long roundsCompleted() {
        return roundsCompleted;
    }

    /** The last epoch this core saw. */
    public long epoch() {
        return epoch;
    }

    /** Problems seen on this core (bind failures, stray acknowledgements); empty in a correct run. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    ShootdownGroup group() {
        return group;
    }

    Binding parentBinding() {
        return parentStub == null ? null : parentStub.binding();
    }
}
