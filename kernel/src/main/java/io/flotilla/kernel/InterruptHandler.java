package io.flotilla.kernel;

/**
 * What a core runs when an inter-processor interrupt on a vector it registered arrives ({@link
 * Dispatcher#onInterrupt}): the handler belongs to the receiving core, and all that came from the sender is who sent
 * it and one word, as a real IPI carries a vector and at most a word the handler reads from a line it knows.
 */
@FunctionalInterface
public interface InterruptHandler {

    /**
     * Runs on the registering dispatcher's core, as that dispatcher, after the trap into the kernel.
     *
     * @param fromCore the core that sent the interrupt
     * @param word     the sender's word of payload
     */
    void interrupted(int fromCore, long word);
}
