package io.flotilla.codegen;

import io.flotilla.cap.Capability;

/** A capability for tests: identified by a number, compared by identity of the number. */
public record TestCap(int id) implements Capability {}
