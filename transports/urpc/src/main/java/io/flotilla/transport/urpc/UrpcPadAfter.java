package io.flotilla.transport.urpc;

/** 128 bytes behind the hot fields; see {@link UrpcPadBefore}. */
abstract class UrpcPadAfter extends UrpcHotFields {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
}
