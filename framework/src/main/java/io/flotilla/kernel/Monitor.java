package io.flotilla.kernel;

import io.flotilla.binding.Binding;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One per core: exports interfaces, answers name look-ups and runs the bind protocol, as Barrelfish's monitor
 * does (barrelfish-digest §2.6).
 *
 * <ul>
 *   <li><b>Export</b>: the service goes into this core's table of {@value #IREFS_PER_CORE} entries and gets the
 *   iref {@code 256 * core + index + 1} (0 is never an iref; the core of an iref is {@code (iref - 1) / 256}), and
 *   the name is registered with the name service.</li>
 *   <li><b>Name service</b>: kept by the monitor of core 0 (Barrelfish keeps it in Octopus, inside the SKB's
 *   domain); a look-up waits there until the name is exported, and fails on the asking core after its time-out.</li>
 *   <li><b>Bind</b>: client → its monitor → the server's monitor, which opens a channel on the transport the
 *   {@link io.flotilla.channel.TransportSelector} names, gives the server its end ({@link Service#accept}), and
 *   sends the other end back; the client's monitor then runs the client's {@link BindContinuation}.</li>
 * </ul>
 *
 * <p>Monitors talk to each other with {@link Platform#post} control messages (priced as one-frame URPC messages
 * on sim), not yet over bindings of their own. Every method runs on its monitor's core.
 */
public final class Monitor {

    /** Entries in a core's iref table, as in Barrelfish. */
    public static final int IREFS_PER_CORE = 256;

    private final CpuDriver driver;
    private final Multikernel kernel;
    private final Service[] services = new Service[IREFS_PER_CORE];
    private final Dispatcher[] exporters = new Dispatcher[IREFS_PER_CORE];
    private final String[] names = new String[IREFS_PER_CORE];

    // Name service state, used on the name-service core only. Looked up by key, never iterated: deterministic.
    private final Map<String, Integer> registry = new HashMap<>();
    private final Map<String, List<Runnable>> waiting = new HashMap<>();

    Monitor(CpuDriver driver, Multikernel kernel) {
        this.driver = driver;
        this.kernel = kernel;
    }

    public int core() {
        return driver.core();
    }

    /** The core an iref was exported on. */
    public static int coreOf(int iref) {
        return (iref - 1) / IREFS_PER_CORE;
    }

    /**
     * Exports {@code service} on this core and registers it as {@code name}.
     *
     * @return the iref
     * @throws BindException if this core's table is full
     */
    public int export(Dispatcher owner, String name, Service service) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(service, "service");
        int index = 0;
        while (index < IREFS_PER_CORE && services[index] != null) {
            index++;
        }
        if (index == IREFS_PER_CORE) {
            throw new BindException("core " + core() + " has exported " + IREFS_PER_CORE + " interfaces already");
        }
        services[index] = service;
        exporters[index] = owner;
        names[index] = name;
        int iref = IREFS_PER_CORE * core() + index + 1;
        int nsCore = kernel.nameServiceCore();
        kernel.platform().post(core(), nsCore, null, () -> kernel.monitor(nsCore).register(name, iref));
        return iref;
    }

    /** Withdraws an export: later binds to it fail; bindings already made stay. */
    public void unexport(int iref) {
        int index = iref - 1 - IREFS_PER_CORE * core();
        if (index < 0 || index >= IREFS_PER_CORE || services[index] == null) {
            throw new BindException("iref " + iref + " is not exported on core " + core());
        }
        String name = names[index];
        services[index] = null;
        exporters[index] = null;
        names[index] = null;
        int nsCore = kernel.nameServiceCore();
        kernel.platform().post(core(), nsCore, null, () -> kernel.monitor(nsCore).deregister(name, iref));
    }

    /**
     * Looks {@code name} up, waiting until it is exported or {@code timeoutCycles} have passed on this core; the
     * continuation runs on this core on behalf of {@code owner}.
     */
    public void lookup(Dispatcher owner, String name, long timeoutCycles, LookupContinuation continuation) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(continuation, "continuation");
        int me = core();
        Once once = new Once();
        kernel.platform().schedule(me, timeoutCycles, owner, () -> {
            if (once.claim()) {
                continuation.found(0, new BindException("no service named '" + name + "' was exported within "
                        + timeoutCycles + " cycles (looked up from core " + me + ")"));
            }
        });
        int nsCore = kernel.nameServiceCore();
        kernel.platform().post(me, nsCore, null, () -> kernel.monitor(nsCore).resolve(name, iref ->
                kernel.platform().post(nsCore, me, owner, () -> {
                    if (once.claim()) {
                        continuation.found(iref, null);
                    }
                })));
    }

    /** Looks {@code name} up and binds to it; errors of either step reach the continuation. */
    public void bind(Dispatcher owner, String name, long timeoutCycles, BindContinuation continuation) {
        Objects.requireNonNull(continuation, "continuation");
        lookup(owner, name, timeoutCycles, (iref, error) -> {
            if (error != null) {
                continuation.bound(null, error);
            } else {
                bind(owner, iref, continuation);
            }
        });
    }

    /** Binds to an iref: the bind protocol of the class comment. */
    public void bind(Dispatcher owner, int iref, BindContinuation continuation) {
        Objects.requireNonNull(continuation, "continuation");
        int client = core();
        int server = iref <= 0 ? -1 : coreOf(iref);
        if (server < 0 || server >= kernel.coreCount()) {
            kernel.platform().schedule(client, 0, owner,
                    () -> continuation.bound(null, new BindException("iref " + iref + " names no core")));
            return;
        }
        kernel.platform().post(client, server, null,
                () -> kernel.monitor(server).accept(client, owner, iref, continuation));
    }

    // ---- server side -------------------------------------------------------------------------------------------

    /** On the server's monitor: open the channel, offer the server its end, answer the client's monitor. */
    private void accept(int client, Dispatcher clientOwner, int iref, BindContinuation continuation) {
        int index = iref - 1 - IREFS_PER_CORE * core();
        Service service = index >= 0 && index < IREFS_PER_CORE ? services[index] : null;
        Dispatcher exporter = service == null ? null : exporters[index];
        if (service == null || (exporter != null && exporter.failed())) {
            refuse(client, clientOwner, continuation, "iref " + iref + " is not exported on core " + core());
            return;
        }
        Platform platform = kernel.platform();
        Endpoint a = platform.endpoint(client);
        Endpoint b = platform.endpoint(core());
        String transport = kernel.selector().select(a, b);
        ChannelPair pair = platform.open(client, core(), transport, kernel.channelOptions());
        var caps = kernel.capabilityTransfers().between(client, clientOwner, core(), exporter);
        Binding serverEnd = new Binding(pair.right(), caps.server());
        boolean[] accepted = {false};
        driver.upcall(exporter, () -> accepted[0] = service.accept(serverEnd));
        if (!accepted[0]) {
            serverEnd.close();
            pair.left().close();
            refuse(client, clientOwner, continuation, "'" + names[index] + "' (iref " + iref + ", core " + core()
                    + ") refused the connection from core " + client);
            return;
        }
        var connection = new Connection(client, core(), serverEnd);
        driver.register(serverEnd, pair.right(), exporter, connection);
        platform.post(core(), client, clientOwner, () -> {
            CpuDriver clientDriver = kernel.driver(client);
            Binding clientEnd = new Binding(pair.left(), caps.client());
            connection.client(clientEnd);
            clientDriver.register(clientEnd, pair.left(), clientOwner, connection);
            continuation.bound(clientEnd, null);
        });
    }

    // ---- swap ----------------------------------------------------------------------------------------------------

    /**
     * Moves a binding of this core, and its peer, onto a new channel of {@code transport} while traffic flows
     * (drain-and-switch, see {@link Binding#swap}). The server's monitor opens the channel, as it does for a bind,
     * swaps the server's end, then hands the client's monitor its end; {@code whenSwapped} runs on this core once
     * both ends have switched their sending.
     *
     * @throws IllegalArgumentException if {@code binding} is not a bound binding of this core
     */
    public void swap(Dispatcher owner, Binding binding, String transport, Runnable whenSwapped) {
        Connection c = driver.connectionOf(binding);
        if (c == null) {
            throw new IllegalArgumentException("not a binding of a bind on core " + core());
        }
        Objects.requireNonNull(transport, "transport");
        int requester = core();
        kernel.platform().post(requester, c.serverCore, null,
                () -> kernel.monitor(c.serverCore).openSwap(c, transport, requester, owner, whenSwapped));
    }

    private void openSwap(Connection c, String transport, int requester, Dispatcher owner, Runnable whenSwapped) {
        Platform platform = kernel.platform();
        ChannelPair pair = platform.open(c.clientCore, c.serverCore, transport, kernel.channelOptions());
        driver.swap(c.server, pair.right());
        platform.post(core(), c.clientCore, null, () -> {
            kernel.driver(c.clientCore).swap(c.client(), pair.left());
            if (whenSwapped == null) {
                return;
            }
            if (requester == c.clientCore) {
                platform.schedule(requester, 0, owner, whenSwapped);
            } else {
                platform.post(c.clientCore, requester, owner, whenSwapped);
            }
        });
    }

    private void refuse(int client, Dispatcher owner, BindContinuation continuation, String why) {
        kernel.platform().post(core(), client, owner, () -> continuation.bound(null, new BindException(why)));
    }

    // ---- name service (name-service core only) -----------------------------------------------------------------

    private void register(String name, int iref) {
        registry.put(name, iref);
        List<Runnable> waiters = waiting.remove(name);
        if (waiters != null) {
            for (Runnable w : waiters) { // a list: answered in the order they asked
                w.run();
            }
        }
    }

    private void deregister(String name, int iref) {
        registry.remove(name, iref);
    }

    /** Answers with the iref of {@code name} now, or when it is registered. */
    private void resolve(String name, java.util.function.IntConsumer answer) {
        Integer iref = registry.get(name);
        if (iref != null) {
            answer.accept(iref);
        } else {
            waiting.computeIfAbsent(name, n -> new ArrayList<>()).add(() -> answer.accept(registry.get(name)));
        }
    }

    /** A split-phase result that must be delivered once: the answer or the time-out, whichever comes first. */
    private static final class Once {
        private boolean done;

        boolean claim() {
            if (done) {
                return false;
            }
            done = true;
            return true;
        }
    }
}
