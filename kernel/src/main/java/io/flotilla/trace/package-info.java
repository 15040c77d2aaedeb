/** Trace writers: implementations of {@link io.flotilla.kernel.Tracer} that record a run for viewers. */
package io.flotilla.trace;
