package io.vigil.calendar.ics;

/** Why a feed could not be fetched. */
public enum FetchFailure {
    /** The server answered with a status other than 2xx. */
    HTTP_STATUS,
    /** No connection, or no complete answer, within the time allowed. */
    TIMEOUT,
    /** The body is larger than allowed. */
    TOO_LARGE,
    /** The host could not be resolved or connected to, or the connection failed. */
    UNREACHABLE,
    /** Too many redirects, or one without a usable http(s) Location. */
    BAD_REDIRECT,
    /** The fetching thread was interrupted. */
    INTERRUPTED
}
