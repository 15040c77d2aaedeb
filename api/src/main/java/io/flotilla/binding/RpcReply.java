package io.flotilla.binding;

/**
 * What every generated rpc reply continuation ({@code XReply}) extends: besides its {@code reply(out arguments)},
 * it can receive the failure the call ended with instead. Exactly one of the two runs per call.
 */
public interface RpcReply {

    /**
     * Called instead of {@code reply} when the call failed; switch on {@code failure.status()}. The default throws
     * it, which reports it to the binding's error handler, so that no failure goes unseen.
     *
     * @param failure how the call ended
     */
    default void failed(RpcException failure) {
        throw failure;
    }

    /**
     * Hands {@code failure} to {@code reply}; if the continuation throws a {@link BindingException} (the default
     * does), it goes to {@code binding}'s error handler. Used by generated stubs.
     *
     * @param reply the call's continuation
     * @param failure how the call ended
     * @param binding the binding the call was made on
     */
    static void deliver(RpcReply reply, RpcException failure, Binding binding) {
        try {
            reply.failed(failure);
        } catch (BindingException e) {
            binding.fail(e);
        }
    }
}
