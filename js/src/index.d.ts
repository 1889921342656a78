// Types of the package's entry point. The typed commands' records and the catalog's shape are
// generated from the component's WIT by jco (gen/interfaces), the command names from its
// catalog (gen/names.d.ts).

import type { CommandName } from '../gen/names.js';
import type * as Commands from '../gen/interfaces/connector-linkedin-commands.js';
import type {
  Catalog as WitCatalog,
  CommandInfo as WitCommandInfo,
  ParamInfo,
} from '../gen/interfaces/connector-linkedin-datasource.js';

export type { CommandName, ParamInfo };

/** A secret: the value, or a function the package awaits during every call that needs it. */
export type Secret =
  | string
  | null
  | undefined
  | (() => string | null | undefined | Promise<string | null | undefined>);

/** Datasource settings the component reads (`linkedinVersion`, `clientId`, `sourceUrlHosts`). */
export type Settings = Record<string, string | number | boolean | null | undefined>;

/** A request the component sends, as a sender gets it. */
export interface OutgoingRequest {
  method: string;
  /** The absolute URL, byte for byte as the component built it. */
  url: string;
  /** Names in lower case, in the order the component gave them. */
  headers: Array<[string, string]>;
  body: Uint8Array;
}

/** A sender's answer. A body is given whole or streamed (a Node stream, any async iterable). */
export interface IncomingResponse {
  status: number;
  headers?: Array<[string, string | Uint8Array]> | Record<string, string | string[]> | Headers;
  body?: string | Uint8Array | ArrayBuffer | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null;
}

/**
 * Sends one request of the component. Runs on the platform's thread; throw a TransportFault
 * for a failure below HTTP (any other error is reported as a transport error of reason `other`).
 */
export type Sender = (request: OutgoingRequest) => Promise<IncomingResponse>;

/** The default sender's policy and bounds. */
export interface HttpOptions {
  /** Send LinkedIn's requests to this base URL instead (a local test server). */
  endpoint?: string;
  /**
   * Resolves a host name instead of the system resolver (which is asked for the absolute name,
   * without the search list); every address it gives is checked like the system's.
   */
  lookup?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
  /** Resolving, connecting and the TLS handshake together (default 10,000 ms). */
  connectTimeoutMs?: number;
  /** From the request sent to the response head (default 30,000 ms). */
  firstByteTimeoutMs?: number;
  /** Any pause while the body streams in (default 30,000 ms). */
  idleTimeoutMs?: number;
  /** Let requests reach loopback addresses (tests against a local server). */
  allowLoopback?: boolean;
  /** Let requests reach every non-public address (private networks; never for tenants' URLs). */
  allowPrivate?: boolean;
}

export interface ConnectorOptions {
  /** The connected account's OAuth access token. */
  accessToken?: Secret;
  /** The LinkedIn app's client secret (webhooks, and check-connection's token introspection). */
  clientSecret?: Secret;
  /** The datasource's settings, or a function giving them, awaited before every call. */
  settings?: Settings | (() => Settings | Promise<Settings>);
  /** Replaces the default HTTP: every request of the component goes to it. */
  sender?: Sender;
  /** Options of the default sender (ignored with `sender`). */
  http?: HttpOptions;
  /** The longest one call may take (default 15 minutes); the call then fails as a `transport` timeout. */
  callTimeoutMs?: number;
  /**
   * For tests: `now` pins the wall clock the component sees (ms since the epoch), and
   * `virtual` makes the component's waits take no real time.
   */
  clock?: { now?: number; virtual?: boolean };
  /** Called after a call with what the component printed (normally nothing). */
  onOutput?: (output: { stdout: string; stderr: string }) => void;
  /** The size of the shared pool of threads, taken when the pool starts (default min(4, CPUs)). */
  threads?: number;
}

export interface CallOptions {
  /** This call's limit, instead of the connector's `callTimeoutMs`. */
  timeoutMs?: number;
}

/** A JSON Schema (draft 2020-12). */
export type JsonSchema = { [keyword: string]: unknown };

export interface CommandInfo extends Omit<WitCommandInfo, 'inputSchema'> {
  /** The input's JSON Schema (draft 2020-12): validate with Ajv's `ajv/dist/2020`. */
  inputSchema: JsonSchema;
}

export interface Catalog extends Omit<WitCatalog, 'commands'> {
  commands: CommandInfo[];
}

type Promised<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;

/** One function per command, taking and giving the component's WIT records (camelCase). */
export type TypedCommands = { readonly [K in keyof typeof Commands]: Promised<(typeof Commands)[K]> };

export type ErrorKind =
  | 'invalid-input'
  | 'credentials'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'duplicate'
  | 'rate-limited'
  | 'version-retired'
  | 'invalid-signature'
  | 'api'
  | 'transport'
  | 'decode'
  | 'media-unavailable';

/** The error's JSON form: `kind`, `message` and the kind's payload fields. */
export interface ErrorDetails {
  kind: ErrorKind;
  message: string;
  /** invalid-input: the JSON name of the field (`author`, `media[1].id`). */
  field?: string;
  status?: number;
  serviceErrorCode?: number | null;
  code?: string | null;
  requiredScopes?: string[];
  existingId?: string | null;
  scope?: 'daily' | 'throttle' | 'unknown';
  retryAfterSeconds?: number | null;
  version?: string;
  body?: string | null;
  reason?: 'dns' | 'connection-refused' | 'timeout' | 'tls' | 'denied' | 'other';
  mediaUrn?: string;
  failureReason?: string | null;
  [field: string]: unknown;
}

/** A command failed: `kind`, `message` and the payload fields, as properties and in `details`. */
export declare class ConnectorError extends Error implements Omit<ErrorDetails, 'message'> {
  constructor(details: ErrorDetails);
  readonly name: 'ConnectorError';
  readonly kind: ErrorKind;
  readonly details: ErrorDetails;
  readonly [field: string]: unknown;
}

export type Fault = 'connection-refused' | 'timeout' | 'dns' | 'protocol-error' | 'tls' | 'denied';

/** Thrown by a sender: the request failed below HTTP. */
export declare class TransportFault extends Error {
  constructor(fault: Fault, message?: string, options?: ErrorOptions);
  readonly name: 'TransportFault';
  readonly fault: Fault;
}

export interface Connector {
  /** Runs a command; resolves to its output or rejects with a ConnectorError. */
  execute(
    command: CommandName | (string & {}),
    input?: Record<string, unknown> | string,
    options?: CallOptions,
  ): Promise<Record<string, any>>;
  /** Runs a command and resolves to `{"ok": ...}` or `{"error": ...}` as JSON text, unparsed. */
  executeJson(command: CommandName | (string & {}), input?: Record<string, unknown> | string, options?: CallOptions): Promise<string>;
  /** Every command, its parameters and its input's JSON Schema. */
  describe(): Catalog;
  /** The typed form: `commands.createPost({ author, text })`. */
  readonly commands: TypedCommands;
}

/** A connector for one datasource; connectors share the compiled component and its threads. */
export declare function createConnector(options?: ConnectorOptions): Promise<Connector>;

/** Compiles the component and starts the shared threads ahead of the first call. */
export declare function warmUp(options?: { threads?: number }): Promise<Catalog>;

/** Stops the shared threads (tests, graceful shutdown). */
export declare function shutdown(): Promise<void>;

/** A sender with the default policy, widened or bounded by `options` (to wrap in a sender of your own). */
export declare function createDefaultSender(options?: HttpOptions): Sender;

export declare const DEFAULT_HTTP: Readonly<Required<Omit<HttpOptions, 'endpoint' | 'lookup'>>> & {
  endpoint: undefined;
  lookup: undefined;
};
export declare const DEFAULT_CALL_TIMEOUT_MS: number;
