package io.flotilla.plugins.tlb;

/**
 * A shootdown request in one shared line, for the variants that reach their targets through shared memory
 * (broadcast, IPI): word 0 is the epoch, words 1 and 2 the operation's (tagged) virtual address and page count. The
 * initiator writes the words first and the epoch last; a target reads the epoch first, so it sees the words of the
 * request whose epoch it saw, and nothing but the line crosses cores. A target's reads of words 1 and 2 are hits on
 * the line it has just fetched.
 */
final class RequestLine {

    /** The word holding the operation's (tagged) virtual address. */
    static final int VADDR_WORD = 1;
    /** The word holding the operation's page count. */
    static final int PAGES_WORD = 2;

    private RequestLine() {}

    /** The initiator's publication of a request: its words, then its epoch. */
    static void publish(ShootdownAgent initiator, long line, long vaddr, long pages, long epoch) {
        initiator.storeWord(line, VADDR_WORD, vaddr);
        initiator.storeWord(line, PAGES_WORD, pages);
        initiator.store(line, epoch); // word 0 last: a target that sees the epoch sees the words
    }

    /** The request's virtual address, read by a target after the epoch. */
    static long vaddr(ShootdownAgent target, long line) {
        return target.loadWord(line, VADDR_WORD);
    }

    /** The request's page count, read by a target after the epoch. */
    static long pages(ShootdownAgent target, long line) {
        return target.loadWord(line, PAGES_WORD);
    }
}
