package io.flotilla.dsl.source;

import java.io.IOException;

/** A file that cannot be read as source text at all; carries the position for a diagnostic. */
public final class MalformedSourceException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient SourcePos pos;

    public MalformedSourceException(SourcePos pos, String message) {
        super(message);
        this.pos = pos;
    }

    public SourcePos pos() {
        return pos;
    }
}
