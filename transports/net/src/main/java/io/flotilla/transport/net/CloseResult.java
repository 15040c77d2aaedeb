package io.flotilla.transport.net;

/**
 * How a {@link NetChannel} ended, from {@link NetChannel#closeFuture()}.
 *
 * @param reason the channel's {@link NetChannel#closeReason()}
 * @param unconfirmedFrames frames this end published that the peer never acknowledged (acknowledging means its
 *     owner polled them). 0 means every published frame was delivered. A positive count is an upper bound: a frame
 *     whose acknowledgement was lost with the last connection is counted although the peer has it; never the other
 *     way round.
 */
public record CloseResult(String reason, long unconfirmedFrames) {

    /** Whether the peer acknowledged every frame this end published. */
    public boolean allConfirmed() {
        return unconfirmedFrames == 0;
    }
}
