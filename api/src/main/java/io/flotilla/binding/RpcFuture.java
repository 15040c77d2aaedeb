package io.flotilla.binding;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The result of one rpc made through a generated future stub: completes with the reply, or exceptionally with the
 * {@link RpcException} the call ended with. {@link #cancel} cancels the call itself (status
 * {@link RpcStatus#CANCELLED}); call it on the binding's event loop, like everything else on a binding (from
 * another thread, {@code EventLoop.execute(() -> future.cancel(false))}).
 *
 * @param <T> the reply's value: the one out argument, a generated {@code XResult} record, or {@code Void}
 */
public final class RpcFuture<T> extends CompletableFuture<T> {

    private final Binding binding;
    private int token;

    /** @param binding the binding the call goes out on */
    public RpcFuture(Binding binding) {
        this.binding = Objects.requireNonNull(binding, "binding");
    }

    /**
     * Records the call's token, once it is sent; used by generated stubs.
     *
     * @param callToken the token
     */
    public void started(int callToken) {
        this.token = callToken;
    }

    /**
     * Ends the call with {@link RpcStatus#CANCELLED} if it is still pending; the future then completes
     * exceptionally with that {@link RpcException}. A response arriving later is dropped.
     *
     * @param mayInterruptIfRunning ignored: there is no thread to interrupt
     * @return whether the call was still pending and is now cancelled
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return token != 0 && !isDone() && binding.cancel(token);
    }

    /**
     * Waits for {@code future} and returns its value, or throws what the call ended with: the {@link RpcException}
     * itself rather than an {@link ExecutionException} around it, so a blocking caller can switch on its status.
     * Used by generated blocking stubs.
     *
     * @param future the call's future
     * @param <V> its value
     * @return the value
     * @throws RpcException how the call failed; {@link RpcStatus#CANCELLED} if this thread was interrupted
     */
    public static <V> V await(CompletableFuture<V> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(RpcStatus.CANCELLED, "interrupted while waiting for the response", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new RpcException(RpcStatus.HANDLER_FAILED, String.valueOf(cause), cause);
        }
    }
}
