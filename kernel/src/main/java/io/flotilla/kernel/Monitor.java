package io.flotilla.kernel;

import io.flotilla.binding.Binding;
import io.flotilla.binding.CapabilityTransfer;
import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.TransportSelector;
import io.flotilla.kernel.intermon.IntermonHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * One per core: exports interfaces, answers name look-ups and runs the bind protocol, as Barrelfish's monitor
 * does (docs/runtime.md, "Monitors").
 *
 * <p>Monitors talk to each other only in {@code intermon} messages ({@code kernel/src/main/flotilla/intermon.if},
 * compiled by the interface compiler like any user's interface), through generated stubs on ordinary bindings
 * ({@link MonitorLinks}): a monitor never calls another core's object, and no closure crosses cores. A core of
 * this JVM and a core of another node are reached the same way, by one code path per protocol; what differs is only
 * how a new channel's far end gets to the other core (a {@link ChannelTable} slot, a one-bind net listener, or a
 * urpc channel file).
 *
 * <ul>
 *   <li><b>Export</b>: the service goes into this core's table of {@value #IREFS_PER_CORE} entries and gets the
 *   iref {@code 256 * core + index + 1} (0 is never an iref; the core of an iref is {@code (iref - 1) / 256}), and
 *   the name goes to the name service ({@code register}).</li>
 *   <li><b>Name service</b>: kept by the monitor of core 0 ({@link NameService}); a look-up waits there until the
 *   name is exported, and fails on the asking core after its time-out.</li>
 *   <li><b>Bind</b>: the client's monitor sends {@code bind_request} to the server's monitor, which opens a
 *   channel on the transport the {@link TransportSelector} names, offers the server its end ({@link Service#accept})
 *   and answers with where the client's end is; the client's monitor takes it and runs the client's
 *   {@link BindContinuation}.</li>
 *   <li><b>Swap</b>: see {@link Swaps}.</li>
 * </ul>
 *
 * Every method runs on its monitor's core.
 */
public final class Monitor implements IntermonHandler {

    /** Entries in a core's iref table, as in Barrelfish. */
    public static final int IREFS_PER_CORE = 256;
    /** Longest service name, in UTF-8 bytes (what {@code intermon.if} carries). */
    public static final int MAX_NAME_BYTES = 255;
    /** How long a bind may take once the name is known, when it crosses nodes (it includes a net handshake). */
    static final Duration REMOTE_BIND_TIMEOUT = Duration.ofSeconds(10);

    static final System.Logger LOG = System.getLogger("io.flotilla.kernel");

    private final CpuDriver driver;
    private final Multikernel kernel;
    private final MonitorLinks links;
    private final Swaps swaps;
    private final NameService names = new NameService();
    private final Service[] services = new Service[IREFS_PER_CORE];
    private final Dispatcher[] exporters = new Dispatcher[IREFS_PER_CORE];
    private final String[] exported = new String[IREFS_PER_CORE];

    // Requests this monitor sent, by request number; TreeMaps because losing a node walks them in order.
    private long nextRequest;
    private final TreeMap<Long, Lookup> lookups = new TreeMap<>();
    private final TreeMap<Long, PendingBind> binds = new TreeMap<>();

    Monitor(CpuDriver driver, Multikernel kernel) {
        this.driver = driver;
        this.kernel = kernel;
        this.links = new MonitorLinks(driver, kernel, this);
        this.swaps = new Swaps(this, driver, kernel, links);
    }

    public int core() {
        return driver.core();
    }

    /** The core an iref was exported on. */
    public static int coreOf(int iref) {
        return (iref - 1) / IREFS_PER_CORE;
    }

    /** Called once at boot when the multikernel spans nodes: this core starts hearing other nodes' monitors. */
    void hearOtherNodes() {
        links.hearInbox(kernel.internode().inbox(core()));
    }

    /** The doorbell of {@link Platform#ring}: another core's monitor opened a link to this one. */
    void linkArrived(int from, long deposit) {
        links.arrived(from, deposit);
    }

    // ---- the dispatchers' side -------------------------------------------------------------------------------------

    /**
     * Exports {@code service} on this core and registers it as {@code name}.
     *
     * @return the iref
     * @throws BindException if this core's table is full, or the name is longer than {@value #MAX_NAME_BYTES} bytes
     */
    public int export(Dispatcher owner, String name, Service service) {
        checkName(name);
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
        exported[index] = name;
        int iref = IREFS_PER_CORE * core() + index + 1;
        links.to(kernel.nameServiceCore()).register(iref, name);
        return iref;
    }

    /** Withdraws an export: later binds to it fail; bindings already made stay. */
    public void unexport(int iref) {
        int index = iref - 1 - IREFS_PER_CORE * core();
        if (index < 0 || index >= IREFS_PER_CORE || services[index] == null) {
            throw new BindException("iref " + iref + " is not exported on core " + core());
        }
        String name = exported[index];
        services[index] = null;
        exporters[index] = null;
        exported[index] = null;
        links.to(kernel.nameServiceCore()).deregister(iref, name);
    }

    /**
     * Looks {@code name} up, waiting until it is exported or {@code timeoutCycles} have passed on this core; the
     * continuation runs on this core on behalf of {@code owner}.
     */
    public void lookup(Dispatcher owner, String name, long timeoutCycles, LookupContinuation continuation) {
        Objects.requireNonNull(continuation, "continuation");
        int me = core();
        try {
            checkName(name);
        } catch (BindException e) {
            later(owner, () -> continuation.found(0, e));
            return;
        }
        int nsCore = kernel.nameServiceCore();
        long request = ++nextRequest;
        Lookup l = new Lookup(nsCore, owner, continuation);
        lookups.put(request, l);
        kernel.platform().schedule(me, timeoutCycles, owner, () -> {
            if (lookups.remove(request, l)) {
                continuation.found(0, new BindException("no service named '" + name + "' was exported within "
                        + timeoutCycles + " cycles (looked up from core " + me + " at the name service on "
                        + describe(nsCore) + ")"));
            }
        });
        links.to(nsCore).resolve(request, me, name);
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

    /** {@code name} is what the client looked up ("" if it bound by iref); the server's monitor checks it. */
    private void bind(Dispatcher owner, int iref, String name, BindContinuation continuation) {
        Objects.requireNonNull(continuation, "continuation");
        int me = core();
        int server = iref <= 0 ? -1 : coreOf(iref);
        if (server < 0 || server >= kernel.coreCount()) {
            later(owner, () -> continuation.bound(null, new BindException("iref " + iref + " names no core")));
            return;
        }
        long request = ++nextRequest;
        PendingBind b = new PendingBind(request, server, owner, continuation);
        binds.put(request, b);
        if (!kernel.isLocal(server)) {
            // A monitor of this JVM always answers; one on another node may be gone.
            kernel.platform().schedule(me, kernel.cycles(REMOTE_BIND_TIMEOUT), null, () -> {
                if (binds.remove(request, b)) {
                    b.fail("no answer from " + describe(server) + " to the bind to iref " + iref + " within "
                            + REMOTE_BIND_TIMEOUT.toSeconds() + " s");
                }
            });
        }
        links.to(server).bindRequest(request, me, iref, name);
    }

    /**
     * Moves a binding of this core, and its peer, onto a new channel of {@code transport} while traffic flows; see
     * {@link Swaps}. {@code whenSwapped} runs on this core once both ends have switched; {@code whenFailed} (may be
     * null: the failure is logged) runs on this core if the swap cannot be made, and the binding stays on its old
     * channel.
     *
     * @throws IllegalArgumentException if {@code binding} is not a bound binding of this core
     */
    public void swap(Dispatcher owner, Binding binding, String transport, Runnable whenSwapped,
            Consumer<BindException> whenFailed) {
        Connection c = driver.connectionOf(binding);
        if (c == null) {
            throw new IllegalArgumentException("not a binding of a bind on core " + core());
        }
        swaps.ask(owner, c, Objects.requireNonNull(transport, "transport"), whenSwapped, whenFailed);
    }

    /** As {@link #swap(Dispatcher, Binding, String, Runnable, Consumer)}, logging a failure. */
    public void swap(Dispatcher owner, Binding binding, String transport, Runnable whenSwapped) {
        swap(owner, binding, transport, whenSwapped, null);
    }

    // ---- name service (on the name-service core) -------------------------------------------------------------------

    @Override
    public void register(int iref, String name) {
        if (claims(coreOf(iref), "register")) {
            names.register(name, iref);
        }
    }

    @Override
    public void deregister(int iref, String name) {
        if (claims(coreOf(iref), "deregister")) {
            names.deregister(name, iref);
        }
    }

    @Override
    public void resolve(long request, int askingCore, String name) {
        if (claims(askingCore, "resolve")) {
            names.resolve(name, iref -> links.to(askingCore).resolved(request, iref));
        }
    }

    @Override
    public void resolved(long request, int iref) {
        Lookup l = lookups.remove(request);
        if (l != null) {
            later(l.owner, () -> l.continuation.found(iref, null));
        }
    }

    // ---- bind, the server's side -----------------------------------------------------------------------------------

    @Override
    public void bindRequest(long request, int client, int iref, String name) {
        if (!claims(client, "bind_request")) {
            return;
        }
        int index = iref - 1 - IREFS_PER_CORE * core();
        Service service = index >= 0 && index < IREFS_PER_CORE ? services[index] : null;
        Dispatcher exporter = service == null ? null : exporters[index];
        if (service == null || (exporter != null && exporter.failed())) {
            refuse(client, request, "iref " + iref + " is not exported on core " + core());
            return;
        }
        if (!name.isEmpty() && !name.equals(exported[index])) {
            refuse(client, request, "iref " + iref + " on core " + core() + " exports '" + exported[index]
                    + "', not '" + name + "'");
            return;
        }
        Accept a = new Accept(client, request, iref, index, service, exporter);
        if (kernel.isLocal(client)) {
            acceptLocal(a);
        } else {
            acceptRemote(a);
        }
    }

    /** A bind the server's monitor is answering: the service, and who asked. */
    private record Accept(int client, long request, int iref, int index, Service service, Dispatcher exporter) {}

    /** A client of this JVM: open the channel, keep the server's end, leave the client's in the channel table. */
    private void acceptLocal(Accept a) {
        Platform platform = kernel.platform();
        String transport = kernel.selector().select(platform.endpoint(a.client), platform.endpoint(core()));
        ChannelPair pair;
        try {
            pair = platform.open(a.client, core(), transport, kernel.channelOptions());
        } catch (RuntimeException e) {
            refuse(a.client, a.request, "core " + core() + " cannot open a '" + transport + "' channel to core "
                    + a.client + ": " + e.getMessage());
            return;
        }
        if (!offer(a, pair.right())) {
            pair.left().close();
            return;
        }
        links.to(a.client).bindLocal(a.request, core(), kernel.channels().deposit(a.client, pair.left()));
    }

    /** A client on another node: a urpc channel file on one host, else a one-bind net listener. */
    private void acceptRemote(Accept a) {
        Internode net = kernel.internode();
        String transport = kernel.selector().select(net.endpoint(a.client), net.endpoint(core()));
        if (TransportSelector.URPC.equals(transport) && net.sameHost(a.client)) {
            acceptRemoteUrpc(a);
            return;
        }
        if (!TransportSelector.NET.equals(transport)) {
            refuse(a.client, a.request, "the transport selector chose '" + transport + "' to join "
                    + describe(a.client) + " and core " + core() + ", but only net (or urpc, on one host) joins "
                    + "cores of different nodes");
            return;
        }
        Internode.BindListener listener;
        int me = core();
        try {
            listener = net.listen(me, channel -> kernel.platform().schedule(me, 0, null,
                    () -> connectedRemote(a, channel)));
        } catch (IOException e) {
            refuse(a.client, a.request, "core " + me + " cannot open a net listener: " + e.getMessage());
            return;
        }
        // A client that never connects must not leave a port open.
        kernel.platform().schedule(me, kernel.cycles(REMOTE_BIND_TIMEOUT), null, listener::close);
        links.to(a.client).bindOffer(a.request, me, listener.host(), (short) listener.port(), listener.token());
    }

    /** The client connected to the listener: the server's accept decides, as for any bind. */
    private void connectedRemote(Accept a, Channel channel) {
        if (services[a.index] != a.service || (a.exporter != null && a.exporter.failed())) {
            channel.close();
            refuse(a.client, a.request, "iref " + a.iref + " was withdrawn from core " + core() + " during the bind");
            return;
        }
        if (offer(a, channel)) {
            links.to(a.client).bindReply(a.request, core(), true, "");
        }
    }

    /**
     * A client on another node of this host: the channel file is made and the server's accept asked at once
     * (frames it sends wait in the ring); the client attaches on receipt of the file's name. A client that has not
     * attached within the bind time-out never will: the file and the server's end go.
     */
    private void acceptRemoteUrpc(Accept a) {
        Internode.UrpcOffer offer;
        try {
            offer = kernel.internode().offerUrpc(core(), kernel.channelOptions().slots());
        } catch (IOException | RuntimeException e) {
            refuse(a.client, a.request, "core " + core() + " cannot make a urpc channel file: " + e.getMessage());
            return;
        }
        if (!offer(a, offer.channel())) {
            offer.release();
            return;
        }
        Binding serverEnd = driver.connection(a.client, a.request, true).binding;
        kernel.platform().schedule(core(), kernel.cycles(REMOTE_BIND_TIMEOUT), null, () -> {
            if (offer.release()) {
                driver.unregister(serverEnd);
            }
        });
        links.to(a.client).bindUrpc(a.request, core(), offer.file());
    }

    /**
     * Offers the service the server's end on {@code end}: registered with this core's driver if it accepts; if it
     * refuses, the end is closed and the client hears why.
     */
    private boolean offer(Accept a, Channel end) {
        Binding serverEnd = new Binding(end, transfer(a.client, a.request, core(), true, a.exporter));
        boolean[] accepted = {false};
        driver.upcall(a.exporter, () -> accepted[0] = a.service.accept(serverEnd));
        if (!accepted[0]) {
            serverEnd.close();
            refuse(a.client, a.request, "'" + exported[a.index] + "' (iref " + a.iref + ", core " + core()
                    + ") refused the connection from " + describe(a.client));
            return false;
        }
        driver.register(serverEnd, end, a.exporter, new Connection(a.client, core(), a.request, true, serverEnd));
        return true;
    }

    private void refuse(int client, long request, String why) {
        links.to(client).bindReply(request, core(), false, clip(why));
    }

    // ---- bind, the client's side -----------------------------------------------------------------------------------

    @Override
    public void bindLocal(long request, int serverCore, long deposit) {
        if (!claims(serverCore, "bind_local")) {
            return;
        }
        Channel end = kernel.channels().collect(core(), deposit);
        PendingBind b = binds.get(request);
        if (b == null || b.server != serverCore || end == null) {
            if (end != null) {
                end.close();
            }
            return; // not a bind of ours (a forged or duplicate answer): nothing waits for it
        }
        binds.remove(request);
        complete(b, end);
    }

    @Override
    public void bindOffer(long request, int serverCore, String host, short port, long token) {
        PendingBind b = binds.get(request);
        if (!claims(serverCore, "bind_offer") || b == null || b.server != serverCore || b.connecting) {
            return; // timed out meanwhile, or a duplicate offer
        }
        b.connecting = true;
        int p = Short.toUnsignedInt(port);
        connectOffCore(b, "the channel " + host + ":" + p, kernel.internode().connect(core(), host, p, token));
    }

    @Override
    public void bindUrpc(long request, int serverCore, String file) {
        PendingBind b = binds.get(request);
        if (!claims(serverCore, "bind_urpc") || b == null || b.server != serverCore || b.connecting) {
            return;
        }
        String refused = kernel.internode().checkUrpcFile(core(), file);
        if (refused != null) {
            binds.remove(request);
            b.fail("refused the urpc channel that " + describe(b.server) + " offered: " + refused);
            return;
        }
        b.connecting = true;
        b.accepted = true; // the server asked its accept before it made the file
        connectOffCore(b, "the urpc channel file " + file, kernel.internode().attachUrpc(core(), file));
    }

    /** Gets a channel end from another node off this core's thread; the rest happens back on this core. */
    private void connectOffCore(PendingBind b, String where, CompletableFuture<Channel> end) {
        onThisCore(end, (channel, error) -> connected(b, where, channel, error));
    }

    /**
     * Hands the outcome of {@code end} (a net connection or a urpc attach, completed on a network or helper thread)
     * back to this core: {@code then} runs on this core's own loop, never on the thread that completed it.
     */
    <T> void onThisCore(CompletableFuture<T> end, java.util.function.BiConsumer<T, Throwable> then) {
        int me = core();
        end.whenComplete((channel, error) -> kernel.platform().schedule(me, 0, null,
                () -> then.accept(channel, error)));
    }

    private void connected(PendingBind b, String where, Channel channel, Throwable error) {
        if (binds.get(b.request) != b) {
            if (channel != null) {
                channel.close(); // the bind timed out or was refused meanwhile
            }
            return;
        }
        if (error != null) {
            binds.remove(b.request);
            b.fail("cannot connect to " + where + " that " + describe(b.server) + " offered: "
                    + cause(error).getMessage());
            return;
        }
        b.channel = channel;
        if (b.accepted) {
            binds.remove(b.request);
            complete(b, channel);
        }
    }

    @Override
    public void bindReply(long request, int serverCore, boolean ok, String reason) {
        PendingBind b = binds.get(request);
        if (!claims(serverCore, "bind_reply") || b == null || b.server != serverCore) {
            return;
        }
        if (!ok) {
            binds.remove(request);
            if (b.channel != null) {
                b.channel.close();
            }
            b.fail(reason);
            return;
        }
        b.accepted = true;
        if (b.channel != null) {
            binds.remove(request);
            complete(b, b.channel);
        }
    }

    /** The server accepted and this core has its end: the client is bound. */
    private void complete(PendingBind b, Channel end) {
        Binding clientEnd = new Binding(end, transfer(core(), b.request, b.server, false, b.owner));
        driver.register(clientEnd, end, b.owner, new Connection(core(), b.server, b.request, false, clientEnd));
        // At once, in this task: frames the server sent already wait in the channel, and the continuation must set
        // the binding's receiver before the driver first polls it.
        driver.upcall(b.owner, () -> b.continuation.bound(clientEnd, null));
    }

    /**
     * The capability transfer of this core's end of the bind {@code (clientCore, bind)}. Made on each end's own core;
     * for a bind of a core to itself the client's end gets the server's end's transfer, which it shares.
     */
    private CapabilityTransfer transfer(int clientCore, long bind, int serverCore, boolean server,
            Dispatcher owner) {
        CapabilityTransfer sameCore = null;
        if (!server && serverCore == core()) {
            Connection serverEnd = driver.connection(clientCore, bind, true);
            sameCore = serverEnd == null ? null : serverEnd.binding.caps();
        }
        return kernel.capabilityTransfers().end(
                new CapabilityTransfers.End(clientCore, bind, serverCore, server, owner), sameCore);
    }

    // ---- swap --------------------------------------------------------------------------------------------------

    @Override
    public void swapRequest(long bind, int clientCore, long swap, String transport) {
        if (claims(clientCore, "swap_request")) {
            swaps.requested(bind, clientCore, swap, transport);
        }
    }

    @Override
    public void swapLocal(long bind, int clientCore, int serverCore, long swap, boolean clientAsked, long deposit) {
        if (claims(serverCore, "swap_local")) {
            swaps.offeredLocal(bind, clientCore, serverCore, swap, clientAsked, deposit);
        }
    }

    @Override
    public void swapNet(long bind, int clientCore, int serverCore, long swap, boolean clientAsked, String host,
            short port, long token) {
        if (claims(serverCore, "swap_net")) {
            swaps.offeredNet(bind, clientCore, serverCore, swap, clientAsked, host, Short.toUnsignedInt(port),
                    token);
        }
    }

    @Override
    public void swapUrpc(long bind, int clientCore, int serverCore, long swap, boolean clientAsked, String file) {
        if (claims(serverCore, "swap_urpc")) {
            swaps.offeredUrpc(bind, clientCore, serverCore, swap, clientAsked, file);
        }
    }

    @Override
    public void swapDone(long bind, int clientCore, int serverCore, boolean fromClient, long swap,
            boolean clientAsked, boolean ok, String reason) {
        if (claims(fromClient ? clientCore : serverCore, "swap_done")) {
            swaps.done(bind, clientCore, serverCore, fromClient, swap, clientAsked, ok, reason);
        }
    }

    // ---- cores on other nodes ------------------------------------------------------------------------------------

    /**
     * Cores {@code first..last} have gone (their node left or its link broke): every request this monitor is waiting
     * on from them fails now, rather than at its time-out. Only the node runtime says so.
     */
    @Override
    public void coresLost(int first, int last, String reason) {
        if (!links.fromNode()) {
            LOG.log(System.Logger.Level.WARNING, "core " + core() + ": cores_lost from a monitor, not the node "
                    + "runtime; ignored");
            return;
        }
        for (var it = lookups.entrySet().iterator(); it.hasNext(); ) {
            Lookup l = it.next().getValue();
            if (l.nsCore >= first && l.nsCore <= last) {
                it.remove();
                later(l.owner, () -> l.continuation.found(0, new BindException("the name service on "
                        + describe(l.nsCore) + " is gone: " + reason)));
            }
        }
        for (var it = binds.entrySet().iterator(); it.hasNext(); ) {
            PendingBind b = it.next().getValue();
            if (b.server >= first && b.server <= last) {
                it.remove();
                b.fail("the server's " + describe(b.server) + " is gone: " + reason);
            }
        }
        swaps.coresLost(first, last, reason);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /**
     * Whether a message that speaks for {@code core} may: messages of other nodes may speak only for the core their
     * route names (the node runtime checked the route against the link it came on). A false claim is logged once
     * and the message dropped.
     */
    private boolean claims(int core, String message) {
        if (links.speaksFor(core) && core >= 0 && core < kernel.coreCount()) {
            return true;
        }
        LOG.log(System.Logger.Level.WARNING, "core " + core() + ": dropped " + message + " that claims to speak for "
                + "core " + core + " from a peer that may not");
        return false;
    }

    /** Runs {@code task} on this core as soon as it can, for {@code owner}: never inside the caller's stack. */
    void later(Dispatcher owner, Runnable task) {
        kernel.platform().schedule(core(), 0, owner, task);
    }

    String describe(int core) {
        return kernel.isLocal(core) ? "core " + core : kernel.internode().describe(core);
    }

    static String clip(String why) {
        return why.length() > 900 ? why.substring(0, 900) + "..." : why;
    }

    static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new BindException("a service name is at most " + MAX_NAME_BYTES + " bytes of UTF-8: '"
                    + name.substring(0, Math.min(name.length(), 40)) + "...'");
        }
    }

    /** A look-up waiting on the name service. */
    private record Lookup(int nsCore, Dispatcher owner, LookupContinuation continuation) {}

    /** A bind waiting on its server: for a net bind, the server's verdict and our end may come in any order. */
    private final class PendingBind {
        final long request;
        final int server;
        final Dispatcher owner;
        final BindContinuation continuation;
        boolean connecting;
        boolean accepted;
        Channel channel;

        PendingBind(long request, int server, Dispatcher owner, BindContinuation continuation) {
            this.request = request;
            this.server = server;
            this.owner = owner;
            this.continuation = continuation;
        }

        void fail(String why) {
            later(owner, () -> continuation.bound(null, new BindException(why)));
        }
    }
}
