package io.flotilla.skb;

/** One edge of a multicast tree: core {@code from} sends the message on to core {@code to}. */
public record Send(int from, int to) {}
