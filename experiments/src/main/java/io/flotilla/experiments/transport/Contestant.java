package io.flotilla.experiments.transport;

import org.HdrHistogram.Histogram;

/**
 * One thing {@link TransportBench} measures: two one-way queues (requests from the main thread to the worker,
 * replies back) of messages of {@link #words} 64-bit words: 1 (8 bytes, a sequence number) or {@link #FULL} (56
 * bytes, a urpc frame's whole payload). Word k of message n is {@link #word word(n, k)}, and the receiver checks
 * every word of every message, so a torn read (a word from another message) fails the run. Each subclass writes its own loops, so every hot call site sees one
 * receiver class and is inlined as it would be in a real program (a shared loop over an interface would be
 * megamorphic and add a virtual call per message to the fast ones).
 */
abstract class Contestant {

    /** Messages in flight per direction for every contestant: Barrelfish's 32 slots. */
    static final int CAPACITY = 32;

    /**
     * Words in a full-frame message: a urpc frame's payload, 56 bytes. Every contestant writes and checks them in
     * straight-line code (seven fields, seven puts, seven gets), not in a loop bounded by {@link #words}: the JIT
     * sees that bound only as a field, and the two contestants that looped (urpc and Agrona) streamed full frames
     * at about two thirds of the rate they reach with the loop unrolled by hand, while the object queues never
     * looped (docs/benchmarks.md, eighth session).
     */
    static final int FULL = 7;

    final String key;
    /** Words per message: 1 or {@link #FULL}. */
    final int words;

    /** An 8-byte (one-word) contestant. */
    Contestant(String key) {
        this(key, 1);
    }

    Contestant(String key, int words) {
        if (words != 1 && words != FULL) {
            throw new IllegalArgumentException("messages are 1 or " + FULL + " words, not " + words);
        }
        this.key = key;
        this.words = words;
    }

    /**
     * The name the bench gives this contestant in {@code --only}, its progress lines and {@link RoundRatios}: the
     * key for 8-byte messages, the key with {@code /56} appended for full frames.
     */
    final String label() {
        return words == 1 ? key : key + FULL_SUFFIX;
    }

    /** What {@link #label} appends to the key of a full-frame contestant. */
    static final String FULL_SUFFIX = "/56";

    /** The key of the contestant labelled {@code label}: the inverse of {@link #label}. */
    static String keyOf(String label) {
        return label.endsWith(FULL_SUFFIX) ? label.substring(0, label.length() - FULL_SUFFIX.length()) : label;
    }

    /** Payload bytes per message. */
    final int payloadBytes() {
        return words * Long.BYTES;
    }

    /**
     * Word {@code k} of message {@code seq}: the sequence number itself for k = 0, and a different odd multiple of it
     * (plus k) for every other word, so no two words of one message, nor the same word of two messages, agree.
     */
    static long word(long seq, int k) {
        return seq * (2L * k + 1) + k;
    }

    /** Checks words 1 .. words-1 of message {@code seq} ({@code got} is word k). */
    static void expectWord(long seq, int k, long got) {
        if (got != word(seq, k)) {
            throw new IllegalStateException("torn message " + seq + ": word " + k + " is " + got + ", expected "
                    + word(seq, k));
        }
    }

    /**
     * Main thread: round trips of messages 1, 2, ... until {@code deadline} ({@code System.nanoTime()}), each timed
     * into {@code rtt} (ns), then a last message {@link #STOP} that is not echoed.
     *
     * @return round trips made
     */
    abstract long ping(long deadline, Histogram rtt);

    /** Worker thread: echoes requests back, checking they arrive as 1, 2, ..., until {@link #STOP}. */
    abstract void echo();

    /** Main thread, between phases while the worker is idle: make the contestant ready for a new phase. */
    void reset() {}

    /** After the run: release channels, processes, threads. */
    void close() {}

    /** Whether {@link #produce}/{@link #consume} are meaningful (not for the floor). */
    boolean measuresThroughput() {
        return true;
    }

    /**
     * Main thread: sends messages 1, 2, ... one way as fast as the queue takes them until {@code deadline}, then
     * {@link #STOP}.
     *
     * @return messages sent, {@link #STOP} not counted
     */
    abstract long produce(long deadline);

    /**
     * Worker thread: receives messages, checking they arrive as 1, 2, ..., until {@link #STOP}; calls
     * {@code clock.start()} first and {@code clock.tick(received)} after every receive (or batch drain).
     */
    abstract void consume(BatchClock clock);

    /** The message that ends a phase. */
    static final long STOP = 0;

    /** How many messages a producer sends between looks at the clock. */
    static final int CLOCK_STRIDE = 256;

    /** Whether a producer that has sent {@code i} messages is past its deadline. */
    static boolean expired(long i, long deadline) {
        return (i & (CLOCK_STRIDE - 1)) == 0 && System.nanoTime() - deadline > 0;
    }

    /** Set when either thread fails, so the other stops spinning for a message that will never come. */
    static volatile Throwable aborted;

    /** The body of every wait loop. */
    static void spinWait() {
        if (aborted != null) {
            throw new IllegalStateException("benchmark aborted by the other thread", aborted);
        }
        Thread.onSpinWait();
    }

    static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.min(nanos, histogram.getHighestTrackableValue()));
    }

    static void expect(long got, long expected) {
        if (got != expected) {
            throw new IllegalStateException("out of sequence: got " + got + ", expected " + expected);
        }
    }

    /**
     * A mutable message for the object queues: preallocated and reused, so nothing is allocated per message.
     * Padded so that consecutive messages' values never share a cache line: otherwise the producer writing message
     * k + 1 would invalidate the line the consumer is reading message k from, a cost of this benchmark's pool, not
     * of the queue (urpc's frames and Agrona's records are laid out by the queue itself and are not padded).
     */
    static final class Msg {
        long value;
        long w1, w2, w3, w4, w5, w6;
        long p07, p08, p09, p10, p11, p12, p13, p14, p15;

        /** Writes message {@code seq}: word 0 always, words 1-6 when {@code full}. */
        void fill(long seq, boolean full) {
            value = seq;
            if (full) {
                w1 = word(seq, 1);
                w2 = word(seq, 2);
                w3 = word(seq, 3);
                w4 = word(seq, 4);
                w5 = word(seq, 5);
                w6 = word(seq, 6);
            }
        }

        /** Reads every word of the message and checks words 1-6 against word 0 when {@code full}; returns word 0. */
        long read(boolean full) {
            long seq = value;
            if (full && seq != STOP) {
                expectWord(seq, 1, w1);
                expectWord(seq, 2, w2);
                expectWord(seq, 3, w3);
                expectWord(seq, 4, w4);
                expectWord(seq, 5, w5);
                expectWord(seq, 6, w6);
            }
            return seq;
        }
    }

    /**
     * Messages for an object queue, reused round-robin by send position (not by value: the STOP message takes a
     * position too). The message at position k is reused for position k + POOL only after the queue has had room
     * for it, i.e. after the receiver polled position k + POOL - CAPACITY > k, and the receiver reads a message's
     * value before it polls the next one; so no value is overwritten while it is being read.
     */
    static Msg[] pool() {
        Msg[] pool = new Msg[POOL];
        for (int i = 0; i < POOL; i++) {
            pool[i] = new Msg();
        }
        return pool;
    }

    static final int POOL = 4 * CAPACITY;
}
