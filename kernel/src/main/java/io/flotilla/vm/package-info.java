/**
 * Virtual memory over capabilities: an {@link io.flotilla.vm.AddressSpace} of VNode page tables mapping Frame
 * capabilities, per-core modelled {@link io.flotilla.kernel.Tlb}s, and the {@link io.flotilla.vm.TlbShootdown} seam
 * through which an unmap reaches the other cores (implemented by the {@code tlb-shootdown} plugin).
 */
package io.flotilla.vm;
