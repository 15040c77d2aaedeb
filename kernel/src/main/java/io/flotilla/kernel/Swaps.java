package io.flotilla.kernel;

import io.flotilla.binding.Binding;
import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.TransportSelector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One monitor's part in swapping bindings: moving a binding and its peer onto a new channel while traffic flows
 * (drain-and-switch, see {@link Binding#swap}).
 *
 * <p>The server's monitor carries every swap of a binding out, one at a time per binding, so both ends see the same
 * sequence of channels. It opens the new channel and sends the client's monitor where its end is: a
 * {@link ChannelTable} slot for a client of this JVM ({@code swap_local}), a one-bind net listener
 * ({@code swap_net}) or a urpc channel file for a client on another node of this host ({@code swap_urpc}). The
 * client's monitor takes its end, switches first and says so ({@code swap_done}); the server switches on that, and
 * the side that asked runs its {@code whenSwapped}. A failure before the client switched (no such transport between
 * the two cores, a refused rendezvous, a connection that fails) leaves both ends on the old channel and reaches the
 * side that asked, once.
 */
final class Swaps {

    private final Monitor monitor;
    private final CpuDriver driver;
    private final Multikernel kernel;
    private final MonitorLinks links;

    private long nextSwap;
    /** Swaps this core asked for, by this core's number for them; a TreeMap because a lost node walks it. */
    private final TreeMap<Long, Asked> asked = new TreeMap<>();
    /** Swaps this core carries out as the server's end; few at a time, so a list. */
    private final List<ServerSwap> serving = new ArrayList<>();

    private record Asked(Dispatcher owner, int peer, Runnable whenSwapped, Consumer<BindException> whenFailed) {}

    /** The server's side of one swap. */
    private static final class ServerSwap {
        final Connection c;
        final long swap;
        final boolean clientAsked;
        Internode.BindListener listener;
        Internode.UrpcOffer offer;
        Channel channel;
        boolean clientSwitched;
        boolean over;

        ServerSwap(Connection c, long swap, boolean clientAsked) {
            this.c = c;
            this.swap = swap;
            this.clientAsked = clientAsked;
        }
    }

    Swaps(Monitor monitor, CpuDriver driver, Multikernel kernel, MonitorLinks links) {
        this.monitor = monitor;
        this.driver = driver;
        this.kernel = kernel;
        this.links = links;
    }

    private int core() {
        return driver.core();
    }

    /** A dispatcher of this core asks to swap its end {@code c}. */
    void ask(Dispatcher owner, Connection c, String transport, Runnable whenSwapped,
            Consumer<BindException> whenFailed) {
        long swap = ++nextSwap;
        asked.put(swap, new Asked(owner, c.peer(), whenSwapped, whenFailed));
        if (c.server) {
            start(c, transport, swap, false);
        } else {
            links.to(c.serverCore).swapRequest(c.bind, c.clientCore, swap, transport);
        }
    }

    /** On the server's monitor: the client asks for a swap. */
    void requested(long bind, int clientCore, long swap, String transport) {
        Connection c = driver.connection(clientCore, bind, true);
        if (c == null) {
            links.to(clientCore).swapDone(bind, clientCore, core(), false, swap, true, false, "core " + core()
                    + " has no binding of bind " + bind + " from " + monitor.describe(clientCore)
                    + " (unbound meanwhile?)");
            return;
        }
        start(c, transport, swap, true);
    }

    private void start(Connection c, String transport, long swap, boolean clientAsked) {
        if (c.swapping) {
            c.queuedSwaps.add(() -> start(c, transport, swap, clientAsked));
            return;
        }
        c.swapping = true;
        ServerSwap s = new ServerSwap(c, swap, clientAsked);
        String pair = "the binding between " + monitor.describe(c.clientCore) + " and core " + core();
        if (kernel.isLocal(c.clientCore)) {
            // In serving from here on, so that losing the client's core abandons the swap while the channel opens.
            serving.add(s);
            CompletableFuture<ChannelPair> opening =
                    kernel.platform().openOffCore(c.clientCore, core(), transport, kernel.channelOptions());
            if (opening.isDone()) {
                // sim opens at once: carry on in this event, as before, so virtual time and traces do not move
                opening.whenComplete((opened, error) -> localOpened(s, pair, transport, opened, error));
            } else {
                monitor.onThisCore(opening, (opened, error) -> localOpened(s, pair, transport, opened, error));
            }
            return;
        }
        Internode net = kernel.internode();
        if (TransportSelector.NET.equals(transport)) {
            int me = core();
            Internode.BindListener listener;
            try {
                listener = net.listen(me, channel -> kernel.platform().schedule(me, 0, null,
                        () -> serverEnd(s, channel)));
            } catch (IOException e) {
                abandon(s, "cannot swap " + pair + " to net: core " + me + " cannot open a net listener: "
                        + e.getMessage());
                return;
            }
            s.listener = listener;
            serving.add(s);
            kernel.platform().schedule(me, kernel.cycles(Monitor.REMOTE_BIND_TIMEOUT), null, listener::close);
            links.to(c.clientCore).swapNet(c.bind, c.clientCore, me, swap, clientAsked, listener.host(),
                    (short) listener.port(), listener.token());
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
            serving.add(s);
            links.to(c.clientCore).swapUrpc(c.bind, c.clientCore, core(), swap, clientAsked, s.offer.file());
        } else {
            abandon(s, "cannot swap " + pair + " to '" + transport + "': only net, and urpc between nodes of one "
                    + "host, join cores of different nodes");
        }
    }

    /**
     * On the server's monitor: the swap's new channel between two cores of this node is open (or failed to open);
     * offer the client's end. On pinned the open ran off the cores (a net channel's first open takes seconds), so
     * the swap may have been abandoned meanwhile (its client's core lost) or the binding unbound.
     */
    private void localOpened(ServerSwap s, String pair, String transport, ChannelPair opened, Throwable error) {
        if (error != null) {
            if (!s.over) {
                abandon(s, "cannot swap " + pair + " to '" + transport + "': " + Monitor.cause(error).getMessage());
            }
            return;
        }
        if (s.over || driver.connectionOf(s.c.binding) != s.c) {
            opened.left().close();
            opened.right().close();
            if (!s.over) {
                abandon(s, "core " + core() + " unbound the binding during the swap");
            }
            return;
        }
        s.channel = opened.right();
        links.to(s.c.clientCore).swapLocal(s.c.bind, s.c.clientCore, core(), s.swap, s.clientAsked,
                kernel.channels().deposit(s.c.clientCore, opened.left()));
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

    private void maybeSwitchServer(ServerSwap s) {
        if (!s.clientSwitched || s.channel == null) {
            return;
        }
        driver.swap(s.c.binding, s.channel);
        if (s.offer != null) {
            s.offer.release(); // the client deleted it on attaching; this covers a client that could not
        }
        end(s);
        if (s.clientAsked) {
            links.to(s.c.clientCore).swapDone(s.c.bind, s.c.clientCore, core(), false, s.swap, true, true, "");
        } else {
            Asked a = asked.remove(s.swap);
            if (a != null && a.whenSwapped != null) {
                monitor.later(a.owner, a.whenSwapped);
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
            links.to(s.c.clientCore).swapDone(s.c.bind, s.c.clientCore, core(), false, s.swap, true, false,
                    Monitor.clip(why));
        } else {
            Asked a = asked.remove(s.swap);
            if (a != null) {
                monitor.later(a.owner, () -> failed(a, why));
            }
        }
    }

    /** This swap is over on the server's side: the binding's next swap may start. */
    private void end(ServerSwap s) {
        s.over = true;
        serving.remove(s);
        s.c.swapping = false;
        Runnable next = s.c.queuedSwaps.poll();
        if (next != null) {
            next.run();
        }
    }

    // ---- the client's side ---------------------------------------------------------------------------------------

    /** The new channel's client end waits in the channel table. */
    void offeredLocal(long bind, int clientCore, int serverCore, long swap, boolean clientAsked, long deposit) {
        Channel end = kernel.channels().collect(core(), deposit);
        Connection c = clientCore == core() ? driver.connection(clientCore, bind, false) : null;
        if (end == null || c == null || c.serverCore != serverCore) {
            if (end != null) {
                end.close();
            }
            refuseOffer(bind, clientCore, serverCore, swap, clientAsked, end == null
                    ? "core " + core() + " found no channel end under " + deposit
                    : "core " + core() + " has no binding of bind " + bind + " with core " + serverCore);
            return;
        }
        switchClient(c, swap, clientAsked, end);
    }

    void offeredNet(long bind, int clientCore, int serverCore, long swap, boolean clientAsked, String host,
            int port, long token) {
        offeredRemote(bind, clientCore, serverCore, swap, clientAsked, null, host, port, token);
    }

    void offeredUrpc(long bind, int clientCore, int serverCore, long swap, boolean clientAsked, String file) {
        offeredRemote(bind, clientCore, serverCore, swap, clientAsked, file, null, 0, 0);
    }

    /** The client's end of a swap between nodes: get it off this core, then switch. */
    private void offeredRemote(long bind, int clientCore, int serverCore, long swap, boolean clientAsked,
            String file, String host, int port, long token) {
        Internode net = kernel.internode();
        int me = core();
        String refused = file == null ? null : net.checkUrpcFile(me, file);
        Connection c = refused != null || clientCore != me ? null : driver.connection(me, bind, false);
        if (c == null || c.serverCore != serverCore) {
            refuseOffer(bind, clientCore, serverCore, swap, clientAsked, refused != null
                    ? "core " + me + " refused the urpc rendezvous: " + refused
                    : "core " + me + " has no binding of bind " + bind + " with core " + serverCore);
            return;
        }
        String where = file != null ? "the urpc channel file " + file : "the net listener " + host + ":" + port;
        CompletableFuture<Channel> end = file != null ? net.attachUrpc(me, file) : net.connect(me, host, port, token);
        monitor.onThisCore(end, (channel, error) -> remoteEnd(c, swap, clientAsked, where, channel, error));
    }

    private void remoteEnd(Connection c, long swap, boolean clientAsked, String where, Channel channel,
            Throwable error) {
        String why = null;
        if (error != null) {
            why = "core " + core() + " cannot reach " + where + " for the swap: " + Monitor.cause(error).getMessage();
        } else if (driver.connectionOf(c.binding) != c) {
            channel.close();
            why = "core " + core() + " unbound the binding during the swap";
        }
        if (why != null) {
            refuseOffer(c.bind, c.clientCore, c.serverCore, swap, clientAsked, why);
            return;
        }
        switchClient(c, swap, clientAsked, channel);
    }

    private void switchClient(Connection c, long swap, boolean clientAsked, Channel end) {
        driver.swap(c.binding, end);
        links.to(c.serverCore).swapDone(c.bind, c.clientCore, c.serverCore, true, swap, clientAsked, true, "");
    }

    private void refuseOffer(long bind, int clientCore, int serverCore, long swap, boolean clientAsked, String why) {
        links.to(serverCore).swapDone(bind, clientCore, serverCore, true, swap, clientAsked, false, Monitor.clip(why));
        Asked a = clientAsked ? asked.remove(swap) : null;
        if (a != null) {
            monitor.later(a.owner, () -> failed(a, why));
        }
    }

    /** A swap_done: the client switched (to the server), or the server finished or failed (to the client). */
    void done(long bind, int clientCore, int serverCore, boolean fromClient, long swap, boolean clientAsked,
            boolean ok, String reason) {
        if (fromClient) {
            ServerSwap s = null;
            for (ServerSwap x : serving) {
                if (x.c.clientCore == clientCore && x.c.bind == bind && x.swap == swap && x.clientAsked == clientAsked) {
                    s = x;
                }
            }
            if (s == null) {
                return; // abandoned meanwhile, or not a swap of ours
            }
            if (!ok) {
                abandon(s, reason);
                return;
            }
            s.clientSwitched = true;
            maybeSwitchServer(s);
            return;
        }
        Asked a = clientAsked ? asked.get(swap) : null;
        if (a == null || a.peer != serverCore) {
            return;
        }
        asked.remove(swap);
        if (ok) {
            if (a.whenSwapped != null) {
                monitor.later(a.owner, a.whenSwapped);
            }
        } else {
            monitor.later(a.owner, () -> failed(a, reason));
        }
    }

    /** Cores {@code first..last} are gone: swaps with them fail now. */
    void coresLost(int first, int last, String why) {
        for (var it = asked.entrySet().iterator(); it.hasNext(); ) {
            Asked a = it.next().getValue();
            if (a.peer >= first && a.peer <= last) {
                it.remove();
                monitor.later(a.owner, () -> failed(a, "the swap's peer " + monitor.describe(a.peer)
                        + " is gone: " + why));
            }
        }
        for (int i = serving.size() - 1; i >= 0; i--) {
            ServerSwap s = serving.get(i);
            if (s.c.clientCore >= first && s.c.clientCore <= last) {
                abandon(s, "the client's " + monitor.describe(s.c.clientCore) + " is gone: " + why);
            }
        }
    }

    private static void failed(Asked a, String why) {
        if (a.whenFailed != null) {
            a.whenFailed.accept(new BindException(why));
        } else {
            Monitor.LOG.log(System.Logger.Level.WARNING, (a.owner != null ? a.owner.name() + ": " : "") + why);
        }
    }
}
