package io.flotilla.channel;

/** The two connected ends of a channel, as a transport opens them. */
public record ChannelPair(Channel left, Channel right) {}
