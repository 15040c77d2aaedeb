package io.flotilla.kernel;

import io.flotilla.binding.Binding;
import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportSelector;
import io.flotilla.kernel.intermon.IntermonException;
import io.flotilla.kernel.intermon.IntermonMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

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
 * <p>Monitors of one JVM talk to each other with {@link Platform#post} control messages (priced as one-frame URPC
 * messages on sim). When the multikernel spans several JVMs (an {@link Intermon} was given at boot), a monitor whose
 * peer core runs on another node sends it an {@link IntermonMessage} instead, over the nodes' {@code net} link, and
 * a bind between nodes gets a {@code net} channel of its own, or a {@code urpc} channel in a shared-memory file
 * between nodes of one host; such a binding can be swapped too, the two monitors agreeing over intermon (see
 * {@code docs/runtime.md}, "Multi-node"). Every method runs on its monitor's core.
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

    // Requests this monitor sent to cores on other nodes, by request id; TreeMaps because a node leaving walks them.
    private long nextRequest;
    private final TreeMap<Long, RemoteLookup> remoteLookups = new TreeMap<>();
    private final TreeMap<Long, RemoteBind> remoteBinds = new TreeMap<>();

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
        int nsCore = kernel.nameServiceCore();
        boolean remote = !kernel.isLocal(nsCore);
        if (remote) {
            checkSendable(() -> new IntermonMessage.Register(1, name), "export '" + name + "'");
        }
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
        if (remote) {
            kernel.intermon().send(nsCore, new IntermonMessage.Register(iref, name));
        } else {
            kernel.platform().post(core(), nsCore, null, () -> kernel.monitor(nsCore).register(name, iref));
        }
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
        if (kernel.isLocal(nsCore)) {
            kernel.platform().post(core(), nsCore, null, () -> kernel.monitor(nsCore).deregister(name, iref));
        } else {
            kernel.intermon().send(nsCore, new IntermonMessage.Deregister(iref, name));
        }
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
        int nsCore = kernel.nameServiceCore();
        if (!kernel.isLocal(nsCore)) {
            try {
                checkSendable(() -> new IntermonMessage.Resolve(0, me, name), "look '" + name + "' up");
            } catch (BindException e) {
                kernel.platform().schedule(me, 0, owner, () -> continuation.found(0, e));
                return;
            }
            long request = ++nextRequest;
            remoteLookups.put(request, new RemoteLookup(nsCore, owner, once, continuation));
            kernel.platform().schedule(me, timeoutCycles, owner, () -> {
                remoteLookups.remove(request);
                if (once.claim()) {
                    continuation.found(0, new BindException("no service named '" + name + "' was exported within "
                            + timeoutCycles + " cycles (looked up from core " + me + " at the name service on "
                            + kernel.intermon().describe(nsCore) + ")"));
                }
            });
            kernel.intermon().send(nsCore, new IntermonMessage.Resolve(request, me, name));
            return;
        }
        kernel.platform().schedule(me, timeoutCycles, owner, () -> {
            if (once.claim()) {
                continuation.found(0, new BindException("no service named '" + name + "' was exported within "
                        + timeoutCycles + " cycles (looked up from core " + me + ")"));
            }
        });
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
                bind(owner, iref, name, continuation);
            }
        });
    }

    /** Binds to an iref: the bind protocol of the class comment. */
    public void bind(Dispatcher owner, int iref, BindContinuation continuation) {
        bind(owner, iref, "", continuation);
    }

    /** {@code name} is what the client looked up ("" if it bound by iref); a server on another node checks it. */
    private void bind(Dispatcher owner, int iref, String name, BindContinuation continuation) {
        Objects.requireNonNull(continuation, "continuation");
        int client = core();
        int server = iref <= 0 ? -1 : coreOf(iref);
        if (server < 0 || server >= kernel.coreCount()) {
            kernel.platform().schedule(client, 0, owner,
                    () -> continuation.bound(null, new BindException("iref " + iref + " names no core")));
            return;
        }
        if (!kernel.isLocal(server)) {
            remoteBind(owner, iref, name, continuation);
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
        swap(owner, binding, transport, whenSwapped, null);
    }

    /**
     * As {@link #swap(Dispatcher, Binding, String, Runnable)}; {@code whenFailed} (may be null: the failure is
     * logged) runs on this core if the swap cannot be made, and the binding stays on its old channel. A binding
     * between two nodes is swapped by the two monitors over intermon (see {@code docs/runtime.md}): net and, for
     * nodes of one host, urpc.
     */
    public void swap(Dispatcher owner, Binding binding, String transport, Runnable whenSwapped,
            Consumer<BindException> whenFailed) {
        Connection c = driver.connectionOf(binding);
        if (c == null) {
            throw new IllegalArgumentException("not a binding of a bind on core " + core());
        }
        Objects.requireNonNull(transport, "transport");
        if (!kernel.isLocal(c.clientCore) || !kernel.isLocal(c.serverCore)) {
            swapAcrossNodes(owner, c, transport, whenSwapped, whenFailed);
            return;
        }
        int requester = core();
        kernel.platform().post(requester, c.serverCore, null, () -> kernel.monitor(c.serverCore)
                .openSwap(c, transport, requester, owner, whenSwapped, whenFailed));
    }

    private void openSwap(Connection c, String transport, int requester, Dispatcher owner, Runnable whenSwapped,
            Consumer<BindException> whenFailed) {
        Platform platform = kernel.platform();
        ChannelPair pair;
        try {
            pair = platform.open(c.clientCore, c.serverCore, transport, kernel.channelOptions());
        } catch (RuntimeException e) {
            String why = "cannot swap the binding between core " + c.clientCore + " and core " + c.serverCore
                    + " to '" + transport + "': " + e.getMessage();
            Runnable report = () -> swapFailed(owner, whenFailed, why);
            if (requester == core()) {
                platform.schedule(requester, 0, owner, report);
            } else {
                platform.post(core(), requester, owner, report);
            }
            return;
        }
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

    /** A swap that failed before either end switched: the requester hears why (or it is logged). */
    private static void swapFailed(Dispatcher owner, Consumer<BindException> whenFailed, String why) {
        if (whenFailed != null) {
            whenFailed.accept(new BindException(why));
        } else {
            LOG.log(System.Logger.Level.WARNING, (owner != null ? owner.name() + ": " : "") + why);
        }
    }

    // ---- swap between nodes --------------------------------------------------------------------------------------
    //
    // The server's monitor carries every swap of a binding out, one at a time per binding, so both ends see the
    // same sequence of channels: it opens the new channel (a one-bind net listener, or a urpc file for a client on
    // this host) and sends the client's monitor its end's coordinates (SWAP_NET / SWAP_URPC). The client's monitor
    // gets its end (connects, or attaches and deletes the file), switches its end first and says so (SWAP_DONE);
    // the server switches on that, and the side that asked runs whenSwapped. A failure before the client switched
    // (no such transport between the two, a refused rendezvous, a connection that fails) leaves both ends on the
    // old channel and reaches the side that asked.

    private static final System.Logger LOG = System.getLogger("io.flotilla.kernel");

    private long nextSwap;
    /** Swaps this core asked for, by this core's number for them; a TreeMap because a lost node walks it. */
    private final TreeMap<Long, AskedSwap> askedSwaps = new TreeMap<>();
    /** Swaps this core carries out as the server's end; few at a time, so a list. */
    private final List<ServerSwap> serverSwaps = new ArrayList<>();

    private record AskedSwap(Dispatcher owner, int peer, Runnable whenSwapped, Consumer<BindException> whenFailed) {}

    /** The server's side of one swap between nodes. */
    private static final class ServerSwap {
        final Connection c;
        final long swap;
        final boolean clientAsked;
        Intermon.BindListener listener;
        Intermon.UrpcOffer offer;
        Channel channel;
        boolean clientSwitched;
        boolean over;

        ServerSwap(Connection c, long swap, boolean clientAsked) {
            this.c = c;
            this.swap = swap;
            this.clientAsked = clientAsked;
        }
    }

    private void swapAcrossNodes(Dispatcher owner, Connection c, String transport, Runnable whenSwapped,
            Consumer<BindException> whenFailed) {
        boolean client = core() == c.clientCore;
        int peer = client ? c.serverCore : c.clientCore;
        long swap = ++nextSwap;
        if (client) {
            IntermonMessage.SwapRequest request;
            try {
                request = new IntermonMessage.SwapRequest(c.remoteBind, c.clientCore, swap, transport);
            } catch (IntermonException e) {
                kernel.platform().schedule(core(), 0, owner, () -> swapFailed(owner, whenFailed,
                        "cannot ask for a swap to '" + transport + "': " + e.getMessage()));
                return;
            }
            askedSwaps.put(swap, new AskedSwap(owner, peer, whenSwapped, whenFailed));
            kernel.intermon().send(c.serverCore, request);
        } else {
            askedSwaps.put(swap, new AskedSwap(owner, peer, whenSwapped, whenFailed));
            startServerSwap(c, transport, swap, false);
        }
    }

    /** On the server's monitor: the client of a bind between nodes asks for a swap. */
    private void swapRequested(IntermonMessage.SwapRequest r) {
        Connection c = driver.remoteConnection(r.clientCore(), r.bind());
        if (c == null || c.serverCore != core()) {
            kernel.intermon().send(r.clientCore(), new IntermonMessage.SwapDone(r.bind(), r.clientCore(), core(),
                    r.swap(), true, false, "core " + core() + " has no binding of bind " + r.bind() + " from "
                    + kernel.intermon().describe(r.clientCore()) + " (unbound meanwhile?)"));
            return;
        }
        startServerSwap(c, r.transport(), r.swap(), true);
    }

    private void startServerSwap(Connection c, String transport, long swap, boolean clientAsked) {
        if (c.swapping) {
            c.queuedSwaps.add(() -> startServerSwap(c, transport, swap, clientAsked));
            return;
        }
        c.swapping = true;
        Intermon net = kernel.intermon();
        ServerSwap s = new ServerSwap(c, swap, clientAsked);
        String pair = "the binding between " + net.describe(c.clientCore) + " and core " + core();
        if (TransportSelector.NET.equals(transport)) {
            Intermon.BindListener listener;
            try {
                listener = net.listen(core(), channel -> kernel.platform().post(core(), core(), null,
                        () -> serverEnd(s, channel)));
            } catch (IOException e) {
                abandon(s, "cannot swap " + pair + " to net: core " + core() + " cannot open a net listener: "
                        + e.getMessage());
                return;
            }
            s.listener = listener;
            serverSwaps.add(s);
            kernel.platform().schedule(core(), kernel.cycles(REMOTE_BIND_TIMEOUT), null, listener::close);
            net.send(c.clientCore, new IntermonMessage.SwapNet(c.remoteBind, core(), swap, clientAsked,
                    listener.host(), listener.port(), listener.token()));
        } else if (TransportSelector.URPC.equals(transport)) {
            if (!net.sameHost(c.clientCore)) {
                abandon(s, "cannot swap " + pair + " to urpc: the two nodes run on different hosts, and urpc "
                        + "needs memory both can map; the binding stays on its channel");
                return;
            }
            try {
                s.offer = net.offerUrpc(core(), kernel.channelOptions().slots());
            } catch (IOException | RuntimeException e) {
                abandon(s, "cannot swap " + pair + " to urpc: core " + core() + " cannot make a channel file: "
                        + e.getMessage());
                return;
            }
            s.channel = s.offer.channel();
            serverSwaps.add(s);
            net.send(c.clientCore, new IntermonMessage.SwapUrpc(c.remoteBind, core(), swap, clientAsked,
                    s.offer.file()));
        } else {
            abandon(s, "cannot swap " + pair + " to '" + transport + "': only net, and urpc between nodes of one "
                    + "host, join cores of different nodes");
        }
    }

    /** On the server's monitor: the client connected to the swap's listener. */
    private void serverEnd(ServerSwap s, Channel channel) {
        if (s.over) {
            channel.close();
            return;
        }
        s.channel = channel;
        maybeSwitchServer(s);
    }

    /** On the server's monitor: the client switched its end (or could not get it). */
    private void clientSwitched(IntermonMessage.SwapDone d) {
        ServerSwap s = null;
        for (ServerSwap x : serverSwaps) {
            if (x.c.clientCore == d.clientCore() && x.c.remoteBind == d.bind() && x.swap == d.swap()
                    && x.clientAsked == d.clientAsked()) {
                s = x;
            }
        }
        if (s == null) {
            return; // abandoned meanwhile, or not a swap of ours
        }
        if (!d.ok()) {
            abandon(s, d.reason());
            return;
        }
        s.clientSwitched = true;
        maybeSwitchServer(s);
    }

    private void maybeSwitchServer(ServerSwap s) {
        if (!s.clientSwitched || s.channel == null) {
            return;
        }
        driver.swap(s.c.server, s.channel);
        if (s.offer != null) {
            s.offer.release(); // the client deleted it on attaching; this covers a client that could not
        }
        end(s);
        if (s.clientAsked) {
            kernel.intermon().send(s.c.clientCore, new IntermonMessage.SwapDone(s.c.remoteBind, s.c.clientCore,
                    core(), s.swap, true, true, ""));
        } else {
            AskedSwap a = askedSwaps.remove(s.swap);
            if (a != null && a.whenSwapped != null) {
                kernel.platform().schedule(core(), 0, a.owner, a.whenSwapped);
            }
        }
    }

    /** On the server's monitor: the swap fails before the server switched; the side that asked hears why. */
    private void abandon(ServerSwap s, String why) {
        if (s.listener != null) {
            s.listener.close();
        }
        if (s.channel != null) {
            s.channel.close();
        }
        if (s.offer != null) {
            s.offer.release();
        }
        end(s);
        if (s.clientAsked) {
            kernel.intermon().send(s.c.clientCore, new IntermonMessage.SwapDone(s.c.remoteBind, s.c.clientCore,
                    core(), s.swap, true, false, clip(why)));
        } else {
            AskedSwap a = askedSwaps.remove(s.swap);
            if (a != null) {
                kernel.platform().schedule(core(), 0, a.owner, () -> swapFailed(a.owner, a.whenFailed, why));
            }
        }
    }

    /** This swap is over on the server's side: the binding's next swap may start. */
    private void end(ServerSwap s) {
        s.over = true;
        serverSwaps.remove(s);
        s.c.swapping = false;
        Runnable next = s.c.queuedSwaps.poll();
        if (next != null) {
            next.run();
        }
    }

    /** On the client's monitor: its end of a swap's new channel; get it off this core, then switch. */
    private void swapOffered(long bind, int server, long swap, boolean clientAsked, String file, String host,
            int port, long token) {
        Intermon net = kernel.intermon();
        int me = core();
        String refused = file == null ? null : net.checkUrpcFile(me, file);
        Connection c = refused != null ? null : driver.remoteConnection(me, bind);
        if (refused != null || c == null || c.serverCore != server || c.client() == null) {
            String why = refused != null ? "core " + me + " refused the urpc rendezvous: " + refused
                    : "core " + me + " has no binding of bind " + bind + " with core " + server;
            net.send(server, new IntermonMessage.SwapDone(bind, me, me, swap, clientAsked, false, clip(why)));
            clientFailed(swap, clientAsked, why);
            return;
        }
        String where = file != null ? "the urpc channel file " + file : "the net listener " + host + ":" + port;
        CompletableFuture<Channel> end = file != null ? net.attachUrpc(me, file) : net.connect(me, host, port, token);
        end.whenComplete((channel, error) -> kernel.platform().post(me, me, null,
                () -> clientEnd(c, swap, clientAsked, where, channel, error)));
    }

    private void clientEnd(Connection c, long swap, boolean clientAsked, String where, Channel channel,
            Throwable error) {
        Binding b = c.client();
        String why = null;
        if (error != null) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            why = "core " + core() + " cannot reach " + where + " for the swap: " + cause.getMessage();
        } else if (driver.connectionOf(b) != c) {
            channel.close();
            why = "core " + core() + " unbound the binding during the swap";
        }
        if (why != null) {
            kernel.intermon().send(c.serverCore, new IntermonMessage.SwapDone(c.remoteBind, core(), core(), swap,
                    clientAsked, false, clip(why)));
            clientFailed(swap, clientAsked, why);
            return;
        }
        driver.swap(b, channel);
        kernel.intermon().send(c.serverCore, new IntermonMessage.SwapDone(c.remoteBind, core(), core(), swap,
                clientAsked, true, ""));
    }

    private void clientFailed(long swap, boolean clientAsked, String why) {
        AskedSwap a = clientAsked ? askedSwaps.remove(swap) : null;
        if (a != null) {
            kernel.platform().schedule(core(), 0, a.owner, () -> swapFailed(a.owner, a.whenFailed, why));
        }
    }

    /** On the client's monitor: the server switched its end after ours (or the swap failed on its side). */
    private void serverSwitched(IntermonMessage.SwapDone d) {
        AskedSwap a = d.clientAsked() ? askedSwaps.get(d.swap()) : null;
        if (a == null || a.peer != d.fromCore()) {
            return;
        }
        askedSwaps.remove(d.swap());
        if (d.ok()) {
            if (a.whenSwapped != null) {
                kernel.platform().schedule(core(), 0, a.owner, a.whenSwapped);
            }
        } else {
            kernel.platform().schedule(core(), 0, a.owner, () -> swapFailed(a.owner, a.whenFailed, d.reason()));
        }
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

    // ---- cores on other nodes ------------------------------------------------------------------------------------

    /**
     * Delivers a monitor message from another node; the node runtime calls it on this core (through
     * {@link Platform#post}) after checking that the sending node may say it.
     */
    public void receive(IntermonMessage message) {
        if (message instanceof IntermonMessage.Register r) {
            register(r.name(), r.iref());
        } else if (message instanceof IntermonMessage.Deregister d) {
            deregister(d.name(), d.iref());
        } else if (message instanceof IntermonMessage.Resolve r) {
            resolve(r.name(), iref -> kernel.intermon().send(r.askingCore(),
                    new IntermonMessage.Resolved(r.request(), iref)));
        } else if (message instanceof IntermonMessage.Resolved r) {
            resolved(r);
        } else if (message instanceof IntermonMessage.BindRequest b) {
            acceptRemote(b);
        } else if (message instanceof IntermonMessage.BindOffer o) {
            offered(o);
        } else if (message instanceof IntermonMessage.BindReply r) {
            replied(r);
        } else if (message instanceof IntermonMessage.BindUrpc u) {
            offeredUrpc(u);
        } else if (message instanceof IntermonMessage.SwapRequest r) {
            swapRequested(r);
        } else if (message instanceof IntermonMessage.SwapNet n) {
            swapOffered(n.bind(), n.serverCore(), n.swap(), n.clientAsked(), null, n.host(), n.port(), n.token());
        } else if (message instanceof IntermonMessage.SwapUrpc u) {
            swapOffered(u.bind(), u.serverCore(), u.swap(), u.clientAsked(), u.file(), null, 0, 0);
        } else if (message instanceof IntermonMessage.SwapDone d) {
            if (d.fromCore() == d.clientCore()) {
                clientSwitched(d);
            } else {
                serverSwitched(d);
            }
        } else {
            throw new IntermonException("not a monitor message: " + message);
        }
    }

    /**
     * Cores {@code first..last} have gone (their node left or its link broke): every request this monitor is waiting
     * on from them fails now, rather than at its time-out.
     */
    public void coresLost(int first, int last, String why) {
        for (var it = remoteLookups.entrySet().iterator(); it.hasNext(); ) {
            RemoteLookup l = it.next().getValue();
            if (l.nsCore >= first && l.nsCore <= last) {
                it.remove();
                if (l.once.claim()) {
                    kernel.platform().schedule(core(), 0, l.owner, () -> l.continuation.found(0,
                            new BindException("the name service on " + kernel.intermon().describe(l.nsCore)
                                    + " is gone: " + why)));
                }
            }
        }
        for (var it = remoteBinds.entrySet().iterator(); it.hasNext(); ) {
            RemoteBind b = it.next().getValue();
            if (b.server >= first && b.server <= last) {
                it.remove();
                b.fail("the server's " + kernel.intermon().describe(b.server) + " is gone: " + why);
            }
        }
        for (var it = askedSwaps.entrySet().iterator(); it.hasNext(); ) {
            AskedSwap a = it.next().getValue();
            if (a.peer >= first && a.peer <= last) {
                it.remove();
                kernel.platform().schedule(core(), 0, a.owner, () -> swapFailed(a.owner, a.whenFailed,
                        "the swap's peer " + kernel.intermon().describe(a.peer) + " is gone: " + why));
            }
        }
        for (int i = serverSwaps.size() - 1; i >= 0; i--) {
            ServerSwap s = serverSwaps.get(i);
            if (s.c.clientCore >= first && s.c.clientCore <= last) {
                abandon(s, "the client's " + kernel.intermon().describe(s.c.clientCore) + " is gone: " + why);
            }
        }
    }

    /** How long a bind to another node may take once the name is known: it includes a net handshake. */
    static final Duration REMOTE_BIND_TIMEOUT = Duration.ofSeconds(10);

    private void resolved(IntermonMessage.Resolved r) {
        RemoteLookup l = remoteLookups.remove(r.request());
        if (l != null && l.once.claim()) {
            kernel.platform().schedule(core(), 0, l.owner, () -> l.continuation.found(r.iref(), null));
        }
    }

    /** On the client's monitor: ask the server's monitor, on its node, for a channel. */
    private void remoteBind(Dispatcher owner, int iref, String name, BindContinuation continuation) {
        int me = core();
        int server = coreOf(iref);
        long request = ++nextRequest;
        RemoteBind b = new RemoteBind(request, server, iref, owner, continuation);
        remoteBinds.put(request, b);
        long timeout = kernel.cycles(REMOTE_BIND_TIMEOUT);
        kernel.platform().schedule(me, timeout, null, () -> {
            if (remoteBinds.remove(request, b)) {
                b.fail("no answer from " + kernel.intermon().describe(server) + " to the bind to iref " + iref
                        + " within " + REMOTE_BIND_TIMEOUT.toSeconds() + " s");
            }
        });
        kernel.intermon().send(server, new IntermonMessage.BindRequest(request, me, iref, name));
    }

    /** On the client's monitor: the server offers a listener; connect to it off this core. */
    private void offered(IntermonMessage.BindOffer o) {
        RemoteBind b = remoteBinds.get(o.request());
        if (b == null || b.connecting) {
            return; // timed out meanwhile, or a duplicate offer
        }
        b.connecting = true;
        int me = core();
        String where = "the channel " + o.host() + ":" + o.port();
        kernel.intermon().connect(me, o.host(), o.port(), o.token()).whenComplete((channel, error) ->
                kernel.platform().post(me, me, null, () -> connected(b, where, channel, error)));
    }

    /** On the client's monitor: the server accepted and made a urpc channel file; attach to it off this core. */
    private void offeredUrpc(IntermonMessage.BindUrpc u) {
        RemoteBind b = remoteBinds.get(u.request());
        if (b == null || b.connecting) {
            return;
        }
        int me = core();
        String refused = kernel.intermon().checkUrpcFile(me, u.file());
        if (refused != null) {
            remoteBinds.remove(u.request());
            b.fail("refused the urpc channel that " + kernel.intermon().describe(b.server) + " offered: " + refused);
            return;
        }
        b.connecting = true;
        b.accepted = true; // the server asked its accept before it made the file
        String where = "the urpc channel file " + u.file();
        kernel.intermon().attachUrpc(me, u.file()).whenComplete((channel, error) ->
                kernel.platform().post(me, me, null, () -> connected(b, where, channel, error)));
    }

    private void connected(RemoteBind b, String where, Channel channel, Throwable error) {
        if (remoteBinds.get(b.request) != b) {
            if (channel != null) {
                channel.close(); // the bind timed out or was refused meanwhile
            }
            return;
        }
        if (error != null) {
            remoteBinds.remove(b.request);
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            b.fail("cannot connect to " + where + " that " + kernel.intermon().describe(b.server) + " offered: "
                    + cause.getMessage());
            return;
        }
        b.channel = channel;
        if (b.accepted) {
            complete(b);
        }
    }

    private void replied(IntermonMessage.BindReply r) {
        RemoteBind b = remoteBinds.get(r.request());
        if (b == null) {
            return;
        }
        if (!r.ok()) {
            remoteBinds.remove(r.request());
            if (b.channel != null) {
                b.channel.close();
            }
            b.fail(r.reason());
            return;
        }
        b.accepted = true;
        if (b.channel != null) {
            complete(b);
        }
    }

    /** Both the server's acceptance and our end of the channel are here: the client is bound. */
    private void complete(RemoteBind b) {
        remoteBinds.remove(b.request);
        Binding clientEnd = new Binding(b.channel);
        var connection = new Connection(core(), b.server, null, b.request);
        connection.client(clientEnd);
        driver.register(clientEnd, b.channel, b.owner, connection);
        kernel.platform().schedule(core(), 0, b.owner, () -> b.continuation.bound(clientEnd, null));
    }

    /** On the server's monitor: a client on another node asks for iref; offer it a one-bind net listener. */
    private void acceptRemote(IntermonMessage.BindRequest r) {
        int client = r.clientCore();
        int index = r.iref() - 1 - IREFS_PER_CORE * core();
        Service service = index >= 0 && index < IREFS_PER_CORE ? services[index] : null;
        Dispatcher exporter = service == null ? null : exporters[index];
        if (service == null || (exporter != null && exporter.failed())) {
            refuseRemote(r, "iref " + r.iref() + " is not exported on core " + core());
            return;
        }
        if (!r.name().isEmpty() && !r.name().equals(names[index])) {
            refuseRemote(r, "iref " + r.iref() + " on core " + core() + " exports '" + names[index] + "', not '"
                    + r.name() + "'");
            return;
        }
        Intermon net = kernel.intermon();
        String transport = kernel.selector().select(net.endpoint(client), net.endpoint(core()));
        if (TransportSelector.URPC.equals(transport) && net.sameHost(client)) {
            acceptRemoteUrpc(r, index, service, exporter);
            return;
        }
        if (!TransportSelector.NET.equals(transport)) {
            refuseRemote(r, "the transport selector chose '" + transport + "' to join " + net.describe(client)
                    + " and core " + core() + ", but only net (or urpc, on one host) joins cores of different nodes");
            return;
        }
        Intermon.BindListener listener;
        try {
            listener = net.listen(core(), channel -> kernel.platform().post(core(), core(), null,
                    () -> connectedRemote(r, index, service, exporter, channel)));
        } catch (IOException e) {
            refuseRemote(r, "core " + core() + " cannot open a net listener: " + e.getMessage());
            return;
        }
        // A client that never connects must not leave a port open.
        kernel.platform().schedule(core(), kernel.cycles(REMOTE_BIND_TIMEOUT), null, listener::close);
        net.send(client, new IntermonMessage.BindOffer(r.request(), listener.host(), listener.port(),
                listener.token()));
    }

    /** On the server's monitor: the client connected; the server's accept decides, as for a local bind. */
    private void connectedRemote(IntermonMessage.BindRequest r, int index, Service service, Dispatcher exporter,
            Channel channel) {
        if (services[index] != service || (exporter != null && exporter.failed())) {
            channel.close();
            refuseRemote(r, "iref " + r.iref() + " was withdrawn from core " + core() + " during the bind");
            return;
        }
        Binding serverEnd = new Binding(channel);
        boolean[] accepted = {false};
        driver.upcall(exporter, () -> accepted[0] = service.accept(serverEnd));
        if (!accepted[0]) {
            serverEnd.close();
            refuseRemote(r, "'" + names[index] + "' (iref " + r.iref() + ", core " + core()
                    + ") refused the connection from " + kernel.intermon().describe(r.clientCore()));
            return;
        }
        driver.register(serverEnd, channel, exporter,
                new Connection(r.clientCore(), core(), serverEnd, r.request()));
        kernel.intermon().send(r.clientCore(), new IntermonMessage.BindReply(r.request(), true, ""));
    }

    /**
     * On the server's monitor: a client on another node of this host binds over urpc. The channel file is made and
     * the server's accept asked at once (frames it sends wait in the ring); the client attaches on receipt of the
     * file's name. A client that has not attached within the bind time-out never will: the file and the server's
     * end go.
     */
    private void acceptRemoteUrpc(IntermonMessage.BindRequest r, int index, Service service, Dispatcher exporter) {
        Intermon net = kernel.intermon();
        Intermon.UrpcOffer offer;
        try {
            offer = net.offerUrpc(core(), kernel.channelOptions().slots());
        } catch (IOException | RuntimeException e) {
            refuseRemote(r, "core " + core() + " cannot make a urpc channel file: " + e.getMessage());
            return;
        }
        Binding serverEnd = new Binding(offer.channel());
        boolean[] accepted = {false};
        driver.upcall(exporter, () -> accepted[0] = service.accept(serverEnd));
        if (!accepted[0]) {
            serverEnd.close();
            offer.release();
            refuseRemote(r, "'" + names[index] + "' (iref " + r.iref() + ", core " + core()
                    + ") refused the connection from " + net.describe(r.clientCore()));
            return;
        }
        driver.register(serverEnd, offer.channel(), exporter,
                new Connection(r.clientCore(), core(), serverEnd, r.request()));
        kernel.platform().schedule(core(), kernel.cycles(REMOTE_BIND_TIMEOUT), null, () -> {
            if (offer.release()) {
                driver.unregister(serverEnd);
            }
        });
        net.send(r.clientCore(), new IntermonMessage.BindUrpc(r.request(), offer.file()));
    }

    private void refuseRemote(IntermonMessage.BindRequest r, String why) {
        kernel.intermon().send(r.clientCore(), new IntermonMessage.BindReply(r.request(), false, clip(why)));
    }

    private static String clip(String why) {
        return why.length() > 900 ? why.substring(0, 900) + "..." : why;
    }

    /** A name, say, that cannot travel between nodes fails the call here rather than on the wire. */
    private static void checkSendable(java.util.function.Supplier<IntermonMessage> message, String what) {
        try {
            message.get();
        } catch (IntermonException e) {
            throw new BindException("cannot " + what + " across nodes: " + e.getMessage());
        }
    }

    /** A look-up waiting on the name service of another node. */
    private record RemoteLookup(int nsCore, Dispatcher owner, Once once, LookupContinuation continuation) {}

    /** A bind waiting on a server of another node: its answer and our end of the channel may come in any order. */
    private final class RemoteBind {
        final long request;
        final int server;
        final int iref;
        final Dispatcher owner;
        final BindContinuation continuation;
        boolean connecting;
        boolean accepted;
        Channel channel;

        RemoteBind(long request, int server, int iref, Dispatcher owner, BindContinuation continuation) {
            this.request = request;
            this.server = server;
            this.iref = iref;
            this.owner = owner;
            this.continuation = continuation;
        }

        void fail(String why) {
            kernel.platform().schedule(core(), 0, owner,
                    () -> continuation.bound(null, new BindException(why)));
        }
    }
}
