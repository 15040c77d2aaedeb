/**
 * The agreement SPI: how replicated OS state is kept consistent by the cores' monitors (one-phase commit,
 * two-phase commit, ...), as the multikernel keeps every global structure as replicas updated by agreement.
 *
 * <p>A caller on one core {@linkplain Agreement#propose proposes} an operation (an opcode, four words and an
 * optional string payload) to a {@link CoreSet} of participants; on each participant the {@link Voter} registered
 * for the opcode votes (two-phase commit's prepare) and applies on commit; the caller's {@link Outcome} hears the
 * decision. Everything is split-phase and many operations may be in flight at once, each named by an operation id.
 * Protocols are late-bound: {@link AgreementService#agreement(String)} picks one by name and
 * {@link AgreementService#select(String, CoreSet)} by the SKB rule of {@link AgreementRules}; the same caller code
 * runs either. The kernel's own implementation is {@link AgreementMonitors} (one-phase and two-phase commit, run by a
 * monitor dispatcher per core over bindings of {@code agreement.if}); {@code io.flotilla.kernel.cap.CapabilitySystem}
 * installs it together with the capability monitors. See {@code docs/plugins/agreement.md}.
 */
package io.flotilla.agreement;
