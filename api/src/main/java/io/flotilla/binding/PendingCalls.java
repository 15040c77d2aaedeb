package io.flotilla.binding;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A binding end's record of its rpcs: the stubs whose pending calls failures go to, the calls' deadlines on the
 * binding's clock (a binary min-heap of (time, token) pairs; a call that completes leaves its deadline behind, to be
 * dropped when it comes due and finds nothing), the tokens of calls given up on (cancelled, timed out) whose late
 * answers are dropped, and the interceptors that watch it all. Kept apart from {@link Binding}, which moves frames,
 * and used only on the binding's event loop.
 */
final class PendingCalls {

    private RpcCalls[] calls = new RpcCalls[0];
    private RpcClock clock = RpcClock.SYSTEM;
    private long[] deadlineAt = new long[8];
    private int[] deadlineToken = new int[8];
    private int deadlines;

    /**
     * Adds an interceptor that watches this end's rpcs from now on.
     *
     * @param interceptor the interceptor
     */
    void addInterceptor(RpcInterceptor interceptor) {
        Objects.requireNonNull(interceptor, "interceptor");
        RpcInterceptor[] more = Arrays.copyOf(interceptors, interceptors.length + 1);
        more[interceptors.length] = interceptor;
        interceptors = more;
    }

    /**
     * A generated stub sent a call. For interceptors.
     *
     * @param iface the interface
     * @param call the call half's message number
     * @param token the call's token
     */
    void called(InterfaceDescriptor iface, int call, int token) {
        if (interceptors.length > 0) {
            MessageDescriptor m = iface.message(call);
            for (RpcInterceptor i : interceptors) {
                i.onCall(m, token);
            }
        }
    }

    /**
     * A call made on this end ended, with its response or {@code failure}. For interceptors.
     *
     * @param iface the interface
     * @param call the call half's message number
     * @param token the call's token
     * @param failure null for a response
     */
    void ended(InterfaceDescriptor iface, int call, int token, RpcException failure) {
        if (interceptors.length > 0) {
            MessageDescriptor m = iface.message(call);
            for (RpcInterceptor i : interceptors) {
                i.onEnd(m, token, failure);
            }
        }
    }

    /**
     * A call arrived, before its handler runs. For interceptors.
     *
     * @param iface the interface
     * @param call the call half's message number
     * @param token the call's token
     */
    void served(InterfaceDescriptor iface, int call, int token) {
        if (interceptors.length > 0) {
            MessageDescriptor m = iface.message(call);
            for (RpcInterceptor i : interceptors) {
                i.onServe(m, token);
            }
        }
    }

    /**
     * This end answered a call it served. For interceptors.
     *
     * @param iface the interface
     * @param call the call half's message number
     * @param token the call's token
     * @param failure null for a response
     */
    void answered(InterfaceDescriptor iface, int call, int token, RpcStatus failure) {
        if (interceptors.length > 0) {
            MessageDescriptor m = iface.message(call);
            for (RpcInterceptor i : interceptors) {
                i.onAnswer(m, token, failure);
            }
        }
    }

    private RpcInterceptor[] interceptors = new RpcInterceptor[0];

    /**
     * Registers the rpc calls of a stub on this end (generated stubs do this when made), so that failures reach
     * their callers.
     *
     * @param stubCalls the stub's pending calls
     */
    void attach(RpcCalls stubCalls) {
        Objects.requireNonNull(stubCalls, "stubCalls");
        RpcCalls[] more = Arrays.copyOf(calls, calls.length + 1);
        more[calls.length] = stubCalls;
        calls = more;
    }

    /**
     * Sets the clock deadlines are measured by; the event loop that polls this binding sets it (the CPU driver on
     * the kernel's platforms). The default is {@link RpcClock#SYSTEM}.
     *
     * @param clock the clock
     */
    void setClock(RpcClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return the clock deadlines are measured by */
    RpcClock clock() {
        return clock;
    }

    /**
     * Gives the pending call with this token a deadline {@code timeout} from now on this binding's clock: if its
     * response has not arrived by then, it ends with {@link RpcStatus#DEADLINE_EXCEEDED}. Generated stubs call
     * this for calls made with a timeout.
     *
     * @param token the call's token
     * @param timeout how long the call may take
     */
    void deadline(int token, Duration timeout) {
        long at = clock.nanoTime() + Math.max(0, timeout.toNanos());
        if (deadlines == deadlineAt.length) {
            deadlineAt = Arrays.copyOf(deadlineAt, deadlines * 2);
            deadlineToken = Arrays.copyOf(deadlineToken, deadlines * 2);
        }
        int i = deadlines++;
        while (i > 0 && deadlineAt[(i - 1) / 2] - at > 0) {
            deadlineAt[i] = deadlineAt[(i - 1) / 2];
            deadlineToken[i] = deadlineToken[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        deadlineAt[i] = at;
        deadlineToken[i] = token;
        clock.wakeAt(at);
    }

    /**
     * Cancels the pending call with this token: it ends now with {@link RpcStatus#CANCELLED}, and its response, if
     * it still comes, is dropped without an error. The server is not told (as with Barrelfish's rpcs, a served call
     * runs to its end).
     *
     * @param token the call's token
     * @return false if no call with that token was pending
     */
    boolean cancel(int token) {
        return abandon(token, new RpcException(RpcStatus.CANCELLED, "cancelled by the caller"));
    }

    /**
     * Whether a response or failure for {@code token} may be dropped because its call was cancelled or ran out of
     * time (generated decoders ask before reporting a response nobody waits for); forgets the token.
     *
     * @param token the token of a response that found no call waiting
     * @return true if its call was abandoned
     */
    boolean forgetAbandoned(int token) {
        return abandoned.remove(token) != null;
    }

    /** Fails a pending call the caller gives up on, and remembers its token so that a late answer is dropped. */
    private boolean abandon(int token, RpcException failure) {
        if (!fail(token, failure)) {
            return false;
        }
        if (abandoned.size() >= MAX_ABANDONED) {
            abandoned = new PendingReplies<>(); // a server that never answers must not grow this without bound
        }
        abandoned.put(token, Boolean.TRUE);
        return true;
    }

    /** Abandoned calls remembered for their late answers; beyond this many, a late answer is reported instead. */
    private static final int MAX_ABANDONED = 4096;

    private PendingReplies<Boolean> abandoned = new PendingReplies<>();

    /** Ends the pending call with this token with {@code failure}; false if no stub has it pending. */
    boolean fail(int token, RpcException failure) {
        for (RpcCalls c : calls) {
            if (c.failCall(token, failure)) {
                return true;
            }
        }
        return false;
    }

    /** Ends the calls whose deadlines have passed on the clock, earliest first; asks to be woken for the next. */
    void expireDeadlines() {
        long now = clock.nanoTime();
        while (deadlines > 0 && now - deadlineAt[0] >= 0) {
            int token = deadlineToken[0];
            deadlines--;
            long lastAt = deadlineAt[deadlines];
            int lastToken = deadlineToken[deadlines];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= deadlines) {
                    break;
                }
                if (child + 1 < deadlines && deadlineAt[child + 1] - deadlineAt[child] < 0) {
                    child++;
                }
                if (deadlineAt[child] - lastAt >= 0) {
                    break;
                }
                deadlineAt[i] = deadlineAt[child];
                deadlineToken[i] = deadlineToken[child];
                i = child;
            }
            deadlineAt[i] = lastAt;
            deadlineToken[i] = lastToken;
            abandon(token, new RpcException(RpcStatus.DEADLINE_EXCEEDED, "no response within the call's deadline"));
        }
        if (deadlines > 0) {
            clock.wakeAt(deadlineAt[0]);
        }
    }

    /** @return whether any deadline is pending (checked on every poll, so it must be cheap) */
    boolean hasDeadlines() {
        return deadlines > 0;
    }

    /** Fails every pending call with {@code failure} and forgets every deadline: the binding is gone. */
    void failAll(RpcException failure) {
        deadlines = 0;
        for (RpcCalls c : calls) {
            c.failAllCalls(failure);
        }
    }
}
