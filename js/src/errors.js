// The errors a platform sees.

/**
 * A command failed: one of the component's error kinds (`invalid-input`, `unauthorized`,
 * `forbidden`, `rate-limited`, `transport`, ...), its one-sentence `message`, and the kind's
 * payload fields as properties (`field`, `status`, `retryAfterSeconds`, `requiredScopes`, ...).
 * `details` is the error's whole JSON form, as `execute-json` gives it.
 */
export class ConnectorError extends Error {
  constructor(details) {
    super(details.message ?? details.kind);
    this.name = 'ConnectorError';
    for (const [key, value] of Object.entries(details)) {
      if (key !== 'message' && key !== 'name' && key !== 'stack') this[key] = value;
    }
    this.details = details;
  }
}

/** The transport failures a sender may report, as the fixtures name them. */
export const FAULTS = ['connection-refused', 'timeout', 'dns', 'protocol-error', 'tls', 'denied'];

/** The wasi:http error code each fault reaches the component as (the same as host-test's). */
export const FAULT_CODES = {
  'connection-refused': { tag: 'connection-refused' },
  timeout: { tag: 'connection-timeout' },
  dns: { tag: 'DNS-error', val: { rcode: 'NXDOMAIN', infoCode: undefined } },
  'protocol-error': { tag: 'HTTP-protocol-error' },
  tls: { tag: 'TLS-protocol-error' },
  denied: { tag: 'HTTP-request-denied' },
};

/**
 * Thrown by a sender when a request could not be exchanged: the component then reports a
 * `transport` error with the matching reason (`denied` for a destination the host refuses).
 */
export class TransportFault extends Error {
  /**
   * @param {'connection-refused' | 'timeout' | 'dns' | 'protocol-error' | 'tls' | 'denied'} fault
   * @param {string} [message]
   */
  constructor(fault, message, options) {
    if (!FAULTS.includes(fault)) throw new TypeError(`unknown transport fault ${fault}`);
    super(message ?? fault, options);
    this.name = 'TransportFault';
    this.fault = fault;
  }
}
