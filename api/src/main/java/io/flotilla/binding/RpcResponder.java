package io.flotilla.binding;

import java.util.Objects;

/**
 * The server's handle on one rpc call: what every generated {@code XResponder} extends. The generated class adds
 * {@code send(out arguments)}; this class keeps the call's token and the rule that a call is answered exactly
 * once, by its response or by a failure status ({@link #fail}), which the caller receives as an
 * {@link RpcException}.
 */
public abstract class RpcResponder {

    private final Binding binding;
    private final int token;
    private final InterfaceDescriptor iface;
    private final int call;
    private boolean answered;

    /**
     * @param binding the binding the call arrived on
     * @param token the call's token
     * @param iface the interface, for interceptors
     * @param call the message number of the rpc's call half, for interceptors
     */
    protected RpcResponder(Binding binding, int token, InterfaceDescriptor iface, int call) {
        this.binding = Objects.requireNonNull(binding, "binding");
        this.token = token;
        this.iface = Objects.requireNonNull(iface, "iface");
        this.call = call;
    }

    /** @return the token of the call this responds to */
    public final int token() {
        return token;
    }

    /** @return whether the call was answered, by its response or a failure */
    public final boolean isSent() {
        return answered;
    }

    /**
     * Answers the call with a failure instead of a response: the caller's continuation gets an
     * {@link RpcException} with this status and message (the message truncated to what one frame carries).
     *
     * @param status the failure; usually {@link RpcStatus#HANDLER_FAILED}
     * @param message what went wrong, for the caller
     * @throws IllegalStateException if the call was already answered
     */
    public final void fail(RpcStatus status, String message) {
        claimAnswer();
        binding.sendFailure(token, status, message);
        binding.answered(iface, call, token, status);
    }

    /**
     * Marks the call answered before its response is written (a continuation may run inside the send).
     *
     * @throws IllegalStateException if it was already answered
     */
    protected final void claimAnswer() {
        if (answered) {
            throw new IllegalStateException("rpc token " + Integer.toUnsignedString(token) + ": already answered");
        }
        answered = true;
    }

    /** The response was sent (after {@link #claimAnswer}): tells the binding's interceptors. */
    protected final void sent() {
        binding.answered(iface, call, token, null);
    }

    /**
     * The response could not be sent ({@code problem} was thrown by the codec): the caller must not wait forever,
     * so it gets a failure — {@link RpcStatus#CAPABILITY_REFUSED} if a capability could not travel, else
     * {@link RpcStatus#HANDLER_FAILED}. The server still sees {@code problem}: the generated code rethrows it.
     *
     * @param problem what the codec threw
     */
    protected final void sendFailed(RuntimeException problem) {
        RpcStatus status = problem instanceof BindingException ? RpcStatus.CAPABILITY_REFUSED : RpcStatus.HANDLER_FAILED;
        binding.sendFailure(token, status, "the response could not be sent: " + describe(problem));
        binding.answered(iface, call, token, status);
    }

    /**
     * The handler serving this call threw {@code problem}. Unless the call was answered already, the caller gets
     * {@link RpcStatus#UNIMPLEMENTED} for a handler method left at its default, {@link RpcStatus#HANDLER_FAILED}
     * otherwise. Called by the generated decoder, which then reports {@code problem} on the server as before.
     *
     * @param problem what the handler threw
     */
    public final void handlerFailed(RuntimeException problem) {
        if (answered) {
            return;
        }
        answered = true;
        RpcStatus status = problem instanceof RpcException r && r.status() == RpcStatus.UNIMPLEMENTED
                ? RpcStatus.UNIMPLEMENTED : RpcStatus.HANDLER_FAILED;
        binding.sendFailure(token, status, describe(problem));
        binding.answered(iface, call, token, status);
    }

    private static String describe(RuntimeException e) {
        if (e instanceof RpcException r) {
            return r.getMessage().substring(r.status().name().length() + 2);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
