package io.flotilla.cap;

/**
 * A reference to a capability held by a dispatcher: what a {@code cap} or {@code give_away_cap} argument of an
 * interface carries. Capabilities never travel inside frames; a {@link CapabilityTransfer} moves them out of band
 * and the frame carries only a reference number.
 */
public interface Capability {}
