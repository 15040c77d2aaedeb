package io.flotilla.vm;

import io.flotilla.kernel.Dispatcher;

/**
 * The seam through which {@link AddressSpace#unmap} reaches other cores: invalidate a range of an address space in
 * the TLB of every core that may cache it, and say when all have. Barrelfish runs this as a one-phase commit among
 * the monitors; in Flotilla the protocol is a plugin ({@code tlb-shootdown}: unicast, multicast, the SKB's
 * NUMA-aware tree, or an IPI-based baseline), bound through Guice, so the address-space code never names one.
 *
 * <p>Contract: on each core in {@code cores}, the implementation runs
 * {@code target.tlb().invalidate(asid, vaddr, pages)} and charges {@code invalidateTlb(pages)} (the modelled cost)
 * on that core, then acknowledges; once every core has, {@code done} runs on the caller's core. Split-phase: it
 * returns at once.
 */
public interface TlbShootdown {

    void shootdown(Dispatcher caller, int asid, long vaddr, long pages, int[] cores, Runnable done);
}
