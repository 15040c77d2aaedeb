package io.flotilla.plugins.tlb;

/**
 * A virtual address with its address-space id in the top 16 bits, as the shootdown messages and shared lines carry
 * it: x86-64 virtual addresses use 48 bits, so one word names both the page and the address space whose TLB entries
 * to drop (the role a PCID plays in hardware). Rounds that unmap nothing in particular (the benchmarks) use id 0.
 */
public final class TaggedAddress {

    private static final long VADDR_MASK = (1L << 48) - 1;

    private TaggedAddress() {}

    public static long of(int asid, long vaddr) {
        if (asid < 0 || asid > 0xffff) {
            throw new IllegalArgumentException("an address-space id is 16 bits: " + asid);
        }
        if (vaddr < 0 || vaddr > VADDR_MASK) {
            throw new IllegalArgumentException(String.format("0x%x is not a 48-bit virtual address", vaddr));
        }
        return (long) asid << 48 | vaddr;
    }

    public static int asid(long tagged) {
        return (int) (tagged >>> 48);
    }

    public static long vaddr(long tagged) {
        return tagged & VADDR_MASK;
    }
}
