package io.flotilla.platform.sim;

/**
 * The simulator's pending events, ordered by (time, sequence number): a binary min-heap of slot indexes over
 * parallel arrays of preallocated slots. The sequence number breaks ties in the order events were scheduled, so
 * the order never depends on anything but the inputs. Nothing is allocated per event once the arrays have grown
 * to the run's high-water mark.
 *
 * <p>An event carries either two references (a task and its owner, a channel end) or, for the signals one core
 * sends another (a doorbell, an interrupt), only numbers: the sending core, a vector and a word, so that nothing of
 * the sender's travels and nothing is boxed.
 */
final class EventQueue {

    private long[] time;
    private long[] seq;
    private int[] core;
    private int[] kind;
    private Object[] a;
    private Object[] b;
    private int[] source;
    private int[] vector;
    private long[] word;
    /** heap[0..size) are slot indexes; the slots not in the heap are on the free stack. */
    private int[] heap;
    private int[] free;
    private int freeTop;
    private int size;
    private long nextSeq;

    // The event last popped, read by the simulator's loop.
    long poppedTime;
    int poppedCore;
    int poppedKind;
    Object poppedA;
    Object poppedB;
    /**
     * The slot of the event {@link #pop} removed last: a signal's numbers are read from it only when the caller asks
     * ({@link #poppedSource} and so on), so the common events (tasks, arrivals) do not load three more arrays per
     * pop. Valid until the next push, which may reuse the slot: read them before handling the event.
     */
    private int popped;

    EventQueue(int initialCapacity) {
        allocate(Math.max(16, initialCapacity));
    }

    private void allocate(int n) {
        time = new long[n];
        seq = new long[n];
        core = new int[n];
        kind = new int[n];
        a = new Object[n];
        b = new Object[n];
        source = new int[n];
        vector = new int[n];
        word = new long[n];
        heap = new int[n];
        free = new int[n];
        for (int i = 0; i < n; i++) {
            free[i] = n - 1 - i;
        }
        freeTop = n;
    }

    int size() {
        return size;
    }

    long peekTime() {
        return time[heap[0]];
    }

    void push(long t, int c, int k, Object x, Object y) {
        int slot = slot(t, c, k);
        a[slot] = x;
        b[slot] = y;
        siftUp(slot);
    }

    /** An event of kind {@code k} for core {@code c} that carries numbers only: from core {@code from}. */
    void pushSignal(long t, int c, int k, int from, int vec, long w) {
        int slot = slot(t, c, k);
        source[slot] = from;
        vector[slot] = vec;
        word[slot] = w;
        siftUp(slot);
    }

    private int slot(long t, int c, int k) {
        if (freeTop == 0) {
            grow();
        }
        int slot = free[--freeTop];
        time[slot] = t;
        seq[slot] = nextSeq++;
        core[slot] = c;
        kind[slot] = k;
        return slot;
    }

    private void siftUp(int slot) {
        int i = size++;
        // sift up
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int p = heap[parent];
            if (!less(slot, p)) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = slot;
    }

    /** The sending core of the signal {@link #pop} removed last (see {@link #popped}). */
    int poppedSource() {
        return source[popped];
    }

    /** The vector of the signal {@link #pop} removed last. */
    int poppedVector() {
        return vector[popped];
    }

    /** The word of the signal {@link #pop} removed last. */
    long poppedWord() {
        return word[popped];
    }

    /** Removes the earliest event into the {@code popped*} fields. Precondition: not empty. */
    void pop() {
        int top = heap[0];
        poppedTime = time[top];
        poppedCore = core[top];
        poppedKind = kind[top];
        poppedA = a[top];
        poppedB = b[top];
        popped = top;
        a[top] = null; // let the task be collected
        b[top] = null;
        free[freeTop++] = top;
        int last = heap[--size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int c = heap[child];
            int right = child + 1;
            if (right < size && less(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!less(c, last)) {
                break;
            }
            heap[i] = c;
            i = child;
        }
        if (size > 0) {
            heap[i] = last;
        }
    }

    private boolean less(int x, int y) {
        return time[x] < time[y] || (time[x] == time[y] && seq[x] < seq[y]);
    }

    private void grow() {
        int n = time.length;
        int m = n * 2;
        time = java.util.Arrays.copyOf(time, m);
        seq = java.util.Arrays.copyOf(seq, m);
        core = java.util.Arrays.copyOf(core, m);
        kind = java.util.Arrays.copyOf(kind, m);
        a = java.util.Arrays.copyOf(a, m);
        b = java.util.Arrays.copyOf(b, m);
        source = java.util.Arrays.copyOf(source, m);
        vector = java.util.Arrays.copyOf(vector, m);
        word = java.util.Arrays.copyOf(word, m);
        heap = java.util.Arrays.copyOf(heap, m);
        free = new int[m];
        // every old slot is in use (the free stack was empty): the new ones are free
        freeTop = 0;
        for (int i = m - 1; i >= n; i--) {
            free[freeTop++] = i;
        }
    }
}
