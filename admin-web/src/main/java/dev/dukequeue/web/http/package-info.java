/**
 * What the API accepts on the wire, checked by servlet filters before any resource reads a byte: bodies only as
 * {@code application/json} ({@link dev.dukequeue.web.http.JsonBodyFilter}), at most so many bytes
 * ({@link dev.dukequeue.web.http.BodyLimitFilter}, {@link dev.dukequeue.web.http.RequestLimits}), and refusals as the
 * API's JSON errors ({@link dev.dukequeue.web.http.JsonErrors}). The filters' order is declared in web.xml.
 */
package dev.dukequeue.web.http;
