package io.flotilla.binding;

/**
 * The continuations of rpc calls waiting for their responses, keyed by token. An open-addressing table over
 * parallel arrays: no boxing, no allocation once it has grown to the number of calls in flight.
 *
 * @param <T> the generated reply-continuation type
 */
public final class PendingReplies<T> {

    private int[] tokens = new int[16];
    private Object[] replies = new Object[16];
    private int size;

    /** Registers the continuation for a call; the token must not be 0 or already pending. */
    public void put(int token, T reply) {
        if (token == 0) {
            throw new IllegalArgumentException("token 0 is reserved for one-way messages");
        }
        if ((size + 1) * 2 > tokens.length) {
            grow();
        }
        insert(token, reply);
        size++;
    }

    /** Removes and returns the continuation of a call, or null if no call with that token is pending. */
    @SuppressWarnings("unchecked")
    public T remove(int token) {
        if (token == 0) {
            return null;
        }
        int mask = tokens.length - 1;
        int i = mix(token) & mask;
        while (tokens[i] != 0) {
            if (tokens[i] == token) {
                T reply = (T) replies[i];
                deleteAt(i);
                size--;
                return reply;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /**
     * A token of some pending call, or 0 if none is pending: for failing every call when a binding closes.
     *
     * @return a pending token, or 0
     */
    public int anyToken() {
        for (int t : tokens) {
            if (t != 0) {
                return t;
            }
        }
        return 0;
    }

    public int size() {
        return size;
    }

    private void insert(int token, Object reply) {
        int mask = tokens.length - 1;
        int i = mix(token) & mask;
        while (tokens[i] != 0) {
            if (tokens[i] == token) {
                throw new IllegalStateException("token already pending: " + token);
            }
            i = (i + 1) & mask;
        }
        tokens[i] = token;
        replies[i] = reply;
    }

    /** Backward-shift deletion keeps probe sequences intact without tombstones. */
    private void deleteAt(int hole) {
        int mask = tokens.length - 1;
        tokens[hole] = 0;
        replies[hole] = null;
        int i = (hole + 1) & mask;
        while (tokens[i] != 0) {
            int home = mix(tokens[i]) & mask;
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                tokens[hole] = tokens[i];
                replies[hole] = replies[i];
                tokens[i] = 0;
                replies[i] = null;
                hole = i;
            }
            i = (i + 1) & mask;
        }
    }

    private void grow() {
        int[] oldTokens = tokens;
        Object[] oldReplies = replies;
        tokens = new int[oldTokens.length * 2];
        replies = new Object[oldTokens.length * 2];
        for (int i = 0; i < oldTokens.length; i++) {
            if (oldTokens[i] != 0) {
                insert(oldTokens[i], oldReplies[i]);
            }
        }
    }

    private static int mix(int token) {
        return token * 0x9E3779B9;
    }
}
